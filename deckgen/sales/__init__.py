"""The sales layer: pure functions from the validated model to what a deck says. No file I/O.

- :mod:`.fit` scores a prospect against the ICP (:mod:`.matching` compares industries, places, frameworks);
- :mod:`.ranking` orders a prospect list by fit;
- :mod:`.closings` chooses the walk-away line;
- :mod:`.costs` estimates downtime and break-fix versus managed cost (a typed :mod:`.cost_estimate`);
- :mod:`.locales` picks the deck's locale and currency and makes the locale-aware filters;
- :mod:`.context` assembles the plain data a template sees (docs/context.md).
"""
