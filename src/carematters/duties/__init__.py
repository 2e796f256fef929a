"""Statutory duties as code: for every child, on any date, what is due, when and why.

Each duty is a named unit (`Duty`) with a stable id, the regulation it comes from, the
dates it is in force and a sentence a social worker can read. Duties are computed over
whole tables, so the same code answers for one child and for a nation.
"""
