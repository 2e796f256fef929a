"""The care record as tables: SSDA903 tables plus the record's extension tables,
kept as a "record directory" of CSV files that every part of carematters reads."""
