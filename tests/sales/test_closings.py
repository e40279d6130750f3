"""The closing-line library and the choice of a line for a prospect."""

from __future__ import annotations

import pytest

from deckgen.errors import InputError
from deckgen.load import closings as library
from deckgen.load.closings import load_library
from deckgen.model import ClosingLine, DecisionMaker, Icp, Msp, Person, Profile, Prospect, Tone, Usp
from deckgen.sales.closings import (
    LITERAL_COACHING,
    SHORT_WORDS,
    TRIGGERS,
    all_lines,
    filter_lines,
    implied_situations,
    short_form,
)
from deckgen.sales.closings import (
    choose_closing as _choose_closing,
)
from deckgen.sales.fit import score_fit


def choose_closing(prospect, prof, fit=None, override=None):
    """The choice with the bundled library and the profile's own lines, as DeckBuilder makes it."""
    return _choose_closing(prospect, prof, fit, override, lines=all_lines(prof, load_library()))


def profile(tone: str | None = None, lines: list[ClosingLine] | None = None, **icp) -> Profile:
    return Profile(
        msp=Msp(name="Test MSP", sales_contact=Person(name="Sam Seller")),
        usp=Usp(target="t", problem="p", differentiator="d", one_liner="o"),
        closing_tone=tone,
        closings=lines or [],
        icp=Icp(**icp),
    )


OWN = ClosingLine(
    id="own-break-fix",
    text="Our own words about fixing things properly.",
    tone="calm",
    triggers=["break_fix"],
    coaching="Our own coaching.",
)


# ---------------------------------------------------------------- the bundled library


def test_library_size_and_shape():
    lines = load_library()
    assert len(lines) >= 14
    ids = [line.id for line in lines]
    assert len(ids) == len(set(ids))
    for line in lines:
        assert 0 < len(line.text) <= 160, line.id
        assert line.tone in set(Tone)
        assert set(line.triggers) <= set(TRIGGERS), line.id
        assert line.triggers or line.id == "one-standard-for-all", line.id  # the one neutral default
        assert line.source == "library"
        assert "qualified no" in line.coaching and line.coaching.startswith("Use it"), line.id


def test_library_covers_every_trigger_and_tone():
    lines = load_library()
    assert {t for line in lines for t in line.triggers} == set(TRIGGERS)
    assert {line.tone for line in lines} == set(Tone)


def test_library_is_parsed_once_and_copies_are_returned():
    library._library.cache_clear()
    first = load_library()
    first[0].text = "changed by a caller"
    second = load_library()
    assert second[0].text != "changed by a caller"
    assert library._library.cache_info().misses == 1


def test_all_lines_puts_the_profile_first_and_lets_it_replace_ids():
    clash = ClosingLine(id="never-the-cheapest", text="Our version of the price line.", tone="warm")
    lines = all_lines(profile(lines=[OWN, clash]), load_library())
    assert [line.id for line in lines[:2]] == ["own-break-fix", "never-the-cheapest"]
    assert lines[0].source == lines[1].source == "profile"
    same = [line for line in lines if line.id == "never-the-cheapest"]
    assert len(same) == 1 and same[0].text == "Our version of the price line."
    assert len(lines) == len(load_library()) + 1
    assert all_lines(None, load_library()) == load_library()


def test_filter_lines():
    lines = all_lines(None, load_library())
    calm_price = filter_lines(lines, trigger="price-shopper", tone="calm")
    assert calm_price and all("price_shopper" in line.triggers and line.tone == Tone.calm for line in calm_price)
    assert filter_lines(lines) == lines
    assert filter_lines(lines, trigger="no_such_trigger") == []
    assert filter_lines(lines, tone=Tone.warm) == [line for line in lines if line.tone == Tone.warm]
    with pytest.raises(InputError, match="unknown tone 'angry'"):
        filter_lines(lines, tone="angry")


# ---------------------------------------------------------------- explicit choices


def test_override_by_id():
    choice = choose_closing(Prospect(company="A"), profile(), None, override="defined-job")
    assert choice.line.id == "defined-job"
    assert choice.to_context()["source"] == "library"
    assert "seller's choice" in choice.reason


