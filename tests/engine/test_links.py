"""Hyperlink addresses with tags are rendered per deck, and only web and mail links reach the deck."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pptx import Presentation
from pptx.util import Inches

from deckgen.engine import render
from deckgen.engine.safety import clean_hyperlink
from deckgen.errors import LinkWarning, RenderError, TemplateError, TemplateFaultError
from tests.engine.builders import TemplateBuilder, compile_in_memory


def context(email="dana@ridgeline.example.com", website="https://www.acme.example.com", **prospect) -> dict:
    return {
        "msp": {"name": "Ridgeline", "sales_contact": {"name": "Dana Reyes", "email": email}},
        "prospect": {"company": "Acme", "website": website, **prospect},
        "locale": "en-US",
        "currency": "USD",
    }


def contact_slide(address: str = "mailto:{{ msp.sales_contact.email }}", text: str = "{{ msp.sales_contact.email }}"):
    """One slide: a title run without a link, then a run whose hyperlink address is ``address``."""
    builder = TemplateBuilder()
    builder.new_slide()
    box = builder.slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(1))
    box.name = "Contact"
    para = box.text_frame.paragraphs[0]
    para.add_run().text = "Write to "
    run = para.add_run()
    run.text = text
    run.hyperlink.address = address
    return builder


def build(builder: TemplateBuilder, *contexts: dict):
    compiled = compile_in_memory(builder)
    return [render(compiled, ctx) for ctx in contexts]


def link_of(data: bytes) -> tuple[str, str | None]:
    """(the linked run's text, its address or None) on the first slide."""
    run = Presentation(io.BytesIO(data)).slides[0].shapes[0].text_frame.paragraphs[0].runs[1]
    return run.text, run.hyperlink.address


def slide_rels(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("ppt/slides/_rels/slide1.xml.rels").decode("utf-8")


def test_a_mailto_address_is_rendered_for_each_deck():
    first, second = build(contact_slide(), context(), context(email="sam@ridgeline.example.com"))
    assert link_of(first.data) == ("dana@ridgeline.example.com", "mailto:dana@ridgeline.example.com")
    assert link_of(second.data) == ("sam@ridgeline.example.com", "mailto:sam@ridgeline.example.com")
    assert first.warnings == [] and "{{" not in slide_rels(first.data)


def test_an_address_that_is_only_a_tag_is_rendered():
    (deck,) = build(contact_slide("{{ prospect.website }}", "Your site"), context())
    assert link_of(deck.data) == ("Your site", "https://www.acme.example.com")


def test_a_tag_powerpoint_percent_encoded_in_the_address_is_rendered():
    (deck,) = build(contact_slide("mailto:%7B%7B%20msp.sales_contact.email%20%7D%7D"), context())
    assert link_of(deck.data)[1] == "mailto:dana@ridgeline.example.com"


def test_characters_a_url_may_not_hold_are_percent_encoded():
    (deck,) = build(
        contact_slide("https://{{ prospect.website }}/?q={{ prospect.company }}", "Search"),
        context(website="acme.example.com", company='Acme "Tools" & <Sons> 東'),
    )
    address = link_of(deck.data)[1]
    assert address == "https://acme.example.com/?q=Acme%20%22Tools%22%20&%20%3CSons%3E%20%E6%9D%B1"


def test_an_address_that_renders_empty_removes_the_link_and_keeps_the_text():
    (deck,) = build(contact_slide("mailto:{{ msp.sales_contact.email }}", "Email us"), context(email=""))
    assert link_of(deck.data) == ("Email us", None)
    assert "hyperlink" not in slide_rels(deck.data)
    assert deck.warnings == []  # nothing to tell: there was no address to link


@pytest.mark.parametrize(
    "hostile",
    [
        "javascript:alert(1)",
        " JavaScript:alert(document.cookie)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "\\\\attacker.example.com\\share\\x.pptx",
        "../../secret.xlsx",
        "https://example.com/\x07",
        "https://example.com/\u202egnp.exe",
        "https:///etc/passwd",
    ],
)
def test_a_prospect_field_that_renders_a_hostile_address_never_lands_in_the_deck(hostile, tmp_path):
    from deckgen.check import check_deck

    (deck,) = build(contact_slide("{{ prospect.website }}", "Our site"), context(website=hostile))
    (tmp_path / "deck.pptx").write_bytes(deck.data)
    assert check_deck(tmp_path / "deck.pptx").errors == []  # no reference left to the removed relationship
    assert link_of(deck.data) == ("Our site", None)
    rels = slide_rels(deck.data)
    assert 'TargetMode="External"' not in rels
    assert not re.search(r"javascript|file:|data:|vbscript|attacker|secret|passwd", rels, re.I)
    with zipfile.ZipFile(io.BytesIO(deck.data)) as z:
        assert b"hlinkClick" not in z.read("ppt/slides/slide1.xml")  # no click action left pointing nowhere
    assert [type(w) for w in deck.warnings] == [LinkWarning]
    assert "slide 1: a hyperlink's address came out as" in str(deck.warnings[0])


def test_a_mailto_address_cannot_smuggle_headers_with_a_line_break():
    (deck,) = build(contact_slide(), context(email="dana@ridgeline.example.com\r\nBcc: everyone@example.com"))
    assert link_of(deck.data)[1] is None and "Bcc" not in slide_rels(deck.data)


def test_addresses_without_tags_are_left_exactly_as_they_are():
    builder = contact_slide("https://ridgeline.example.com/a%20b", "Our site")
    (deck,) = build(builder, context())
    assert link_of(deck.data)[1] == "https://ridgeline.example.com/a%20b"


def test_the_same_context_gives_the_same_bytes():
    builder = contact_slide()
    compiled = compile_in_memory(builder)
    assert render(compiled, context()).data == render(compiled, context()).data
    # a dropped link and a kept one alternate without leaking into each other's deck
    dropped = render(compiled, context(email=""))
    again = render(compiled, context())
    assert link_of(dropped.data)[1] is None
    assert again.data == render(compiled, context()).data
    assert link_of(again.data)[1] == "mailto:dana@ridgeline.example.com"


def test_links_in_a_slide_without_text_tags_are_rendered_and_dropped_too():
    builder = contact_slide("{{ prospect.website }}", "Your site")  # the run text has no tag
    compiled = compile_in_memory(builder)
    assert link_of(render(compiled, context()).data) == ("Your site", "https://www.acme.example.com")
    assert link_of(render(compiled, context(website="javascript:alert(1)")).data) == ("Your site", None)


def test_a_link_on_a_repeated_slide_follows_each_item():
    builder = contact_slide("mailto:{{ person.email }}", "{{ person.name }}")
    builder.slide.notes_slide.notes_text_frame.text = "{%slide for person in prospect.decision_makers %}"
    ctx = context(decision_makers=[{"name": "Ann", "email": "ann@acme.example.com"}, {"name": "Bo", "email": ""}])
    (deck,) = build(builder, ctx)
    slides = Presentation(io.BytesIO(deck.data)).slides
    links = [s.shapes[0].text_frame.paragraphs[0].runs[1].hyperlink.address for s in slides]
    assert links == ["mailto:ann@acme.example.com", None]


def test_a_value_missing_from_the_address_names_the_slide():
    compiled = compile_in_memory(contact_slide("mailto:{{ msp.sales_contact.email }}", "Email"))
    ctx = context()
    del ctx["msp"]["sales_contact"]["email"]
    with pytest.raises(RenderError, match=r"slide 1: a hyperlink's address: .*email.*no such value"):
        render(compiled, ctx)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("mailto:{{ msp.sales_contact.email ", "a hyperlink's address: "),  # unclosed
        ("{{ prospct.website }}", "a hyperlink's address: unknown variable 'prospct'"),
        ("mailto:{{ msp.sales_contact.emial }}", "msp.sales_contact.emial"),
    ],
)
def test_a_broken_or_unknown_tag_in_the_address_fails_when_the_template_compiles(address, problem):
    with pytest.raises(TemplateError) as caught:
        compile_in_memory(contact_slide(address, "Email"))
    assert problem in str(caught.value)
    if "emial" not in address:
        assert caught.value.slide == 1 and caught.value.snippet == address


