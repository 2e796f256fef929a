"""The DfE SSDA903 data standard: code lists and table layouts per collection year,
and readers and writers for the CSV and XML forms of the return."""
