"""Trial renders for ``templates lint``: does the template build for the rows a seller really has?

A CRM company export gives a company name, an industry, a city and little else: no pain points, no
contact, no numbers. Lint renders the template against such a sparse prospect and against every
bundled example, and reports each tag that would fail, with the slide, the shape and a fix.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import tempfile
from pathlib import Path

from deckgen.authoring.report import Finding
from deckgen.engine.master import main_part
from deckgen.engine.opc import new_member, open_package, parse_xml, q, to_bytes, zip_bytes
from deckgen.engine.variables import fix_hint
from deckgen.errors import DeckgenError, RenderError
from deckgen.model import Prospect

# What a HubSpot or Salesforce company row typically carries, and nothing more.
SPARSE_PROSPECT = {"id": "sparse", "company": "Sparse Row Ltd", "industry": "Accounting", "location": {"city": "Leeds"}}
_TRIAL_DATE = _dt.date(2026, 1, 15)


def trial_findings(template: str | Path) -> list[Finding]:
    """Render ``template`` for a sparse CRM-like prospect and each bundled example; one finding per failing tag.

    Each slide is tried on its own (a render stops at its first failing tag), so one broken slide does
    not hide the next. Returns an empty list when every trial builds. Problems that stop the template
    compiling at all are the linter's to report, so they are not repeated here.
    """
    from deckgen.brand.kit import read_brand
    from deckgen.build import BuildOptions, DeckBuilder
    from deckgen.load.files import read_profile, read_prospect
    from deckgen.load.templates import resolve_template
    from deckgen.resources import examples_dir

    profile, _ = read_profile(examples_dir() / "profile.yaml")
    trials = [("a sparse CRM row (company, industry and city only)", Prospect.model_validate(SPARSE_PROSPECT))]
    for path in sorted((examples_dir() / "prospects").glob("*.yaml")):
        prospect, _ = read_prospect(path)
        trials.append((f"the example prospect {prospect.company}", prospect))
    pptx, spec_path = resolve_template(template)
    brand, _ = read_brand(None)  # read once: every one-slide copy is compiled with the same kit
    findings: dict[tuple, Finding] = {}
    with tempfile.TemporaryDirectory(prefix="deckgen-lint-") as tmp:
        for number, folder in _one_slide_templates(pptx, spec_path, Path(tmp)):
            options = BuildOptions(template=folder, today=_TRIAL_DATE, fit="ignore")
            try:
                builder = DeckBuilder(profile, options, brand=brand)
            except DeckgenError:
                continue
            for label, prospect in trials:
                try:
                    builder.build(prospect)
                except RenderError as exc:
                    if getattr(exc, "reason", None) is not None:  # a tag failed (not: this slide was dropped)
                        _add(findings, exc, label, number)
                except DeckgenError:
                    continue  # a data problem of that prospect, not of the template
    return list(findings.values())


def _add(findings: dict[tuple, Finding], exc: RenderError, label: str, number: int) -> None:
    shape, text = getattr(exc, "shape", None), getattr(exc, "snippet", None)
    reason = exc.reason.rstrip(".")
    key = (number, shape, text)
    if key not in findings:
        # the template's own fault (deckgen.engine.faults) fails every deck: no fallback for a value helps
        why = f"fails for every prospect: {reason}" if exc.source == "template" else f"fails for {label}: {reason}. "
        hint = "" if exc.source == "template" else fix_hint(reason, text)
        findings[key] = Finding("error", why + hint, slide=number, shape=shape, text=text)


def _one_slide_templates(pptx: Path, spec_path: Path | None, tmp: Path):
    """Yield ``(slide number, template folder)`` for copies of the template that keep one slide each.

    The package is read with the engine's safety checks; every member but the slide list is copied
    as stored.
    """
    pkg = open_package(pptx)
    main = main_part(pkg)
    root = parse_xml(pkg.read(main), main, str(pptx))
    lst = root.find(q("p:sldIdLst"))
    ids = list(lst) if lst is not None else []
    for number, keep in enumerate(ids, start=1):
        for sld in ids:
            if sld is not keep:
                lst.remove(sld)
        members = [(name, pkg.members[name]) for name in pkg.names() if name != main]
        folder = tmp / f"slide-{number}"
        folder.mkdir()
        (folder / "template.pptx").write_bytes(zip_bytes([*members, (main, new_member(main, to_bytes(root)))]))
        if spec_path is not None:
            shutil.copyfile(spec_path, folder / "template.yaml")
        lst.extend(ids)  # back to the full list, in order, for the next copy
        yield number, folder
