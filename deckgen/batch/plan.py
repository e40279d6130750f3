"""Planning a batch: the seller's request, the ``--name`` pattern, and every check made before a deck is written.

:func:`prepare_batch` checks the profile, the prospect list and its columns, the
template, brand, closing line, name pattern and output folder, and raises
:class:`~deckgen.errors.InputError` (exit 2) for any of it; the returned
:class:`BatchPlan` is what :func:`deckgen.batch.run.run_batch` streams the rows of.

``--name`` is a ``str.format`` pattern over :data:`NAME_FIELDS`; the result is
slugified and made unique by :class:`~deckgen.naming.NameAllocator` in file order.
"""

from __future__ import annotations

import datetime as _dt
import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path

from deckgen.batch.manifest import combined_digest, input_fingerprint
from deckgen.batch.report import report_paths
from deckgen.batch.shard import Shard
from deckgen.build import BuildOptions, DeckBuilder
from deckgen.errors import DeckgenWarning, InputError, OutputError
from deckgen.load.closings import load_library
from deckgen.load.crm.source import ProspectSource, open_prospects
from deckgen.load.files import load_profile
from deckgen.model import Profile, Prospect
from deckgen.naming import MAX_NAME_BYTES, slug_bytes, slugify
from deckgen.sales.amounts import AmountCurrencies
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.fit import Fit

__all__ = [
    "DEFAULT_NAME",
    "NAME_FIELDS",
    "BatchPlan",
    "BatchRequest",
    "NamePattern",
    "as_warnings",
    "open_source",
    "prepare_batch",
]

DEFAULT_NAME = "{company}-{id}"
NAME_FIELDS = ("company", "id", "row", "date", "band", "score", "industry", "city", "country")


class NamePattern:
    """A ``--name`` pattern such as ``"{company}-{date}"`` over :data:`NAME_FIELDS`."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.fields = self._parse(pattern)
        self.needs_fit = bool({"band", "score"} & self.fields)
        sample = {
            "company": "Acme",
            "id": "1",
            "row": 2,
            "date": "2026-01-01",
            "band": "A",
            "score": 80,
            "industry": "",
            "city": "",
            "country": "",
        }
        try:
            pattern.format_map(sample)
        except (ValueError, TypeError) as exc:
            raise InputError(
                f"--name '{pattern}': {exc}; write plain fields, e.g. --name \"{{company}}-{{date}}\""
            ) from None

    @staticmethod
    def _parse(pattern: str) -> set[str]:
        if not pattern.strip():
            raise InputError('--name must not be empty; e.g. --name "{company}-{date}"')
        try:
            parts = list(string.Formatter().parse(pattern))
        except ValueError as exc:
            raise InputError(f"--name '{pattern}': {exc} (write {{{{ or }}}} for a literal brace)") from None
        used: set[str] = set()
        for _, name, spec, conversion in parts:
            if name is None:
                continue
            if conversion or (spec and re.search(r"\d{3,}", spec)):
                raise InputError(
                    f"--name '{pattern}': field '{name}' may not have a conversion or a width of "
                    "100 or more; write plain {field}s"
                )
            if name not in NAME_FIELDS:
                shown = name or "{}"
                raise InputError(
                    f"--name '{pattern}': unknown field '{shown}'; use " + ", ".join(f"{{{f}}}" for f in NAME_FIELDS)
                )
            if spec and "{" in spec:
                raise InputError(f"--name '{pattern}': nested fields are not allowed")
            used.add(name)
        return used

    def stem(self, prospect: Prospect, row: int, date: _dt.date, fit: Fit | None) -> str:
        """The file-name stem for one row, before slugifying."""
        values = {
            "company": prospect.company,
            "id": prospect.id,
            "row": row,
            "date": date.isoformat(),
            "band": (fit.band.replace("_", "-") if fit else ""),
            "score": (fit.score if fit else 0),
            "industry": prospect.industry,
            "city": prospect.location.city,
            "country": prospect.location.country,
        }
        return self._fit(values)

    def _fit(self, values: dict) -> str:
        """Format the pattern, shortening the free-text fields (never ``{id}``, ``{row}``…) to fit a name."""
        free = ("company", "industry", "city", "country")
        stem = self.pattern.format_map(values)
        if slug_bytes(stem) <= MAX_NAME_BYTES:
            return stem
        for key in free:
            values[key] = slugify(str(values[key] or ""), fallback="")
        stem = self.pattern.format_map(values)
        while (over := slug_bytes(stem) - MAX_NAME_BYTES) > 0:
            longest = max(free, key=lambda k: len(values[k].encode("utf-8")))
            data = values[longest].encode("utf-8")
            if not data:
                break  # only the fixed fields are left: slugify cuts what it must
            values[longest] = data[: max(0, len(data) - over)].decode("utf-8", "ignore").rstrip("-._")
            stem = self.pattern.format_map(values)
        return stem


@dataclass
class BatchRequest:
    """Everything a seller chose for a batch (one object instead of many parameters)."""

    input: Path
    profile: Path
    out_dir: Path
    crm: str = "auto"
    mapping: dict[str, str] | None = None
    encoding: str | None = None
    sheet: str | None = None
    options: BuildOptions = field(default_factory=BuildOptions)
    name: str = DEFAULT_NAME
    jobs: int | None = None  # None: one per CPU
    shard: Shard | None = None
    force: bool = False
    fail_fast: bool = False
    report: Path | None = None  # JSON path; default <out_dir>/report.json


def as_warnings(items) -> list[DeckgenWarning]:
    """Typed warnings from a list that may still hold plain sentences (from layers not yet converted)."""
    return [w if isinstance(w, DeckgenWarning) else DeckgenWarning(str(w)) for w in items]


def open_source(request: BatchRequest, profile: Profile | None = None) -> ProspectSource:
    """The request's prospect list, opened (format, encoding and CRM columns detected); given the profile,
    amounts written in another currency than a prospect's deck are converted at its exchange rates (or unknown)."""
    return open_prospects(
        request.input,
        crm=request.crm,
        mapping=request.mapping,
        encoding=request.encoding,
        sheet=request.sheet,
        amounts=AmountCurrencies(profile) if profile is not None else None,
    )


