"""Reading a template package safely and writing decks deterministically.

Reading checks the zip before anything is parsed: entry count, sizes,
compression ratio and methods, duplicate or unsafe member names, DOCTYPE or
ENTITY declarations, macros. Writing copies unchanged members' compressed
bytes as they are, deflates only the parts that changed, and uses fixed
timestamps and a fixed member order, so the same inputs give the same bytes.
Every write goes to a temporary file in the destination folder and is renamed
into place, so an error or Ctrl-C never leaves a partial file.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import OutputError, UnsafeInputError

MAX_MEMBERS = 3_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed, for members over 1 MiB
MAX_PACKAGE_BYTES = 128 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MACRO_TYPES = (b"macroEnabled", b"vbaProject", b"vbaData")
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0


@dataclass(frozen=True)
class Member:
    """One stored zip member: its compressed bytes as found in the source file."""

    name: str
    method: int
    crc: int
    size: int
    data: bytes  # compressed bytes (or stored bytes when method == 0)

    def content(self) -> bytes:
        """Return the member's uncompressed bytes."""
        if self.method == zipfile.ZIP_STORED:
            return self.data
        out = zlib.decompressobj(-15)
        result = out.decompress(self.data, self.size + 1)
        if len(result) != self.size or zlib.crc32(result) != self.crc:
            raise UnsafeInputError(f"package member '{self.name}' is corrupt")
        return result


class Package:
    """An OOXML package held as members (raw) plus decoded parts on demand."""

    def __init__(self, members: dict[str, Member], source: str) -> None:
        self.members = members
        self.source = source
        self._cache: dict[str, bytes] = {}

    def names(self) -> list[str]:
        return list(self.members)

    def read(self, name: str) -> bytes:
        """Return a member's content; raise KeyError if absent."""
        if name not in self._cache:
            data = self.members[name].content()
            if name.endswith((".xml", ".rels")) and _DOCTYPE.search(data[:4096] if len(data) > 4096 else data):
                raise UnsafeInputError(f"part '{name}' declares a DOCTYPE or ENTITY, which is not allowed",
                                       file=self.source)
            self._cache[name] = data
        return self._cache[name]

    def __contains__(self, name: str) -> bool:
        return name in self.members


def open_package(path: Path | str) -> Package:
    """Open ``path`` as an OOXML package after checking it is safe to read."""
    p = Path(path)
    label = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise UnsafeInputError("file not found", file=label) from None
    if size > MAX_PACKAGE_BYTES:
        raise UnsafeInputError(f"file is larger than {MAX_PACKAGE_BYTES // (1024 * 1024)} MiB", file=label)
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeInputError(f"not a PowerPoint file (not a valid zip package: {exc})", file=label) from None
    with zf, open(p, "rb") as fh:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeInputError(f"package has {len(infos)} members; the limit is {MAX_MEMBERS}", file=label)
        members: dict[str, Member] = {}
        total = 0
        for info in infos:
            name = info.filename
            _check_member(info, label)
            if name in members or name.lower() in {m.lower() for m in members}:
                raise UnsafeInputError(f"package has a duplicate member '{name}'", file=label)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise UnsafeInputError("package expands to more than "
                                       f"{MAX_TOTAL_BYTES // (1024 * 1024)} MiB", file=label)
            if name.endswith("/"):
                continue
            members[name] = Member(name, info.compress_type, info.CRC, info.file_size,
                                   _raw_member_bytes(fh, info, label))
    pkg = Package(members, label)
    _check_content_types(pkg)
    return pkg


def _check_member(info: zipfile.ZipInfo, label: str) -> None:
    name = info.filename
    if name.startswith("/") or "\\" in name or any(part == ".." for part in name.split("/")) or "\x00" in name:
        raise UnsafeInputError(f"package member name '{name}' is not allowed", file=label)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafeInputError(f"package member '{name}' uses an unsupported compression method "
                               f"({info.compress_type}); save the file again from PowerPoint", file=label)
    if info.flag_bits & 0x1:
        raise UnsafeInputError(f"package member '{name}' is encrypted", file=label)
    if info.file_size > MAX_MEMBER_BYTES:
        raise UnsafeInputError(f"package member '{name}' is larger than "
                               f"{MAX_MEMBER_BYTES // (1024 * 1024)} MiB", file=label)
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise UnsafeInputError(f"package member '{name}' is compressed suspiciously well (zip bomb?)", file=label)
    if name.lower().endswith(("vbaproject.bin", "vbadata.xml")):
        raise UnsafeInputError("the file contains macros (vbaProject.bin); save it as a .pptx or .potx "
                               "without macros", file=label)


def _raw_member_bytes(fh, info: zipfile.ZipInfo, label: str) -> bytes:
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise UnsafeInputError(f"package member '{info.filename}' is truncated or corrupt", file=label)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    data = fh.read(info.compress_size)
    if len(data) != info.compress_size:
        raise UnsafeInputError(f"package member '{info.filename}' is truncated", file=label)
    return data


def _check_content_types(pkg: Package) -> None:
    if "[Content_Types].xml" not in pkg:
        raise UnsafeInputError("not a PowerPoint file ([Content_Types].xml is missing)", file=pkg.source)
    ct = pkg.read("[Content_Types].xml")
    if any(marker in ct for marker in _MACRO_TYPES):
        raise UnsafeInputError("the file is macro-enabled; save it as a .pptx or .potx without macros",
                               file=pkg.source)


# --------------------------------------------------------------------------- writing

def deflate(data: bytes) -> bytes:
    """Raw-deflate ``data`` deterministically."""
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush()


def new_member(name: str, data: bytes) -> Member:
    """Make a deflated member from uncompressed bytes."""
    return Member(name, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), deflate(data))


def zip_bytes(entries: list[tuple[str, Member]]) -> bytes:
    """Serialise members (under the given names) as a zip with fixed timestamps."""
    out = bytearray()
    central = bytearray()
    for name, m in entries:
        encoded = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, m.method, _DOS_TIME, _DOS_DATE,
                           m.crc, len(m.data), m.size, len(encoded), 0)
        out += encoded
        out += m.data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, m.method, _DOS_TIME,
                               _DOS_DATE, m.crc, len(m.data), m.size, len(encoded), 0, 0, 0, 0, 0, offset)
        central += encoded
    cd_offset = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central),
                       cd_offset, 0)
    if len(out) >= 0xFFFFFFFF:
        raise OutputError("the deck would be larger than 4 GiB")
    return bytes(out)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename.

    An error or Ctrl-C leaves the previous file (if any) untouched and no temp file behind.
    """
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=".deckgen-", suffix=".part", dir=folder)
    except FileNotFoundError:
        raise OutputError("output folder does not exist", file=str(folder)) from None
    except PermissionError:
        raise OutputError("output folder is not writable", file=str(folder)) from None
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", file=str(folder)) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
