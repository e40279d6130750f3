"""review.html: one self-contained page (inlined CSS and plain JavaScript, no network) for a batch folder.

Every value from the data is HTML-escaped here (company names are hostile input); links are
percent-encoded names of files beside the page. The page's Content-Security-Policy allows only its own
inlined script and style (by hash) and images from its folder, so even a value that slipped through could
not run or fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from html import escape
from pathlib import Path
from urllib.parse import quote

from deckgen.review.data import BAND_ORDER, ReviewData, ReviewRow, band_label, warning_kind

__all__ = ["page_chunks", "render_page"]

_ASSETS = Path(__file__).parent
THUMB_HEIGHT = 135  # CSS pixels high the strip is shown at, on its own line under the row (review.css agrees)


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _href(name: str) -> str:
    return _e(quote(name, safe="/"))


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _band_chip(band: str) -> str:
    cls = band if band in BAND_ORDER else "other"
    return f'<span class="band band-{cls}">{_e(band_label(band))}</span>'


def _options(values: list[str], all_label: str) -> str:
    out = [f'<option value="">{_e(all_label)}</option>']
    out += [f'<option value="{_e(v)}">{_e(v)}</option>' for v in values]
    return "".join(out)


def _links(r: ReviewRow) -> str:
    """The deck's files, under the company's name: deck, PDF, seller brief (and its PDF)."""
    who = f"<span class=vh> for {_e(r.company)}</span>"
    files = [f'<a href="{_href(r.file)}">Deck{who}</a>']
    if r.pdf:
        files.append(f'<a href="{_href(r.pdf)}">PDF{who}</a>')
    if r.brief:
        files.append(f'<a href="{_href(r.brief)}">Seller brief{who}</a>')
    if r.brief_pdf:
        files.append(f'<a href="{_href(r.brief_pdf)}">Brief PDF{who}</a>')
    return f'<span class="files">{" ".join(files)}</span>'


def _thumb(r: ReviewRow) -> str:
    """The key-slide strip, a link to the PDF when there is one, else to the slides' PNG (never the .pptx)."""
    if not r.thumb:
        return '<span class="none">no thumbnails (run with --thumbnails)</span>'
    w, h = r.thumb_size
    width = round(w * THUMB_HEIGHT / h) if w and h else ""
    target = r.pdf or r.sheet or r.thumb
    what = "PDF" if r.pdf else "slides"
    return (
        f'<a href="{_href(target)}" title="Open the {what} of the deck for {_e(r.company)}">'
        f'<img src="{_href(r.thumb)}" loading="lazy" decoding="async" width="{width}" height="{THUMB_HEIGHT}" '
        f'alt="Key slides of the deck for {_e(r.company)}"></a>'
    )


def _closing(r: ReviewRow) -> str:
    """The closing line's id, its words on expand (the same line is in most rows: the id is what differs)."""
    x = r.extra
    if x.closing_text and x.closing_id == r.closing:
        return f"<details><summary>{_e(r.closing)}</summary><q>{_e(x.closing_text)}</q></details>"
    return _e(r.closing)