def _check_closing(profile: Profile, closing: str | None) -> None:
    if closing and closing.strip():
        choose_closing(Prospect(company="check"), profile, None, closing, lines=all_lines(profile, load_library()))


@dataclass
class BatchPlan:
    """A checked batch, ready for :func:`~deckgen.batch.run.run_batch`."""

    request: BatchRequest
    profile: Profile
    options: BuildOptions  # the request's, with the deck date filled in
    source: ProspectSource
    pattern: NamePattern
    builder: DeckBuilder  # the compiled template, for decks built in this process
    fingerprint: dict[str, str]  # digests of the inputs all decks share (see input_fingerprint)
    warnings: list[DeckgenWarning]
    report_json: Path
    report_csv: Path
    notes: list[str] = field(default_factory=list)  # things worth a line in the summary (not problems)
    common: str = field(init=False)  # one digest of everything the decks share; part of every row's digest

    def __post_init__(self) -> None:
        self.common = combined_digest(self.fingerprint)

    def release(self) -> None:
        """After the batch: drop the compiled templates, so that the report and the review page (which need
        only :attr:`request`) reuse their memory. The plan builds no deck after this."""
        self.builder = None  # type: ignore[assignment]

    def count_rows(self) -> int:
        """Rows this run will look at (this shard's share); reads the list once more."""
        total = self.source.count()
        shard = self.request.shard
        return total if shard is None else len(range(shard.k - 1, total, shard.n))


def prepare_batch(request: BatchRequest) -> BatchPlan:
    """Check every input of ``request`` and return the plan; raise InputError/OutputError before any deck
    is written."""
    warnings: list = []
    profile = load_profile(request.profile, warnings)
    source = open_source(request, profile)
    warnings.extend(source.warnings)
    pattern = NamePattern(request.name)
    json_path, csv_path = report_paths(request.out_dir, request.report, request.shard)
    if request.out_dir.exists() and not request.out_dir.is_dir():
        raise OutputError(
            "is a file, expected a folder for the decks; choose another --out-dir", file=str(request.out_dir)
        )
    options = replace(request.options, today=request.options.today or _dt.date.today())
    _check_closing(profile, options.closing)
    builder = DeckBuilder(profile, options)  # compiles the template: its errors stop the batch here
    warnings.extend(builder.warnings)
    fingerprint = input_fingerprint(request.profile, options, source.column_map, source.preset)
    return BatchPlan(
        request, profile, options, source, pattern, builder, fingerprint, as_warnings(warnings), json_path, csv_path
    )
