"""Decks to PDF through LibreOffice: many decks per start, one bad deck never stops the others.

- :class:`PdfConverter` converts decks in chunks with one private LibreOffice
  (:class:`~deckgen.export.libreoffice.HeadlessOffice`); a start costs about 1 s, each further
  8-slide deck about 0.15 s. A deck LibreOffice hangs or crashes on becomes a
  :class:`~deckgen.errors.ConversionError` and the decks after it go to a fresh LibreOffice.
- :func:`convert_pdfs` spreads decks over several converters (one LibreOffice each).
- :func:`export_pdfs` writes each deck's PDF next to it (or into one folder) with one converter.

Every PDF lands in the output folder by ``os.replace`` from a temp file in that folder, so an
interrupted run leaves no partial PDF; PDFs are made reproducible (:mod:`.reproducible`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import ConversionError, OutputError
from deckgen.export.libreoffice import DEFAULT_TIMEOUT, HeadlessOffice, SofficeCommand, find_soffice, soffice_command
from deckgen.export.reproducible import deck_date, normalise_pdf

DEFAULT_CHUNK = 25  # decks per LibreOffice start

PdfResults = dict[Path, Path | ConversionError]


@dataclass(frozen=True)
class _Item:
    src: Path
    target: Path


def _is_complete_pdf(path: Path) -> bool:
    try:
        size = path.stat().st_size
        if size < 16:
            return False
        with path.open("rb") as fh:
            head = fh.read(5)
            fh.seek(max(0, size - 1024))
            tail = fh.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


def _clash(first: Path, name: str, src: Path) -> ConversionError:
    return ConversionError(f"{first.name} in the same run already writes {name}; rename one of them", file=str(src))


class PdfConverter:
    """Convert decks to PDF with one private, headless LibreOffice per converter.

    ``with PdfConverter() as conv: results = conv.convert(paths, out_dir)``

    - ``soffice``: the program (or a command list, e.g. a test double); found with
      :func:`find_soffice` when omitted, raising :class:`ToolMissingError` right away.
    - ``timeout``: seconds a conversion may go without producing output before LibreOffice is
      killed (with its whole process group). The deck it hung on becomes a
      :class:`ConversionError`; the decks after it are converted by a fresh LibreOffice.
    - ``chunk_size``: decks per LibreOffice start.

    Each converter has its own LibreOffice profile in a temp folder, removed by :meth:`close`,
    so converters can run side by side (one per worker) and never touch the user's profile.
    """

    def __init__(
        self,
        soffice: SofficeCommand | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        chunk_size: int = DEFAULT_CHUNK,
        reproducible: bool = True,
        check_packages: bool | None = None,
    ) -> None:
        self.command = soffice_command(soffice)
        # A deck from anywhere gets the checks `deckgen check` and the template reader apply before
        # LibreOffice sees it (no bombs, macros, entities or links that load something from outside).
        # None: on, unless ``soffice`` is a command list (a wrapper or test double that opens nothing).
        self.check_packages = (
            check_packages if check_packages is not None else isinstance(soffice, (str, os.PathLike, type(None)))
        )
        if timeout <= 0 or chunk_size < 1:
            raise ValueError("timeout must be > 0 and chunk_size >= 1")
        self.timeout = float(timeout)
        self.chunk_size = int(chunk_size)
        self.reproducible = reproducible
        self._work: Path | None = None
        self._office: HeadlessOffice | None = None
        self._starts_before = 0  # LibreOffice starts of offices already closed
        self._entered = False  # outside `with`, convert() cleans up after itself

    @property
    def runs(self) -> int:
        """Return how many times LibreOffice was started (for benchmarks and tests)."""
        return self._starts_before + (self._office.runs if self._office is not None else 0)

    # -- lifetime ------------------------------------------------------------------------
    def __enter__(self) -> PdfConverter:
        self._entered = True
        self._workdir()
        return self

    def __exit__(self, *exc) -> None:
        self._entered = False
        self.close()

    def close(self) -> None:
        """Stop a running LibreOffice and remove the profile and work folder."""
        office, self._office = self._office, None
        if office is not None:
            office.stop()
            self._starts_before += office.runs
        work, self._work = self._work, None
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _workdir(self) -> Path:
        if self._work is None:
            self._work = Path(tempfile.mkdtemp(prefix="deckgen-soffice-"))
        return self._work

    def _headless(self) -> HeadlessOffice:
        if self._office is None:
            self._office = HeadlessOffice(self.command, home=self._workdir(), timeout=self.timeout)
        return self._office

    # -- converting ----------------------------------------------------------------------
    def convert(self, paths: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str]) -> PdfResults:
        """Convert each deck to ``out_dir/<deck name>.pdf``.

        Returns, for every input path (as a :class:`Path`, in input order), the PDF written or
        the :class:`ConversionError` that says why not. Never raises for one bad deck.
        """
        ordered = list(dict.fromkeys(Path(p) for p in paths))
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        results: PdfResults = {}
        items: list[_Item] = []
        seen: dict[Path, Path] = {}
        for src in ordered:
            target = out / (src.stem + ".pdf")
            if not src.is_file():
                results[src] = ConversionError("no such deck", file=str(src))
            elif self.check_packages and (refused := refuse_unsafe(src)) is not None:
                results[src] = refused
            elif target in seen:
                results[src] = _clash(seen[target], target.name, src)
            else:
                seen[target] = src
                items.append(_Item(src, target))
        try:
            for start in range(0, len(items), self.chunk_size):
                self._convert_chunk(items[start : start + self.chunk_size], results)
        finally:
            if not self._entered:
                self.close()
        return {src: results[src] for src in ordered}

    def _convert_chunk(self, items: list[_Item], results: PdfResults) -> None:
        office = self._headless()
        pending = list(items)
        idle_runs = 0
        while pending:
            run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=self._workdir()))
            try:
                done, status, detail = self._run(office, pending, run_dir)
                for item, pdf in done.items():
                    results[item.src] = self._publish(item, pdf)
            finally:
                shutil.rmtree(run_dir, ignore_errors=True)
            rest = [it for it in pending if it not in done]
            if status == "ok":
                for it in rest:
                    results[it.src] = ConversionError(
                        "LibreOffice could not open or convert this deck" + (f" ({detail})" if detail else ""),
                        file=str(it.src),
                    )
                return
            office.fresh_profile()
            if not rest:
                return
            if done:
                idle_runs = 0
                pending = rest  # the deck it stopped at goes first in the next run
                continue
            culprit, pending = rest[0], rest[1:]
            idle_runs += 1
            if status == "timeout":
                msg = f"LibreOffice made no progress for {self.timeout:g} s converting this deck and was stopped"
            else:
                msg = f"LibreOffice failed converting this deck ({detail})"
            results[culprit.src] = ConversionError(msg, file=str(culprit.src))
            if idle_runs >= 3:
                for it in pending:
                    results[it.src] = ConversionError(
                        "not converted: LibreOffice failed three times in a row without converting anything",
                        file=str(it.src),
                    )
                return

    def _publish(self, item: _Item, pdf: Path) -> Path | ConversionError:
        # imported here: deckgen.engine's package __init__ loads the whole engine, which a PDF export never needs
        from deckgen.output import atomic_write

        try:
            data = pdf.read_bytes()
            if self.reproducible:
                data = normalise_pdf(data, deck_date(item.src))
            atomic_write(item.target, data)
        except OSError as exc:  # atomic_write turns its own failures into OutputError
            return ConversionError(f"cannot read the PDF LibreOffice made: {exc.strerror or exc}", file=str(item.src))
        except OutputError as exc:
            return ConversionError(f"{exc.message} ({item.target})", file=str(item.src))
        return item.target

    @staticmethod
    def _run(office: HeadlessOffice, items: list[_Item], run_dir: Path) -> tuple[dict[_Item, Path], str, str]:
        """One LibreOffice start over ``items``: (finished PDFs, "ok"|"timeout"|"crash", detail)."""
        in_dir, pdf_dir = run_dir / "in", run_dir / "out"
        in_dir.mkdir()
        pdf_dir.mkdir()
        names: dict[_Item, Path] = {}
        inputs = []
        for n, item in enumerate(items):
            # Plain copies named 0000.pptx, ...: no clashing names, no names LibreOffice could
            # read as options, and the inputs cannot change under the conversion.
            suffix = item.src.suffix.lower()
            if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
                suffix = ".pptx"
            copy = in_dir / f"{n:04d}{suffix}"
            shutil.copyfile(item.src, copy)
            inputs.append(str(copy))
            names[item] = pdf_dir / f"{n:04d}.pdf"
        status, detail = office.convert_to_pdf(inputs, pdf_dir, run_dir / "soffice.log")
        done = {it: pdf for it, pdf in names.items() if _is_complete_pdf(pdf)}
        return done, status, detail


def refuse_unsafe(src: Path) -> ConversionError | None:
    """The reason ``src`` must not be opened by LibreOffice, as a ConversionError; None when it is safe."""
    # imported here: deckgen.engine's package __init__ loads the whole engine
    from deckgen.engine.opc import open_package
    from deckgen.errors import DeckgenError

    try:
        open_package(src)
    except DeckgenError as exc:
        return ConversionError(f"not converted, unsafe to open: {exc.message}", file=str(src))
    return None


def convert_pdfs(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    workers: int = 1,
    soffice: SofficeCommand | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    chunk_size: int = DEFAULT_CHUNK,
) -> PdfResults:
    """Convert decks with ``workers`` LibreOffice processes side by side (each its own profile).

    Returns the results keyed by input path in input order, as :meth:`PdfConverter.convert`.
    """
    ordered = list(dict.fromkeys(Path(p) for p in paths))
    if soffice is None:
        soffice = find_soffice()  # raise before any work starts
    workers = max(1, min(int(workers), len(ordered) or 1))
    if workers == 1:
        with PdfConverter(soffice, timeout=timeout, chunk_size=chunk_size) as conv:
            return conv.convert(ordered, out_dir)
    # names that would clash across workers are refused up front, as a single converter does
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results: PdfResults = {}
    unique: list[Path] = []
    claimed: dict[str, Path] = {}
    for src in ordered:
        name = src.stem + ".pdf"
        if src.is_file() and name in claimed:
            results[src] = _clash(claimed[name], name, src)
            continue
        claimed.setdefault(name, src)
        unique.append(src)
    size = -(-len(unique) // workers)
    slices = [unique[i : i + size] for i in range(0, len(unique), size)]

    def work(part: list[Path]) -> PdfResults:
        with PdfConverter(soffice, timeout=timeout, chunk_size=chunk_size) as conv:
            return conv.convert(part, out)

    with ThreadPoolExecutor(max_workers=len(slices)) as pool:
        for part_result in pool.map(work, slices):
            results.update(part_result)
    return {src: results[src] for src in ordered}


def export_pdfs(
    decks: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str] | None = None,
    *,
    soffice: SofficeCommand | None = None,
) -> PdfResults:
    """Convert decks to PDF next to each deck (or all into ``out_dir``) with one converter (one profile).

    Returns the PDF written or the :class:`ConversionError` for each deck, folder by folder in the
    order the folders first appear (input order within a folder).
    """
    groups: dict[Path, list[Path]] = {}
    for deck in dict.fromkeys(Path(d) for d in decks):
        groups.setdefault(Path(out_dir) if out_dir is not None else deck.parent, []).append(deck)
    results: PdfResults = {}
    with PdfConverter(soffice) as conv:
        for folder, members in groups.items():
            folder.mkdir(parents=True, exist_ok=True)
            results.update(conv.convert(members, folder))
    return results
