"""Working days and calendar months for England and Wales, shipped with the package.

Statutory timescales count working days ("within 20 working days of ...") or calendar
months ("within 3 months of the first review"). Bank holidays are never fetched: 2000-2030
ship as data and 2031-2099 are computed by the `holidays` package (working_days.py says
why), so every duty computed today gives the same answer tomorrow and offline.
"""
