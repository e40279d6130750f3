"""Hostile template tags the security suite didn't reach: nesting deep enough to exhaust Python's
stack or compiler, and Jinja filters whose arguments alone decide how much they build or compute.

Each was a traceback (RecursionError, IndentationError, SyntaxError, AssertionError, MemoryError) or
a 30 s stall before; now it is an error naming the slide and shape, and ``deckgen build`` exits 2.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from deckgen.build import compile_template
from deckgen.cli import cli
from deckgen.engine import render
from deckgen.errors import RenderError, TemplateError
from deckgen.resources import examples_dir
from tests.engine.builders import brand
from tests.security.test_template_sandbox import render_in_child
from tests.security.util import DATE, PROFILE, SLIDE_RELS, add_rel, small_context, template, xml_parts

PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"

DEEP = {
    "brackets": "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
    "lists": "{{ " + "[" * 3000 + "1" + "]" * 3000 + " }}",
    "additions": "{{ 1" + " + 1" * 20000 + " }}",  # parsed in a loop, but the tree is 20,000 deep
    "filters": "{{ 'x'" + " | upper" * 20000 + " }}",
    "attributes": "{{ prospect" + ".a" * 20000 + " }}",
    "nots": "{{ " + "not " * 5000 + "1 }}",
    "ifs": "{% if 1 %}" * 500 + "x" + "{% endif %}" * 500,
    "loops": "{% for a in [1] %}" * 200 + "x" + "{% endfor %}" * 200,  # Python: too many indentation levels
    # under the depth limit, over Python's 20 statically nested blocks: the compiler's SyntaxError
    "25 loops": "".join("{%% for i%d in [1] %%}" % i for i in range(25)) + "x" + "{% endfor %}" * 25,
}


@pytest.mark.parametrize("case", list(DEEP))
def test_tags_nested_too_deeply_are_a_template_error_naming_the_shape(tmp_path, case):
    folder = template(tmp_path, text=DEEP[case])
    with pytest.raises(TemplateError) as caught:
        compile_template(folder, brand(tmp_path))
    message = str(caught.value)
    assert "nest too deeply" in message and "slide 1" in message and "'Title'" in message, message


def test_a_hyperlink_address_nested_too_deeply_is_a_template_error(tmp_path):
    address = "https://example.com/{{ " + "(" * 3000 + "prospect.company" + ")" * 3000 + " }}"
    folder = template(tmp_path, lambda items: add_rel(items, SLIDE_RELS, "rId99", "hyperlink", address))
    with pytest.raises(TemplateError, match="hyperlink.*nest too deeply"):
        compile_template(folder, brand(tmp_path))


def test_deckgen_build_refuses_a_deeply_nested_template_with_exit_2_and_writes_nothing(tmp_path):
    folder = template(tmp_path, text=DEEP["brackets"])
    out = tmp_path / "out" / "deck.pptx"
    out.parent.mkdir()
    args = ["build", "-p", str(PROFILE), "-x", str(PROSPECT), "-o", str(out), "-t", str(folder)]
    result = CliRunner().invoke(cli, [*args, "--date", DATE])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output and "nest too deeply" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)
    assert list(out.parent.iterdir()) == []


def test_nesting_well_past_what_a_template_needs_still_renders(tmp_path):
    # deckgen's own templates nest 18 levels at most
    brackets = "{{ " + "(" * 40 + "prospect.company" + ")" * 40 + " }}|"
    loops = "".join("{%% for i%d in [1] %%}" % i for i in range(15)) + "{{ i14 }}" + "{% endfor %}" * 15
    text = brackets + loops
    deck = render(compile_template(template(tmp_path, text=text), brand(tmp_path)), small_context()).data
    assert "Acme|1" in xml_parts(deck)["ppt/slides/slide1.xml"].decode()


def rendered(tmp_path, text: str):
    folder = template(tmp_path, text=text)
    try:
        return xml_parts(render(compile_template(folder, brand(tmp_path)), small_context()).data)
    except RenderError as exc:
        return exc


def test_round_with_a_huge_precision_is_refused_before_it_computes(tmp_path):
    # round(5, -10**9) builds 10**(10**9) first: minutes of CPU, stopped only by the 30 s render deadline
    result = rendered(tmp_path, "{{ 5 | round(-10**9) }}")
    assert isinstance(result, RenderError) and "round() precision" in str(result), result


def test_a_filter_argument_jinja_checks_with_assert_is_a_render_error(tmp_path):
    result = rendered(tmp_path, "{{ prospect.company | truncate(-10) }}")
    assert isinstance(result, RenderError) and "expected length" in str(result), result


# batch(n, fill) pads its last batch to n items, slice(n) makes n lists however short the input:
# both allocate from their argument alone (gigabytes), in a child capped 1.5 GB above its baseline
COUNT_CASES = {
    "batch-fill": "{{ [1] | batch(10**9, 'x') | list | length }}",
    "slice": "{{ [1] | slice(10**9) | list | length }}",
    "slice-fill": "{{ [1] | slice(10**8, 'x') | list | length }}",
}


@pytest.mark.slow
def test_batch_and_slice_with_huge_counts_stop_before_they_allocate(tmp_path):
    results = render_in_child(COUNT_CASES, tmp_path, memory_mb=1536, timeout=120)
    for name, result in results.items():
        assert result.startswith("TemplateFaultError: ") and "an expression would produce" in result, (name, result)


def test_batch_slice_and_round_still_work(tmp_path):
    text = (
        "{{ [1, 2, 3] | batch(2, 0) | list }}|{{ [1, 2, 3] | slice(2) | list }}|"
        "{{ 1234.5678 | round(2) }}|{{ 1234 | round(-2, 'floor') }}"
    )
    parts = rendered(tmp_path, text)
    assert not isinstance(parts, RenderError), parts
    assert "[[1, 2], [3, 0]]|[[1, 2], [3]]|1234.57|1200.0" in parts["ppt/slides/slide1.xml"].decode()


def test_safe_cannot_splice_prospect_data_into_the_slide_xml(tmp_path):
    # a CRM value that closes the run: with |safe trusted it became markup of the slide (shapes, links)
    folder = template(tmp_path, text="{{ prospect.company | safe }}|{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m(1) }}")
    hostile = small_context("</a:t></a:r><a:r><a:t>injected")
    slide = xml_parts(render(compile_template(folder, brand(tmp_path)), hostile).data)["ppt/slides/slide1.xml"]
    assert b"<a:t>&lt;/a:t&gt;&lt;/a:r&gt;&lt;a:r&gt;&lt;a:t&gt;injected|&lt;1&gt;</a:t>" in slide
    assert b"<a:t>injected" not in slide
