"""PDF and PNG output: decks to PDF through LibreOffice, PDF pages to PNG through poppler.

- :func:`find_soffice` locates LibreOffice (``$DECKGEN_SOFFICE`` overrides).
- :class:`PdfConverter` runs LibreOffice headless with its own throw-away profile, many decks
  per start (a start costs about 1 s; each further 8-slide deck about 0.15 s), with a
  watchdog that kills a hung conversion's whole process group and reports that deck as a
  :class:`~deckgen.errors.ConversionError` while the other decks go on.
- :func:`convert_pdfs` spreads decks over several converters (one LibreOffice each).
- :func:`render_pngs` (``pdftoppm``), :func:`contact_sheet` (Pillow) and :func:`preview_deck`.

Every file lands in the output folder by ``os.replace`` from a temp file in that folder, so an
interrupted run leaves no partial PDF or PNG. PDFs are made byte-for-byte reproducible: the
creation date LibreOffice stamps is replaced by the deck's own (``docProps/core.xml``
modified date, or ``$SOURCE_DATE_EPOCH``) and the document ID by a hash of the content.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from deckgen.engine.package import atomic_write
from deckgen.errors import ConversionError, OutputError, ToolMissingError

SOFFICE_ENV = "DECKGEN_SOFFICE"
DEFAULT_TIMEOUT = 120.0  # seconds without progress before a conversion counts as hung
DEFAULT_CHUNK = 25  # decks per LibreOffice start
DEFAULT_DPI = 96

_SOFFICE_NAMES = ("soffice", "libreoffice")
# Looked at after PATH: where the installers put it when PATH does not say.
_SOFFICE_LOCATIONS: Sequence[str] = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)

SOFFICE_INSTALL_HINT = (
    "Install LibreOffice Impress: on Debian/Ubuntu `sudo apt-get install "
    "--no-install-recommends libreoffice-impress`, on macOS `brew install --cask libreoffice`, "
    "on Windows the installer from LibreOffice's download page. "
    f"Or set {SOFFICE_ENV} to the soffice program."
)
POPPLER_INSTALL_HINT = (
    "Install poppler: on Debian/Ubuntu `sudo apt-get install poppler-utils`, on macOS "
    "`brew install poppler`, on Windows a poppler build with pdftoppm on PATH."
)

_FALLBACK_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
_MAX_CORE_XML = 1 << 20


# --------------------------------------------------------------------------------------------
# finding the tools


def find_soffice() -> str:
    """Return the LibreOffice program, or raise :class:`ToolMissingError` saying how to install it."""
    override = os.environ.get(SOFFICE_ENV, "").strip()
    if override:
        found = shutil.which(override)
        if found:
            return found
        raise ToolMissingError(f"{SOFFICE_ENV} is set to {override!r}, which is not a program "
                               "that can be run. " + SOFFICE_INSTALL_HINT)
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for loc in _SOFFICE_LOCATIONS:
        if os.path.isfile(loc) and os.access(loc, os.X_OK):
            return loc
    raise ToolMissingError("LibreOffice (soffice) is needed to make PDFs and previews but was "
                           "not found. " + SOFFICE_INSTALL_HINT)


def _find_poppler(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ToolMissingError(f"`{name}` (poppler) is needed but was not found. "
                               + POPPLER_INSTALL_HINT)
    return found


# --------------------------------------------------------------------------------------------
# files


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


# --------------------------------------------------------------------------------------------
# reproducible PDFs

_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
_CORE_DATE = re.compile(r"<dcterms:(modified|created)\b[^>]*>\s*([^<\s]+)\s*<")


def deck_date(pptx: Path) -> datetime:
    """The date a PDF of ``pptx`` should carry: ``$SOURCE_DATE_EPOCH``, else the deck's own."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    try:
        with zipfile.ZipFile(pptx) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > _MAX_CORE_XML:
                return _FALLBACK_DATE
            xml = zf.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return _FALLBACK_DATE
    found = dict((m.group(1), m.group(2)) for m in _CORE_DATE.finditer(xml))
    for key in ("modified", "created"):
        if key in found:
            try:
                when = datetime.fromisoformat(found[key].replace("Z", "+00:00"))
            except ValueError:
                continue
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return when.astimezone(timezone.utc)
    return _FALLBACK_DATE


