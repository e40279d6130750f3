"""``python -m deckgen``: the same as the ``deckgen`` command."""

from deckgen.cli import main

main()
