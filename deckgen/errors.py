"""The one exception hierarchy of deckgen.

Every error a user can cause derives from :class:`DeckgenError`. Each carries a
message a seller can act on (naming the file, row and field where known) and the
process exit code the CLI should use. The CLI catches the base class once.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


class DeckgenError(Exception):
    """Base of every error deckgen reports to a user."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 row: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.row = row
        self.field = field

    def where(self) -> str:
        """Return ``file:line``/``file row N`` and ``field`` as one prefix, or ''."""
        parts = []
        if self.file:
            loc = self.file
            if self.line is not None:
                loc += f":{self.line}"
            if self.row is not None:
                loc += f" row {self.row}"
            parts.append(loc)
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(self.field)
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class InputError(DeckgenError):
    """A profile, prospect, CRM export, brand kit or option the user gave is wrong."""


class TemplateError(DeckgenError):
    """A template is broken: bad tags, unknown variables, unsafe package."""

    def __init__(self, message: str, *, slide: int | None = None, shape: str | None = None,
                 snippet: str | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.slide = slide
        self.shape = shape
        self.snippet = snippet

    def __str__(self) -> str:
        parts = []
        where = self.where()
        if where:
            parts.append(where)
        if self.slide is not None:
            parts.append(f"slide {self.slide}")
        if self.shape:
            parts.append(f"shape '{self.shape}'")
        head = ", ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.snippet:
            text += f"\n  in: {self.snippet}"
        return text


class UnsafeInputError(InputError):
    """Input refused because it could harm the machine (zip bomb, macro, entity, huge image)."""


class RenderError(DeckgenError):
    """Rendering one deck failed (a value the template cannot use, output too large)."""

    exit_code = EXIT_SOME_FAILED


class TextOverflowError(RenderError):
    """Rendered text does not fit its box even at the smallest allowed size."""


class OutputError(DeckgenError):
    """The output cannot be written (read-only folder, disk full)."""


class ToolMissingError(DeckgenError):
    """An external program deckgen needs (LibreOffice, pdftoppm) is not installed."""


class ConversionError(DeckgenError):
    """An external conversion (PDF, PNG) failed or timed out."""

    exit_code = EXIT_SOME_FAILED
