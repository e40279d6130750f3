"""Templates are code from people deckgen doesn't control: they can't reach Python, and can't exhaust memory.

tests/engine/test_engine.py already covers ``''.__class__.__mro__``, ``__globals__`` through a prospect
value, ``cycler``/``self`` escapes, ``'x' * 100000000``, ``range()``, the ``format``/``center``/``replace``
filters and nested loops; the cases here are the other ways in.
"""

from __future__ import annotations

import json

import pytest
from jinja2.exceptions import UndefinedError

from deckgen.build import compile_template
from deckgen.engine import render
from deckgen.engine.sandbox import make_environment
from deckgen.errors import RenderError, TemplateError
from tests.engine.builders import brand
from tests.security.util import run_isolated, small_context, template, xml_parts


def outcome(tmp_path, text: str):
    """Compile and render a one-slide template holding ``text``; return the deck or the error."""
    folder = template(tmp_path, text=text)
    try:
        return render(compile_template(folder, brand(tmp_path)), small_context()).data
    except (TemplateError, RenderError) as exc:
        return exc


# --------------------------------------------------------------------------- escapes


@pytest.mark.parametrize(
    "expression",
    [
        "namespace.mro()",
        "namespace.__subclasses__()",
        "namespace.__init__.__globals__",
        "().__class__.__base__.__subclasses__()",
        "range.__globals__",
        "range.func_globals",
        "range.__code__",
        "'{0.__class__.__base__.__subclasses__}'.format(prospect)",
        "'{0.__globals__}'.format(range)",
        "'{x.__class__}'.format_map({'x': prospect})",
        "('{0.__class__}' | safe).format(prospect)",
        "'%s' | format(range.__globals__)",
        "self._TemplateReference__context",
        "self.__dict__",
        "(prospect | attr('__class__')).__mro__",
        "prospect.items.__self__",
        "prospect.update({'company': 'Evil'})",
        "prospect.pop('company')",
        "namespace(a=1).__dict__",
    ],
    ids=lambda e: e[:40],
)
def test_attribute_tricks_cannot_reach_python_internals(tmp_path, expression):
    result = outcome(tmp_path, "{{ %s }}" % expression)
    assert isinstance(result, (TemplateError, RenderError)), f"{expression} rendered"
    assert "Traceback" not in str(result)


@pytest.mark.parametrize(
    "statement",
    [
        "{% include '/etc/passwd' %}",
        "{% import 'os' as os %}{{ os.system('id') }}",
        "{% extends '/etc/passwd' %}",
        "{% from 'os' import popen %}{{ popen('id') }}",
    ],
)
def test_templates_cannot_load_other_files_or_modules(tmp_path, statement):
    result = outcome(tmp_path, statement)
    assert isinstance(result, (TemplateError, RenderError))
    assert "root:" not in str(result)


@pytest.mark.parametrize(
    "expression",
    [
        "cycler.__init__.__globals__.os.popen('touch {canary}')",
        "joiner.__init__.__globals__.os.popen('touch {canary}')",
        "lipsum.__globals__['os'].popen('touch {canary}')",
        "namespace.__init__.__globals__.sys.modules.os.popen('touch {canary}')",
        "self.__init__.__globals__.__builtins__.__import__('os').popen('touch {canary}')",
        "'{0.__init__.__globals__[os].popen}'.format(cycler)",
    ],
)
def test_known_payloads_execute_nothing(tmp_path, expression):
    canary = tmp_path / "pwned"
    result = outcome(tmp_path, "{{ %s }}" % expression.replace("{canary}", str(canary)))
    assert isinstance(result, (TemplateError, RenderError))
    assert not canary.exists()


@pytest.mark.parametrize("name", ["lipsum", "cycler", "joiner"])
def test_the_environment_offers_no_lipsum_cycler_or_joiner(name):
    env = make_environment()
    assert name not in env.globals
    with pytest.raises(UndefinedError):
        env.from_string("{{ %s() }}" % name).render()


# --------------------------------------------------------------------------- memory

