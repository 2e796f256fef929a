"""DfE's SSDA903 validation rules, per collection year, as Polars over whole tables."""
