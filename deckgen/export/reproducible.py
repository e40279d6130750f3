"""Byte-for-byte reproducible PDFs: the deck's own date and a content hash instead of the clock.

LibreOffice stamps the conversion time and a random document ID into every PDF. :func:`normalise_pdf`
replaces them with the deck's date (:func:`deck_date`: ``$SOURCE_DATE_EPOCH``, else the deck's
``docProps/core.xml``) and a hash of the rest of the file, so the same deck gives the same PDF.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

_FALLBACK_DATE = datetime(2000, 1, 1, tzinfo=UTC)
_MAX_CORE_XML = 1 << 20  # a core.xml larger than this is not read (it is never legitimately that big)

_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
_CORE_DATE = re.compile(r"<dcterms:(modified|created)\b[^>]*>\s*([^<\s]+)\s*<")


def deck_date(pptx: Path) -> datetime:
    """Return the date a PDF of ``pptx`` should carry: ``$SOURCE_DATE_EPOCH``, else the deck's own."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    try:
        with zipfile.ZipFile(pptx) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > _MAX_CORE_XML:
                return _FALLBACK_DATE
            xml = zf.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return _FALLBACK_DATE
    found = {m.group(1): m.group(2) for m in _CORE_DATE.finditer(xml)}
    for key in ("modified", "created"):
        if key in found:
            try:
                when = datetime.fromisoformat(found[key].replace("Z", "+00:00"))
            except ValueError:
                continue
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return when.astimezone(UTC)
    return _FALLBACK_DATE


def normalise_pdf(data: bytes, when: datetime) -> bytes:
    """Return the PDF with its time-dependent bytes (dates, document ID, checksum) replaced in place.

    Every replacement keeps its length, so the xref offsets stay valid. The ID and
    LibreOffice's ``/DocChecksum`` become a hash of the rest of the file. LibreOffice runs with
    ``TZ=UTC``, so the zone suffix after the date digits is always the same.
    """
    stamp = when.astimezone(UTC).strftime("%Y%m%d%H%M%S").encode("ascii")
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
