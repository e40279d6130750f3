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
    table,
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


def _verdict_slide(prs, blank) -> None:
    s = content_slide(prs, blank, "Seller brief: {{ prospect.company }}")
    left_w = 6.0
    textbox(
        s,
        "Goal",
        MARGIN,
        BODY_Y - 0.2,
        left_w,
        1.2,
        [
            P("The one goal of this meeting", LABEL, after=4),
            P("{{ deck.brief.goal }}", STRONG, line=1.0),
        ],
    )
    textbox(
        s,
        "Verdict",
        MARGIN,
        BODY_Y + 1.1,
        left_w,
        1.5,
        [
            P("Verdict (never on a customer slide)", LABEL, after=4),
            Para(
                [
                    ("{{ fit.score }}/100 · {{ fit.band_label }}", Style(16, TX2, bold=True)),
                    ("  ·  data confidence {{ fit.confidence | percent }}", TEXT_SOFT),
                ]
            ),
            P("{{ fit.verdict }}", TEXT, line=1.0, before=2),
            P("Storyline: {{ deck.brief.storyline_label }}", TEXT_SOFT, before=2),
        ],
    )
    textbox(
        s,
        "Questions",
        MARGIN,
        BODY_Y + 2.5,
        left_w,
        6.88 - (BODY_Y + 2.5),  # down to just above the footer band
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
                    ("{{ c.reason }}{% endfor %}", Style(12, TX1, SOFT)),
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
            "{% if fit.must_have_failures %}Must-haves not met: {{ fit.must_have_failures | join('; ') }}.{% endif %}",
        ],
    )


def _conversation_slide(prs, blank) -> None:
    s = content_slide(prs, blank, "Objections to expect, and how to close")
    left_w = 7.2
    textbox(s, "Objections label", MARGIN, BODY_Y - 0.2, left_w, 0.3, [P("Likely objections", LABEL)])
    table(
        s,
        "Objections",
        MARGIN,
        BODY_Y + 0.15,
        [2.6, left_w - 2.6],
        [
            [
                [P("{% for o in deck.brief.objections %}“{{ o.says }}”", Style(13, TX2, bold=True), line=1.0)],
                [
                    P("{{ o.answer }}", Style(12, TX1), line=1.0),
                    P("Avoid: {{ o.avoid }}{% endfor %}", Style(12, TX1, SOFT), line=1.0, before=2),
                ],
            ]
        ],
        [0.9],
        [(BG2, -0.1, 1)],
    )
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
            P("{% if deck.brief.prospect_notes %}{{ deck.brief.prospect_notes }}{% endif %}", PANEL_SOFT, line=1.0),
        ],
        anchor=MSO_ANCHOR.TOP,
    )
    notes(
        s,
        [
            "{% if closing.coaching %}Coaching for this line: {{ closing.coaching }}{% endif %}",
            "Why this line: {{ closing.reason }}",
            "If they agree to part: thank them, leave the door open, and log a qualified no with the reason.",
        ],
    )


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
