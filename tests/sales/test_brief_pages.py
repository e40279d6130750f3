"""What goes on the brief's page is budgeted by measured fit: the objections page 2's box has room for are
printed, the rest stay in the notes, and the budget uses the template's own box and type sizes."""

from __future__ import annotations

import re

from pptx import Presentation
from pptx.util import Emu

from deckgen.resources import bundled_dir
from deckgen.sales import brief

TEMPLATE = bundled_dir("templates") / "seller-brief" / "template.pptx"
SPEC = TEMPLATE.with_name("template.yaml")


def objection(words: int) -> dict:
    return {"says": "Word " * 8, "answer": "word " * words, "avoid": "Do not do that."}


def _boxes() -> dict[int, tuple[float, float, list[float]]]:
    out = {}
    for number, slide in enumerate(Presentation(str(TEMPLATE)).slides, start=1):
        for sh in slide.shapes:
            if sh.name == "Objections":
                sizes = [r.font.size.pt for p in sh.text_frame.paragraphs for r in p.runs if r.font.size]
                out[number] = (Emu(sh.width).pt, Emu(sh.height).pt, sizes)
    return out


def test_the_budget_uses_the_templates_objection_boxes_and_type():
    boxes = _boxes()
    assert set(boxes) == {2}  # two pages: the objections are on page 2
    width, height, sizes = boxes[2]
    assert round(width) == round(brief.OBJECTION_BOX_W) and round(height) == round(brief.OBJECTION_BOX_H)
    # designed a step up; the engine shrinks the frame down to min_font_size, the size the budget assumes
    designed = sizes[1:4]  # after the paragraph holding the loop tag: the quote, the answer, what to avoid
    smallest = float(re.search(r"^min_font_size: (\d+)", SPEC.read_text(encoding="utf-8"), re.M).group(1))
    scale = smallest / min(designed)
    budget = [brief.SAYS_PT, brief.ANSWER_PT, brief.AVOID_PT]
    assert all(size * scale <= b <= size for size, b in zip(designed, budget, strict=True)), (designed, budget)


def test_a_longer_text_needs_more_lines_and_cjk_counts_a_full_em():
    narrow = brief.text_height("word " * 100, 12, 200)
    assert narrow > brief.text_height("word " * 100, 12, 500) > brief.text_height("word", 12, 500)
    assert brief.text_height("物" * 40, 12, 240) == 2 * 1.2 * 12  # 40 ems on a 20-em line: two lines


def test_objections_that_do_not_fit_page_two_stay_off_it_the_likeliest_first():
    few = brief.paginate_objections([objection(20), objection(20)])
    assert [o["in_brief"] for o in few] == [True, True]
    many = brief.paginate_objections([objection(120) for _ in range(4)])
    shown = [o["in_brief"] for o in many]
    assert shown[0] and not shown[-1] and shown == sorted(shown, reverse=True)  # a prefix, never a gap
    used = sum(brief.objection_height(o) for o in many if o["in_brief"])
    assert used <= brief.OBJECTION_BOX_H
    assert brief.paginate_objections([objection(1000)])[0]["in_brief"] is False  # even alone it would overflow