def normalise_pdf(data: bytes, when: datetime) -> bytes:
    """Replace a PDF's time-dependent bytes (dates, document ID, checksum) in place.

    Every replacement keeps its length, so the xref offsets stay valid. The ID and
    LibreOffice's ``/DocChecksum`` become a hash of the rest of the file. LibreOffice runs with
    ``TZ=UTC``, so the zone suffix after the date digits is always the same.
    """
    stamp = when.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S").encode("ascii")
    data = _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b"(D:" + stamp, data)
    spans = [m.span(g) for m in _PDF_ID.finditer(data) for g in (1, 2)]
    spans += [m.span(1) for m in _PDF_CHECKSUM.finditer(data)]
    if not spans:
        return data
    out = bytearray(data)
    for start, end in spans:
        out[start:end] = b"0" * (end - start)
    digest = hashlib.sha256(bytes(out)).hexdigest().upper().encode("ascii")
    for start, end in spans:
        n = end - start
        out[start:end] = (digest * (n // len(digest) + 1))[:n]
    return bytes(out)


# --------------------------------------------------------------------------------------------
# LibreOffice


@dataclass(frozen=True)
class _Item:
    src: Path
    target: Path


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

    def __init__(self, soffice: str | os.PathLike[str] | Sequence[str] | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT, chunk_size: int = DEFAULT_CHUNK,
                 reproducible: bool = True) -> None:
        if soffice is None:
            self.command = [find_soffice()]
        elif isinstance(soffice, (str, os.PathLike)):
            self.command = [os.fspath(soffice)]
        else:
            self.command = [os.fspath(part) for part in soffice]
        if not self.command:
            raise ValueError("soffice command is empty")
        if timeout <= 0 or chunk_size < 1:
            raise ValueError("timeout must be > 0 and chunk_size >= 1")
        self.timeout = float(timeout)
        self.chunk_size = int(chunk_size)
        self.reproducible = reproducible
        self._work: Path | None = None
        self._profile_no = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self.runs = 0  # LibreOffice starts so far (for benchmarks and tests)
        self._entered = False  # outside `with`, convert() cleans up after itself

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
        self._kill()
        work, self._work = self._work, None
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _workdir(self) -> Path:
        if self._work is None:
            self._work = Path(tempfile.mkdtemp(prefix="deckgen-soffice-"))
        return self._work

    def _profile(self) -> Path:
        return self._workdir() / f"profile-{self._profile_no}"

    def _fresh_profile(self) -> None:
        """After a kill the profile may hold a lock or half-written state: start a new one."""
        shutil.rmtree(self._profile(), ignore_errors=True)
        self._profile_no += 1

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
            pass

    # -- converting ----------------------------------------------------------------------
    def convert(self, paths: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str]
                ) -> dict[Path, Path | ConversionError]:
        """Convert each deck to ``out_dir/<deck name>.pdf``.

        Returns, for every input path (as a :class:`Path`, in input order), the PDF written or
        the :class:`ConversionError` that says why not. Never raises for one bad deck.
        """
        ordered = list(dict.fromkeys(Path(p) for p in paths))
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        results: dict[Path, Path | ConversionError] = {}
        items: list[_Item] = []
        seen: dict[Path, Path] = {}
        for src in ordered:
            target = out / (src.stem + ".pdf")
            if not src.is_file():
                results[src] = ConversionError("no such deck", file=str(src))
            elif target in seen:
                results[src] = ConversionError(
                    f"{seen[target].name} in the same run already writes {target.name}; "
                    "rename one of them", file=str(src))
            else:
                seen[target] = src
                items.append(_Item(src, target))
        try:
            for start in range(0, len(items), self.chunk_size):
                self._convert_chunk(items[start:start + self.chunk_size], results)
        finally:
            if not self._entered:
                self.close()
        return {src: results[src] for src in ordered}

    def _convert_chunk(self, items: list[_Item], results: dict) -> None:
        pending = list(items)
        idle_runs = 0
        while pending:
            run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=self._workdir()))
            try:
                done, status, detail = self._run(pending, run_dir)
                for item, pdf in done.items():
                    results[item.src] = self._publish(item, pdf)
            finally:
                shutil.rmtree(run_dir, ignore_errors=True)
            rest = [it for it in pending if it not in done]
            if status == "ok":
                for it in rest:
                    results[it.src] = ConversionError(
                        "LibreOffice could not open or convert this deck"
                        + (f" ({detail})" if detail else ""), file=str(it.src))
                return
            self._fresh_profile()
            if not rest:
                return
            if done:
                idle_runs = 0
                pending = rest  # the deck it stopped at goes first in the next run
                continue
            culprit, pending = rest[0], rest[1:]
            idle_runs += 1
            if status == "timeout":
                msg = (f"LibreOffice made no progress for {self.timeout:g} s converting this "
                       "deck and was stopped")
            else:
                msg = f"LibreOffice failed converting this deck ({detail})"
            results[culprit.src] = ConversionError(msg, file=str(culprit.src))
            if idle_runs >= 3:
                for it in pending:
                    results[it.src] = ConversionError(
                        "not converted: LibreOffice failed three times in a row without "
                        "converting anything", file=str(it.src))
                return

    def _publish(self, item: _Item, pdf: Path) -> Path | ConversionError:
        try:
            data = pdf.read_bytes()
            if self.reproducible:
                data = normalise_pdf(data, deck_date(item.src))
            atomic_write(item.target, data)
        except OSError as exc:  # atomic_write turns its own failures into OutputError
            return ConversionError(f"cannot read the PDF LibreOffice made: {exc.strerror or exc}",
                                   file=str(item.src))
        except OutputError as exc:
            return ConversionError(f"{exc.message} ({item.target})", file=str(item.src))
        return item.target

    def _run(self, items: list[_Item], run_dir: Path) -> tuple[dict[_Item, Path], str, str]:
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
        status, detail = self._execute(inputs, pdf_dir, run_dir / "soffice.log")
        done = {it: pdf for it, pdf in names.items() if _is_complete_pdf(pdf)}
        return done, status, detail

    def _execute(self, inputs: list[str], pdf_dir: Path, log_path: Path) -> tuple[str, str]:
        cmd = [
            *self.command,
            f"-env:UserInstallation={self._profile().resolve().as_uri()}",
            "--headless", "--invisible", "--nologo", "--nodefault", "--norestore",
            "--nolockcheck", "--nofirststartwizard",
            "--convert-to", "pdf:impress_pdf_Export",
            "--outdir", str(pdf_dir),
            *inputs,
        ]
        env = dict(os.environ)
        env["TZ"] = "UTC"  # the zone suffix of the PDF dates: see normalise_pdf
        self.runs += 1
        with open(log_path, "wb") as log:
            try:
                self._proc = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    cwd=str(log_path.parent), env=env, start_new_session=(os.name == "posix"))
            except OSError as exc:
                raise ToolMissingError(f"cannot start {self.command[0]}: "
                                       f"{exc.strerror or exc}. " + SOFFICE_INSTALL_HINT) from None
            proc = self._proc
            try:
                status = self._watch(proc, pdf_dir)
            finally:
                self._kill()  # no-op when it has exited; on Ctrl-C it stops LibreOffice
        if status == "timeout":
            return status, f"no progress for {self.timeout:g} s"
        code = proc.returncode
        if code != 0:
            return "crash", f"exit code {code}" + _log_hint(log_path)
        return "ok", _log_hint(log_path).strip(" ;")

    def _watch(self, proc: subprocess.Popen[bytes], pdf_dir: Path) -> str:
        """Wait for LibreOffice; kill it when ``timeout`` passes with no change in ``pdf_dir``."""
        deadline = time.monotonic() + self.timeout
        last: object = None
        while True:
            try:
                proc.wait(timeout=0.2)
                return "ok"
            except subprocess.TimeoutExpired:
                pass
            try:
                now_state = sorted((e.name, e.stat().st_size) for e in os.scandir(pdf_dir))
            except OSError:
                now_state = None
            if now_state != last:
                last = now_state
                deadline = time.monotonic() + self.timeout
            elif time.monotonic() > deadline:
                self._kill()
                return "timeout"


