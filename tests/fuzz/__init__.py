"""Fuzzing the SSDA903 readers and validator through the command line, seeded with the
malformed-input corpus and made-up well-formed returns (`make fuzz` runs it for longer)."""
