"""File names from ASCII text take a short path (a batch names every row in its one parent process): the same
slugs and collision keys as the general path, character for character."""

from __future__ import annotations

import random
import re
import unicodedata

from deckgen import naming


def _general(text: str) -> str:
    """The general path of naming._untruncated, as it runs for any other text."""
    text = unicodedata.normalize("NFKC", text)
    chars: list[str] = []
    for ch in text:
        if naming._invisible(ch):
            continue
        if ch.isalnum() or ch in "_.":
            chars.append(ch)
        elif unicodedata.category(ch) in ("Mn", "Mc") and chars and chars[-1] != "-":
            chars.append(ch)
        else:
            chars.append("-")
    return re.sub(r"\.{2,}", ".", re.sub(r"[-\s]+", "-", "".join(chars))).strip("-._ ")


def test_ascii_names_are_slugged_as_the_general_path_does():
    rnd = random.Random(16)
    alphabet = [chr(i) for i in range(128)]
    samples = ["", "Acme & Co.", " ..a..b.. ", "con", "AUX.txt", "x\t\ny", "--_--", "A.B-C_d 9"]
    samples += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24))) for _ in range(3000)]
    for text in samples:
        assert naming._untruncated(text) == _general(text), repr(text)
        assert naming.collision_key(text) == unicodedata.normalize("NFKC", text).casefold(), repr(text)


def test_other_text_still_takes_the_general_path():
    for text in ("Café Zürich", "ﬁle Ⅻ", "ＡＢＣ", "नमस्ते दुनिया", "a\u00adb", "Straße"):
        assert naming._untruncated(text) == _general(text)
    assert naming.collision_key("STRASSE.pptx") == naming.collision_key("Straße.pptx")
