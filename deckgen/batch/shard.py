"""Shards: splitting one prospect list between machines, round-robin by row position."""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.errors import InputError

__all__ = ["Shard"]


@dataclass(frozen=True)
class Shard:
    """Shard ``k`` of ``n`` (1-based): rows are dealt round-robin by their position in the file."""

    k: int
    n: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """Parse ``"2/5"``; raise InputError for anything else (``0/3``, ``4/3``, ``a/b``)."""
        head, sep, tail = text.strip().partition("/")
        if not sep or not head.strip().isdigit() or not tail.strip().isdigit():
            raise InputError(f"--shard '{text}': expected K/N with whole numbers, e.g. --shard 2/5 (shard 2 of 5)")
        k, n = int(head), int(tail)
        if n < 1:
            raise InputError(f"--shard '{text}': N must be at least 1")
        if not 1 <= k <= n:
            raise InputError(f"--shard '{text}': K counts from 1 to N ({n}), e.g. --shard 1/{n}")
        return cls(k, n)

    def owns(self, index: int) -> bool:
        """Whether the data row at 0-based position ``index`` in the file belongs to this shard."""
        return index % self.n == self.k - 1

    @property
    def suffix(self) -> str:
        """What a shard's report and manifest names carry: ``-K-of-N``."""
        return f"-{self.k}-of-{self.n}"

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"
