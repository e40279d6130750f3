"""The prospect's copy of a deck (deckgen.review.clean): no speaker notes, no comments, the same bytes every time."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.check import check_deck
from deckgen.errors import UnsafeInputError
from deckgen.review.clean import prospect_copy
from tests.security.test_unseen_content import SECRET, with_comments
from tests.security.util import write_zip

NOTE = "Strong fit at 93/100: let that number land"


def deck_with_notes(path: Path, slides: int = 3) -> Path:
    prs = Presentation()
    for n in range(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"Slide {n + 1} for Acme"
        slide.notes_slide.notes_text_frame.text = f"{NOTE} (slide {n + 1})"
    prs.save(path)
    return path


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_the_copy_has_no_notes_slides_relationships_or_content_types(tmp_path):
    data = deck_with_notes(tmp_path / "d.pptx").read_bytes()
    assert sum("notesSlides/" in n for n in members(data)) == 6  # three notes slides and their relationships
    copy = prospect_copy(data, "d.pptx")
    parts = members(copy.data)
    assert copy.notes_slides == 3 and copy.comment_parts == 0
    assert not [n for n in parts if "notesSlide" in n]
    assert not [n for n, body in parts.items() if b"notesSlide" in body]  # no relationship, no override
    assert not [n for n, body in parts.items() if NOTE.encode() in body]
    assert "ppt/notesMasters/notesMaster1.xml" in parts  # the presentation still names its notes master
    prs = Presentation(io.BytesIO(copy.data))
    assert [s.shapes.title.text for s in prs.slides] == ["Slide 1 for Acme", "Slide 2 for Acme", "Slide 3 for Acme"]
    assert not any(s.has_notes_slide for s in prs.slides)
    (tmp_path / "copy.pptx").write_bytes(copy.data)
    assert check_deck(tmp_path / "copy.pptx").ok


def test_unchanged_members_are_copied_as_stored_and_the_copy_is_the_same_every_time(tmp_path):
    data = deck_with_notes(tmp_path / "d.pptx").read_bytes()
    first = prospect_copy(data, "d.pptx").data
    assert prospect_copy(data, "d.pptx").data == first
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(io.BytesIO(first)) as out:
        for info in out.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            if info.filename.startswith(("ppt/slides/slide", "ppt/theme/", "ppt/slideLayouts/slideLayout")):
                assert info.compress_size == src.getinfo(info.filename).compress_size
    assert prospect_copy(first, "copy.pptx").data == first  # a copy has nothing more to take out


def test_comments_and_their_authors_are_taken_out_too(tmp_path):
    data = deck_with_notes(tmp_path / "d.pptx", slides=1).read_bytes()
    items = members(data)
    with_comments(items)
    write_zip(tmp_path / "commented.pptx", list(items.items()))
    copy = prospect_copy((tmp_path / "commented.pptx").read_bytes(), "commented.pptx")
    parts = members(copy.data)
    assert copy.comment_parts == 4 and copy.notes_slides == 1
    assert not [n for n in parts if "comment" in n.lower() or n.endswith("authors.xml")]
    assert not [n for n, body in parts.items() if SECRET in body or b"commentRel" in body or b"authors+xml" in body]
    (tmp_path / "copy.pptx").write_bytes(copy.data)
    assert check_deck(tmp_path / "copy.pptx").ok
    assert len(Presentation(tmp_path / "copy.pptx").slides) == 1


def test_the_document_properties_count_no_notes(tmp_path):
    data = deck_with_notes(tmp_path / "d.pptx").read_bytes()
    items = members(data)
    items["docProps/app.xml"] = items["docProps/app.xml"].replace(b"<Notes>0</Notes>", b"<Notes>3</Notes>")
    assert b"<Notes>3</Notes>" in items["docProps/app.xml"]
    write_zip(tmp_path / "counted.pptx", list(items.items()))
    parts = members(prospect_copy((tmp_path / "counted.pptx").read_bytes(), "counted.pptx").data)
    assert b"<Notes>0</Notes>" in parts["docProps/app.xml"]


def test_what_is_not_a_deck_is_refused():
    with pytest.raises(UnsafeInputError, match="not a PowerPoint file"):
        prospect_copy(b"deck of row 4", "x.pptx")
