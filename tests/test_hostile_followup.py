"""Leftovers of the hostile-template pass: a template's own fault stops ``deckgen batch`` once (exit 2,
naming the template, slide and shape) instead of failing every row, while a row whose data trips a
limit still fails alone; the slide-count error names the template and the directive; ``|urlize``
writes plain text, not HTML, into slide XML; ``{% raw %}`` keeps the author's text, not deckgen's code.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from deckgen.batch import run as run_module
from deckgen.build import DeckBuilder, compile_template
from deckgen.cli import cli
from deckgen.engine import render
from deckgen.errors import RenderError, TemplateError, TemplateFaultError
from deckgen.resources import examples_dir
from tests.engine.builders import TemplateBuilder, brand
from tests.security.util import DATE, PROFILE, SLIDE_RELS, add_rel, small_context, template, xml_parts

PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"
LONG = "B" * 290  # within the 300 characters a company name may have


def slides_template(tmp_path, *slides) -> str:
    """A template folder with one slide per item: a list of (shape name, paragraphs…) text boxes."""
    b = TemplateBuilder()
    for boxes in slides:
        b.new_slide()
        for name, *paragraphs in boxes:
            b.text(name, *paragraphs)
    return str(b.save(tmp_path / "tpl") / "template.pptx")


def rows_file(tmp_path, *companies: str):
    rows = tmp_path / "rows.csv"
    rows.write_text("company,industry\n" + "".join(f"{c},Dental\n" for c in companies), encoding="utf-8")
    return rows


def batch(tmp_path, pptx, rows, *extra):
    out = tmp_path / "decks"
    args = ["batch", str(rows), "-p", str(PROFILE), "-o", str(out), "-t", pptx, "--date", DATE, "--quiet"]
    return CliRunner().invoke(cli, [*args, *extra]), out


def written(out) -> list[str]:
    """What a batch wrote into its folder (its lock file aside)."""
    if not out.exists():
        return []
    return sorted(p.name for p in out.iterdir() if p.name.endswith((".pptx", ".json", ".csv", ".part", ".html")))


# --------------------------------------------------------------------------- 1. batch: the template's fault


RENDER_TIME_FAULTS = {
    "repetition": ([[("Title", '{{ "a" * 10**9 }}')]], "slide 1, shape 'Title': an expression would produce"),
    "slide-loop": (
        [[("Title", "{%slide for i in range(5000)%}{{ i }}")]],
        "slide 1: the deck would have more than 500 slides (in {%slide for i in range(5000)%})",
    ),
    "sandbox": ([[("Title", "{{ [prospect.company].__class__ }}")]], "slide 1, shape 'Title': not allowed"),
    "accumulation": (
        [[("Title", "{% set a = 'x' * 999999 %}", "{% set a = a ~ a %}", "{{ a }}")]],
        "slide 1, shape 'Title': an expression would produce",
    ),
}


@pytest.mark.parametrize("case", list(RENDER_TIME_FAULTS))
def test_a_fault_of_the_template_found_at_render_time_stops_the_batch_with_exit_2(tmp_path, case, monkeypatch):
    slides, expected = RENDER_TIME_FAULTS[case]
    pptx = slides_template(tmp_path, *slides)
    built = []
    real_build = DeckBuilder.build
    monkeypatch.setattr(DeckBuilder, "build", lambda self, p: built.append(p.company) or real_build(self, p))
    result, out = batch(tmp_path, pptx, rows_file(tmp_path, "Acme", "Beta", "Gamma"), "--jobs", "1")

    assert result.exit_code == 2, result.output
    assert f"Error: {pptx}: {expected}" in result.output, result.output
    assert "batch stopped" in result.output and "no deck was written" in result.output
    assert "row 2" not in result.output and "row 3" not in result.output and "some rows failed" not in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert built == ["Acme"], built  # the rows after the first are never built
    assert written(out) == [], written(out)


def test_with_workers_the_first_deck_is_built_here_and_no_worker_starts_for_a_template_fault(tmp_path, monkeypatch):
    pptx = slides_template(tmp_path, [("Title", '{{ "a" * 10**9 }}')])
    started = []
    monkeypatch.setattr(run_module, "WorkerPool", lambda *a, **k: started.append(a) or pytest.fail("pool started"))
    result, out = batch(tmp_path, pptx, rows_file(tmp_path, "Acme", "Beta", "Gamma", "Delta"), "--jobs", "3")

    assert result.exit_code == 2, result.output
    assert f"Error: {pptx}: slide 1, shape 'Title'" in result.output and started == []
    assert written(out) == []


def test_a_fault_in_a_hyperlink_address_stops_the_batch_too(tmp_path):
    folder = template(
        tmp_path, lambda items: add_rel(items, SLIDE_RELS, "rId99", "hyperlink", "https://x.com/{{ 'a' * 10**9 }}")
    )
    pptx = str(folder / "template.pptx")
    result, out = batch(tmp_path, pptx, rows_file(tmp_path, "Acme", "Beta"), "--jobs", "1")
    assert result.exit_code == 2, result.output
    assert f"Error: {pptx}: slide 1: a hyperlink's address: not allowed" in result.output
    assert written(out) == []


def test_a_fault_only_some_rows_reach_keeps_the_decks_built_before_and_stops(tmp_path):
    pptx = slides_template(
        tmp_path,
        [("Title", "{{ prospect.company }}")],
        [("Gate", "{%slide if prospect.company == 'Beta'%}"), ("Body", '{{ "a" * 10**9 }}')],
    )
    result, out = batch(tmp_path, pptx, rows_file(tmp_path, "Acme", "Beta", "Gamma"), "--jobs", "1")

    assert result.exit_code == 2, result.output
    assert f"Error: {pptx}: slide 2, shape 'Body': an expression would produce" in result.output
    assert "the 1 deck(s) built before it are kept and listed in report.json" in result.output
    decks = [n for n in written(out) if n.endswith(".pptx")]
    assert len(decks) == 1 and decks[0].startswith("Acme") and not [n for n in written(out) if n.endswith(".part")]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(r["company"], r["status"]) for r in report["rows"]] == [("Acme", "built")]


def test_a_row_whose_data_trips_a_limit_still_fails_alone_with_exit_1(tmp_path):
    # the same limit, reached through the row's own text: that row fails, the others are built
    pptx = slides_template(tmp_path, [("Title", "{{ (prospect.company * 4000) | length }}")])
    rows = rows_file(tmp_path, "Acme", LONG, "Gamma", "C" * 10_000)
    for jobs in ("1", "2"):
        result, out = batch(tmp_path, pptx, rows, "--jobs", jobs, "--force")
        assert result.exit_code == 1, result.output
        assert "row 3: slide 1, shape 'Title': an expression would produce 1,160,000 characters" in result.output
        assert "row 5, company: too long: 10000 characters" in result.output
        assert "Error:" not in result.output and "batch stopped" not in result.output
        assert len([n for n in written(out) if n.endswith(".pptx")]) == 2


def render_error(tmp_path, *paragraphs, company: str = "Acme") -> RenderError:
    folder = slides_template(tmp_path, [("Title", *paragraphs)])
    compiled = compile_template(folder, brand(tmp_path))
    with pytest.raises(RenderError) as caught:
        render(compiled, small_context(company))
    return caught.value


@pytest.mark.parametrize(
    ("paragraphs", "company", "about_template"),
    [
        (['{{ "a" * 10**9 }}'], "Acme", True),
        (["{{ '{0.__class__}'.format(1) }}"], "Acme", True),
        (["{% set a = 'x' * 999999 %}", "{% set a = a ~ a %}"], "Acme", True),
        (["{{ prospect.company * 10**6 }}"], "Acme", False),
        (["{% set a = prospect.company %}", "{{ a * 10**6 }}"], "Acme", False),
        (["{% for c in prospect.company %}", "{{ 'a' * 10**9 }}", "{% endfor %}"], "Acme", False),
        (["{% set ns = namespace(s=prospect.company) %}", "{{ ns.s * 10**6 }}"], "Acme", False),
        (["{% macro m(x) %}{{ x * 10**7 }}{% endmacro %}", "{{ m('a') }}"], "Acme", False),
        (["{{ prospect.company.format(1) }}"], "{0.__class__}", False),  # the row's text is the format string
    ],
)
def test_only_a_fault_that_reads_nothing_from_the_row_is_about_the_template(
    tmp_path, paragraphs, company, about_template
):
    error = render_error(tmp_path, *paragraphs, company=company)
    assert isinstance(error, TemplateFaultError)  # build: bad input (exit 2) either way
    assert (error.source == "template") is about_template, (str(error), error.source)


# --------------------------------------------------------------------------- 2. the slide count names its file


def test_the_slide_count_error_names_the_template_and_the_slide_with_the_directive(tmp_path):
    pptx = slides_template(tmp_path, [("Title", "cover")], [("Title", "{%slide for i in range(5000)%}{{ i }}")])
    out = tmp_path / "deck.pptx"
    args = ["build", "-p", str(PROFILE), "-x", str(PROSPECT), "-o", str(out), "-t", pptx, "--date", DATE]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    expected = f"Error: {pptx}: slide 2: the deck would have more than 500 slides (in {{%slide for i in range(5000)%}})"
    assert expected in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_slide_count_the_row_decides_names_the_slide_too_but_is_the_rows(tmp_path):
    error = render_error(tmp_path, "{%slide for c in prospect.company * 200%}{{ c }}")
    assert not isinstance(error, TemplateFaultError) and error.source is None
    assert str(error).endswith(
        "slide 1: the deck would have more than 500 slides (in {%slide for c in prospect.company * 200%})"
    )
    assert error.file and error.file.endswith("template.pptx")


def test_a_hyperlink_address_one_level_under_the_depth_limit_fails_when_the_template_compiles(tmp_path):
    # it rendered inside one more block than the compile checks parsed: a fault found only at render time
    address = "https://example.com/{{ " + "[" * 60 + "1" + "]" * 60 + " }}"
    folder = template(tmp_path, lambda items: add_rel(items, SLIDE_RELS, "rId99", "hyperlink", address))
    with pytest.raises(TemplateError, match="hyperlink.*nest too deeply"):
        compile_template(folder, brand(tmp_path))


# --------------------------------------------------------------------------- 3. urlize


def slide_xml(tmp_path, *paragraphs) -> str:
    folder = slides_template(tmp_path, [("Title", *paragraphs)])
    return xml_parts(render(compile_template(folder, brand(tmp_path)), small_context()).data)[
        "ppt/slides/slide1.xml"
    ].decode()


def test_urlize_leaves_plain_text_in_the_slide(tmp_path):
    xml = slide_xml(tmp_path, "{{ 'see https://example.com or www.example.org now' | urlize }}")
    assert "<a:t>see https://example.com or www.example.org now</a:t>" in xml
    assert "<a " not in xml and "href" not in xml and "noopener" not in xml


def test_urlize_of_prospect_text_is_escaped_like_any_value(tmp_path):
    folder = slides_template(tmp_path, [("Title", "{{ prospect.company | urlize(40, true, target='_blank') }}")])
    data = render(compile_template(folder, brand(tmp_path)), small_context("<b>https://a.co</b>")).data
    xml = xml_parts(data)["ppt/slides/slide1.xml"].decode()
    assert "<a:t>&lt;b&gt;https://a.co&lt;/b&gt;</a:t>" in xml and "href" not in xml


# --------------------------------------------------------------------------- 4. raw


def test_raw_text_comes_out_as_the_author_typed_it(tmp_path):
    xml = slide_xml(
        tmp_path, "{% raw %}{{ prospect.company }} and {% if x %}{# note #}{% endraw %}|{{ prospect.company }}"
    )
    assert "<a:t>&#123;&#123; prospect.company }} and &#123;% if x %}&#123;# note #}|Acme</a:t>" in xml, xml
    assert "_br" not in xml and "{#" not in xml.replace("&#123;#", "")


def test_raw_may_span_paragraphs_and_keeps_what_powerpoint_typed(tmp_path):
    xml = slide_xml(tmp_path, "{% raw %}", "Dear {{ name }},", "{% endraw %}", "{{ prospect.company }}")
    assert "<a:t>Dear &#123;&#123; name }},</a:t>" in xml and "<a:t>Acme</a:t>" in xml
    assert "_br" not in xml and "endraw" not in xml and "raw %}" not in xml


def test_an_unclosed_raw_is_a_template_error_naming_the_shape(tmp_path):
    folder = slides_template(tmp_path, [("Title", "{% raw %}{{ x }}")])
    with pytest.raises(TemplateError, match=r"slide 1, shape 'Title'.*'\{% raw %\}' is never closed"):
        compile_template(folder, brand(tmp_path))


def test_lint_says_a_fault_of_the_template_fails_for_every_prospect_with_no_fallback_hint(tmp_path):
    pptx = slides_template(tmp_path, [("Title", '{{ "a" * 10**9 }}')])
    result = CliRunner().invoke(cli, ["templates", "lint", pptx])
    assert result.exit_code != 0 and "fails for every prospect: an expression would produce" in result.output
    assert "| default(" not in result.output and "sparse CRM row" not in result.output