def test_the_sandbox_applies_to_addresses():
    compiled = compile_in_memory(contact_slide("{{ ''.__class__.__mro__ }}", "x"))
    with pytest.raises(TemplateFaultError):
        render(compiled, context())


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("mailto:", ("", "")),
        ("  https://example.com  ", ("https://example.com", "")),
        ("HTTPS://Example.com/100%", ("https://Example.com/100%25", "")),
        ("mailto:陳@example.com", ("mailto:%E9%99%B3@example.com", "")),
        ("https://" + "a" * 2100 + ".com", ("", "it is longer than 2,048 characters")),
        ("ftp://example.com", ("", "only http, https and mailto links are kept")),
        ("www.acme.example.com", ("https://www.acme.example.com", "")),  # as PowerPoint does
        ("acme.com/contact", ("https://acme.com/contact", "")),
        ("contact/index.html", ("", "only http, https and mailto links are kept")),
    ],
)
def test_clean_hyperlink(target, expected):
    assert clean_hyperlink(target) == expected


def test_a_tagged_address_on_a_layout_is_still_refused(tmp_path):
    """Only slides and notes are rendered per deck: a tag anywhere else would reach the deck as it is."""
    from deckgen.engine.opc import open_package
    from deckgen.errors import UnsafeInputError
    from tests.security.util import add_rel

    path = tmp_path / "t.pptx"
    contact_slide().prs.save(path)
    with zipfile.ZipFile(path) as z:
        items = {i.filename: z.read(i) for i in z.infolist()}
    add_rel(items, "ppt/slideLayouts/_rels/slideLayout7.xml.rels", "rId99", "hyperlink", "{{ prospect.website }}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items.items():
            z.writestr(name, data)
    with pytest.raises(UnsafeInputError, match="slideLayout7"):
        open_package(path)


def test_lint_passes_such_a_template_and_check_passes_its_deck(tmp_path):
    from click.testing import CliRunner

    from deckgen.cli import cli
    from deckgen.resources import examples_dir

    builder = contact_slide()
    builder.new_slide()
    box = builder.slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(1))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "{{ prospect.company }}, meet {{ msp.name }}"
    run.hyperlink.address = "{{ msp.website }}"
    folder = builder.save(tmp_path / "links")
    runner = CliRunner()
    lint = runner.invoke(cli, ["templates", "lint", str(folder)])
    assert lint.exit_code == 0, lint.output
    deck = tmp_path / "deck.pptx"
    args = ["build", "-p", str(examples_dir() / "profile.yaml"), "-t", str(folder), "-o", str(deck)]
    prospect = str(examples_dir() / "prospects" / "alamo-family-dental.yaml")
    built = runner.invoke(cli, [*args, "-x", prospect, "--date", "2026-11-25", "--no-brief"])
    assert built.exit_code == 0, built.output
    address = link_of(deck.read_bytes())[1]
    assert address.startswith("mailto:") and "{" not in address
    website = Presentation(str(deck)).slides[1].shapes[0].text_frame.paragraphs[0].runs[0].hyperlink.address
    assert website == "https://www.ridgeline-it.example.com"  # the profile has it without https://
    assert "Warning" not in built.output
    checked = runner.invoke(cli, ["check", str(deck)])
    assert checked.exit_code == 0, checked.output
