"""Use cases the command line and the web share: import and export of returns
(`records`), a caseload's duties and decisions (`caseload`), checking a return
(`validation`), the indicators report (`indicators`), a synthetic authority (`synth`) and
the demo authority (`demo`).

A service takes a `Record` (or paths for what it reads and writes), calls the core and
returns what it found; it never prints and never exits, so the command line and the web
say the same things in their own way. Business rules live in the core, never here.
"""
