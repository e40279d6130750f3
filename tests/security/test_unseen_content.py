"""Template content nobody sees in the slide view never ships: comments dropped, alt text filled or warned."""

from __future__ import annotations

import io
import zipfile

from deckgen.check import check_deck
from tests.security.util import SLIDE_RELS, add_rel, build_cli, template

SLIDE = "ppt/slides/slide1.xml"
PRES_RELS = "ppt/_rels/presentation.xml.rels"
SECRET = b"INTERNAL: margin on this deal is 60%"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def with_comments(items: dict[str, bytes]) -> None:
    """A classic comment on slide 1, its author list, and a modern (threaded) comment with its authors."""
    items["ppt/comments/comment1.xml"] = (
        f'<p:cmLst xmlns:p="{P}"><p:cm authorId="0" dt="2026-11-01T10:00:00" idx="1">'
        '<p:pos x="10" y="10"/><p:text>'.encode()
        + SECRET
        + b"</p:text></p:cm></p:cmLst>"
    )
    items["ppt/commentAuthors.xml"] = (
        f'<p:cmAuthorLst xmlns:p="{P}"><p:cmAuthor id="0" name="Sales Manager" initials="SM" lastIdx="1" '
        'clrIdx="0"/></p:cmAuthorLst>'.encode()
    )
    items["ppt/comments/modernComment_100_1.xml"] = (
        b'<p188:cmLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">'
        b"<p188:cm><p188:txBody><a:p xmlns:a='http://schemas.openxmlformats.org/drawingml/2006/main'><a:r><a:t>"
        + SECRET
        + b"</a:t></a:r></a:p></p188:txBody></p188:cm></p188:cmLst>"
    )
    items["ppt/authors.xml"] = (
        b'<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main"/>'
    )
    add_rel(items, SLIDE_RELS, "rId80", "comments", "../comments/comment1.xml", external=False)
    add_rel(
        items,
        SLIDE_RELS,
        "rId81",
        "http://schemas.microsoft.com/office/2018/10/relationships/comments",
        "../comments/modernComment_100_1.xml",
        external=False,
    )
    add_rel(items, PRES_RELS, "rId80", "commentAuthors", "commentAuthors.xml", external=False)
    add_rel(
        items,
        PRES_RELS,
        "rId81",
        "http://schemas.microsoft.com/office/2018/10/relationships/authors",
        "authors.xml",
        external=False,
    )
    ext = (
        b'<p:extLst><p:ext uri="{6950BFC3-D8DA-4A85-94F7-54DA5524770B}">'
        b'<p188:commentRel xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main" r:id="rId81"/>'
        b"</p:ext></p:extLst>"
    )
    items[SLIDE] = items[SLIDE].replace(b"</p:cSld>", b"</p:cSld>" + ext, 1)
    ct = items["[Content_Types].xml"]
    items["[Content_Types].xml"] = ct.replace(
        b"</Types>",
        b'<Override PartName="/ppt/comments/comment1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.presentationml.comments+xml"/>'
        b'<Override PartName="/ppt/commentAuthors.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml"/>'
        b'<Override PartName="/ppt/comments/modernComment_100_1.xml" '
        b'ContentType="application/vnd.ms-powerpoint.comments+xml"/>'
        b'<Override PartName="/ppt/authors.xml" ContentType="application/vnd.ms-powerpoint.authors+xml"/></Types>',
    )


def test_slide_comments_and_their_authors_never_reach_a_deck(tmp_path):
    folder = template(tmp_path, with_comments)
    with zipfile.ZipFile(folder / "template.pptx") as z:
        assert b"</p:ext>" in z.read(SLIDE) and "ppt/comments/comment1.xml" in z.namelist()
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect, "--template", str(folder))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        everything = b"".join(z.read(n) for n in names)
        slide_rels = z.read(SLIDE_RELS)
        slide = z.read(SLIDE)
    assert not [n for n in names if "comment" in n.lower() or n.endswith("authors.xml")], names
    assert SECRET not in everything and b"Sales Manager" not in everything
    assert b"comments" not in slide_rels and b"commentRel" not in slide and b"Acme" in slide
    assert b"commentAuthors" not in everything and b"authors+xml" not in everything
    report = check_deck(out)
    assert not report.errors, [str(e) for e in report.errors]


# --------------------------------------------------------------------------- alt text and chart caches


def _alt_text_and_chart_template(tmp_path, descr: str = "Logo of {{ prospect.company }}"):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    from tests.engine.builders import TemplateBuilder, png

    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "{{ prospect.company }}")
    pic = b.picture("Photo", png(tmp_path / "photo.png"))
    pic._element.nvPicPr.cNvPr.set("descr", descr)
    pic._element.nvPicPr.cNvPr.set("title", "{{ prospect.company }} & partners")
    data = CategoryChartData()
    data.categories = ["{{ prospect.company }} today", "with us"]
    data.add_series("Spend at {{ prospect.company }}", (1, 2))
    frame = b.slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(4), Inches(3), data)
    frame.name = "Unbound chart"
    return b


def test_tags_in_alt_text_and_in_an_unbound_chart_cache_are_filled():
    import tempfile
    from pathlib import Path

    from deckgen import engine
    from tests.engine.builders import compile_in_memory
    from tests.security.util import assert_clean_deck, small_context, xml_parts

    with tempfile.TemporaryDirectory() as tmp:
        b = _alt_text_and_chart_template(Path(tmp))
    compiled = compile_in_memory(b)
    deck = engine.render(compiled, small_context("Bell & Sons")).data
    parts = xml_parts(deck)
    slide = parts[SLIDE]
    assert b'descr="Logo of Bell &amp; Sons"' in slide
    assert b'title="Bell &amp; Sons &amp; partners"' in slide
    chart = next(v for k, v in parts.items() if k.startswith("ppt/charts/chart") and not k.endswith(".rels"))
    assert b"Bell &amp; Sons today" in chart and b"Spend at Bell &amp; Sons" in chart
    assert_clean_deck(deck)


def test_a_block_tag_in_alt_text_is_refused_naming_the_shape():
    import tempfile
    from pathlib import Path

    import pytest

    from deckgen.errors import TemplateError
    from tests.engine.builders import compile_in_memory

    with tempfile.TemporaryDirectory() as tmp:
        b = _alt_text_and_chart_template(Path(tmp), descr="{% if prospect.logo %}their logo{% endif %}")
    with pytest.raises(TemplateError) as info:
        compile_in_memory(b)
    assert info.value.slide == 1 and info.value.shape == "Photo" and "alt text" in str(info.value)
