"""What ``deckgen check`` reports: a :class:`Problem` per finding, a :class:`DeckReport` per deck."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck, and where."""

    kind: str
    message: str
    slide: int | None = None
    shape: str | None = None
    part: str | None = None  # set when the problem is not on a slide
    severity: str = ERROR

    def where(self) -> str:
        """``slide 3, shape 'Pains'``, a part name, or ''."""
        parts = []
        if self.slide is not None:
            parts.append(f"slide {self.slide}")
        elif self.part:
            parts.append(self.part)
        if self.shape:
            parts.append(f"shape '{self.shape}'" if self.shape != "speaker notes" else "speaker notes")
        return ", ".join(parts)

    def describe(self, deck: str) -> str:
        """``deck.pptx: slide 3, shape 'Pains': text overflows its box by 1.2 in``."""
        head = deck + (f": {self.where()}" if self.where() else "")
        return f"{head}: {'warning: ' if self.severity == WARNING else ''}{self.message}"

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class DeckReport:
    """What ``check`` found in one deck."""

    path: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """True when nothing but warnings was found."""
        return not self.errors

    def kinds(self) -> set[str]:
        """The kinds of error found (warnings left out)."""
        return {p.kind for p in self.errors}

    def to_dict(self) -> dict:
        return {
            "deck": str(self.path),
            "ok": self.ok,
            "problems": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }


__all__ = ["DeckReport", "Problem", "ERROR", "WARNING"]
