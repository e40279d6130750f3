"""The night-before review: review.html for a batch folder, and releasing the approved decks.

- :func:`write_review` (:mod:`.build`) reads report.json (and the shards' reports), the manifest and the files
  beside each deck, and writes one self-contained page (:mod:`.page`, :mod:`.data`, :mod:`.thumbs`);
- :func:`release` (:mod:`.release`) copies the decks a reviewer marked ready in review-decisions.csv, and whose
  hash still matches, into ``send/`` with a record of who approved what and when.
"""

from __future__ import annotations

from deckgen.review.build import PAGE_NAME, ReviewOutcome, write_review
from deckgen.review.release import ReleaseResult, release

__all__ = ["PAGE_NAME", "ReleaseResult", "ReviewOutcome", "release", "write_review"]