def _row_html(i: int, r: ReviewRow) -> str:
    x = r.extra
    conf = "" if x.confidence is None else f"{x.confidence:.2f}"
    where = ", ".join(v for v in (x.city, x.country) if v)
    sub = " · ".join(v for v in (x.industry, where) if v)
    dup = r.duplicate
    attrs = (
        f'data-file="{_e(r.file)}" data-sha="{_e(r.sha256)}" data-band="{_e(r.band)}" '
        f'data-score="{"" if r.score is None else r.score}" data-conf="{conf}" data-warn="{len(r.warnings)}" '
        f'data-industry="{_e(x.industry)}" data-city="{_e(x.city)}" data-company="{_e(r.company)}"'
        + (f' data-dup="{_e(dup)}"' if dup else "")
    )
    reasons = "".join(f"<li>{_e(t)}</li>" for t in x.reasons) or '<li class="none">not known</li>'
    warns = (
        "".join(f'<li><span class="kind">{_e(warning_kind(w))}</span> {_e(w)}</li>' for w in r.warnings)
        or '<li class="none">none</li>'
    )
    score = "–" if r.score is None else str(r.score)
    conf_text = "–" if x.confidence is None else f"{round(x.confidence * 100)} %"
    company = _e(r.company) or "(no name)"
    flag = f'<span class="dup">{_e(dup[:1].upper() + dup[1:])}</span>' if dup else ""
    if r.twins:  # the original of a pair: not held, but flagged, naming the row that repeats it
        flag += f'<span class="dup twin">{_e(r.repeated[:1].upper() + r.repeated[1:])}</span>'
    return (
        f'<tr id="r{i}" role="row" {attrs}>'
        f'<td role="cell" class="num rank">{i}</td>'
        f'<th scope="row" role="rowheader" class="s company"><span class="name">{company}</span>{flag}'
        f'<span class="sub">{_e(sub)}</span><span class="meta">row {r.row} · {_e(r.id)} · '
        f'<span class="change change-{_e(r.change)}">{_e(r.change)}</span></span>{_links(r)}</th>'
        f'<td role="cell">{_band_chip(r.band)}</td>'
        f'<td role="cell" class="num">{score}</td><td role="cell" class="num">{conf_text}</td>'
        f'<td role="cell" class="decide"><fieldset><legend class="vh">Decision for {company}</legend>'
        f'<label><input type="radio" name="d{i}" value="ready"> Ready</label>'
        f'<label><input type="radio" name="d{i}" value="hold"> Hold</label>'
        f'<label class="vh" for="m{i}">Remark on the deck for {company}</label>'
        f'<input id="m{i}" class="remark" type="text" maxlength="500" placeholder="Remark">'
        f'<span class="stale" hidden>The deck changed after it was marked: look again.</span>'
        f"</fieldset></td>"
        f'<td role="cell" class="s closing">{_closing(r)}</td>'
        f'<td role="cell" class="s"><ul class="reasons">{reasons}</ul></td>'
        f'<td role="cell" class="s"><ul class="warns">{warns}</ul></td>'
        f'<td role="cell" class="thumbs">{_thumb(r)}</td>'
        "</tr>"
    )


def _figures(data: ReviewData) -> str:
    meta = data.meta
    bands = data.bands
    chips = "".join(f"<li>{_band_chip(b)} <strong>{n}</strong></li>" for b, n in bands.items() if n or b in BAND_ORDER)
    failed = ""
    if data.failed:
        items = "".join(
            f"<li>row {r.row}{' · ' + _e(r.company) if r.company else ''}"
            f"{' · ' + _e(r.error_field) if r.error_field else ''}: {_e(r.error)}</li>"
            for r in data.failed
        )
        shown = f", {len(data.failed)} shown" if len(data.failed) < data.failed_count else ""
        summary = f"<summary>{data.failed_count} failed row(s){shown}</summary>"
        failed = f'<details class="failed">{summary}<ul>{items}</ul></details>'
    c = data.changes
    removed = f", {len(data.removed)} gone" if data.removed else ""
    seconds = float(meta.get("seconds") or 0)
    return (
        '<dl class="figures">'
        f"<div><dt>Decks</dt><dd><strong>{data.deck_count}</strong></dd></div>"
        f'<div><dt>By verdict</dt><dd><ul class="chips">{chips}</ul></dd></div>'
        f"<div><dt>Failed rows</dt><dd><strong>{data.failed_count}</strong>{failed}</dd></div>"
        f"<div><dt>Batch time</dt><dd>{seconds:.1f} s</dd></div>"
        f"<div><dt>Since the last review</dt><dd>{c['new']} new, {c['rebuilt']} rebuilt, "
        f"{c['unchanged']} unchanged{removed}</dd></div>"
        "</dl>"
    )


def _controls(data: ReviewData) -> str:
    bands = [b for b in BAND_ORDER if data.bands.get(b)] + sorted(b for b in data.bands if b not in BAND_ORDER)
    band_opts = '<option value="">All verdicts</option>' + "".join(
        f'<option value="{_e(b)}">{_e(band_label(b))}</option>' for b in bands
    )
    industries = sorted({r.extra.industry for r in data.rows if r.extra.industry}, key=str.casefold)
    cities = sorted({r.extra.city for r in data.rows if r.extra.city}, key=str.casefold)
    return (
        '<form id="filters" role="search" aria-label="Filter and sort the decks">'
        '<label>Search <input type="search" id="q" placeholder="company, closing line, reason…"></label>'
        f'<label>Verdict <select id="f-band">{band_opts}</select></label>'
        f'<label>Industry <select id="f-industry">{_options(industries, "All industries")}</select></label>'
        f'<label>City <select id="f-city">{_options(cities, "All cities")}</select></label>'
        '<label>Warnings <select id="f-warn"><option value="">Any</option>'
        '<option value="1">With warnings</option><option value="0">Without warnings</option></select></label>'
        '<label>Decision <select id="f-dec"><option value="">Any</option><option value="none">Not marked</option>'
        '<option value="ready">Ready</option><option value="hold">Hold</option></select></label>'
        '<label>Sort by <select id="sort"><option value="rank">Rank (verdict, then score)</option>'
        '<option value="score-desc">Score, high first</option><option value="score-asc">Score, low first</option>'
        '<option value="conf-desc">Data confidence, high first</option>'
        '<option value="warn-desc">Most warnings first</option><option value="company">Company, A to Z</option>'
        "</select></label></form>"
        '<div class="approve"><label>Your name <input id="reviewer" autocomplete="name" maxlength="120"></label>'
        '<button type="button" id="export">Export decisions (review-decisions.csv)</button>'
        '<span id="marked" aria-live="polite"></span></div>'
        '<p id="message" role="status"></p>'
        '<textarea id="export-text" readonly hidden rows="4" aria-label="The exported decisions as CSV"></textarea>'
    )


