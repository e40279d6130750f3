"""Batch builds: one deck per row of a prospect list, with a report, resume and shards.

The library behind ``deckgen batch`` and ``deckgen fit``:

- :mod:`~deckgen.batch.plan` — the request, the ``--name`` pattern, :func:`prepare_batch` (every check
  made before a deck is written); :mod:`~deckgen.batch.shard` — ``--shard K/N``;
- :mod:`~deckgen.batch.run` — :func:`run_batch` streams the rows and reports progress to a callback;
- :mod:`~deckgen.batch.pool` — worker processes, each holding the compiled template;
- :mod:`~deckgen.batch.manifest` — input fingerprints and resume;
- :mod:`~deckgen.batch.report` — report.json and report.csv;
- :mod:`~deckgen.batch.rank` — :func:`rank_fits`, the list ranked by fit (the scoring is in
  :mod:`deckgen.sales.ranking`).

Typical use::

    plan = prepare_batch(BatchRequest(input=..., profile=..., out_dir=...))
    result = run_batch(plan, on_progress=print)
"""

from __future__ import annotations

from deckgen.batch.plan import BatchPlan, BatchRequest, prepare_batch
from deckgen.batch.rank import rank_fits
from deckgen.batch.run import BatchProgress, BatchResult, run_batch
from deckgen.batch.shard import Shard

__all__ = [
    "BatchPlan",
    "BatchProgress",
    "BatchRequest",
    "BatchResult",
    "Shard",
    "prepare_batch",
    "rank_fits",
    "run_batch",
]
