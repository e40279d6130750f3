"""deckgen 0.1 as a seller uses it: every bundled template × every example prospect opens cleanly everywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

import tools
from deckgen.cli import cli
from deckgen.load.files import load_profile, load_prospect
from deckgen.load.templates import list_template_names
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"
PROSPECTS = sorted((examples_dir() / "prospects").glob("*.yaml"))
DATE = "2026-11-25"
BRIEF = "seller-brief"
CUSTOMER_TEMPLATES = [t for t in list_template_names() if t != BRIEF]
# what a prospect must never read on a slide: a score, a band, the verdict or the tactic
SELLER_ONLY = re.compile(
    r"\d+\s*/\s*100|\bband\b|\bscore\b|walk[\s-]*away|qualify\s*first|A\s*—\s*pitch|takeaway|nurture|"
    r"data\s*confidence|objection",
    re.I,
)


def squash(text: str) -> str:
    """Text without any white space: line wrapping in a PDF can't break a comparison."""
    return re.sub(r"\s+", "", text)


def pdf_plain_text(pdf: Path) -> str:
    exe = tools.require_tool("pdftotext")
    return subprocess.run(
        [exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every bundled customer template × every example prospect, built through the CLI, with their PDFs.

    The seller briefs written beside the decks are converted too: ``pdfs[brief_path(deck)]``.
    """
    out = tmp_path_factory.mktemp("decks")
    decks = {}
    runner = CliRunner()
    for template in CUSTOMER_TEMPLATES:
        for prospect in PROSPECTS:
            deck = out / f"{template}-{prospect.stem}.pptx"
            result = runner.invoke(
                cli,
                [
                    "build",
                    "--profile",
                    str(PROFILE),
                    "--prospect",
                    str(prospect),
                    "--template",
                    template,
                    "--out",
                    str(deck),
                    "--date",
                    DATE,
                ],
            )
            assert result.exit_code == 0, result.output
            decks[(template, prospect.stem)] = deck
    from deckgen.build import brief_path
    from deckgen.export.pdf import PdfConverter

    tools.require_tool("soffice")
    with PdfConverter() as conv:
        pdfs = conv.convert([*decks.values(), *(brief_path(d) for d in decks.values())], out)
    return decks, pdfs


CASES = [(t, p.stem) for t in CUSTOMER_TEMPLATES for p in PROSPECTS]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=["/".join(c) for c in CASES])
def test_deck_converts_with_one_page_per_slide_and_shows_the_pitch(built, case):
    decks, pdfs = built
    deck = decks[case]
    pdf = pdfs[deck]
    assert not isinstance(pdf, Exception), pdf
    slides = len(Presentation(str(deck)).slides)
    assert slides >= 4  # the shortest storylines: discovery on bare data, walk away
    assert tools.pdf_page_count(pdf) == slides
    text = squash(pdf_plain_text(pdf))
    profile = load_profile(PROFILE)
    prospect = load_prospect(examples_dir() / "prospects" / f"{case[1]}.yaml")
    from deckgen.build import BuildOptions, DeckBuilder, brief_path

    built_deck = DeckBuilder(profile, BuildOptions(template=case[0])).build(prospect)
    from deckgen.sales.brief import closing_words

    chosen = closing_words(built_deck.closing.to_context(), built_deck.storyline)  # the slide's words, if shown
    assert squash(prospect.company) in text
    assert squash(profile.usp.one_liner) in text
    brief = squash(pdf_plain_text(pdfs[brief_path(deck)]))
    assert squash(chosen) in brief  # the seller always has the line, in the words they will say
    # the line is on a customer slide only where the storyline uses it (B and walk away), in its short
    # form (deckgen.sales.closings.short_form); the whole line is in the notes
    from deckgen.sales.closings import short_form

    shown = short_form(built_deck.closing.line)
    assert (squash(shown) in text) == (built_deck.storyline in ("buyer", "walk_away"))


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=["/".join(c) for c in CASES])
def test_no_customer_slide_shows_a_score_band_or_verdict_and_the_brief_does(built, case):
    decks, pdfs = built
    deck = decks[case]
    from deckgen.build import BuildOptions, DeckBuilder, brief_path

    text = pdf_plain_text(pdfs[deck])
    found = sorted({m.group(0) for m in SELLER_ONLY.finditer(text)})
    assert found == [], f"seller-only words on a customer slide: {found}"
    prospect = load_prospect(examples_dir() / "prospects" / f"{case[1]}.yaml")
    fit = DeckBuilder(load_profile(PROFILE), BuildOptions(template=case[0], brief=False)).build(prospect).fit
    brief = squash(pdf_plain_text(pdfs[brief_path(deck)]))
    assert f"{fit.score}/100" in brief and squash(fit.band_label) in brief
    assert tools.pdf_page_count(pdfs[brief_path(deck)]) <= 2


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=["/".join(c) for c in CASES])
def test_deck_has_no_leftover_tags_or_escapes_and_validates(built, case):
    deck = built[0][case]
    with zipfile.ZipFile(deck) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                data = z.read(name)
                for marker in (b"{{", b"{%", b"{#", b"_x00"):
                    assert marker not in data, f"{name} holds {marker!r}"
    assert tools.validate_ooxml(deck) == []


def test_the_hong_kong_deck_shows_chinese_names(built):
    decks, pdfs = built
    for (_template, prospect), deck in decks.items():
        if prospect == "hengxin-logistics":
            text = squash(pdf_plain_text(pdfs[deck]))
            assert "恒信物流有限公司" in text


def test_two_builds_with_the_same_inputs_are_byte_identical(tmp_path):
    runner = CliRunner()
    outs = []
    for n in (1, 2):
        out = tmp_path / f"deck{n}.pptx"
        result = runner.invoke(
            cli, ["build", "-p", str(PROFILE), "-x", str(PROSPECTS[0]), "-o", str(out), "--date", DATE]
        )
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_invalid_profile_names_file_line_and_field_and_writes_nothing(tmp_path):
    text = PROFILE.read_text(encoding="utf-8")
    broken = re.sub(r"(?m)^  one_liner:.*\n", "", text)
    assert broken != text
    bad = tmp_path / "profile.yaml"
    bad.write_text(broken, encoding="utf-8")
    out = tmp_path / "deck.pptx"
    result = CliRunner().invoke(cli, ["build", "-p", str(bad), "-x", str(PROSPECTS[0]), "-o", str(out)])
    assert result.exit_code == 2
    assert re.search(r"^Error: .*profile\.yaml:\d+ usp\.one_liner: field required", result.output, re.M)
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [bad]


def test_prospect_with_a_wrong_type_names_the_field(tmp_path):
    bad = tmp_path / "acme.yaml"
    bad.write_text("company: Acme\nsize:\n  users: lots\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "-p", str(PROFILE), "-x", str(bad), "-o", str(tmp_path / "a.pptx")])
    assert result.exit_code == 2
    assert "acme.yaml:3 size.users" in result.output
    assert not (tmp_path / "a.pptx").exists()


def test_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["build", "-p", str(tmp_path / "nope.yaml"), "-x", str(PROSPECTS[0])])
    assert result.exit_code == 2 and "nope.yaml: file not found" in result.output


def test_failed_build_keeps_the_previous_deck(tmp_path):
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"previous deck")
    bad = tmp_path / "p.yaml"
    bad.write_text("company: Acme\nclosing: no-such-line\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "-p", str(PROFILE), "-x", str(bad), "-o", str(out)])
    assert result.exit_code == 2 and "no-such-line" in result.output
    assert out.read_bytes() == b"previous deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx", "p.yaml"]


def test_demo_builds_the_three_example_decks(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--out-dir", str(tmp_path / "decks")])
    assert result.exit_code == 0, result.output
    expected = sorted(name for p in PROSPECTS for name in (p.stem + ".pptx", p.stem + "-brief.pptx"))
    assert sorted(p.name for p in (tmp_path / "decks").iterdir()) == expected


def test_demo_without_briefs_and_without_walk_away_decks(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--out-dir", str(tmp_path), "--no-brief", "--skip-walk-away"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "hengxin-logistics.pptx" not in names and not any(n.endswith("-brief.pptx") for n in names)
    assert "alamo-family-dental.pptx" in names and "(skipped)" in result.output


def test_init_scaffolds_an_editable_set_that_builds(tmp_path):
    runner = CliRunner()
    folder = tmp_path / "my-msp"
    assert runner.invoke(cli, ["init", str(folder)]).exit_code == 0
    assert (folder / "profile.yaml").is_file() and (folder / "brand" / "brand.yaml").is_file()
    prospect = sorted((folder / "prospects").glob("*.yaml"))[0]
    result = runner.invoke(
        cli,
        [
            "build",
            "-p",
            str(folder / "profile.yaml"),
            "-x",
            str(prospect),
            "--brand",
            str(folder / "brand"),
            "-o",
            str(tmp_path / "mine.pptx"),
        ],
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["init", str(folder)])
    assert again.exit_code == 2 and "not empty" in again.output


def test_templates_and_closings_commands_list_what_ships():
    runner = CliRunner()
    listed = runner.invoke(cli, ["templates", "list"])
    assert listed.exit_code == 0 and "walk-away" in listed.output
    shown = runner.invoke(cli, ["templates", "show", "walk-away"])
    assert shown.exit_code == 0 and "prospect.company" in shown.output and "closing.text" in shown.output
    closings = runner.invoke(cli, ["closings", "list", "--trigger", "break_fix"])
    assert closings.exit_code == 0 and "break_fix" in closings.output
    assert runner.invoke(cli, ["closings", "list", "--trigger", "no_such"]).exit_code == 2


@pytest.mark.slow
def test_a_wheel_installed_in_a_fresh_virtualenv_carries_templates_and_brands(tmp_path):
    # A clean virtualenv (no --system-site-packages), whatever environment the suite runs in: the
    # wheel brings its dependencies, at the versions of the committed constraints file.
    repo = Path(__file__).resolve().parents[2]
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(repo)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300, env=env)
    python = venv / "bin" / "python"
    wheel = next(wheels.glob("deckgen-*.whl"))
    installed = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "-c",
            str(repo / "constraints.txt"),
            str(wheel),
        ],
        timeout=600,
        capture_output=True,
        text=True,
        env=env,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    where = subprocess.run(
        [str(python), "-c", "import deckgen; print(deckgen.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv)  # the installed wheel, not the checkout
    names = zipfile.ZipFile(wheel).namelist()
    assert "deckgen/_bundled/templates/walk-away/template.pptx" in names
    assert "deckgen/_bundled/brand/ridgeline/brand.yaml" in names
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [str(venv / "bin" / "deckgen"), "demo"], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    examples = len(list((Path(where).parent / "examples" / "prospects").glob("*.yaml")))
    assert examples >= 3 and len(list((work / "decks").glob("*.pptx"))) == 2 * examples  # decks and briefs


def test_slides_without_data_are_left_out_rather_than_shown_empty(tmp_path):
    bare = tmp_path / "bare.yaml"
    bare.write_text("company: Bare Minimum Ltd\n", encoding="utf-8")
    out = tmp_path / "bare.pptx"
    result = CliRunner().invoke(cli, ["build", "-p", str(PROFILE), "-x", str(bare), "-o", str(out), "--date", DATE])
    assert result.exit_code == 0, result.output
    titles = [
        shape.text_frame.text
        for slide in Presentation(str(out)).slides
        for shape in slide.shapes
        if shape.name == "Title" and shape.has_text_frame
    ]
    assert not any(t.startswith("What we heard") for t in titles)  # no pain points known: no empty slide
    # too little is known: a discovery deck with questions, never a price or a walk-away
    assert any(t.startswith("Our promise") for t in titles)
    assert "Three questions before we suggest anything" in titles
    assert not any(t.startswith("Your plan") for t in titles)


def _titles(path: Path) -> list[str]:
    return [
        shape.text_frame.text
        for slide in Presentation(str(path)).slides
        for shape in slide.shapes
        if shape.name == "Title" and shape.has_text_frame
    ]


@pytest.mark.parametrize(
    "storyline, present, absent",
    [
        ("pitch", ["Your plan:", "Ready when you are"], ["If things change"]),
        ("buyer", ["Your plan:", "One meeting with your decision maker"], ["questions before we suggest"]),
        ("nurture", ["Where we fit", "Our promise"], ["Your plan:", "Every client of ours"]),
        ("discovery", ["before we suggest anything"], ["Your plan:", "Where we fit"]),
        ("walk-away", ["What we heard", "Every client of ours", "If things change"], ["Your plan:", "Our promise"]),
    ],
)
def test_storyline_override_picks_the_slides(tmp_path, storyline, present, absent):
    out = tmp_path / "deck.pptx"
    args = ["build", "-p", str(PROFILE), "-x", str(PROSPECTS[0]), "-o", str(out), "--date", DATE]
    result = CliRunner().invoke(cli, [*args, "--storyline", storyline, "--no-brief"])
    assert result.exit_code == 0, result.output
    assert f"storyline: {storyline.replace('-', '_')}" in result.output
    titles = " | ".join(_titles(out))
    for text in present:
        assert text in titles, titles
    for text in absent:
        assert text not in titles, titles
    assert not (tmp_path / "deck-brief.pptx").exists()
    if storyline == "walk-away":
        assert len(_titles(out)) + 1 <= 5  # cover + what we heard, standards, next step (+ the line, untitled)


def test_build_writes_the_brief_beside_the_deck_byte_identical_on_rebuild(tmp_path):
    args = ["build", "-p", str(PROFILE), "-x", str(PROSPECTS[0]), "--date", DATE]
    briefs = []
    for n in (1, 2):
        out = tmp_path / f"d{n}" / "deck.pptx"
        out.parent.mkdir()
        result = CliRunner().invoke(cli, [*args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        brief = out.with_name("deck-brief.pptx")
        assert f"Wrote {brief}" in result.output
        briefs.append(brief.read_bytes())
    assert briefs[0] == briefs[1]
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in Presentation(str(brief)).slides)
    slide_text = " ".join(
        sh.text_frame.text for s in Presentation(str(brief)).slides for sh in s.shapes if sh.has_text_frame
    )
    assert "/100" in slide_text and "The one goal of this meeting" in slide_text
    assert "Likely objections" in slide_text and "not for the prospect" in notes


def test_skip_walk_away_writes_only_the_brief(tmp_path):
    hengxin = examples_dir() / "prospects" / "hengxin-logistics.yaml"
    out = tmp_path / "hk.pptx"
    result = CliRunner().invoke(
        cli, ["build", "-p", str(PROFILE), "-x", str(hengxin), "-o", str(out), "--skip-walk-away"]
    )
    assert result.exit_code == 0, result.output
    assert not out.exists() and (tmp_path / "hk-brief.pptx").is_file()
    assert "No customer deck" in result.output


def test_no_cost_chart_when_managed_does_not_save_money(tmp_path):
    # Hengxin (another MSP, no revenue known): managed costs more than today, so even a pitch drops the chart
    from deckgen.sales.costs import estimate_costs

    hengxin = examples_dir() / "prospects" / "hengxin-logistics.yaml"
    assert estimate_costs(load_prospect(hengxin), load_profile(PROFILE)).comparison.savings <= 0
    for name, storyline, charted in (("hk", "pitch", False), ("alamo", "pitch", True)):
        prospect = hengxin if name == "hk" else PROSPECTS[0]
        out = tmp_path / f"{name}.pptx"
        args = ["build", "-p", str(PROFILE), "-x", str(prospect), "-o", str(out), "--storyline", storyline]
        result = CliRunner().invoke(cli, [*args, "--no-brief"])
        assert result.exit_code == 0, result.output
        charts = [sh.name for s in Presentation(str(out)).slides for sh in s.shapes if sh.has_chart]
        assert ("cost_comparison" in charts) == charted, (name, charts)
