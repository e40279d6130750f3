"""Deck file names come from CRM data: always a safe, unique name inside the output folder."""

from __future__ import annotations

import unicodedata

import pytest

from deckgen.errors import OutputError
from deckgen.naming import MAX_NAME_BYTES, NameAllocator, safe_join, slugify

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}

HOSTILE = [
    "../../x",
    "/etc/passwd",
    "a/b",
    "a\\b\\..\\..\\c",
    "CON",
    "aux.txt",
    "nul.tar.gz",
    "COM¹",
    "lpt9.",
    "deck. . .",
    "deck   ",
    "",
    ".",
    "..",
    "...",
    "x" * 300,
    "é" * 130,
    "e\u0301" * 130,
    "😀" * 50,
    "\u202eexe.pptx",
    "name\x00.pptx",
    "~/.ssh/id_rsa",
    "C:\\Windows\\system32",
    "-rf --no-preserve-root",
    "  leading and trailing  ",
    "file:///etc/passwd",
    "%2e%2e%2fx",
    '<script>|?*":',
]


def windows_safe(name: str) -> bool:
    stem = name.split(".")[0].lower()
    return (
        stem not in WINDOWS_RESERVED
        and not name.endswith((" ", "."))
        and not any(ch in name for ch in '<>:"/\\|?*')
        and all(ord(ch) >= 32 for ch in name)
    )


@pytest.mark.parametrize("stem", HOSTILE, ids=range(len(HOSTILE)))
def test_every_allocated_name_is_a_safe_file_inside_the_output_folder(tmp_path, stem):
    path, _ = NameAllocator(tmp_path).allocate(stem)
    assert path.parent == tmp_path and path.resolve().parent == tmp_path.resolve()
    name = path.name
    assert name.endswith(".pptx") and not name.startswith(".") and name != ".pptx"
    assert windows_safe(name), name
    assert len(name.encode("utf-8")) <= 255
    assert unicodedata.category(name[0])[0] in "LN"
    path.write_bytes(b"ok")  # the file system takes it


def test_names_are_cut_by_utf8_bytes_not_characters_and_never_mid_character():
    slug = slugify("é" * 130)
    assert len(slug.encode("utf-8")) <= MAX_NAME_BYTES and set(slug) == {"é"}
    assert slugify("x" * 300) == "x" * MAX_NAME_BYTES


@pytest.mark.parametrize(
    "stem, expected",
    [("CON", "CON-deck"), ("aux.txt", "aux-deck.txt"), ("nul.tar.gz", "nul-deck.tar.gz"), ("COM¹", "COM1-deck")],
)
def test_windows_device_names_are_never_produced_even_with_an_extension(stem, expected):
    assert slugify(stem) == expected


def test_names_that_collide_after_case_folding_or_normalisation_get_a_unique_suffix_and_a_report(tmp_path):
    names = NameAllocator(tmp_path)
    got = [names.allocate(s) for s in ["Café", "cafe\u0301", "CAFÉ", "Ｃａｆé", "Cafe"]]
    paths = [p.name for p, _ in got]
    assert paths[0] == "Café.pptx" and paths[4] == "Cafe.pptx"
    keys = {unicodedata.normalize("NFC", p).casefold() for p in paths}
    assert len(keys) == len(paths)  # unique even on a case-insensitive, normalising file system
    assert [w is not None for _, w in got] == [False, True, True, True, False]
    assert "already used" in got[1][1] and paths[1] in got[1][1]


def test_a_suffixed_name_never_collides_with_a_later_real_name(tmp_path):
    names = NameAllocator(tmp_path)
    first = [names.allocate(s)[0].name for s in ["acme", "acme", "acme-2", "ACME-2"]]
    assert len({n.casefold() for n in first}) == 4


@pytest.mark.parametrize("name", ["", ".", "..", "../x.pptx", "a/b.pptx", "a\\b.pptx", "x\x00.pptx"])
def test_safe_join_refuses_anything_that_is_not_a_plain_file_name(tmp_path, name):
    with pytest.raises(OutputError):
        safe_join(tmp_path, name)


def test_a_name_that_is_a_symlink_out_of_the_folder_is_never_written_through(tmp_path):
    # the name is a plain one; the link in its place is refused when the deck is written, which fails
    # that one deck (a batch goes on: tests/security/test_batch_outputs.py), never the folder's others
    from deckgen.output import TargetError, atomic_write

    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.pptx"
    elsewhere.write_bytes(b"not yours")
    (out / "evil.pptx").symlink_to(elsewhere)
    path = safe_join(out, "evil.pptx")
    with pytest.raises(TargetError, match="symbolic link"):
        atomic_write(path, b"deck")
    assert elsewhere.read_bytes() == b"not yours" and (out / "evil.pptx").is_symlink()


def test_a_folder_symlinked_elsewhere_is_still_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(tmp_path)
    with pytest.raises(OutputError):
        safe_join(out, "sub/x.pptx")
