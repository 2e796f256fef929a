"""carematters: the care record, statutory duties and SSDA903 data for a local authority."""

__version__ = "0.1.0"