# Each expression would need from hundreds of megabytes to terabytes; every one must stop with a
# RenderError before it allocates. They run in a child process whose address space is capped
# 1.5 GB above its baseline, so a missing limit fails as a MemoryError instead of taking the machine.
MEMORY_CASES = {
    "str.ljust": "{{ 'x'.ljust(3000000000) | length }}",
    "str.zfill": "{{ 'x'.zfill(3000000000) | length }}",
    "str.center": "{{ 'x'.center(3000000000) | length }}",
    "str.expandtabs": "{{ ('\t' * 999999).expandtabs(5000) | length }}",
    "str.replace": "{{ ('x' * 999999).replace('x', 'y' * 5000) | length }}",
    "str.translate": "{{ ('x' * 999999).translate({120: 'y' * 5000}) | length }}",
    "str.join": "{{ ''.join(['x' * 999999] * 5000) | length }}",
    "int.to_bytes": "{{ (1).to_bytes(3000000000, 'big') | length }}",
    "percent-width": "{{ ('%03000000000d' % 1) | length }}",
    "percent-precision": "{{ ('%.3000000000f' % 1.0) | length }}",
    "percent-named": "{{ ('%(a)03000000000d' % {'a': 1}) | length }}",
    "percent-repeat": "{{ (('%s' * 300000) % (('x' * 999999,) * 300000)) | length }}",
    "format-width": "{{ '{0:>3000000000}'.format(1) | length }}",
    "format-nested-width": "{{ ('{0:{1}' ~ '}').format('x', 3000000000) | length }}",
    "format-repeat": "{{ ('{0}' * 300000).format('x' * 999999) | length }}",
    "format_map": "{{ ('{a}' * 300000).format_map({'a': 'x' * 999999}) | length }}",
    "format-filter-repeat": "{{ ('%(a)s' * 150000) | format(a='x' * 999999) | length }}",
    "wordwrap-wrapstring": "{{ ('x' * 999999) | wordwrap(1, wrapstring='y' * 5000) | length }}",
    "urlize-target": "{{ ('www.a.co ' * 111111) | urlize(target='x' * 99999) | length }}",
    "tojson-indent": "{{ (range(10000) | list) | tojson(indent=999999) | length }}",
    "concat-doubling": "{% set a = 'x' * 999999 %}" + "{% set a = a ~ a %}" * 12 + "{{ a | length }}",
    "plus-doubling": "{% set a = 'x' * 999999 %}" + "{% set a = a + a %}" * 12 + "{{ a | length }}",
    "list-repeat-of-big-items": "{% set a = ['x' * 999999] * 5000 %}{{ a | join | length }}",
    "join-filter": "{% set a = 'x' * 999999 %}{{ ([a] * 900) | join | length }}",
    "map-center": "{{ ('x' * 999999) | list | map('center', 2000) | list | length }}",
    "map-replace": "{{ ('x' * 999999) | list | map('replace', 'x', 'y' * 999999) | list | length }}",
    "namespace-accumulation": "{% set ns = namespace(l=[]) %}{% for i in range(3000) %}"
    "{% set ns.l = [ns.l, 'x' * 999999] %}{% endfor %}{{ ns.l | length }}",
    "shared-structure-printed": "{% macro f(x, n) %}{% if n %}{{ f([x, x], n - 1) }}{% else %}{{ x }}{% endif %}"
    "{% endmacro %}{{ f('abc', 40) }}",
    "shared-structure-stringified": "{% macro f(x, n) %}{% if n %}{{ f([x, x], n - 1) }}"
    "{% else %}{{ x | string | length }}{% endif %}{% endmacro %}{{ f('abc', 40) }}",
    "macro-output": "{% macro m() %}{% for i in range(10000) %}{% for j in range(10000) %}xxxxxxxxxx"
    "{% endfor %}{% endfor %}{% endmacro %}{{ m() | length }}",
    "set-block": "{% set x %}{% for i in range(10000) %}{% for j in range(10000) %}xxxxxxxxxx{% endfor %}"
    "{% endfor %}{% endset %}{{ x | length }}",
    "filter-block": "{% filter upper %}{% for i in range(10000) %}{% for j in range(10000) %}xxxxxxxxxx"
    "{% endfor %}{% endfor %}{% endfilter %}",
}