def _log_hint(log_path: Path) -> str:
    """The last error line LibreOffice printed, for the message ('' when none)."""
    try:
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    errors = [ln.strip() for ln in lines if ln.strip().lower().startswith("error")]
    return f"; LibreOffice said: {errors[-1]}" if errors else ""


def convert_pdfs(paths: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str], *,
                 workers: int = 1, soffice: str | os.PathLike[str] | Sequence[str] | None = None,
                 timeout: float = DEFAULT_TIMEOUT, chunk_size: int = DEFAULT_CHUNK
                 ) -> dict[Path, Path | ConversionError]:
    """Convert decks with ``workers`` LibreOffice processes side by side (each its own profile).

    Results are keyed by input path in input order, as :meth:`PdfConverter.convert`.
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
    results: dict[Path, Path | ConversionError] = {}
    unique: list[Path] = []
    claimed: dict[str, Path] = {}
    for src in ordered:
        name = src.stem + ".pdf"
        if src.is_file() and name in claimed:
            results[src] = ConversionError(f"{claimed[name].name} in the same run already "
                                           f"writes {name}; rename one of them", file=str(src))
            continue
        claimed.setdefault(name, src)
        unique.append(src)
    size = -(-len(unique) // workers)
    slices = [unique[i:i + size] for i in range(0, len(unique), size)]

    def work(part: list[Path]) -> dict[Path, Path | ConversionError]:
        with PdfConverter(soffice, timeout=timeout, chunk_size=chunk_size) as conv:
            return conv.convert(part, out)

    with ThreadPoolExecutor(max_workers=len(slices)) as pool:
        for part_result in pool.map(work, slices):
            results.update(part_result)
    return {src: results[src] for src in ordered}


# --------------------------------------------------------------------------------------------
# PNG pages and contact sheets


def render_pngs(pdf: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
                dpi: int = DEFAULT_DPI, prefix: str | None = None, timeout: float = 300.0
                ) -> list[Path]:
    """Render every page of ``pdf`` to ``out_dir/<prefix>-NN.png`` (prefix: the PDF's name).

    Stale ``<prefix>-NN.png`` files from a longer earlier version of the deck are removed.
    """
    pdftoppm = _find_poppler("pdftoppm")
    pdf = Path(pdf)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prefix = prefix or pdf.stem
    tmp = Path(tempfile.mkdtemp(dir=out, prefix=".deckgen-", suffix=".part"))
    try:
        try:
            proc = subprocess.run([pdftoppm, "-png", "-r", str(int(dpi)), str(pdf),
                                   str(tmp / "page")],
                                  stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"pdftoppm did not finish within {timeout:g} s",
                                  file=str(pdf)) from None
        if proc.returncode != 0:
            said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ConversionError("pdftoppm could not render this PDF"
                                  + (f": {said[-1]}" if said else ""), file=str(pdf))
        pages = sorted(tmp.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not pages:
            raise ConversionError("the PDF has no pages", file=str(pdf))
        width = max(2, len(str(len(pages))))
        result = []
        for n, page in enumerate(pages, start=1):
            target = out / f"{prefix}-{n:0{width}d}.png"
            os.replace(page, target)
            result.append(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    stale = re.compile(re.escape(prefix) + r"-(\d+)\.png")
    for old in out.glob(f"{_glob_escape(prefix)}-*.png"):
        m = stale.fullmatch(old.name)
        if m and old not in result and int(m.group(1)) > len(result):
            old.unlink(missing_ok=True)
    return result


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _label_font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: only the small bitmap font
        return ImageFont.load_default()


def contact_sheet(pngs: Sequence[str | os.PathLike[str]], out_path: str | os.PathLike[str], *,
                  columns: int = 3, max_width: int = 2400, thumb_width: int = 640,
                  margin: int = 32, gap: int = 24, background: tuple[int, int, int] = (243, 244, 246),
                  border: tuple[int, int, int] = (156, 163, 175),
                  label: tuple[int, int, int] = (55, 65, 81)) -> Path:
    """Put all slides on one PNG: a grid of thumbnails with thin borders and slide numbers.

    The sheet is at most ``max_width`` pixels wide; thumbnails keep their aspect ratio.
    """
    from PIL import Image, ImageDraw

    if not pngs:
        raise ValueError("contact_sheet needs at least one image")
    columns = max(1, min(int(columns), len(pngs)))
    room = (max_width - 2 * margin - (columns - 1) * gap) // columns
    tw = max(16, min(int(thumb_width), room))
    thumbs = []
    for p in pngs:
        with Image.open(p) as im:
            im = im.convert("RGB")
            th = max(1, round(im.height * tw / im.width))
            thumbs.append(im.resize((tw, th), Image.Resampling.LANCZOS))
    font_size = max(12, tw // 28)
    font = _label_font(font_size)
    label_h = font_size + 12
    rows = [thumbs[i:i + columns] for i in range(0, len(thumbs), columns)]
    row_h = [max(t.height for t in row) + label_h for row in rows]
    width = 2 * margin + columns * tw + (columns - 1) * gap
    height = 2 * margin + sum(row_h) + (len(rows) - 1) * gap
    sheet = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(sheet)
    y = margin
    number = 0
    for row, rh in zip(rows, row_h):
        x = margin
        for thumb in row:
            number += 1
            sheet.paste(thumb, (x, y))
            draw.rectangle([x - 1, y - 1, x + thumb.width, y + thumb.height], outline=border,
                           width=1)
            text = str(number)
            box = draw.textbbox((0, 0), text, font=font)
            draw.text((x + (tw - (box[2] - box[0])) // 2, y + thumb.height + 6 - box[1]), text,
                      fill=label, font=font)
            x += tw + gap
        y += rh + gap
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    sheet.save(buf, format="PNG")
    atomic_write(out, buf.getvalue())
    return out


@dataclass(frozen=True)
class PreviewResult:
    pdf: Path
    pngs: list[Path]
    sheet: Path


def preview_deck(pptx: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
                 dpi: int = DEFAULT_DPI, columns: int = 3,
                 soffice: str | os.PathLike[str] | Sequence[str] | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> PreviewResult:
    """PDF, one PNG a slide and a contact sheet for one deck, all in ``out_dir``.

    Writes ``<deck>.pdf``, ``<deck>-01.png``… and ``<deck>-sheet.png``. Raises
    :class:`ConversionError` when the deck cannot be converted and :class:`ToolMissingError`
    when LibreOffice or poppler is missing.
    """
    src = Path(pptx)
    out = Path(out_dir)
    _find_poppler("pdftoppm")  # fail before the slow part
    with PdfConverter(soffice, timeout=timeout) as conv:
        result = conv.convert([src], out)[src]
    if isinstance(result, ConversionError):
        raise result
    pngs = render_pngs(result, out, dpi=dpi, prefix=src.stem)
    sheet = contact_sheet(pngs, out / f"{src.stem}-sheet.png", columns=columns)
    return PreviewResult(pdf=result, pngs=pngs, sheet=sheet)
