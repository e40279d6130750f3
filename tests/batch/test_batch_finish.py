"""The last step of ``deckgen batch`` (summary, review.html) runs after the compiled templates are freed, so the
report and the page reuse their memory instead of adding to the command's peak."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

from deckgen.batch import pool as pool_module
from deckgen.batch.plan import BatchRequest, prepare_batch
from deckgen.batch.run import run_batch
from deckgen.build import BuildOptions
from deckgen.cli.app import steady_gc
from deckgen.cli.batch import finish_batch
from deckgen.resources import examples_dir

DAY = dt.date(2026, 11, 25)


def _plan(tmp_path, jobs: int):
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "company,industry,users,city,country\n"
        "Alamo Dental,Dental practice,25,San Antonio,United States\n"
        "Pioneer Law,Law firm,40,Austin,United States\n"
        "Cedar Clinic,Medical clinic,30,Denver,United States\n",
        encoding="utf-8",
    )
    request = BatchRequest(
        input=rows, profile=examples_dir() / "profile.yaml", out_dir=tmp_path / "out", options=BuildOptions(today=DAY)
    )
    request.jobs = jobs
    return prepare_batch(request)


def test_the_compiled_templates_are_freed_before_the_review_page(tmp_path, capsys):
    plan = _plan(tmp_path, 1)
    result = run_batch(plan)
    builder = weakref.ref(plan.builder)
    threshold = gc.get_threshold()
    try:
        steady_gc()  # what the command does before the rows: start-up frozen, the builder with it
        assert finish_batch(plan, result, pdf=False, preview=False, thumbnails=False) == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    assert builder() is None and plan.builder is None
    assert (tmp_path / "out" / "review.html").is_file()
    out = capsys.readouterr().out
    assert "3 rows from" in out and "Review page:" in out


def test_a_closed_pool_lets_go_of_the_builder_its_workers_were_forked_from(tmp_path):
    plan = _plan(tmp_path, 2)
    pool = pool_module.WorkerPool(2, plan.profile, plan.options, plan.builder)
    try:
        assert pool_module._PARENT_BUILDER is plan.builder or not pool_module._can_fork()
    finally:
        pool.close()
    assert pool_module._PARENT_BUILDER is None