def test_override_ids_are_case_insensitive_and_find_profile_lines():
    choice = choose_closing(Prospect(company="A"), profile(lines=[OWN]), None, override=" Own-Break-Fix ")
    assert (choice.line.id, choice.line.source) == ("own-break-fix", "profile")


@pytest.mark.parametrize(
    "text",
    [
        "We would rather part now than do this badly.",  # has spaces
        "x" * 41,  # longer than 40
        "我們寧願現在就說不。",  # no spaces, not id-like
        "Goodbye!",  # not id-like
    ],
)
def test_override_literal_text(text):
    choice = choose_closing(Prospect(company="A"), profile(tone="firm"), None, override=text)
    ctx = choice.to_context()
    assert ctx["text"] == text
    assert (ctx["id"], ctx["source"], ctx["tone"]) == ("literal", "literal", "firm")
    assert ctx["coaching"] == LITERAL_COACHING


def test_unknown_id_is_an_input_error():
    with pytest.raises(InputError) as err:
        choose_closing(Prospect(company="A"), profile(), None, override="walk-away-7")
    assert err.value.message == "unknown closing line 'walk-away-7'; see `deckgen closings list`"
    with pytest.raises(InputError) as err:
        choose_closing(Prospect(company="A", closing="nope"), profile(), None)
    assert err.value.field == "closing"
    assert "unknown closing line 'nope'" in str(err.value)


def test_overlong_literal_is_an_input_error():
    with pytest.raises(InputError, match="longer than 400"):
        choose_closing(Prospect(company="A"), profile(), None, override="word " * 100)


def test_prospect_choice_and_override_precedence():
    p = Prospect(company="A", closing="keep-what-works", situations=["price_shopper"])
    assert choose_closing(p, profile(), None).line.id == "keep-what-works"
    assert "prospect's data" in choose_closing(p, profile(), None).reason
    assert choose_closing(p, profile(), None, override="defined-job").line.id == "defined-job"
    assert choose_closing(p, profile(), None, override="  ").line.id == "keep-what-works"
    literal = Prospect(company="A", closing="This isn't the partnership for either of us.")
    assert choose_closing(literal, profile(), None).line.source == "literal"


# ---------------------------------------------------------------- suggestions


def test_suggestion_matches_the_most_situations():
    p = Prospect(company="A", situations=["price_shopper", "wants_cheapest"])
    choice = choose_closing(p, profile(), None)
    assert set(choice.line.triggers) >= {"price_shopper", "wants_cheapest"}
    # two calm/firm lines answer both; with no tone preference the id decides
    assert choice.line.id == "never-the-cheapest"
    assert choice.reason == "Matches the prospect's situations: price_shopper, wants_cheapest; tone calm."


def test_suggestion_prefers_the_profile_tone():
    p = Prospect(company="A", situations=["price_shopper", "wants_cheapest"])
    choice = choose_closing(p, profile(tone="firm"), None)
    assert choice.line.id == "priced-for-fewer-outages"
    assert choice.reason.endswith("tone firm as the profile prefers.")


def test_more_matches_beat_tone():
    p = Prospect(company="A", situations=["refuses_security", "compliance_risk"])
    choice = choose_closing(p, profile(tone="warm"), None)
    assert set(choice.line.triggers) >= {"refuses_security", "compliance_risk"}
    assert choice.line.tone == Tone.firm
    assert "as no warm line fits as well" in choice.reason


def test_own_line_wins_a_tie():
    p = Prospect(company="A", situations=["break_fix"])
    without = choose_closing(p, profile(tone="calm"), None)
    assert without.line.source == "library" and "break_fix" in without.line.triggers
    choice = choose_closing(p, profile(tone="calm", lines=[OWN]), None)
    assert choice.line.id == "own-break-fix"
    assert "one of your own lines" in choice.reason


