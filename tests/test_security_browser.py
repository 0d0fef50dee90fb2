"""Security review C1, M3, m7 and m15 on the built book's My progress page, in Chromium:
hostile imports are refused with the same reasons the kernel gives, nothing they carry runs,
a bad stored record never breaks the page, and a full browser storage is reported."""

from __future__ import annotations

import json

import pytest

from .browser import PageWatch

pytestmark = pytest.mark.browser

KEY = "kapcourse:progress"
C1_CSV = (  # security.md C1: three 10-character cells join across the table's markup
    "lesson,item,attempts,first_correct,correct,first,last\n"
    "01_what_is_ketamine,l01-racemate,1,true,true,2026-01-01,<style x='\n"
    "02_uses,l02-status-terms,1,true,true,2026-01-01,'onload='`\n"
    "03_duration,l03-two-clocks,1,true,true,2026-01-01,`;__p=1'\n")
M3_JSON = ('{"format":"kapcourse-progress","version":1,"items":{"l01-racemate":{"bank":'
           '"01_what_is_ketamine","attempts":1,"first_correct":true,"correct":true,"last":5}}}')
GOOD = {"bank": "01_what_is_ketamine", "attempts": 1, "first_correct": True, "correct": True,
        "first": "2026-11-01T10:00:00Z", "last": "2026-11-02T10:00:00Z",
        "first_response": 0, "last_response": 0}


def open_progress(page, real_book) -> None:
    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")


def import_file(page, path) -> str:
    page.evaluate("() => { document.querySelector('.kp-status').textContent = ''; }")
    page.set_input_files(".kp-file", str(path))
    page.click(".kp-import")
    page.wait_for_function("() => document.querySelector('.kp-status').textContent")
    return page.locator(".kp-status").inner_text()


def store(page, items: dict) -> str:
    """Put a progress record straight into the page's localStorage; returns the raw value.
    The current format (version 2): a version 1 record would be judged by release 0.2.0's
    questions (tests/test_versions_browser.py)."""
    raw = json.dumps({"format": "kapcourse-progress", "version": 2, "items": items})
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [KEY, raw])
    return raw


def nothing_ran(page) -> bool:
    return page.evaluate("() => window.__p === undefined && window.__q === undefined"
                         " && !document.querySelector('#kp-progress style, #kp-progress img')")


def test_the_c1_csv_is_refused_and_nothing_runs(page, real_book, tmp_path):
    watch = PageWatch(page, real_book)
    open_progress(page, real_book)
    upload = tmp_path / "xss-progress.csv"
    upload.write_text(C1_CSV)
    message = import_file(page, upload)
    assert message == ("Not imported: The answer record for question 'l01-racemate' is "
                       "malformed: 'last' must be a date such as 2026-11-30. Your saved "
                       "progress has not been changed.")
    assert nothing_ran(page)
    assert page.evaluate(f"() => localStorage.getItem({KEY!r})") is None
    page.reload()
    page.wait_for_selector("#kp-progress[data-ready]")
    assert nothing_ran(page) and not watch.errors


def test_values_from_storage_and_file_names_are_shown_as_text(page, real_book, tmp_path):
    """Even a value that got into storage some other way is written as text, never markup;
    the file name in the status line too."""
    watch = PageWatch(page, real_book)
    open_progress(page, real_book)
    store(page, {"l01-racemate": {**GOOD, "bank": "<img src=x onerror=window.__q=1>"}})
    page.reload()
    page.wait_for_selector("#kp-progress[data-ready]")
    assert "2026-11-02" in page.locator(".kp-table").first.inner_text()
    named = tmp_path / "<img src=x onerror=window.__p=1>.json"
    named.write_text(json.dumps({"format": "kapcourse-progress", "items": {"l01-racemate": GOOD}}))
    message = import_file(page, named)
    assert message == "Imported 1 answers from <img src=x onerror=window.__p=1>.json."
    assert nothing_ran(page) and not watch.errors


def test_the_m3_json_is_refused_and_a_bad_stored_record_does_not_break_the_page(
        page, real_book, tmp_path):
    watch = PageWatch(page, real_book)
    open_progress(page, real_book)
    upload = tmp_path / "break-progress-page.json"
    upload.write_text(M3_JSON)
    message = import_file(page, upload)
    assert message.startswith("Not imported: The answer record for question 'l01-racemate' is "
                              "malformed: 'last' must be a date such as 2026-11-30.")
    # the same record put into storage directly (tampering, or an older version's import)
    raw = store(page, {"l01-racemate": {**GOOD, "last": 5},
                       "l02-status-terms": {**GOOD, "bank": "02_uses"}})
    page.reload()
    page.wait_for_selector("#kp-progress[data-ready]")
    assert "Some saved answers could not be read" in page.locator(".kp-msg").inner_text()
    assert page.locator(".kp-import").count() == 1  # the controls are still there
    assert page.locator(".kp-table").first.inner_text().count("1 of ") >= 1  # lesson 02
    assert page.evaluate(f"() => localStorage.getItem({KEY!r})") == raw  # nothing changed
    assert not watch.errors


def test_an_import_that_does_not_fit_says_so(page, real_book, tmp_path):
    """m7: a full localStorage made the import fail silently."""
    open_progress(page, real_book)
    page.evaluate("""() => {
        let size = 1 << 20, n = 0;
        while (size >= 16) {
            try { localStorage.setItem('filler-' + n, 'x'.repeat(size)); n += 1; }
            catch (e) { size = size >> 1; }
        }
    }""")
    upload = tmp_path / "progress.json"
    upload.write_text(json.dumps({"format": "kapcourse-progress", "items": {
        "l01-racemate": {**GOOD, "last_response": 0, "first_response": 0}}}))
    message = import_file(page, upload)
    assert message == ("Not imported: this browser has no room to store these answers (its "
                       "storage is full). Your saved progress has not been changed.")
    assert page.evaluate(f"() => localStorage.getItem({KEY!r})") is None
    page.evaluate("() => localStorage.clear()")


def test_the_bar_chart_works_under_a_strict_style_policy(page, real_book):
    """m15: style="width:…" attributes are blocked by style-src 'self'; DOM styles are not."""
    def strict(route):
        response = route.fetch()
        headers = {**response.headers,
                   "content-security-policy": "style-src 'self'; script-src 'self' 'unsafe-inline'"}
        route.fulfill(response=response, headers=headers)

    page.route("**/book/progress.html", strict)
    page.goto(f"{real_book}/book/progress.html")
    store(page, {"l01-racemate": GOOD})
    page.reload()
    page.wait_for_selector("#kp-progress[data-ready]")
    width = page.evaluate("() => document.querySelector('.kp-now').getBoundingClientRect().width")
    assert width > 0
