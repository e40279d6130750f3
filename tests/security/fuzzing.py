"""The fuzz tests' shared hypothesis settings. ``DECKGEN_FUZZ_EXAMPLES`` raises the number of examples
for a longer fuzzing run (the suite's default keeps each property test to a few seconds)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("DECKGEN_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
