"""deckgen: branded, per-prospect walk-away pitch decks for managed IT service providers.

The public API (everything else is internal and may change)::

    from deckgen import build_deck, run_batch, rank_prospects, check_deck, lint_template

    deck = build_deck("profile.yaml", "prospects/acme.yaml", out=Path("acme.pptx"))
    plan = prepare_batch(BatchRequest(input=Path("crm.csv"), profile=Path("profile.yaml"), out_dir=Path("decks")))
    result = run_batch(plan, on_progress=print)

Names are imported on first use, so ``import deckgen`` stays cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "build_deck": "deckgen.jobs",  # one deck for one prospect file, written atomically
    "build_examples": "deckgen.jobs",
    "BuildOptions": "deckgen.build",
    "DeckBuilder": "deckgen.build",  # compile once, render a deck per prospect (in memory)
    "BatchRequest": "deckgen.batch",
    "prepare_batch": "deckgen.batch",
    "run_batch": "deckgen.batch",
    "rank_prospects": "deckgen.batch",  # rank_fits: a prospect list ranked by fit, no decks built
    "check_deck": "deckgen.check",
    "lint_template": "deckgen.authoring",
    "DeckgenError": "deckgen.errors",
    "DeckgenWarning": "deckgen.errors",
    "ExitCode": "deckgen.errors",
}
_RENAMED = {"rank_prospects": "rank_fits"}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), _RENAMED.get(name, name))
        globals()[name] = value
        return value
    raise AttributeError(f"module 'deckgen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
