"""Shared helpers for the security tests: hostile files built in tmp_path, the CLI, isolated runs."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from deckgen.cli import cli
from deckgen.resources import examples_dir
from tests.engine.builders import TemplateBuilder

PROFILE = examples_dir() / "profile.yaml"
DATE = "2026-11-25"
REPO = Path(__file__).resolve().parents[2]
SLIDE_RELS = "ppt/slides/_rels/slide1.xml.rels"
LAYOUT = "ppt/slideLayouts/slideLayout2.xml"
LAYOUT_RELS = "ppt/slideLayouts/_rels/slideLayout1.xml.rels"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


# --------------------------------------------------------------------------- templates


def template(
    tmp_path: Path,
    mutate: Callable[[dict[str, bytes]], None] | None = None,
    methods: dict[str, int] | None = None,
    text: str = "{{ prospect.company }}",
) -> Path:
    """A one-slide template folder whose package members ``mutate`` may change (name -> bytes).

    ``methods`` gives a member its own compression (``zipfile.ZIP_BZIP2``, ``ZIP_LZMA``).
    """
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", text)
    folder = b.save(tmp_path / "tpl")
    if mutate is None and methods is None:
        return folder
    pptx = folder / "template.pptx"
    with zipfile.ZipFile(pptx) as z:
        members = [(i.filename, z.read(i)) for i in z.infolist()]
    items = dict(members)
    if mutate is not None:
        mutate(items)
    write_zip(pptx, list(items.items()), methods)
    return folder


def write_zip(path: Path, members: list[tuple[str, bytes]], methods: dict[str, int] | None = None) -> None:
    methods = methods or {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some tests want
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members:
                z.writestr(name, data, compress_type=methods.get(name, zipfile.ZIP_DEFLATED))


def add_rel(items: dict[str, bytes], rels: str, rid: str, kind: str, target: str, external: bool = True) -> None:
    """Add a relationship to a .rels member; ``kind`` is a full type URI or the last part of an Office one."""
    mode = ' TargetMode="External"' if external else ""
    rtype = kind if "://" in kind else RT + kind
    items[rels] = items[rels].replace(
        b"</Relationships>",
        f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"{mode}/></Relationships>'.encode(),
    )


def small_context(company: str = "Acme") -> dict:
    return {
        "prospect": {"company": company},
        "msp": {"name": "Ridgeline", "sales_contact": {"name": "Dana"}},
        "locale": "en-US",
        "currency": "USD",
    }


# --------------------------------------------------------------------------- raw zips


def raw_zip(members: list[tuple[str, bytes, int, int, int]], listed: int | None = None) -> bytes:
    """A zip from (name, stored-or-deflated bytes, method, declared uncompressed size, CRC).

    Lets a test declare sizes the data doesn't have (a lying header) without zipfile correcting them;
    ``listed`` is the member count the end record claims.
    """
    out, central = bytearray(), bytearray()
    for name, data, method, size, crc in members:
        encoded = name.encode()
        offset = len(out)
        out += (
            struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 33, crc, len(data), size, len(encoded), 0)
            + encoded
            + data
        )
        central += (
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                33,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    cd_offset = len(out)
    count = min(len(members), 0xFFFF) if listed is None else listed
    out += central + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), cd_offset, 0)
    return bytes(out)


def stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    return name, data, zipfile.ZIP_STORED, len(data), zlib.crc32(data)


def zeros_member(name: str, n: int, declared: int | None = None) -> tuple[str, bytes, int, int, int]:
    """``n`` zero bytes, raw-deflated a MiB at a time (never held uncompressed), declared as ``declared``."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1024 * 1024)
    parts, crc = [], 0
    for size in [len(chunk)] * (n // len(chunk)) + [n % len(chunk)]:
        parts.append(comp.compress(chunk[:size]))
        crc = zlib.crc32(chunk[:size], crc)
    parts.append(comp.flush())
    return name, b"".join(parts), zipfile.ZIP_DEFLATED, n if declared is None else declared, crc


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


# --------------------------------------------------------------------------- decks


def xml_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels"))}


def assert_clean_deck(data: bytes) -> None:
    """No Excel-style escapes, no tags left, and every XML part well-formed (lxml parses it)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name, xml in xml_parts(data).items():
        assert b"_x00" not in xml, name
        assert b"{{" not in xml and b"{%" not in xml, name
        etree.fromstring(xml, parser)


def build_cli(tmp_path: Path, prospect: Path, *extra: str, out: Path | None = None):
    """Run ``deckgen build`` on the example profile; returns (click result, deck path)."""
    out = out or tmp_path / "deck.pptx"
    result = CliRunner().invoke(
        cli,
        ["build", "--profile", str(PROFILE), "--prospect", str(prospect), "--out", str(out), "--date", DATE, *extra],
    )
    return result, out


# --------------------------------------------------------------------------- isolated runs


def run_isolated(code: str, *, timeout: float = 120, memory_mb: int | None = None):
    """Run ``code`` in a fresh Python (repo on the path) and return the JSON it prints last.

    ``memory_mb`` caps the child's address space that far above what it uses after its imports,
    so a protection that is missing shows up as a MemoryError, not as a machine out of memory.
    """
    if sys.platform != "linux":
        pytest.skip("isolated resource measurements use Linux's /proc and setrlimit")
    prelude = textwrap.dedent(f"""
        import json, resource, sys
        sys.path.insert(0, {str(REPO)!r})
        def _vm_bytes():
            for line in open("/proc/self/status"):
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
        def cap_memory(mb):
            limit = _vm_bytes() + mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
        def peak_mb():
            # this process's peak resident size. Not getrusage's ru_maxrss: Linux carries the parent's
            # peak over into it across fork and exec, so a child of a big pytest starts "big".
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        def reset_peak():
            # start the peak from the current size, not from the imports
            try:
                with open("/proc/self/clear_refs", "w") as fh:
                    fh.write("5")
            except OSError:
                pass
        MEMORY_MB = {memory_mb!r}
    """)
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    proc = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=str(REPO),
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert proc.returncode == 0 and lines, f"child failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return json.loads(lines[-1])


def call_in_child(module: str, function: str, path, error: str) -> dict:
    """``module.function(path)`` in a fresh process: its outcome (the ``error``'s message, or "ok")
    and how much its peak memory grew while it ran."""
    return run_isolated(f"""
        from {module} import {function}
        from deckgen.errors import {error}
        reset_peak()
        before = peak_mb()
        try:
            {function}({str(path)!r})
            outcome = "ok"
        except {error} as exc:
            outcome = str(exc)
        print(json.dumps({{"outcome": outcome, "growth_mb": peak_mb() - before}}))
    """)


class FailingFile:
    """A file object whose writes fail with ``exc``, after writing half of the data if ``half``."""

    def __init__(self, fh, exc: BaseException, half: bool = False):
        self.fh, self.exc, self.half = fh, exc, half

    def write(self, data):
        if self.half:
            self.fh.write(data[: len(data) // 2])
            self.fh.flush()
        raise self.exc

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()
