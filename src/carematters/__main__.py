"""Lets `python -m carematters` behave exactly like the `carematters` command."""

from carematters.cli import main

main()
