"""Working days and calendar months for England and Wales, shipped with the package.

Statutory timescales count working days ("within 20 working days of ...") or calendar
months ("within 3 months of the first review"). Bank holidays ship as data, never
fetched, so every duty computed today gives the same answer tomorrow and offline.
"""
