"""The book's completion record in Chromium, without building a book: My progress (the real
kapprogress.js with the real course's data, under script-src 'self') prints the HTML record
with the browser, whose print window makes the PDF, and saves the HTML record; both say
exactly what the kernel's completion.record_html says for the same record."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from html.parser import HTMLParser

import pytest

from kapcourse import __version__
from kapcourse.quiz.grading import shared_script
from kapcourse.record import versions
from kapcourse.record.completion import make_record, record_html, status
from kapcourse.record.final import read_course
from kapcourse.record.summary import course_structure, final_json, structure_json

from .browser import PageWatch, import_progress_file, serve
from .conftest import ROOT
from .course_data import everything_right

pytestmark = pytest.mark.browser

NAMES = ["Łucja  Šťastná", "Žofia Œuvre", "François †"]
# Every print() call, in whichever frame, is recorded on the top window instead of printing.
RECORD_PRINTS = """
window.print = function () {
  const top = window.top;
  (top.__prints = top.__prints || []).push({ text: document.body.innerText,
    title: document.title, top: window === top, url: location.href,
    scripts: document.scripts.length,
    frame: getComputedStyle(document.querySelector(".statement")).borderTopWidth });
};
"""


class _Text(HTMLParser):
    """The visible text of a record page's body."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("style", "title")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("style", "title")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def words(text: str) -> str:
    return " ".join(text.split())


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return words(" ".join(parser.parts))


def kernel_record(page, name: str) -> str:
    """completion.record_html for the answers this page has saved, dated (as the page and the
    kernel) on the local calendar day."""
    items = page.evaluate("() => JSON.parse(localStorage.getItem('kapcourse:progress')).items")
    state = status(items, course_structure(ROOT), read_course(ROOT).final)
    return record_html(make_record(name, state, __version__, dt.date.today()))


def print_and_save(page, name: str, tmp_path) -> tuple[dict, str]:
    """Print the record (recording the print call) and save it as HTML; returns both."""
    page.evaluate("() => { window.__prints = []; }")
    page.fill(".kp-record-name", name)
    page.click('.kp-record[data-kind="print"]')
    page.wait_for_function("() => window.__prints.length > 0")
    with page.expect_download() as download:
        page.click('.kp-record[data-kind="html"]')
    saved = tmp_path / "record.html"
    download.value.save_as(saved)
    (printed,) = page.evaluate("() => window.__prints")
    return printed, saved.read_text(encoding="utf-8")


def check_record(page, name: str, tmp_path) -> None:
    """The printed document and the saved page are the kernel's record for this name."""
    printed, saved = print_and_save(page, name, tmp_path)
    kernel = kernel_record(page, name)
    assert saved == kernel  # the book saves the kernel's page, byte for byte
    assert not printed["top"] and printed["url"].startswith("blob:")  # the record, not My progress
    assert printed["scripts"] == 0 and "<script" not in saved
    assert words(printed["text"]) == page_text(kernel)
    assert f"Name: {' '.join(name.split())}" in printed["text"]
    assert printed["title"] == f"Record of course completion: {' '.join(name.split())}"
    assert printed["frame"] == "2px"  # the record's own style (.statement), even under CSP


@pytest.fixture(scope="module")
def progress_page(tmp_path_factory):
    """My progress as the book serves it: the shipped script and the course's data files."""
    site = tmp_path_factory.mktemp("record-site")
    data = site / "_static" / "kapquiz-data"
    data.mkdir(parents=True)
    for name in ("kapquiz.js", "kapprogress.js"):  # kapprogress.js uses kapquiz.js
        shutil.copy(ROOT / "_static" / name, site / "_static" / name)
    (data / "shared.js").write_text(shared_script(), encoding="utf-8")
    values = {"kapcourseStructure": structure_json(course_structure(ROOT)),
              "kapcourseVersion": __version__,
              "kapcourseFinal": final_json(read_course(ROOT).final),
              "kapcourseVersions": versions.course_tables().script_data()}
    (data / "course.js").write_text("".join(
        f"window.{key} = {json.dumps(value)};\n" for key, value in values.items()),
        encoding="utf-8")
    (site / "book").mkdir()
    (site / "book" / "progress.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>My progress</title>'
        + "".join(f'<script src="../_static/{path}"></script>' for path in
                  ("kapquiz-data/shared.js", "kapquiz-data/course.js", "kapquiz.js",
                   "kapprogress.js"))
        + '</head><body><main><div id="kp-progress"></div></main></body></html>\n',
        encoding="utf-8")
    with serve(site) as url:
        yield f"{url}/book/progress.html"


@pytest.mark.parametrize("policy", ["script-src 'self'", "style-src 'self'; script-src 'self'"])
def test_the_record_is_printed_by_the_browser_and_saved_as_the_kernels_page(
        page, progress_page, tmp_path, policy):
    """Under script-src 'self' (the course needs no inline script), and also under a strict
    style-src, which blocks the record page's own <style>: the print frame then gets the same
    CSS as a constructed style sheet, which that policy allows."""
    watch = PageWatch(page, progress_page)

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={
            **response.headers, "content-security-policy": policy})

    page.route("**/book/progress.html", with_policy)
    page.add_init_script(RECORD_PRINTS)
    page.goto(progress_page)
    page.wait_for_selector("#kp-progress[data-ready]")
    complete = tmp_path / "complete.json"
    complete.write_text(json.dumps(everything_right(ROOT)))
    import_progress_file(page, complete)
    assert page.locator('.kp-record[data-kind="print"]').inner_text() == "Print or save as PDF"
    page.click('.kp-record[data-kind="print"]')
    assert "Type your name" in page.locator(".kp-record-status").inner_text()
    assert page.evaluate("() => (window.__prints || []).length") == 0
    for name in NAMES:
        check_record(page, name, tmp_path)
    assert page.locator("iframe.kp-print").count() == 1  # one print frame at a time
    blocked = [e for e in watch.errors if "style-src" in e]  # the browser reports the block
    assert [e for e in watch.errors if e not in blocked] == [] and watch.external == []
    assert bool(blocked) == ("style-src" in policy)
