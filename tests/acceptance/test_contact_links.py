"""The demo decks' contact email opens a new message: a mailto: link, not plain text."""

from __future__ import annotations

from click.testing import CliRunner
from pptx import Presentation

from deckgen.cli import cli
from deckgen.load.files import load_profile
from deckgen.resources import examples_dir


def test_the_demo_decks_contact_email_is_a_mailto_link(tmp_path):
    out = tmp_path / "decks"
    result = CliRunner().invoke(cli, ["demo", "--out-dir", str(out), "--date", "2026-11-25", "--no-brief"])
    assert result.exit_code == 0, result.output
    email = load_profile(examples_dir() / "profile.yaml").msp.sales_contact.email
    checked = 0
    for deck in sorted(out.glob("*.pptx")):
        for slide in Presentation(str(deck)).slides:
            for shape in slide.shapes:
                if shape.name != "Contact":
                    continue
                runs = [r for p in shape.text_frame.paragraphs for r in p.runs if r.text == email]
                assert runs, f"{deck.name}: the contact band does not show {email}"
                assert [r.hyperlink.address for r in runs] == [f"mailto:{email}"] * len(runs), deck.name
                checked += 1
    assert checked >= 2  # the pitch decks end on the contact slide