def test_situations_implied_by_the_data():
    p = Prospect(
        company="A",
        it_model="break_fix",
        compliance=["hipaa"],
        decision_makers=[DecisionMaker(name="M", role="influencer")],
        budget_per_user_month=50,
    )
    pr = profile(budget_floor_per_user_month=100, disqualifiers=["refuses_security"])
    fit = score_fit(p.model_copy(update={"situations": ["refuses_security"]}), pr.icp)
    assert implied_situations(p, pr, fit) == {
        "break_fix": "their IT model",
        "no_decision_maker": "their decision makers",
        "compliance_risk": "their compliance needs",
        "wants_cheapest": "their budget",
        "poor_fit": "the fit score",
    }
    assert implied_situations(p, pr, fit.to_context())["poor_fit"] == "the fit score"
    happy = Prospect(company="B", it_model="other_msp", it_pain=False)
    assert implied_situations(happy) == {"happy_with_current": "their IT model"}
    assert implied_situations(Prospect(company="C", it_model="none")) == {"diy_it": "their IT model"}


def test_implied_situations_drive_the_suggestion_and_the_reason():
    p = Prospect(company="A", it_model="break_fix", situations=["outdated_systems"])
    choice = choose_closing(p, profile(tone="calm"), None)
    assert set(choice.line.triggers) == {"break_fix", "outdated_systems"}
    assert choice.line.id == "no-life-support"  # ties with paid-to-prevent; id decides
    assert choice.reason == (
        "Matches the prospect's situations: outdated_systems, break_fix (from their IT model); "
        "tone calm as the profile prefers."
    )


def test_no_situations_gives_a_neutral_default_the_seller_confirms():
    choice = choose_closing(Prospect(company="A"), profile(tone="calm"), None)
    assert choice.line.id == "one-standard-for-all" and not choice.line.triggers and choice.line.tone == Tone.calm
    assert choice.default and choice.to_context()["default"] is True
    assert choice.reason.startswith("No situations recorded for this prospect, so this is a default")
    assert "confirm in discovery" in choice.reason


def test_a_line_for_a_situation_nobody_recorded_is_never_the_default():
    # the MSP's own break-fix line used to win on tone + "own line" for prospects whose IT model is unknown
    own = choose_closing(Prospect(company="A"), profile(tone="calm", lines=[OWN]), None)
    assert own.line.id != "own-break-fix" and not own.line.triggers and own.default


def test_the_profiles_own_line_without_triggers_is_its_chosen_default():
    mine = ClosingLine(id="our-default", text="We work one way for everyone. If that isn't you, say so.", tone="firm")
    choice = choose_closing(Prospect(company="A"), profile(tone="calm", lines=[OWN, mine]), None)
    assert choice.line.id == "our-default" and choice.default


def test_a_matching_line_is_not_marked_default():
    choice = choose_closing(Prospect(company="A", it_model="break_fix"), profile(tone="calm", lines=[OWN]), None)
    assert choice.line.id == "own-break-fix" and not choice.default


def test_suggestion_is_deterministic():
    p = Prospect(company="A", situations=["slow_decision", "no_decision_maker", "scope_creep"])
    picks = {choose_closing(p, profile(), None).line.id for _ in range(5)}
    assert len(picks) == 1


def test_to_context_shape():
    ctx = choose_closing(Prospect(company="A", situations=["diy_it"]), profile(), None).to_context()
    assert set(ctx) == {"id", "text", "short", "tone", "coaching", "reason", "source", "triggers", "default"}
    assert ctx["triggers"] == ["diy_it"]
    assert ctx["id"] == "you-built-this" and ctx["tone"] == "warm" and ctx["source"] == "library"


# ---------------------------------------------------------------- the line as its slide shows it


def test_every_library_line_has_an_authored_short_form_that_is_shorter():
    for line in load_library():
        assert line.short, line.id
        assert len(line.short.split()) <= SHORT_WORDS == library.SHORT_WORDS, line.id
        assert len(line.short.split()) < len(line.text.split()), line.id
        assert line.short != line.text.split(". ")[-1], line.id  # written, not the old last-sentence cut
        assert short_form(line) == line.short


def test_short_form_falls_back_to_the_text_then_its_last_sentence_that_fits():
    short = ClosingLine(id="a", text="We only take clients who want it done properly.")
    assert short_form(short) == short.text
    two = ClosingLine(
        id="b",
        text="We spend our days making sure the same problem never comes back to the same client twice. "
        "If that is not what you want, we are the wrong firm.",
    )
    assert short_form(two) == "If that is not what you want, we are the wrong firm."
    long = ClosingLine(
        id="c", text="We only work with firms that, after a careful look, hold " + "every " * 30 + "account."
    )
    assert short_form(long) == "We only work with firms that, after a careful look…"  # cut at its last comma


