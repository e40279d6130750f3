#!/usr/bin/env python3
"""Generate the bundled ``seller-brief`` template: templates/seller-brief/template.pptx.

    python tools/make_brief_template.py [--out PATH]

The seller brief is a working page for the seller, never shown to the prospect: two slides
(print them as two pages), 12 pt and up, scannable labels. Slide 1 is the verdict (goal, score,
band, confidence, what is unknown, the questions to ask, the fit per criterion); slide 2 is the
conversation (likely objections with answers, the closing line with when and how to say it,
the seller's own notes). It shares the walk-away template's grid, theme and helpers, so a brand
kit restyles both.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_walkaway_template import (  # noqa: E402
    BG2,
    BODY_BOTTOM,
    BODY_Y,
    FOOTER_Y,
    MARGIN,
    SLIDE_W,
    SOFT,
    TX1,
    TX2,
    P,
    Para,
    Style,
    brand_notes_master,
    content_slide,
    deterministic_zip,
    fit_chart,
    notes,
    prepare_package,
    rect,
    run_generator,
    textbox,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "seller-brief" / "template.pptx"

LABEL = Style(12, TX2, bold=True, caps=True, spacing=100)
TEXT = Style(14)
TEXT_SOFT = Style(13, TX1, SOFT)
STRONG = Style(18, TX2, bold=True, heading=True)
PANEL = Style(13)
PANEL_SOFT = Style(12, TX1, SOFT)
REASON_CHARS = 64  # each criterion's reason on page 1 (seven fit at 12 pt); its notes hold them whole
NOTES_CHARS = 260  # the seller's notes in the close panel; the slide's speaker notes hold them in full

# the objections box (deckgen.sales.brief budgets its content with the same box, at the sizes the engine
# shrinks these to at most: min_font_size 12 in template.yaml)
SAYS_PT, ANSWER_PT, AVOID_PT = 14, 13, 13
OBJ_W = 7.2
OBJ_Y = BODY_Y + 0.15


def _verdict_slide(prs, blank) -> None:
    s = content_slide(prs, blank, "Seller brief: {{ prospect.company }}")
    left_w = 6.0
    # three stacked boxes that never overlap: goal, verdict, questions (each shrinks to fit its own box)
    goal_y, verdict_y, questions_y = BODY_Y - 0.2, BODY_Y + 0.85, BODY_Y + 2.6
    textbox(
        s,
        "Goal",
        MARGIN,
        goal_y,
        left_w,
        verdict_y - goal_y - 0.1,
        [
            P("The one goal of this meeting", LABEL, after=4),
            P("{{ deck.brief.goal }}", STRONG, line=1.0),
        ],
    )
    textbox(
        s,
        "Verdict",
        MARGIN,
        verdict_y,
        left_w,
        questions_y - verdict_y - 0.15,
        [
            P("Verdict (never on a customer slide)", LABEL, after=4),
            Para(
                [
                    ("{{ fit.score }}/100 · {{ fit.band_label }}", Style(16, TX2, bold=True)),
                    ("  ·  data confidence {{ fit.confidence | percent }}", TEXT_SOFT),
                ]
            ),
            P("{{ fit.verdict }}", TEXT, line=1.0, before=2),
            P("Storyline: {{ deck.brief.storyline_label }}", TEXT_SOFT, line=1.0, before=2),
        ],
    )
    textbox(
        s,
        "Questions",
        MARGIN,
        questions_y,
        left_w,
        FOOTER_Y - 0.1 - questions_y,  # down to just above the footer band
        [
            P("Ask in discovery", LABEL, after=4),
            P("{% for q in deck.brief.questions %}{{ q }}{% endfor %}", TEXT, bullet="num", line=1.0, after=3),
            P("{% if deck.brief.unknowns %}Not known yet{% endif %}", LABEL, before=6, after=3),
            P("{% if deck.brief.unknowns %}{{ deck.brief.unknowns | join(', ') }}{% endif %}", TEXT_SOFT, line=1.0),
        ],
    )
    chart_x = MARGIN + left_w + 0.5
    chart_w = SLIDE_W - MARGIN - chart_x
    textbox(s, "Fit label", chart_x, BODY_Y - 0.2, chart_w, 0.3, [P("Points per criterion", LABEL)])
    chart = fit_chart(s, chart_x, BODY_Y + 0.1, chart_w, 1.75).chart
    chart.category_axis.tick_labels.font.size = Pt(11)
    textbox(
        s,
        "Reasons",
        chart_x,
        BODY_Y + 1.9,
        chart_w,
        BODY_BOTTOM - BODY_Y - 1.9,
        [
            P("Why", LABEL, after=4),
            Para(
                [
                    (
                        "{% for c in fit.criteria %}{{ c.label }} {{ c.points }}/{{ c.max_points }}: ",
                        Style(12, TX2, bold=True),
                    ),
                    # a long reason is cut at a word on the page (the notes give it whole), so seven
                    # criteria always fit the box at the template's smallest size
                    (
                        "{{ c.reason | truncate(" + str(REASON_CHARS) + ", false, '…', 0) }}{% endfor %}",
                        Style(12, TX1, SOFT),
                    ),
                ],
                line=1.0,
                after=2,
            ),
        ],
    )
    notes(
        s,
        [
            "This brief is for you, not for the prospect: do not send it, do not show it on screen.",
            "GUIDANCE: {{ deck.brief.guidance }}",
            "{% if fit.disqualified_by %}Disqualified by: {{ fit.disqualified_by | join('; ') }}.{% endif %}",
            "{% if fit.must_have_failures %}Must-haves not met: {{ fit.must_have_failures | join(' ') }}{% endif %}",
            "WHY, IN FULL:",
            "{% for c in fit.criteria %}{{ c.label }} {{ c.points }}/{{ c.max_points }}: {{ c.reason }}{% endfor %}",
        ],
    )


def _conversation_slide(prs, blank) -> None:
    s = content_slide(prs, blank, "Objections to expect, and how to close")
    left_w = OBJ_W
    textbox(s, "Objections label", MARGIN, BODY_Y - 0.2, left_w, 0.3, [P("{{ deck.brief.objections_label }}", LABEL)])
    # a text box, not a table: the engine measures and shrinks it; deckgen.sales.brief.paginate_objections
    # lets onto the page only what fits its OBJECTION_BOX (the rest stays in the deck's speaker notes)
    none_yet = P(
        "{% if not deck.brief.objections %}Nothing in their data points to an objection yet: listen for one in "
        "discovery and write it down.{% endif %}",
        Style(ANSWER_PT, TX1, SOFT),
        line=1.0,
    )
    textbox(s, "Objections", MARGIN, OBJ_Y, left_w, BODY_BOTTOM - OBJ_Y, [*_objection_paras(), none_yet])
    panel_x = MARGIN + left_w + 0.4
    panel_w = SLIDE_W - MARGIN - panel_x
    rect(s, "Close panel", panel_x, BODY_Y - 0.2, panel_w, BODY_BOTTOM - BODY_Y + 0.2, BG2)
    textbox(
        s,
        "Close",
        panel_x + 0.3,
        BODY_Y,
        panel_w - 0.6,
        BODY_BOTTOM - BODY_Y - 0.2,
        [
            P("The closing line", LABEL, after=4),
            P("“{{ deck.brief.closing_text }}”", Style(14, TX2, bold=True, heading=True), line=1.0, after=6),
            P("When", LABEL, after=2),
            P("{{ deck.brief.closing_when }}", PANEL, line=1.0, after=6),
            P("How", LABEL, after=2),
            P("{{ deck.brief.closing_how }}", PANEL, line=1.0, after=6),
            P("Bridge into it", LABEL, after=2),
            P("“{{ deck.brief.bridge }}”", PANEL, line=1.0, after=6),
            P("{% if deck.brief.prospect_notes %}Your notes{% endif %}", LABEL, after=2),
            P(
                "{% if deck.brief.prospect_notes %}{{ deck.brief.prospect_notes | truncate("
                + str(NOTES_CHARS)
                + ") }}{% endif %}",
                PANEL_SOFT,
                line=1.0,
            ),
        ],
        anchor=MSO_ANCHOR.TOP,
    )
    notes(
        s,
        [
            "{% if closing.coaching %}Coaching for this line: {{ closing.coaching }}{% endif %}",
            "{% if deck.brief.prospect_notes %}Your notes, in full: {{ deck.brief.prospect_notes }}{% endif %}",
            "{% for o in deck.brief.objections if not o.in_brief %}Also likely (no room on the page): “{{ o.says }}” "
            "{{ o.answer }} Avoid: {{ o.avoid }}{% endfor %}",
            "{% if deck.brief.closing_full != deck.brief.closing_text %}The line is said as the slide shows it; "
            "the longer form, if they ask what you mean: “{{ deck.brief.closing_full }}”{% endif %}",
            "Why this line: {{ closing.reason }}",
            "If they agree to part: thank them, leave the door open, and log a qualified no with the reason.",
        ],
    )


def _objection_paras() -> list:
    """The objections that fit the page: the quote, the answer, what to avoid (one loop, three paragraphs)."""
    # the loop's tags stand in paragraphs of their own, so the loop repeats the three paragraphs between
    loop = "{% for o in deck.brief.objections if o.in_brief %}"
    return [
        P(loop, Style(ANSWER_PT, TX1)),
        P("“{{ o.says }}”", Style(SAYS_PT, TX2, bold=True), line=1.0, after=1),
        P("{{ o.answer }}", Style(ANSWER_PT, TX1), line=1.0),
        P("Avoid: {{ o.avoid }}", Style(AVOID_PT, TX1, SOFT), line=1.0, before=2, after=9),
        P("{% endfor %}", Style(ANSWER_PT, TX1)),
    ]


def build(brand: dict) -> bytes:
    prs = Presentation()
    blank = prepare_package(prs, brand)
    _verdict_slide(prs, blank)
    _conversation_slide(prs, blank)
    brand_notes_master(prs, brand)
    cp = prs.core_properties
    cp.title = "Seller brief (deckgen template)"
    cp.subject = "A seller-only brief per prospect: verdict, questions, objections, the close"
    cp.keywords = "deckgen; template; seller brief"
    buf = io.BytesIO()
    prs.save(buf)
    return deterministic_zip(buf.getvalue())


def main() -> None:
    run_generator(build, "Generate the seller-brief template.", OUT)


if __name__ == "__main__":
    main()