def render_in_child(cases: dict[str, str], root, *, memory_mb: int | None, timeout: float) -> dict[str, str]:
    """Compile each case's template, then render them all in one child process: case -> outcome."""
    folders = {name: str(template(root / name, text=text)) for name, text in cases.items()}
    return run_isolated(
        f"""
        import time
        from pathlib import Path
        from deckgen.brand.kit import load_brand
        from deckgen.build import compile_template
        from deckgen.engine import render
        from deckgen.errors import DeckgenError
        from tests.engine.builders import make_brand
        from tests.security.util import small_context
        brand = load_brand(str(make_brand(Path({str(root / "brand")!r}))))
        compiled = {{name: compile_template(folder, brand) for name, folder in {json.dumps(folders)}.items()}}
        if MEMORY_MB:
            cap_memory(MEMORY_MB)
        results = {{}}
        for name, template in compiled.items():
            start = time.monotonic()
            try:
                render(template, small_context())
                results[name] = "rendered"
            except DeckgenError as exc:
                results[name] = type(exc).__name__ + ": " + str(exc)
            except BaseException as exc:
                results[name] = type(exc).__name__
            results[name] += f" in {{time.monotonic() - start:.1f}} s"
        print(json.dumps(results))
    """,
        memory_mb=memory_mb,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def memory_outcomes(tmp_path_factory):
    return render_in_child(MEMORY_CASES, tmp_path_factory.mktemp("memory"), memory_mb=1536, timeout=240)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(MEMORY_CASES))
def test_an_expression_that_would_exhaust_memory_stops_with_a_render_error(memory_outcomes, case):
    result = memory_outcomes[case]
    # the template's own fault, whatever the prospect: TemplateFaultError (a RenderError that exits 2)
    assert result.startswith("TemplateFaultError: ") and "took longer" not in result, result


# Unbounded CPU inside one C call (no Python bytecode runs, so the render deadline can't fire).
CPU_CASES = {
    "bigint-squaring": ("{% set n = 10 ** 60 %}" + "{% set n = n * n %}" * 30 + "{{ n > 0 }}", "TemplateFaultError"),
    "sum-of-many-lists": ("{{ ([[1]] * 333333) | sum(start=[]) | length }}", "rendered"),
}


@pytest.mark.slow
def test_integer_growth_and_list_sums_stay_fast(tmp_path):
    results = render_in_child({k: v[0] for k, v in CPU_CASES.items()}, tmp_path, memory_mb=1536, timeout=60)
    for name, (_, expected) in CPU_CASES.items():
        assert results[name].startswith(expected), (name, results[name])
        assert float(results[name].rsplit(" in ", 1)[1].split()[0]) < 5, (name, results[name])


def test_ordinary_template_code_still_works(tmp_path):
    text = (
        "{{ prospect.company ~ '!' }}|{{ [1, 2, 3] | sum }}|{{ [[1], [2]] | sum(start=[]) | length }}|"
        "{{ ['a', 'b'] | map('upper') | join('-') }}|{{ '%5.1f' | format(3.14159) }}|{{ '%03d' % 7 }}|"
        "{{ '{:>6}'.format('ok') }}|{{ 'a-b'.replace('-', '+') }}|{{ 'x'.ljust(3, '.') }}|"
        "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}|"
        "{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m('y') }}|{{ 12 * 12 }}|{{ 2 ** 10 }}|{{ 7 % 4 }}|"
        "{{ 'ab cd' | wordwrap(2, wrapstring='/') }}|{{ [1] | tojson(indent=1) | length }}|"
        "{{ '%(a)s%(a)s' | format(a='z') }}|{{ '{0!r}'.format('q') }}"
    )
    deck = outcome(tmp_path, text)
    assert isinstance(deck, bytes), deck
    slide = xml_parts(deck)["ppt/slides/slide1.xml"].decode()
    assert "Acme!|6|2|A-B|  3.1|007|    ok|a+b|x..|3|&lt;y&gt;|144|1024|3|ab/cd|6|zz|&#39;q&#39;" in slide