def test_the_context_gives_the_slide_its_short_form_and_keeps_the_full_text():
    prof = profile()
    ctx = choose_closing(Prospect(company="A", situations=["price_shopper"]), prof, None).to_context()
    line = next(x for x in load_library() if x.id == ctx["id"])
    assert ctx["short"] == line.short and ctx["text"] == line.text
    literal = (
        "You will find cheaper quotes than ours, and some of them will look a lot like ours on paper. "
        "If the lowest price decides this, take it."
    )
    ctx = choose_closing(Prospect(company="A", closing=literal), prof, None).to_context()
    assert ctx["source"] == "literal" and ctx["text"] == literal
    assert ctx["short"] == "If the lowest price decides this, take it."


def test_a_profile_line_with_a_short_form_keeps_it():
    own = OWN.model_copy(update={"short": "Fixing things properly."})
    ctx = choose_closing(Prospect(company="A", situations=["break_fix"]), profile(lines=[own]), None).to_context()
    assert ctx["id"] == "own-break-fix" and ctx["short"] == "Fixing things properly."


def _profile_file(tmp_path, closing: str) -> str:
    from deckgen.resources import examples_dir

    text = (examples_dir() / "profile.yaml").read_text(encoding="utf-8")
    head = text.split("closings:")[0]
    tail = text.split("# --- Figures for the cost slides")[1]
    path = tmp_path / "profile.yaml"
    path.write_text(head + "closings:\n" + closing + "\n# --- Figures for the cost slides" + tail, encoding="utf-8")
    return str(path)


def test_a_long_profile_line_without_a_short_form_warns_and_still_loads(tmp_path):
    from deckgen.load.files import read_profile

    # 30 words (over the slide form's 20) in 132 characters (under the brief box's 160: no warning of its own)
    text = (
        "We keep all our clients on one set of rules, since one weak link puts all the rest of them at risk, "
        "and we will not bend it for you."
    )
    path = _profile_file(tmp_path, f"  - id: own-long\n    text: {text.strip()}\n")
    prof, warnings = read_profile(path)
    assert prof.closings[0].short == ""
    assert [w.field for w in warnings] == ["closings[0].short"]
    assert "own-long" in str(warnings[0]) and "add `short:`" in str(warnings[0]) and path in str(warnings[0])
    short = "  - id: own-long\n    text: " + text.strip() + "\n    short: One standard for every client.\n"
    assert read_profile(_profile_file(tmp_path, short)).warnings == []


def test_a_short_form_over_twenty_words_warns(tmp_path):
    from deckgen.load.files import read_profile

    words = " ".join(["word"] * 24)
    path = _profile_file(tmp_path, f"  - id: own-wordy\n    text: Short enough text.\n    short: {words}\n")
    warnings = read_profile(path).warnings
    assert len(warnings) == 1 and "24 words" in str(warnings[0]) and "own-wordy" in str(warnings[0])


def test_the_example_profile_lines_have_short_forms():
    from deckgen.load.files import read_profile
    from deckgen.resources import examples_dir

    prof, warnings = read_profile(examples_dir() / "profile.yaml")
    assert warnings == [] and all(line.short for line in prof.closings)


def test_a_budget_in_another_currency_is_converted_before_it_meets_the_floor():
    """Thameside's £105 a user is about $133: above the $125 floor, so no "wants the cheapest" objection."""
    from deckgen.load.files import load_profile, load_prospect
    from deckgen.resources import examples_dir
    from deckgen.sales.closings import implied_situations

    profile = load_profile(examples_dir() / "profile.yaml")
    thameside = load_prospect(examples_dir() / "prospects" / "thameside-accountants.yaml")
    assert thameside.budget_per_user_month == 105 and profile.icp.budget_floor_per_user_month > 105
    assert "wants_cheapest" not in implied_situations(thameside, profile)
    cheap = thameside.model_copy(update={"budget_per_user_month": 60})
    assert implied_situations(cheap, profile)["wants_cheapest"] == "their budget"
