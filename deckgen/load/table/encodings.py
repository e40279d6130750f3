"""How a text export is decoded: BOMs, UTF-8, UTF-16/32, Windows-1252, and refusing the rest.

UTF-8 with or without BOM, UTF-16/32 from their BOM, Windows-1252 when the bytes are
not UTF-8 but are plausible Western-European text (never a silent guess otherwise).
The whole file is scanned before the first row is read, so a failure names its line
and no row is yielded from a file that cannot be read faithfully.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import InputError

_CHUNK = 1024 * 1024

ENCODING_HELP = (
    'save it from Excel as "CSV UTF-8", or name the encoding, e.g. --encoding cp1252 '
    "(Western European Windows), mac_roman (Excel for Mac), cp1250 (Central European), cp1251 (Cyrillic), "
    "gbk (Simplified Chinese), big5 (Traditional Chinese), shift_jis (Japanese)"
)

_BOMS = (
    # (BOM, codec for reading with the BOM stripped, BOM-less codec used for scanning)
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)


@dataclass
class TextEncoding:
    """How a text file is decoded."""

    codec: str  # what open() uses
    name: str  # what we report
    note: str | None = None  # a warning worth showing


@dataclass
class _ScanResult:
    """Where decoding a whole file failed, and where its first NUL is (None: nowhere)."""

    error_offset: int | None = None
    error_line: int | None = None
    error_bytes: bytes = b""
    nul_line: int | None = None


def _family(name: str) -> str:
    """'utf-8', 'utf-16' or 'utf-32' for a codec of that family; else the codec's canonical name."""
    name = codecs.lookup(name).name
    for fam in ("utf-8", "utf-16", "utf-32"):
        if name.startswith(fam):
            return fam
    return name


def choose_encoding(p: Path, label: str, requested: str | None) -> TextEncoding:
    """Decide how to decode a text file; scan it whole so no row is yielded before a failure."""
    with open(p, "rb") as fh:
        head = fh.read(4)
    bom = next((b for b in _BOMS if head.startswith(b[0])), None)

    if requested:
        try:
            info = codecs.lookup(requested)
        except (LookupError, ValueError, TypeError):
            raise InputError(
                f"unknown encoding '{requested[:80]}'; use e.g. utf-8, utf-16, cp1252 or latin-1", file=label
            ) from None
        if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib, hex…: not a text encoding
            raise InputError(
                f"'{requested[:80]}' is not a text encoding; use e.g. utf-8, utf-16, cp1252 or latin-1", file=label
            )
        canonical = info.name
        if bom and _family(bom[2]) == _family(canonical):
            codec, scan_codec, skip, name = bom[1], bom[2], len(bom[0]), bom[1]
        elif bom:
            raise InputError(
                f"starts with a {bom[2].upper()[:6]} byte-order mark, so it is not {canonical}; leave out --encoding "
                "(the mark says how to read the file)",
                file=label,
            )
        elif canonical in ("utf-16", "utf-32"):  # no BOM: Python's codec refuses the stream; the bytes say the order
            codec = scan_codec = name = _byte_order(p, canonical)
            skip = 0
        else:
            codec, scan_codec, skip, name = canonical, canonical, 0, canonical
        try:
            result = _scan(p, scan_codec, skip)
        except UnicodeError as exc:  # not a decoding error at a byte (idna and the like): the codec refuses the text
            raise InputError(
                f"cannot be read as {name} ({exc}); check the encoding ({ENCODING_HELP})", file=label
            ) from None
        if result.error_offset is not None:
            raise InputError(
                f"cannot be read as {name}: {_describe_bad(result)} is not valid in that encoding; "
                f"check the encoding ({ENCODING_HELP})",
                file=label,
                line=result.error_line,
            )
        # NUL characters in text decoded as the user said: the rows holding them fail, not the file
        return TextEncoding(codec, name)

    if bom:
        result = _scan(p, bom[2], len(bom[0]))
        if result.error_offset is not None:
            raise InputError(
                f"starts with a {bom[2].upper()[:6]} byte-order mark but {_describe_bad(result)} is not "
                f"valid {bom[2].upper()}; the file is damaged or mixes encodings ({ENCODING_HELP})",
                file=label,
                line=result.error_line,
            )
        return TextEncoding(bom[1], bom[1])

    result = _scan(p, "utf-8", 0)
    if result.error_offset is None:
        if result.nul_line is not None:
            _refuse_nul(p, label, result.nul_line)
        return TextEncoding("utf-8", "utf-8")
    if result.nul_line is not None and result.nul_line <= (result.error_line or 0):
        _refuse_nul(p, label, result.nul_line)
    if _mac_line_ends(p):
        if result.nul_line is not None:
            _refuse_nul(p, label, result.nul_line)
        return TextEncoding(
            "mac_roman",
            "mac_roman",
            note=(
                "not UTF-8, with Mac line ends (CR only); read as Mac Roman, the encoding Excel for Mac uses for "
                '"Comma Separated Values (.csv)"; if names look wrong, pass --encoding'
            ),
        )
    _check_cp1252_plausible(p, label, result)
    return TextEncoding(
        "cp1252",
        "cp1252",
        note=(
            f"not UTF-8 (first at line {result.error_line}); read as Windows-1252 (cp1252), the encoding "
            'Excel uses for "CSV (Comma delimited)"; if names look wrong, pass --encoding'
        ),
    )