_COLUMNS = (
    "#",
    "Company",
    "Verdict",
    "Score",
    "Confidence",
    "Decision",
    "Closing line",
    "Top reasons",
    "Warnings",
)
# the strip spans the row's second line: its header is for assistive technology only
_HEAD = "".join(f'<th scope="col" role="columnheader">{_e(c)}</th>' for c in _COLUMNS) + (
    '<th scope="col" role="columnheader" class="vh">Key slides</th>'
)


def _capped(data: ReviewData) -> str:
    """The line a page that does not show every row starts with (nothing when it shows them all)."""
    if not data.capped:
        return ""
    shown = len(data.rows) + len(data.failed)
    return (
        f'<p class="capped" role="note"><strong>This page shows {shown:,} of {data.total_rows:,} rows</strong>: '
        f"{len(data.rows):,} of {data.deck_count:,} decks (those with warnings first, then the best fits) "
        f"and {len(data.failed):,} of {data.failed_count:,} failed rows (the first ones). "
        f'<a href="report.csv">report.csv</a> holds all {data.total_rows:,} rows.</p>'
    )


def render_page(data: ReviewData) -> str:
    """The whole page as text (:func:`page_chunks` joined)."""
    return "".join(page_chunks(data))


def page_chunks(data: ReviewData) -> Iterator[str]:
    """The page as pieces of text, a deck's row at a time, so it is written without ever being whole in
    memory (a page of 2,000 decks is several MiB of text, held as a list of rows, the joined rows, the
    page and its UTF-8 at once when built as one string)."""
    css = (_ASSETS / "review.css").read_text(encoding="utf-8")
    js = (_ASSETS / "review.js").read_text(encoding="utf-8")
    meta = data.meta
    csp = (
        f"default-src 'none'; img-src 'self' file: data:; style-src {_csp_hash(css)}; "
        f"script-src {_csp_hash(js)}; form-action 'none'; base-uri 'none'"
    )
    title = f"Review: {data.deck_count} decks" + (f" for {meta['date']}" if meta.get("date") else "")
    notes = "".join(f"<li>{_e(n)}</li>" for n in data.notes)
    source = " · ".join(
        _e(v)
        for v in (
            meta.get("brand"),
            meta.get("template") and f"template {meta['template']}",
            meta.get("input") and f"from {Path(str(meta['input'])).name}",
            meta.get("generated") and f"built {meta['generated'][:16].replace('T', ' ')} UTC",
        )
        if v
    )
    yield (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="no-referrer"><title>{_e(title)}</title><style>{css}</style></head>\n'
        f'<body><a class="skip" href="#list">Skip to the decks</a>'
        f'<header><h1>{_e(title)}</h1>{_capped(data)}<p class="source">{source}</p>{_figures(data)}'
        f"{f'<ul class=notes>{notes}</ul>' if notes else ''}</header>\n"
        f'<main id="review" data-folder="{_e(data.out_dir.resolve().as_posix())}">{_controls(data)}'
        f'<p id="shown" aria-live="polite">Showing {len(data.rows)} of {len(data.rows)} decks</p>'
        '<table id="list" role="table" aria-label="Decks, best fit first" tabindex="-1">'
        f'<thead role="rowgroup"><tr role="row">{_HEAD}</tr></thead>\n'
        '<tbody id="rows" role="rowgroup">\n'
    )
    for i, r in enumerate(data.rows, 1):
        yield _row_html(i, r) if i == 1 else "\n" + _row_html(i, r)
    yield (
        "\n</tbody></table>"
        '<p class="keys">Keys: <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> next/previous deck, '
        "<kbd>r</kbd> ready, <kbd>h</kbd> hold (on a deck's row).</p></main>\n"
        f"<script>{js}</script></body></html>\n"
    )
