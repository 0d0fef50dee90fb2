"""The course evaluation in Chromium, without building a book: the evaluation page (the real
kapeval.js with the course's form) is filled in, saved, reloaded; My progress (the real
kapprogress.js) then exports it anonymously and writes the commitment on the completion record,
exactly as the kernel's evaluation.py and completion.py would."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from kapcourse import __version__
from kapcourse.quiz.grading import shared_script
from kapcourse.record import versions
from kapcourse.record.completion import make_record, record_html, status
from kapcourse.record.evaluation import (
    course_form,
    export_block,
    form_json,
    record_commitment,
    to_csv,
)
from kapcourse.record.final import read_course
from kapcourse.record.summary import course_structure, final_json, structure_json

from .browser import PageWatch, import_progress_file, run_axe, run_axe_all_rules, serve
from .conftest import ROOT
from .course_data import everything_right

pytestmark = pytest.mark.browser

FORM = course_form(ROOT)
KEY = form_json(FORM)["storage_key"]
COMMITMENT = "Ask <img src=x onerror=alert(1)> every client & 'family' about bladder symptoms."


def page_html(title: str, scripts: tuple[str, ...], box: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{title}</title>"
            + "".join(f'<script src="../_static/{path}"></script>' for path in scripts)
            + f'</head><body><main><h1>{title}</h1><div id="{box}"></div></main></body></html>\n')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The evaluation page and My progress as the book serves them (same origin)."""
    root = tmp_path_factory.mktemp("evaluation-site")
    data = root / "_static" / "kapquiz-data"
    data.mkdir(parents=True)
    for name in ("kapquiz.js", "kapprogress.js", "kapeval.js", "kapeval.css"):
        shutil.copy(ROOT / "_static" / name, root / "_static" / name)
    (data / "shared.js").write_text(shared_script(), encoding="utf-8")
    values = {"kapcourseStructure": structure_json(course_structure(ROOT)),
              "kapcourseVersion": __version__,
              "kapcourseFinal": final_json(read_course(ROOT).final),
              "kapcourseEvaluation": form_json(FORM),
              "kapcourseVersions": versions.course_tables().script_data()}
    (data / "course.js").write_text("".join(
        f"window.{key} = {json.dumps(value)};\n" for key, value in values.items()),
        encoding="utf-8")
    (root / "book").mkdir()
    common = ("kapquiz-data/shared.js", "kapquiz-data/course.js")
    (root / "book" / "evaluation.html").write_text(
        page_html("Course evaluation", (*common, "kapeval.js"), "ke-evaluation"), "utf-8")
    (root / "book" / "progress.html").write_text(
        page_html("My progress", (*common, "kapeval.js", "kapquiz.js", "kapprogress.js"),
                  "kp-progress"),
        "utf-8")
    with serve(root) as url:
        yield url


def open_form(page, site):
    page.goto(f"{site}/book/evaluation.html")
    page.wait_for_selector("#ke-evaluation[data-ready]")


def stored(page):
    return page.evaluate(f"() => JSON.parse(localStorage.getItem({KEY!r}))")


def test_fill_reload_export_and_record(page, site, tmp_path):
    watch = PageWatch(page, site)
    open_form(page, site)
    assert run_axe(page, "#ke-evaluation") == []
    page.check("#ke-relevance-5")
    page.check("#ke-balance-2")
    page.fill("#ke-balance-where", "Lesson 04 leans on one trial")
    page.fill("#ke-change", f"  {COMMITMENT}\n")
    page.check("#ke-on-record")
    page.click(".ke-save")
    assert "Saved your evaluation" in page.locator(".ke-status").inner_text()
    assert stored(page) == {"answers": {"relevance": 5, "balance": 2, "balance-where":
                                        "Lesson 04 leans on one trial", "change": COMMITMENT},
                            "on_record": True}

    page.reload()  # the answers come back, the markup stays text
    page.wait_for_selector("#ke-evaluation[data-ready]")
    assert page.is_checked("#ke-relevance-5") and page.is_checked("#ke-balance-2")
    assert not page.is_checked("#ke-objectives-1") and page.is_checked("#ke-on-record")
    assert page.input_value("#ke-change") == COMMITMENT
    assert page.locator("#ke-evaluation img").count() == 0
    with page.expect_download() as download:
        page.click(".ke-csv")
    assert download.value.path().read_bytes().decode("utf-8") == to_csv(
        export_block(stored(page), FORM), FORM)

    page.goto(f"{site}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    complete = tmp_path / "complete.json"
    complete.write_text(json.dumps(everything_right(ROOT)))
    import_progress_file(page, complete)
    with page.expect_download() as download:
        page.click(".kp-json")
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    saved = stored(page)
    assert exported["learner"] is None
    assert exported["evaluation"] == export_block(saved, FORM)  # as the kernel exports it
    page.fill(".kp-name", "Sam Example")
    with page.expect_download() as download:
        page.click(".kp-json")
    assert "evaluation" not in json.loads(download.value.path().read_text(encoding="utf-8"))

    page.fill(".kp-record-name", "Sam Example")
    with page.expect_download() as download:
        page.click('.kp-record[data-kind="html"]')
    record = download.value.path().read_text(encoding="utf-8")
    items = page.evaluate("() => JSON.parse(localStorage.getItem('kapcourse:progress')).items")
    state = status(items, course_structure(ROOT), read_course(ROOT).final)
    assert record == record_html(make_record("Sam Example", state, __version__, dt.date.today(),
                                             commitment=record_commitment(saved, FORM)))
    assert "&lt;img src=x onerror=alert(1)&gt;" in record and "<img" not in record
    assert watch.errors == [] and watch.external == []


def test_an_unreadable_stored_evaluation_is_explained_and_kept(page, site):
    watch = PageWatch(page, site)
    page.goto(f"{site}/book/evaluation.html")
    bad = '{"answers": {"relevance": "<b>9</b>"}}'
    page.evaluate(f"() => {{ localStorage.clear(); localStorage.setItem({KEY!r}, {bad!r}); }}")
    page.reload()
    page.wait_for_selector("#ke-evaluation[data-ready]")
    assert "could not be read" in page.locator("#ke-evaluation .kp-msg").inner_text()
    assert page.locator("#ke-evaluation b").count() == 0
    page.check("#ke-recommend-4")
    page.click(".ke-save")
    assert stored(page) == {"answers": {"recommend": 4}, "on_record": False}
    kept = page.evaluate("""key => Object.keys(localStorage)
        .filter(k => k.startsWith(key + ':unreadable:')).map(k => localStorage.getItem(k))""", KEY)
    assert kept == [bad]
    assert watch.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_evaluation_page_of_the_built_book(browser, real_book, scheme):
    """The real page: its script and form load, every axe rule passes, a save works."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    watch = PageWatch(page, real_book)
    page.goto(f"{real_book}/book/evaluation.html")
    page.wait_for_selector("#ke-evaluation[data-ready]")
    assert page.locator("#ke-evaluation fieldset").count() == sum(
        q.kind == "likert" for q in FORM.questions)
    assert run_axe_all_rules(page) == []
    page.check("#ke-objectives-4")
    page.click(".ke-save")
    assert stored(page)["answers"] == {"objectives": 4}
    context.close()
    assert watch.errors == [] and watch.external == [] and watch.not_found == []