def _mac_line_ends(p: Path) -> bool:
    """Whether lines end in CR alone (Excel for Mac's CSV and text formats; Windows ends them in CR LF)."""
    with open(p, "rb") as fh:
        head = fh.read(_CHUNK)
    return b"\r" in head and b"\n" not in head


def _byte_order(p: Path, family: str) -> str:
    """'utf-16-le' or 'utf-16-be' (or the utf-32 ones) for a file without a byte-order mark: text is mostly
    characters below U+0100, whose zero byte comes second in little-endian order."""
    with open(p, "rb") as fh:
        head = fh.read(4096)
    if family == "utf-32":
        return "utf-32-be" if head[:2] == b"\0\0" else "utf-32-le"
    return "utf-16-be" if head[0::2].count(0) > head[1::2].count(0) else "utf-16-le"


def _describe_bad(result: _ScanResult) -> str:
    """``bytes 0xC3 0x28 on line 4 (byte offset 97)``: where a scan failed, as the error says it."""
    shown = " ".join(f"0x{b:02X}" for b in result.error_bytes[:4]) or "the end of the file"
    noun = "byte" if len(result.error_bytes) <= 1 else "bytes"
    return f"{noun} {shown} on line {result.error_line} (byte offset {result.error_offset})"


def _scan(p: Path, codec: str, skip: int) -> _ScanResult:
    """Decode the whole file in chunks: where does decoding fail, where is the first NUL?"""
    out = _ScanResult()
    decoder = codecs.getincrementaldecoder(codec)("strict")
    newlines = 0
    pos = skip
    with open(p, "rb") as fh:
        fh.seek(skip)
        while True:
            chunk = fh.read(_CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                data = exc.object
                pending = len(data) - len(chunk)  # bytes carried over from the previous chunk
                out.error_offset = pos - pending + exc.start
                before = codecs.decode(bytes(data[: exc.start]), codec, "replace")
                out.error_line = newlines + before.count("\n") + 1
                out.error_bytes = bytes(data[exc.start : exc.end])
                if out.nul_line is None and "\x00" in before:
                    out.nul_line = newlines + before.count("\n", 0, before.index("\x00")) + 1
                return out
            if out.nul_line is None and "\x00" in text:
                out.nul_line = newlines + text.count("\n", 0, text.index("\x00")) + 1
            newlines += text.count("\n")
            if final:
                return out
            pos += len(chunk)


_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def _check_cp1252_plausible(p: Path, label: str, utf8: _ScanResult) -> None:
    """Raise unless the bytes read as Windows-1252 look like Western-European text.

    Refused: bytes Windows-1252 does not define; valid UTF-8 sequences next to
    invalid ones (a file mixing encodings); long runs of non-ASCII bytes (what
    Cyrillic, Greek or Chinese single/double-byte encodings look like; in
    French, German or Spanish text accented letters stand mostly alone).
    """
    high = long_run = utf8_bytes = 0
    first_undefined = first_utf8 = first_run = None  # (line, sample)
    newlines = 0
    with open(p, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            if b"\x00" in chunk:
                _refuse_nul(p, label, newlines + chunk.count(b"\n", 0, chunk.index(b"\x00")) + 1)
            if first_undefined is None and (m := _CP1252_UNDEFINED.search(chunk)):
                first_undefined = (newlines + chunk.count(b"\n", 0, m.start()) + 1, m.group())
            for m in _UTF8_SEQ.finditer(chunk):
                utf8_bytes += len(m.group())
                if first_utf8 is None:
                    first_utf8 = (newlines + chunk.count(b"\n", 0, m.start()) + 1, m.group())
            for m in _HIGH_RUN.finditer(chunk):
                n = len(m.group())
                high += n
                if n >= 3:
                    long_run += n
                    if first_run is None:
                        first_run = (newlines + chunk.count(b"\n", 0, m.start()) + 1, m.group()[:12])
            newlines += chunk.count(b"\n")

    where = (
        f"byte 0x{utf8.error_bytes[0]:02X} on line {utf8.error_line}" if utf8.error_bytes else f"line {utf8.error_line}"
    )

    def mixed() -> InputError:
        return InputError(
            f"mixes encodings: line {first_utf8[0]} holds UTF-8 text but {where} is not UTF-8. "
            "Re-save the file as CSV UTF-8, or pass --encoding cp1252 to read it all as "
            "Windows-1252",
            file=label,
            line=utf8.error_line,
        )

    if first_undefined is not None:
        raise InputError(
            f"is not UTF-8 ({where} is invalid) and not Windows-1252 either (byte "
            f"0x{first_undefined[1][0]:02X} on line {first_undefined[0]} is unused in cp1252); "
            f"{ENCODING_HELP}",
            file=label,
            line=utf8.error_line,
        )
    if first_utf8 is not None and utf8_bytes * 2 >= high:
        raise mixed()
    if first_run is not None and long_run * 10 >= high * 3:
        sample = first_run[1].decode("cp1252", "replace")
        raise InputError(
            f"is not UTF-8 ({where} is invalid) and does not look like Western-European "
            f"Windows-1252 text either (e.g. '{sample}' on line {first_run[0]} suggests Cyrillic, "
            f"Greek or East-Asian text); {ENCODING_HELP}",
            file=label,
            line=utf8.error_line,
        )
    if first_utf8 is not None:
        raise mixed()


def _refuse_nul(p: Path, label: str, line: int) -> None:
    """Refuse a file whose NUL bytes say it isn't text in this encoding (UTF-16 without a BOM, a binary file).

    A stray NUL or two in a text export (a CRM that wrote a control character) is the business of the
    rows that hold them: each such row fails alone (see :mod:`deckgen.load.table.csvfile`).
    """
    with open(p, "rb") as fh:
        head = fh.read(4096)
    pairs = max(1, len(head) // 2)
    odd = sum(1 for i in range(1, len(head), 2) if head[i] == 0)
    even = sum(1 for i in range(0, len(head), 2) if head[i] == 0)
    if odd * 10 >= pairs * 4 and odd > even:
        hint = 'it looks like UTF-16 without a byte-order mark (Excel\'s "Unicode Text"): pass --encoding utf-16-le'
    elif even * 10 >= pairs * 4:
        hint = "it looks like UTF-16 without a byte-order mark: pass --encoding utf-16-be"
    elif (odd + even) * 100 >= len(head) and odd + even >= 8:
        hint = "this is not a text export; export the list again as CSV UTF-8 or .xlsx"
    else:
        return
    raise InputError(f"contains NUL bytes (first on line {line}); {hint}", file=label, line=line)
