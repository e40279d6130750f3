"""The deckgen command line: parse options, call one library function, print. Nothing else."""

from deckgen.cli.app import cli, main

__all__ = ["cli", "main"]
