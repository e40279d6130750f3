"""Check Office Open XML packages with the Open XML SDK validator.

The validator is the npm package ``@ooxml-tools/validate`` (the Open XML SDK compiled to
WebAssembly, run by Node.js >= 20.19). ``bash scripts/test.sh`` installs it from the committed
``package.json``/``package-lock.json`` into the repository's ``node_modules/``; a global or
``.tools/`` install, or any command given in ``DECKGEN_OOXML_VALIDATOR``, works too.

Facts about the tool this module relies on (version 0.4.6):

- ``ooxml-validate --of json -f pptx FILE`` prints a JSON list of
  ``{description, path: {xpath, partUri}, id, errorType}`` and exits 0 *whether or not* errors
  were found: the exit code does not tell valid from invalid, the list does.
- A package the SDK cannot open at all (not a zip, wrong content types) makes it print usage
  text, a .NET stack trace and ``Error: <reason>`` on stderr and exit 1.
- Without ``-f`` the format is guessed from the file name, and anything unknown is read as a
  Word document; we always pass the format.
- Starting the runtime costs about 2.3 s; each further package about 0.2 s. So when the
  package's library is found next to the CLI, one Node process is kept and fed many paths
  (:class:`Validator`); otherwise each package runs the CLI once.
"""

from __future__ import annotations

import json
import os
import queue
import shlex
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from deckgen.errors import ConversionError, InputError, ToolMissingError

VALIDATOR_ENV = "DECKGEN_OOXML_VALIDATOR"
PACKAGE_NAME = "@ooxml-tools/validate"
BIN_NAME = "ooxml-validate"
OFFICE_VERSIONS = ("Microsoft365", "Office2007", "Office2010", "Office2013", "Office2016", "Office2019", "Office2021")
DEFAULT_TIMEOUT = 180.0

_INSTALL_HINT = (
    "Install it with `bash scripts/test.sh` (or `npm ci` in the deckgen repository; it needs "
    f"Node.js 20.19 or newer), or set {VALIDATOR_ENV} to a command that behaves like "
    f"`{BIN_NAME}`."
)

_FORMATS = {
    ".pptx": "pptx",
    ".pptm": "pptx",
    ".potx": "pptx",
    ".potm": "pptx",
    ".ppsx": "pptx",
    ".ppsm": "pptx",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".dotm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xltx": "xlsx",
    ".xltm": "xlsx",
}

# Marks the lines our Node helper writes, so whatever the .NET runtime prints is ignored.
_MARK = "@@deckgen-validate@@"

# Kept in one Node process: reads one JSON request a line on stdin, answers one marked line.
_SERVER_JS = r"""
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
const MARK = process.argv[2];
const mod = await import(pathToFileURL(process.argv[1]).href);
const validate = mod.default;
const say = (obj) => process.stdout.write(MARK + JSON.stringify(obj) + '\n');
say({ ready: true });
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let reply;
  try {
    const req = JSON.parse(line);
    const data = await readFile(req.path);
    reply = { errors: await validate(data, req.format, req.version) };
  } catch (e) {
    reply = { fatal: String((e && e.message) || e) };
  }
  say(reply);
}
process.exit(0);
"""


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def find_validator() -> list[str] | None:
    """Return the command that runs ``ooxml-validate``, or None when it is not installed.

    Order: ``$DECKGEN_OOXML_VALIDATOR`` (a command line), the repository's
    ``node_modules/.bin`` and ``.tools/node_modules/.bin``, then ``PATH``. For an npm install
    the command is ``[node, <the package's bin script>]``, so it does not depend on the
    script's ``#!/usr/bin/env node`` line.
    """
    override = os.environ.get(VALIDATOR_ENV, "").strip()
    if override:
        parts = shlex.split(override, posix=os.name != "nt")
        exe = shutil.which(parts[0]) if parts else None
        return [exe, *parts[1:]] if exe else None
    root = _repo_root()
    candidates: list[Path] = [
        root / "node_modules" / ".bin" / BIN_NAME,
        root / ".tools" / "node_modules" / ".bin" / BIN_NAME,
    ]
    on_path = shutil.which(BIN_NAME)
    if on_path:
        candidates.append(Path(on_path))
    node = shutil.which("node")
    for cand in candidates:
        if not cand.exists():
            continue
        script = cand.resolve()
        if script.suffix in (".js", ".mjs"):
            if node is None:
                continue
            return [node, str(script)]
        if os.access(cand, os.X_OK):
            return [str(cand)]
    return None


def _library_entry(cmd: Sequence[str]) -> Path | None:
    """The package's main module when ``cmd`` is ``[node, .../@ooxml-tools/validate/...js]``."""
    if len(cmd) != 2 or Path(cmd[0]).stem.lower() not in ("node", "nodejs"):
        return None
    for parent in Path(cmd[1]).resolve().parents:
        manifest = parent / "package.json"
        if manifest.is_file():
            try:
                meta = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            if meta.get("name") != PACKAGE_NAME:
                return None
            entry = parent / str(meta.get("main") or "index.js")
            return entry if entry.is_file() else None
    return None


def _format_of(path: Path) -> str:
    return _FORMATS.get(path.suffix.lower(), "pptx")


def format_error(err: dict) -> str:
    """One validator finding as ``/part/uri xpath: description [Id]``."""
    where = err.get("path") or {}
    part = where.get("partUri") or where.get("PartUri") or "?"
    xpath = where.get("xpath") or where.get("XPath") or ""
    desc = (err.get("description") or err.get("Description") or "").strip()
    ident = err.get("id") or err.get("Id") or ""
    text = f"{part} {xpath}: {desc}" if xpath else f"{part}: {desc}"
    return f"{text} [{ident}]" if ident else text


