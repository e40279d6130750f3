"""The one exception hierarchy of deckgen.

Every error a user can cause derives from :class:`DeckgenError`. Each carries a
message a seller can act on (naming the file, row and field where known) and the
process exit code the CLI should use. The CLI catches the base class once.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What the ``deckgen`` process returns."""

    OK = 0
    SOME_FAILED = 1  # a batch where only some rows failed; a conversion that failed
    USAGE = 2  # bad input: a file, row, field or option the user must fix
    INTERRUPTED = 130  # Ctrl-C or SIGTERM; nothing half-written is left behind


EXIT_OK = ExitCode.OK
EXIT_SOME_FAILED = ExitCode.SOME_FAILED
EXIT_USAGE = ExitCode.USAGE


class DeckgenError(Exception):
    """Base of every error deckgen reports to a user."""

    exit_code = EXIT_USAGE

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        row: int | None = None,
        field: str | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.row = row
        self.field = field
        self.source = source  # the input it is about ("profile", "prospect") when raised where its file is unknown

    def locate(self, files: dict[str, str]) -> DeckgenError:
        """Name the file the error is about from ``files`` (by ``source``) when it has none yet; return self.

        The sales logic knows an error is the profile's but not where the profile lives; the caller does.
        """
        if self.file is None and self.source in files:
            self.file = files[self.source]
        return self

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

    def __init__(
        self, message: str, *, slide: int | None = None, shape: str | None = None, snippet: str | None = None, **kw
    ) -> None:
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


class LoadDeadlineError(InputError):
    """Reading an input took longer than its deadline (a stalled drive, a file built to be slow to read)."""


class RenderError(DeckgenError):
    """Rendering one deck failed (a value the template cannot use, output too large)."""

    exit_code = EXIT_SOME_FAILED


class TemplateFaultError(RenderError):
    """Rendering stopped because of the template itself (a sandbox violation, a value over a limit): exit 2.

    Raised where a render error's cause is the template rather than one prospect's data, so
    ``build`` exits 2 (bad input) instead of 1.
    """

    exit_code = EXIT_USAGE


class TextOverflowError(RenderError):
    """Rendered text does not fit its box even at the smallest allowed size."""


class OutputError(DeckgenError):
    """The output cannot be written (read-only folder, disk full)."""


class ToolMissingError(DeckgenError):
    """An external program deckgen needs (LibreOffice, pdftoppm) is not installed."""


class ConversionError(DeckgenError):
    """An external conversion (PDF, PNG) failed or timed out."""

    exit_code = EXIT_SOME_FAILED


# --------------------------------------------------------------------------- warnings
#
# Warnings travel one way: they are returned with results (a list of DeckgenWarning), never
# passed as out-parameters and never raised through the ``warnings`` module. The CLI prints
# each as ``Warning: …``; the batch report lists them per row.


class DeckgenWarning:
    """Something the user should know that did not stop the work.

    ``str(w)`` is the sentence shown to the user (with the file/row/field prefix when known).
    Subclasses say what kind of thing went wrong, so callers can group or filter them.
    """

    kind = "warning"

    def __init__(
        self, message: str, *, file: str | None = None, row: int | None = None, field: str | None = None
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.field = field

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f" row {self.row}" if self.row is not None else ""))
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(self.field)
        where = " ".join(parts)
        return f"{where}: {self.message}" if where else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and str(other) == str(self)

    def __hash__(self) -> int:
        return hash((type(self).__name__, str(self)))


class DataWarning(DeckgenWarning):
    """Input data was cleaned, guessed or ignored (control characters, unknown columns, a missing rate)."""

    kind = "data"


class TemplateWarning(DeckgenWarning):
    """A template or slide master needed a fallback (a layout matched by placeholders, a dropped link)."""

    kind = "template"


class SlideWarning(TemplateWarning):
    """Something on one or more of a template's slides, found once when the template is compiled.

    ``slides`` are template slide numbers (1-based), ``shape`` the shape's name in the Selection Pane.
    """

    def __init__(self, message: str, *, slides=(), shape: str | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.slides = tuple(slides)
        self.shape = shape

    def on_slides(self) -> str:
        """'slide 2', 'slides 2, 3 and 5', or ''."""
        if not self.slides:
            return ""
        if len(self.slides) == 1:
            return f"slide {self.slides[0]}"
        return "slides " + ", ".join(map(str, self.slides[:-1])) + f" and {self.slides[-1]}"

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.on_slides(), f"shape '{self.shape}'" if self.shape else "") if p]
        return f"{', '.join(parts)}: {self.message}" if parts else self.message


class ShapeIdWarning(SlideWarning):
    """Shapes on a slide shared an id (carried in from another deck); the later ones were given new ids."""

    kind = "shape_ids"


class OverlapWarning(SlideWarning):
    """A picture or filled shape on the slide master or a layout covers a slide's text, picture, chart or table."""

    kind = "overlap"


class LogoContrastWarning(SlideWarning):
    """A logo barely stands out from the background it is placed on."""

    kind = "logo_contrast"


class LinkWarning(DataWarning):
    """A hyperlink's address rendered to something no deck may hold (not a web or mail link); the link was removed."""

    kind = "link"


class BrandWarning(DeckgenWarning):
    """A brand kit's colours, fonts or logos were adjusted or are at risk."""

    kind = "brand"


class UnmeasuredFontWarning(BrandWarning):
    """A brand kit names a font deckgen can neither find nor measure with a metric twin: text fit is not checked."""

    kind = "unmeasured_font"


class TextFitWarning(DeckgenWarning):
    """Text was shrunk to fit its box, or could not be measured."""

    kind = "text_fit"


class ConversionWarning(DeckgenWarning):
    """A PDF or PNG conversion had a problem that did not stop the run."""

    kind = "conversion"


def warning_texts(warnings) -> list[str]:
    """The user-facing sentences of a list of warnings (strings are passed through)."""
    return [str(w) for w in warnings]
