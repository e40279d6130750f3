"""A first-time user edits the profile, prospect and brand kit ``deckgen init`` wrote, making the usual mistakes.

Each mistake must stop the build with ``Error: <file>:<line> <field>: <what is wrong and what to write>``,
exit code 2, no traceback and no deck written; or, where the file still reads, warn saying what was lost.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner
from onboarding import PROSPECT, edit, workspace

from deckgen.cli.app import cli


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return workspace(tmp_path)


def _build(ws: Path):
    out = ws.parent / "out" / "deck.pptx"
    args = ["build", "-p", str(ws / "profile.yaml"), "-x", str(ws / PROSPECT), "-b", str(ws / "brand"), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    return result, out


def _refused(ws: Path, file: str, line: int, says: str) -> str:
    result, out = _build(ws)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert not out.parent.exists() or not any(out.parent.iterdir())
    assert f"Error: {ws / file}:{line}" in result.output, result.output
    assert says in result.output, result.output
    return result.output


@pytest.mark.parametrize(
    "file, old, new, line, says",
    [
        (
            "profile.yaml",
            "  industries:\n    - dental",
            "  industires:\n    - dental",
            73,
            "did you mean 'industries'?",
        ),
        (
            PROSPECT,
            "\nindustry:",
            "\nindusty:",
            3,
            "industy: unknown field (check the spelling): did you mean 'industry'?",
        ),
        (
            PROSPECT,
            "  users: 28",
            "  users: 28 users",
            18,
            "size.users: '28 users' is not a whole number; write the number only: 28",
        ),
        (
            "profile.yaml",
            "    price: 95",
            '    price: "$120"',
            154,
            "'$120' has a currency in it; write the number only: 120",
        ),
        (
            "profile.yaml",
            "productivity_lost: 0.5",
            "productivity_lost: 15%",
            305,
            "'15%' is a percentage; write it as a share of 1: 0.15",
        ),
        ("profile.yaml", "managed_downtime_reduction: 0.6", "managed_downtime_reduction: 60", 326, "(60% is 0.6)"),
        (
            "profile.yaml",
            "  currency: USD",
            "  currency: $",
            25,
            "'$' is not a currency code; write the three-letter code in capitals: USD",
        ),
        (
            "brand/brand.yaml",
            '"#14365D"',
            "navy",
            7,
            "'navy' is a colour name; write it as a hex code in quotes, e.g. \"#000080\"",
        ),
        (
            "brand/brand.yaml",
            '"#14365D"',
            "#14365D",
            7,
            "colors.primary: is empty: in YAML a # starts a comment, so put the colour in quotes",
        ),
        (PROSPECT, "it_model: break_fix", "it_model: break-fix", 26, "did you mean 'break_fix'?"),
        (
            "profile.yaml",
            "    unit: per_user_month",
            "    unit: per user per month",
            159,
            "did you mean 'per_user_month'?",
        ),
        (
            "profile.yaml",
            "  - id: ridgeline-why-it-broke",
            "  - id: Ridgeline why it broke",
            271,
            "e.g. 'ridgeline-why-it-broke'",
        ),
        (
            "profile.yaml",
            "  compliance:\n    - HIPAA\n    - PCI DSS\n    - SOC 2",
            "  compliance: HIPAA, SOC 2",
            91,
            "or all of them in brackets: [HIPAA, SOC 2]",
        ),
        (
            PROSPECT,
            "size:\n  users: 28\n  endpoints: 34\n  sites: 2",
            "size: 28 users",
            17,
            "must be a group of fields (users, endpoints, sites)",
        ),
        (
            "profile.yaml",
            "  industries:\n    - dental\n    - medical\n    - legal\n    - accounting\n",
            "  industries:\n",
            73,
            "icp.industries: is empty: list at least one item",
        ),
        (
            PROSPECT,
            "annual_revenue: 4200000",
            "annual_revenue: 4,200,000",
            39,
            "write the number without thousands separators: 4200000",
        ),
        (
            "profile.yaml",
            "remote_ok: true",
            "remote_ok: yes please",
            107,
            "'yes please' is not true or false; write true or false",
        ),
    ],
)
def test_a_mistyped_value_says_what_to_write_instead(ws, file, old, new, line, says):
    edit(ws / file, old, new)
    _refused(ws, file, line, says)


def test_an_empty_ideal_client_section_says_its_fields_go_below_it(ws):
    text = (ws / "profile.yaml").read_text(encoding="utf-8")
    start, end = text.index("\nicp:"), text.index("\n# --- What you sell")
    (ws / "profile.yaml").write_text(text[:start] + "\nicp:\n" + text[end:], encoding="utf-8")
    _refused(ws, "profile.yaml", 67, "icp: is empty: its fields go on the lines below it")


@pytest.mark.parametrize(
    "old, new, line, says",
    [
        (
            "    min_users: 15",
            "   min_users: 15",
            89,
            "the indentation of this line does not line up with line 87 above",
        ),
        ("    min_users: 15", "\tmin_users: 15", 87, "a tab at the start of the line: YAML indents with spaces only"),
        ("  website: www", "  website www", 17, "this line has no colon after its field name"),
        ("    min_users: 15", "    min_users 15", 87, "this line has no colon after its field name"),
        (
            "  one_liner: Fewer IT emergencies, proven",
            "  one_liner: Our promise: fewer IT emergencies, proven",
            55,
            "a colon followed by a space inside a value: put the whole value in double quotes",
        ),
    ],
)
def test_a_yaml_slip_names_its_line_in_plain_words(ws, old, new, line, says):
    edit(ws / "profile.yaml", old, new)
    output = _refused(ws, "profile.yaml", line, says)
    assert "block" not in output and "token" not in output  # none of PyYAML's parser words


def test_a_field_indented_with_a_no_break_space_is_read_as_indented(ws):
    edit(ws / "profile.yaml", "    min_users: 15", "\u00a0   min_users: 42")
    result, out = _build(ws)
    assert result.exit_code == 0, result.output
    from deckgen.load.files import read_profile

    assert read_profile(ws / "profile.yaml").value.icp.size.min_users == 42


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_a_file_notepad_saved_as_unicode_reads_like_utf8(ws, codec):
    for name in ("profile.yaml", PROSPECT, "brand/brand.yaml"):
        path = ws / name
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        bom = codecs.BOM_UTF16_BE if codec == "utf-16-be" else b""
        path.write_bytes(bom + text.encode(codec))
    result, out = _build(ws)
    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_a_file_in_a_windows_code_page_names_the_line_and_how_to_save_it(ws):
    text = (ws / "profile.yaml").read_text(encoding="utf-8").replace("Ridgeline Managed IT\n", "Ridgeline Café IT\n", 1)
    for char in "—→…":
        text = text.replace(char, "-")
    (ws / "profile.yaml").write_bytes(text.encode("cp1252"))
    _refused(ws, "profile.yaml", 15, "save the file as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8)")


def test_a_value_cut_short_by_a_hash_is_warned_with_the_quotes_that_keep_it(ws):
    edit(ws / "profile.yaml", "  city: San Antonio, TX", "  city: Suite #4, San Antonio")
    result, _ = _build(ws)
    assert result.exit_code == 0, result.output
    assert f"{ws / 'profile.yaml'}:21 msp.city: the text from ' #' on was read as a comment" in result.output
    assert 'put the whole value in double quotes: "Suite #4, San Antonio"' in result.output


def test_a_comment_after_a_value_is_not_mistaken_for_a_cut_value(ws):
    result, _ = _build(ws)  # brand.yaml has `primary: "#14365D"     # deep navy …`
    assert result.exit_code == 0 and "read as a comment" not in result.output, result.output