def _fatal(reason: str) -> list[str]:
    return [f"package cannot be opened by the Open XML SDK: {reason.strip()}"]


def _check_input(path: Path) -> None:
    if not path.is_file():
        raise InputError("no such file", file=str(path))


class Validator:
    """A reusable validator: one Node process validates many packages (about 0.2 s each).

    Use as a context manager or call :meth:`close`. Falls back to one CLI run per package when
    the library cannot be located (e.g. ``DECKGEN_OOXML_VALIDATOR`` names a wrapper).
    Raises :class:`ToolMissingError` on creation when the validator is not installed.
    """

    def __init__(
        self,
        cmd: Sequence[str] | None = None,
        *,
        office_version: str = "Microsoft365",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if office_version not in OFFICE_VERSIONS:
            raise ValueError(f"office_version must be one of {', '.join(OFFICE_VERSIONS)}")
        found = list(cmd) if cmd else find_validator()
        if not found:
            raise ToolMissingError(f"The Open XML validator `{BIN_NAME}` is not installed. " + _INSTALL_HINT)
        self.cmd = found
        self.office_version = office_version
        self.timeout = timeout
        self._entry = _library_entry(found)
        self._proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr = None
        self._lock = threading.Lock()

    # -- the long-running helper ---------------------------------------------------------
    def _start(self) -> None:
        assert self._entry is not None
        self._stderr = tempfile.TemporaryFile()
        self._lines = queue.Queue()
        self._proc = subprocess.Popen(
            [self.cmd[0], "--input-type=module", "-e", _SERVER_JS, str(self._entry), _MARK],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
        self._reader = threading.Thread(
            target=self._pump, args=(self._proc.stdout, self._lines), name="ooxml-validate-reader", daemon=True
        )
        self._reader.start()
        self._receive()  # the "ready" line: the runtime itself loads on the first package

    @staticmethod
    def _pump(stream, lines: queue.Queue) -> None:
        for line in stream:
            if line.startswith(_MARK):
                lines.put(line[len(_MARK) :])
        lines.put(None)

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return " | ".join(text[-3:])

    def _receive(self) -> dict:
        try:
            line = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            self.close()
            raise ConversionError(f"the Open XML validator did not answer within {self.timeout:.0f} s") from None
        if line is None:
            tail = self._stderr_tail()
            self.close()
            raise ToolMissingError(
                f"The Open XML validator stopped unexpectedly ({tail or 'no message'}). " + _INSTALL_HINT
            )
        return json.loads(line)

    def _via_server(self, path: Path, fmt: str) -> list[str]:
        if self._proc is None or self._proc.poll() is not None:
            self._start()
        assert self._proc is not None and self._proc.stdin is not None
        request = {"path": str(path.resolve()), "format": fmt, "version": self.office_version}
        try:
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
        except OSError:
            pass  # the process died; _receive reports it
        reply = self._receive()
        if "fatal" in reply:
            return _fatal(str(reply["fatal"]).splitlines()[0] if reply["fatal"] else "unknown")
        return [format_error(e) for e in reply.get("errors") or []]

    # -- one CLI run a package -----------------------------------------------------------
    def _via_cli(self, path: Path, fmt: str) -> list[str]:
        args = [*self.cmd, "--of", "json", "-f", fmt, "--ov", self.office_version, str(path)]
        try:
            proc = subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=self.timeout,
                encoding="utf-8",
                errors="replace",
            )
        except FileNotFoundError:
            raise ToolMissingError(f"Cannot run {self.cmd[0]}. " + _INSTALL_HINT) from None
        except subprocess.TimeoutExpired:
            raise ConversionError(
                f"the Open XML validator did not finish within {self.timeout:.0f} s", file=str(path)
            ) from None
        if proc.returncode == 0:
            try:
                found = json.loads(proc.stdout or "[]")
            except ValueError:
                raise ToolMissingError(
                    f"`{' '.join(self.cmd)}` did not print JSON; is it {BIN_NAME}? " + _INSTALL_HINT
                ) from None
            return [format_error(e) for e in found]
        reasons = [ln[len("Error: ") :] for ln in proc.stderr.splitlines() if ln.startswith("Error: ")]
        if reasons:
            return _fatal(reasons[0])
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise ToolMissingError(
            f"The Open XML validator failed (exit {proc.returncode}: {tail or 'no message'}). " + _INSTALL_HINT
        )

    # -- public --------------------------------------------------------------------------
    def validate(self, path: str | os.PathLike[str]) -> list[str]:
        """Human-readable errors in one package; an empty list means valid."""
        path = Path(path)
        _check_input(path)
        fmt = _format_of(path)
        with self._lock:
            if self._entry is not None:
                return self._via_server(path, fmt)
            return self._via_cli(path, fmt)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                if proc.stdin:
                    proc.stdin.close()
            except OSError:
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            reader, self._reader = self._reader, None
            if reader is not None:
                reader.join(timeout=10)  # it ends at end of output; then its pipe can close
            if proc.stdout:
                proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def __enter__(self) -> Validator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def validate_package(path: str | os.PathLike[str], *, office_version: str = "Microsoft365") -> list[str]:
    """Validate one package; return human-readable errors (empty list = valid).

    Raises :class:`ToolMissingError` when the validator is not installed and
    :class:`InputError` when ``path`` does not exist.
    """
    with Validator(office_version=office_version) as v:
        return v.validate(path)


def validate_packages(
    paths: Iterable[str | os.PathLike[str]], *, office_version: str = "Microsoft365"
) -> dict[Path, list[str]]:
    """Validate many packages with one validator process; errors by path."""
    with Validator(office_version=office_version) as v:
        return {Path(p): v.validate(p) for p in paths}
