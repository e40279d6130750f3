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
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024  # the zip's central directory (3,000 members need well under 1 MiB)
# The only links a template may keep to something outside the package: web and mail hyperlinks.
_EXTERNAL_OK_SCHEMES = ("http://", "https://", "mailto:")
_REFUSED_RELS = {"vbaProject": "macros (a VBA project)", "activeXControl": "an ActiveX control",
                 "control": "an ActiveX control", "activeXControlBinary": "an ActiveX control"}

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
    _check_directory(p, size, label)
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeInputError(f"not a PowerPoint file (not a valid zip package: {exc})", file=label) from None
    with zf, open(p, "rb") as fh:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeInputError(f"package has {len(infos)} members; the limit is {MAX_MEMBERS}", file=label)
        members: dict[str, Member] = {}
        seen: set[str] = set()  # names as a case-insensitive file system sees them
        total = 0
        for info in infos:
            name = info.filename
            _check_member(info, label)
            if name.lower() in seen:
                raise UnsafeInputError(f"package has a duplicate member '{name}'", file=label)
            seen.add(name.lower())
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
    _check_xml_members(pkg)
    _check_relationships(pkg)
    return pkg


def _check_directory(p: Path, size: int, label: str) -> None:
    """Refuse a zip whose central directory lists too many members, before zipfile parses it.

    zipfile builds an object per member before anyone can count them: a 128 MiB file of empty
    members would cost gigabytes of memory. The end-of-directory record says how many there are.
    """
    with open(p, "rb") as fh:
        tail_start = max(0, size - (22 + 65535 + 20 + 56))
        fh.seek(tail_start)
        tail = fh.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) - end < 22:
            return  # not a zip: zipfile says so with its own message
        count, cd_size = struct.unpack("<xxxxxxxxxxHI", tail[end:end + 16])
        locator = end - 20
        if (count == 0xFFFF or cd_size == 0xFFFFFFFF) and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
            (z64_offset,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
            fh.seek(z64_offset)
            record = fh.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                count, cd_size = struct.unpack("<QQ", record[32:48])
    if count > MAX_MEMBERS:
        raise UnsafeInputError(f"package has {count} members; the limit is {MAX_MEMBERS}", file=label)
    if cd_size > MAX_DIRECTORY_BYTES:
        raise UnsafeInputError(f"package's zip directory is larger than {MAX_DIRECTORY_BYTES // (1024 * 1024)} MiB",
                               file=label)


def _check_xml_members(pkg: Package) -> None:
    """Read every XML part once, in bounded chunks: no DOCTYPE or ENTITY anywhere, sizes and CRCs right.

    Parts deckgen never parses (layouts, masters, charts it doesn't touch) are copied into every
    deck as they are, so they are checked here, not only when read.
    """
    needles = [n.encode(enc) for n in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    keep = max(len(n) for n in needles) - 1
    for m in pkg.members.values():
        if not m.name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        crc, size, carry = 0, 0, b""
        for chunk in _chunks(m, pkg.source):
            size += len(chunk)
            crc = zlib.crc32(chunk, crc)
            window = carry + chunk
            if any(n in window for n in needles):
                raise UnsafeInputError(f"part '{m.name}' declares a DOCTYPE or ENTITY, which is not allowed",
                                       file=pkg.source)
            carry = window[-keep:]
        if size != m.size or crc != m.crc:
            raise UnsafeInputError(f"package member '{m.name}' is corrupt", file=pkg.source)


def _chunks(m: Member, source: str, step: int = 256 * 1024):
    """Yield a member's uncompressed bytes a chunk at a time, never more than its zip entry declares."""
    if m.method == zipfile.ZIP_STORED:
        for start in range(0, len(m.data), step):
            yield m.data[start:start + step]
        return
    inflate = zlib.decompressobj(-15)
    produced = 0
    for start in range(0, len(m.data), step):
        data = m.data[start:start + step]
        while data:
            out = inflate.decompress(data, step)
            produced += len(out)
            if produced > m.size:
                raise UnsafeInputError(f"package member '{m.name}' is larger than its zip entry says", file=source)
            yield out
            data = inflate.unconsumed_tail
            if inflate.eof:
                return


def _check_relationships(pkg: Package) -> None:
    """Refuse links that reach outside the package and parts that run code.

    A deck built from the template goes to prospects: a picture or object linked to
    ``\\\\server\\share`` or ``file:///`` would make their PowerPoint fetch it (and leak the
    user's Windows credentials), a chart linked to an outside workbook would open it. Web and
    mail hyperlinks are kept.
    """
    from deckgen.engine.xmlutil import parse_xml

    for name in pkg.names():
        if not name.endswith(".rels"):
            continue
        root = parse_xml(pkg.read(name), name, pkg.source)
        for rel in root:
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if kind in _REFUSED_RELS:
                raise UnsafeInputError(f"the file contains {_REFUSED_RELS[kind]} ({name}); remove it and save "
                                       "the template again", file=pkg.source)
            if rel.get("TargetMode") != "External":
                continue
            if kind == "hyperlink" and target.lower().startswith(_EXTERNAL_OK_SCHEMES):
                continue
            what = "a hyperlink" if kind == "hyperlink" else f"an external {kind}"
            raise UnsafeInputError(f"{_part_of(name)} has {what} to '{target[:200]}' outside the file; embed it "
                                   "or remove the link (only http, https and mailto links are kept)",
                                   file=pkg.source)


def _part_of(rels: str) -> str:
    """``ppt/slides/_rels/slide1.xml.rels`` → ``part 'ppt/slides/slide1.xml'``."""
    folder, _, base = rels.rpartition("_rels/")
    return f"part '{folder}{base[:-len('.rels')]}'" if base.endswith(".rels") and base != ".rels" else "the package"


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


def stored_member(name: str, data: bytes) -> Member:
    """Make a member stored without compression (for data that is compressed already)."""
    return Member(name, zipfile.ZIP_STORED, zlib.crc32(data), len(data), data)


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
