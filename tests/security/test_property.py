"""Any text in any prospect field gives a deck that opens: random Unicode through load, build and check.

Every text field of a prospect the bundled template shows (company, industry, contact, decision
makers, location, pain points, notes, a literal closing line, extra columns) gets random Unicode —
controls, noncharacters, lone surrogates, bidi controls, CJK, right-to-left scripts, emoji, XML
syntax — of random length, and goes the way a file's data goes: cleaned at load, then built with
one DeckBuilder (the template is compiled once for the module). Braces and underscores are left
out of the random text so that a ``{{`` or ``_x00`` in a deck can only be deckgen's doing;
test_text.py shows that typed ``{{ … }}`` and ``_x0001_`` come out as the text they are.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import warnings

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.errors import InputError, TextOverflowError
from deckgen.load.files import load_profile, validate_doc
from deckgen.load.yamlfile import YamlDoc
from deckgen.model import Prospect
from tests.security.util import PROFILE, assert_clean_deck

# When an example fails, Hypothesis's pytest plugin imports its patch writer, which imports libcst,
# which warns (DeprecationWarning from mypy_extensions); under filterwarnings=error that turns the
# failure report into an INTERNALERROR. Importing it here, quietly, keeps a failure readable.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:
        pass

SPECIAL = (
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\x9f",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\u202e",
    "\u202a",
    "\u2066",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\t",
    "\n",
    "\r\n",
    "\u2028",
    "e\u0301",
    "恒信物流",
    "漢字かなカナ한글",
    "שלום",
    "مرحبا",
    "😀",
    "👩🏽‍💻",
    "🇳🇴",
    "<",
    ">",
    "&",
    '"',
    "'",
    "]]>",
    "<!DOCTYPE x>",
    "&amp;",
    "&#0;",
    "=SUM(A1)",
    "\U0010fffd",
    "\U0001f600",
    "\ue000",
    "\ue001",
)
CHARS = st.one_of(st.characters(exclude_categories=(), exclude_characters="{}_"), st.sampled_from(SPECIAL))


def text(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(CHARS, max_size=max_size).map("".join)


SHORT, LONG = text(120), text(3000)


@st.composite
def prospects(draw) -> dict:
    def person():
        return {"name": draw(text(80)) or "x", "title": draw(SHORT), "email": draw(SHORT), "phone": draw(SHORT)}

    data = {
        "company": draw(text(200)),
        "industry": draw(SHORT),
        "website": draw(SHORT),
        "contact": person(),
        "decision_makers": [
            dict(person(), role=draw(st.sampled_from(["economic_buyer", "influencer"])))
            for _ in range(draw(st.integers(0, 3)))
        ],
        "location": {"city": draw(SHORT), "region": draw(SHORT), "country": draw(SHORT)},
        "pain_points": draw(st.lists(LONG, max_size=8)),
        "notes": draw(LONG),
        "extra": {draw(text(40)) or "k": draw(SHORT) for _ in range(draw(st.integers(0, 2)))},
        "it_model": draw(st.sampled_from(["break_fix", "in_house", "unknown"])),
    }
    if draw(st.booleans()):
        data["closing"] = draw(text(300))
    return data


@pytest.fixture(scope="module")
def builder() -> DeckBuilder:
    return DeckBuilder(load_profile(PROFILE), BuildOptions(today=dt.date(2026, 11, 25)))


def _check_deck():
    if importlib.util.find_spec("deckgen.check") is None:
        return None
    from deckgen.check import check_deck

    return check_deck


def build_allowing_clear_errors(builder: DeckBuilder, prospect: Prospect):
    """Build the deck; the two clear errors random text may earn are checked, then stepped around.

    A literal closing line that looks like an id names no known line (an error naming ``closing``);
    text that can't fit its box at the smallest size is a TextOverflowError naming slide and shape.
    """
    try:
        for _ in range(3):
            try:
                return builder.build(prospect)
            except InputError as exc:
                assert exc.field == "closing", str(exc)
                prospect.closing = ""
            except TextOverflowError as exc:
                assert "slide" in str(exc) and "shape" in str(exc), str(exc)
                builder.options.fit = "ignore"
        raise AssertionError("no deck after stepping around the clear errors")
    finally:
        builder.options.fit = None


# Structural findings `deckgen check` must never make on a deck deckgen built (overflow and fonts
# depend on how much text there is, not on whether the deck is sound).
MUST_NOT = {
    "unreadable",
    "macros",
    "bad-xml",
    "content-type",
    "missing-part",
    "external-link",
    "duplicate-id",
    "leftover-tag",
    "bad-text",
}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)
@pytest.mark.slow
@given(raw=prospects())
def test_any_prospect_text_gives_a_deck_that_opens_cleanly(builder, tmp_path_factory, raw):
    field_warnings: list[str] = []
    try:
        prospect = validate_doc(Prospect, YamlDoc(data=raw, file="random.yaml"), field_warnings)
    except InputError as exc:
        # the only refusals random text may earn: a company or contact name that cleans to nothing,
        # or a value that grew past its limit when normalised; each names its field
        assert exc.field, str(exc)
        assume(False)
    deck = build_allowing_clear_errors(builder, prospect)
    assert_clean_deck(deck.data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # python-pptx's own deprecation noise is not under test
        prs = Presentation(io.BytesIO(deck.data))
    assert len(prs.slides) >= 3  # the shortest storyline (discovery, walk away) has 3 to 5 slides
    check_deck = _check_deck()
    if check_deck is not None:
        path = tmp_path_factory.mktemp("deck") / "deck.pptx"
        path.write_bytes(deck.data)
        report = check_deck(path)
        found = {p.kind for p in report.problems} & MUST_NOT
        assert not found, [p.describe("deck") for p in report.problems if p.kind in found]
