"""LibreOffice itself: finding ``soffice`` and running it headless, one private profile per instance.

:class:`HeadlessOffice` starts LibreOffice in deckgen's own process group (so a signal to deckgen's
group, from a terminal, a job runner or ``kill -- -PGID``, reaches it too) with a throw-away profile
and a watchdog: when a conversion goes ``timeout`` seconds without writing anything, LibreOffice and
every process it started are killed. It runs without network access: in a network namespace of its
own where the system allows one (``unshare -rn``), and always with a profile that blocks links to
outside documents and sends any web request to a proxy that isn't there. Which decks to convert, and
what a failure means for them, is :mod:`deckgen.export.pdf`'s business.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from deckgen.errors import ToolMissingError

SOFFICE_ENV = "DECKGEN_SOFFICE"
DEFAULT_TIMEOUT = 120.0  # seconds without progress before a conversion counts as hung

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

SofficeCommand = str | os.PathLike[str] | Sequence[str]


def find_soffice() -> str:
    """Return the LibreOffice program, or raise :class:`ToolMissingError` saying how to install it."""
    override = os.environ.get(SOFFICE_ENV, "").strip()
    if override:
        found = shutil.which(override)
        if found:
            return found
        raise ToolMissingError(
            f"{SOFFICE_ENV} is set to {override!r}, which is not a program that can be run. " + SOFFICE_INSTALL_HINT
        )
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for loc in _SOFFICE_LOCATIONS:
        if os.path.isfile(loc) and os.access(loc, os.X_OK):
            return loc
    raise ToolMissingError(
        "LibreOffice (soffice) is needed to make PDFs and previews but was not found. " + SOFFICE_INSTALL_HINT
    )


def soffice_command(soffice: SofficeCommand | None) -> list[str]:
    """Return ``soffice`` as a command list; :func:`find_soffice` when it is None."""
    if soffice is None:
        command = [find_soffice()]
    elif isinstance(soffice, (str, os.PathLike)):
        command = [os.fspath(soffice)]
    else:
        command = [os.fspath(part) for part in soffice]
    if not command:
        raise ValueError("soffice command is empty")
    return command


class HeadlessOffice:
    """One headless LibreOffice at a time, with its own profile under ``home``.

    :meth:`convert_to_pdf` returns ``(status, detail)``: status ``"ok"`` (it exited 0),
    ``"timeout"`` (killed by the watchdog) or ``"crash"`` (any other exit), detail a short
    reason for the user's message ('' when there is none).
    """

    def __init__(self, command: list[str], *, home: Path, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.command = command
        self.home = home
        self.timeout = float(timeout)
        self.runs = 0  # LibreOffice starts so far (for benchmarks and tests)
        self._profile_no = 0
        self._proc: subprocess.Popen[bytes] | None = None

    def profile(self) -> Path:
        """Return the profile folder the next start uses."""
        return self.home / f"profile-{self._profile_no}"

    def fresh_profile(self) -> None:
        """After a kill the profile may hold a lock or half-written state: start a new one."""
        shutil.rmtree(self.profile(), ignore_errors=True)
        self._profile_no += 1

    def stop(self) -> None:
        """Kill a running LibreOffice and every process it started (no-op when none runs)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        family = _descendants(proc.pid) if proc.poll() is None else []
        for pid in [proc.pid, *family]:
            try:
                if pid == proc.pid:
                    if proc.poll() is None:
                        proc.kill()
                else:
                    os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
            pass

    def convert_to_pdf(self, inputs: list[str], pdf_dir: Path, log_path: Path) -> tuple[str, str]:
        """Run one LibreOffice over ``inputs`` into ``pdf_dir``; return ``(status, detail)``."""
        cmd = [
            *self.command,
            f"-env:UserInstallation={self.profile().resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--nofirststartwizard",
            "--convert-to",
            "pdf:impress_pdf_Export",
            "--outdir",
            str(pdf_dir),
            *inputs,
        ]
        env = dict(os.environ)
        env["TZ"] = "UTC"  # fixes the zone suffix of the PDF dates: see reproducible.normalise_pdf
        for var in _PROXY_VARS:  # anything that still tries the web goes nowhere
            env[var] = _DEAD_PROXY
        env.pop("no_proxy", None)
        env.pop("NO_PROXY", None)
        write_offline_profile(self.profile())
        cmd = [*offline_prefix(), *cmd]
        self.runs += 1
        with open(log_path, "wb") as log:
            try:
                self._proc = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=str(log_path.parent),
                    env=env,
                )
            except OSError as exc:
                raise ToolMissingError(
                    f"cannot start {self.command[0]}: {exc.strerror or exc}. " + SOFFICE_INSTALL_HINT
                ) from None
            proc = self._proc
            try:
                status = self._watch(proc, pdf_dir)
            finally:
                self.stop()  # no-op when it has exited; on Ctrl-C it stops LibreOffice
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
                self.stop()
                return "timeout"


_DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens there
_PROXY_VARS = ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
# Office.Common/Security/Scripting/BlockUntrustedRefererLinks: no linked images or documents from a file
# that isn't in a trusted location; Inet/Settings: every protocol through a proxy that refuses.
_OFFLINE_SETTINGS = (
    ("org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("org.openoffice.Inet/Settings", "ooInetProxyType", "1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "9"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "9"),
    ("org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
)
_OFFLINE_XCU = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + "".join(
        f'<item oor:path="/{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, name, value in _OFFLINE_SETTINGS
    )
    + "</oor:items>\n"
)


def write_offline_profile(profile: Path) -> None:
    """Seed a new LibreOffice profile with settings that keep it off the network (kept when it exists)."""
    xcu = profile / "user" / "registrymodifications.xcu"
    if xcu.exists():
        return
    xcu.parent.mkdir(parents=True, exist_ok=True)
    xcu.write_text(_OFFLINE_XCU, encoding="utf-8")


_OFFLINE_PREFIX: list[str] | None = None


def offline_prefix() -> list[str]:
    """``["unshare", "-rn", "--"]`` where an unprivileged network namespace works here, else ``[]``."""
    global _OFFLINE_PREFIX
    if _OFFLINE_PREFIX is None:
        _OFFLINE_PREFIX = []
        unshare = shutil.which("unshare") if sys.platform.startswith("linux") else None
        if unshare and os.environ.get("DECKGEN_SOFFICE_NETWORK", "") != "1":
            try:
                probe = subprocess.run([unshare, "-rn", "--", "true"], capture_output=True, timeout=10)
                if probe.returncode == 0:
                    _OFFLINE_PREFIX = [unshare, "-rn", "--"]
            except (OSError, subprocess.SubprocessError):
                pass
    return list(_OFFLINE_PREFIX)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first), from /proc; [] where there is no /proc."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _log_hint(log_path: Path) -> str:
    """The last error line LibreOffice printed, for the message ('' when none)."""
    try:
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    errors = [ln.strip() for ln in lines if ln.strip().lower().startswith("error")]
    return f"; LibreOffice said: {errors[-1]}" if errors else ""
