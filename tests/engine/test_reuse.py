"""Parts rendered once and reused across decks (deckgen.engine.reuse): same inputs, same bytes, never stale."""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.engine import compile, render
from deckgen.engine.reuse import part_reads
from deckgen.load.files import load_profile, load_prospect
from deckgen.resources import examples_dir
from deckgen.sales.locales import make_filters
from tests.engine.builders import TemplateBuilder, compile_in_memory


def _context(company: str, msp: str = "Ridgeline", storyline: str = "pitch") -> dict:
    return {
        "prospect": {"company": company, "pain_points": []},
        "msp": {"name": msp, "sales_contact": {"name": "Dana"}},
        "deck": {"title": f"{msp} for {company}", "guidance": f"Run the {storyline} play."},
        "locale": "en-US",
        "currency": "USD",
    }


def _template() -> TemplateBuilder:
    b = TemplateBuilder()
    b.new_slide(notes="{{ deck.guidance }}")
    b.text("Who", "{{ msp.name }} runs IT properly")
    b.new_slide(notes="Ask {{ prospect.company }} about backups")
    b.text("Title", "Hello {{ prospect.company }}")
    return b


def _slide_texts(data: bytes) -> list[tuple[str, str]]:
    prs = Presentation(io.BytesIO(data))
    return [
        (
            " ".join(s.shapes[0].text_frame.text.split()),
            " ".join(s.notes_slide.notes_text_frame.text.split()),
        )
        for s in prs.slides
    ]


def test_a_part_reads_only_the_keys_it_names():
    ct = compile_in_memory(_template())
    reads = {s.number: dict(part_reads(s.compiled.template.root_render_func.__code__).roots) for s in ct.slides}
    notes = dict(part_reads(ct.slides[0].notes_compiled.template.root_render_func.__code__).roots)
    assert reads[1]["msp"] == frozenset({"name"})
    assert "prospect" not in reads[1]
    assert notes["deck"] == frozenset({"guidance"})  # not deck.title, which names the prospect
    assert reads[2]["prospect"] == frozenset({"company"})


def test_reused_parts_are_never_stale_when_what_they_read_changes():
    ct = compile_in_memory(_template())
    seen = []
    for company, msp, story in [("Acme", "Ridgeline", "pitch")] * 3 + [
        ("Bolt", "Ridgeline", "pitch"),
        ("Bolt", "Northwind", "pitch"),
        ("Bolt", "Northwind", "nurture"),
    ]:
        seen.append(_slide_texts(render(ct, _context(company, msp, story)).data))
    assert seen[3][0] == ("Ridgeline runs IT properly", "Run the pitch play.")
    assert seen[3][1] == ("Hello Bolt", "Ask Bolt about backups")
    assert seen[4][0] == ("Northwind runs IT properly", "Run the pitch play.")
    assert seen[5][0] == ("Northwind runs IT properly", "Run the nurture play.")
    assert ct.reuse.stats  # the constant parts were keyed ...
    assert any(hits for hits, _ in ct.reuse.stats.values())  # ... and reused


def test_a_whole_value_used_as_data_is_keyed_whole():
    b = TemplateBuilder()
    b.new_slide()
    b.text("All", "{% for k in msp %}{{ k }} {% endfor %}")
    ct = compile_in_memory(b)
    (name, keys), *_ = [r for r in part_reads(ct.slides[0].compiled.template.root_render_func.__code__).roots]
    assert (name, keys) == ("msp", None)
    first = _slide_texts(render(ct, _context("Acme")).data)
    ctx = _context("Acme")
    ctx["msp"]["phone"] = "555"
    assert _slide_texts(render(ct, ctx).data) != first


def test_decks_built_with_reuse_are_byte_identical_to_decks_built_fresh():
    profile = load_profile(examples_dir() / "profile.yaml")
    options = BuildOptions(today=dt.date(2026, 11, 25), brief=True)
    prospects = [load_prospect(p) for p in sorted((examples_dir() / "prospects").glob("*.yaml"))]
    shared = DeckBuilder(profile, options)
    warm = [shared.build(p) for p in prospects + prospects]  # the second round reuses the first's parts
    for p, deck in zip(prospects, warm[len(prospects) :]):
        fresh = DeckBuilder(profile, options, brand=shared.brand).build(p)
        assert deck.data == fresh.data, p.company
        assert deck.brief == fresh.brief, p.company
        assert [str(w) for w in deck.warnings] == [str(w) for w in fresh.warnings]
    assert any(hits for hits, _ in shared.compiled.reuse.stats.values())


def test_compiled_parts_carry_what_they_read_so_rendering_disassembles_nothing(monkeypatch):
    ct = compile_in_memory(_template())
    for slide in ct.slides:
        for comp in (slide.compiled, slide.notes_compiled):
            assert comp.reads == part_reads(comp.template.root_render_func.__code__)

    def no_disassembly(code):
        raise AssertionError("a part's code disassembled again at render")

    monkeypatch.setattr("deckgen.engine.reuse.part_reads", no_disassembly)
    texts = [_slide_texts(render(ct, _context(company)).data) for company in ("Acme", "Acme", "Bolt")]
    assert texts[2][1] == ("Hello Bolt", "Ask Bolt about backups")
    assert any(hits for hits, _ in ct.reuse.stats.values())


def test_a_compiled_tag_cache_hands_back_what_a_part_reads(monkeypatch):
    class Memory:
        def __init__(self):
            self.kept = {}

        def load(self, key):
            return self.kept.get(key)

        def store(self, key, value):
            self.kept[key] = value

    cache = Memory()
    b = _template()

    def compile_cached():
        return compile(b.to_bytes(), b.spec(), label="template.pptx", locale_filters=make_filters, jinja_cache=cache)

    cold = compile_cached()
    parts = [v for k, v in cache.kept.items() if k.startswith("<deckgen:")]
    assert parts and all(len(v) == 4 for v in parts)

    def no_disassembly(code):
        raise AssertionError("reads recomputed although the cache holds them")

    monkeypatch.setattr("deckgen.engine.templating.part_reads", no_disassembly)
    monkeypatch.setattr("deckgen.engine.reuse.part_reads", no_disassembly)
    warm = compile_cached()
    assert [s.compiled.reads for s in warm.slides] == [s.compiled.reads for s in cold.slides]
    assert render(warm, _context("Acme")).data == render(cold, _context("Acme")).data
