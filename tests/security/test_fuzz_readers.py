"""Property tests over the readers: CSV, JSON (deep nesting included), the package reader, file names.

Every example must end in a result or a deckgen error (never another exception), within a time
bound; the memory bound is checked on the worst shapes in a child process (test_package.py,
test_csv.py). ``DECKGEN_FUZZ_EXAMPLES`` raises the number of examples for a longer fuzzing run.
"""

from __future__ import annotations

import io
import json
import time
import unicodedata
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deckgen.engine.opc import read_package
from deckgen.errors import DeckgenError
from deckgen.load.table import open_table
from deckgen.load.table.jsondepth import TOO_DEEP, prune_deep_items
from deckgen.naming import MAX_NAME_BYTES, slugify
from tests.security.fuzzing import FUZZ

SECONDS = 5.0  # one example, whatever its shape

CSV_ALPHABET = st.sampled_from(list(',;\t"\r\n\x00 aZé中\u202e\ufeff\u3164=+-@') + ["\ud800"])


def read_all(path) -> None:
    started = time.monotonic()
    try:
        for _ in open_table(path):
            pass
    except DeckgenError:
        pass
    assert time.monotonic() - started < SECONDS


@pytest.mark.slow
@FUZZ
@given(text=st.text(CSV_ALPHABET, max_size=400), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_any_csv_reads_or_fails_with_a_deckgen_error(tmp_path_factory, text, encoding):
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_bytes(text.encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace"))
    read_all(path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@pytest.mark.slow
@FUZZ
@given(items=st.lists(JSON_VALUES, max_size=6), depth=st.integers(0, 3000), wrap=st.booleans())
def test_any_json_list_reads_or_fails_with_a_deckgen_error(tmp_path_factory, items, depth, wrap):
    text = json.dumps(items)
    if depth:
        text = text[:-1] + ("," if items else "") + "[" * depth + "]" * depth + "]"
    if wrap:
        text = '{"prospects": ' + text + "}"
    path = tmp_path_factory.mktemp("json") / "x.json"
    path.write_text(text, encoding="utf-8")
    read_all(path)


@FUZZ
@given(value=JSON_VALUES)
def test_pruning_leaves_ordinary_json_as_it_was(value):
    text = json.dumps([value, {"company": "x"}])
    assert prune_deep_items(text) == text


@FUZZ
@given(depth=st.integers(66, 5000), before=st.integers(0, 3))
def test_pruning_replaces_only_the_deep_item(depth, before):
    items = [json.dumps({"company": f"c{i}"}) for i in range(before)]
    text = "[" + ",".join([*items, "[" * depth + "]" * depth, '{"company": "last"}']) + "]"
    data = json.loads(prune_deep_items(text))
    assert data[before] == TOO_DEEP and data[-1] == {"company": "last"} and len(data) == before + 2


@FUZZ
@given(st.text(max_size=400))
def test_any_text_slugifies_to_a_short_visible_name(text):
    slug = slugify(text)
    assert slug and len(slug.encode("utf-8")) <= MAX_NAME_BYTES
    assert "/" not in slug and "\\" not in slug and not slug.startswith(".")
    assert any(unicodedata.category(ch)[0] in "LN" for ch in slug)


def _small_package() -> bytes:
    import tempfile
    from pathlib import Path

    from tests.engine.builders import TemplateBuilder

    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "{{ prospect.company }}")
    with tempfile.TemporaryDirectory() as tmp:
        return (b.save(Path(tmp) / "tpl") / "template.pptx").read_bytes()


PACKAGE = _small_package()


@pytest.mark.slow
@FUZZ
@given(
    cuts=st.lists(st.tuples(st.integers(0, len(PACKAGE) - 1), st.integers(0, 255)), min_size=1, max_size=8),
    truncate=st.one_of(st.none(), st.integers(0, len(PACKAGE))),
)
def test_a_damaged_package_is_read_or_refused_with_a_deckgen_error(cuts, truncate):
    data = bytearray(PACKAGE)
    for offset, byte in cuts:
        data[offset] = byte
    if truncate is not None:
        data = data[:truncate]
    started = time.monotonic()
    try:
        read_package(bytes(data), "fuzz.pptx")
    except DeckgenError:
        pass
    assert time.monotonic() - started < SECONDS


@FUZZ
@given(
    name=st.sampled_from(["ppt/slides/_rels/slide1.xml.rels", "ppt/slides/_rels/slide1.xml.RELS"]),
    attr=st.sampled_from(["link", "embed", "id"]),
    target=st.sampled_from(["http://127.0.0.1/x.png", "https://e.example/x", "file:///etc/passwd"]),
)
def test_a_loaded_outside_target_never_passes_the_package_reader(name, attr, target):
    src = zipfile.ZipFile(io.BytesIO(PACKAGE))
    items = {i.filename: src.read(i) for i in src.infolist()}
    rels = items.pop("ppt/slides/_rels/slide1.xml.rels")
    items[name] = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'hyperlink" Target="' + target.encode() + b'" TargetMode="External"/></Relationships>',
    )
    tag = b"a:blip" if attr != "id" else b"p:oleObj"
    items["ppt/slides/slide1.xml"] = items["ppt/slides/slide1.xml"].replace(
        b"</p:spTree>", b"<p:sp><" + tag + b" r:" + attr.encode() + b'="rId90"/></p:sp></p:spTree>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in items.items():
            z.writestr(n, d)
    with pytest.raises(DeckgenError):
        read_package(out.getvalue(), "linked.pptx")
