"""Issue #16 in the built book, in Chromium: the JSON and CSV exports and the browser storage
that release 0.2.0 made (tests/fixtures/v0.2.0) load into this release with every answer; an
answer to a question changed since is kept, flagged on the lesson, My progress and What
changed pages, and counts again once the question is answered again."""

from __future__ import annotations

import json

import pytest

from kapcourse.record import versions

from .browser import PageWatch
from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.browser

KEY = "kapcourse:progress"
V020 = FIXTURES / "v0.2.0"
CHANGED = "This question changed since you answered it."


@pytest.fixture(scope="module")
def course() -> versions.Tables:
    return versions.tables(ROOT)


def stored(page) -> dict:
    return json.loads(page.evaluate("(key) => localStorage.getItem(key)", KEY))


def changed_ids(items: dict, course: versions.Tables) -> list[str]:
    """The answers whose question changed since 0.2.0 (0.2.0's reused final questions left the
    course altogether: they are removed, not changed)."""
    return sorted(i for i in items if i in course.current and course.legacy[i] != course.current[i])


def listed(page, box: str) -> list[str]:
    return sorted(page.locator(f"{box} .kp-changed + ul code").all_inner_texts())


@pytest.mark.parametrize("name", ["book-export.json", "book-export.csv"])
def test_a_020_export_imports_with_every_answer(page, real_book, name, course):
    watch = PageWatch(page, real_book)
    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    page.set_input_files(".kp-file", str(V020 / name))
    page.click(".kp-import")
    page.wait_for_function("() => document.querySelector('.kp-status').textContent")
    assert page.locator(".kp-status").inner_text() == f"Imported 5 answers from {name}."
    exported = json.loads((V020 / "book-export.json").read_text())["items"]
    data = stored(page)
    assert data["version"] == 2 and sorted(data["items"]) == sorted(exported)
    for item_id, entry in exported.items():
        kept = data["items"][item_id]
        for field in ("bank", "attempts", "first_correct", "correct", "first", "last"):
            assert kept[field] == entry[field], (item_id, field)
        assert kept["fp"] == course.legacy[item_id]
    changed = changed_ids(exported, course)
    assert changed and listed(page, "#kp-progress") == changed
    assert CHANGED in page.locator("#kp-progress .kp-changed").inner_text()
    assert watch.errors == []


def test_020_browser_storage_is_flagged_on_the_lesson_and_counts_once_answered_again(
        page, real_book, course):
    watch = PageWatch(page, real_book)
    page.goto(f"{real_book}/book/intro.html")
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)",
                  [KEY, (V020 / "browser-storage.json").read_text().strip()])
    kept = json.loads((V020 / "browser-storage.json").read_text())["items"]
    assert course.legacy["l02-compounded-tf"] != course.current["l02-compounded-tf"]
    assert course.legacy["l02-status-terms"] == course.current["l02-status-terms"]
    page.goto(f"{real_book}/notebooks/02_uses.html")
    page.wait_for_selector(".kq[data-ready]")
    question = page.locator("#kq-l02-compounded-tf")
    assert CHANGED in question.locator(".kq-changed").inner_text()
    assert question.locator("input:checked").count() == 0  # the old answer is not put back
    assert "(your saved answer)" in page.locator("#kq-l02-status-terms .kq-r").inner_text()
    # What changed lists this learner's affected answers (before answering again)
    page.goto(f"{real_book}/book/what_changed.html")
    page.wait_for_selector("#kp-changed[data-ready]")
    assert listed(page, "#kp-changed") == changed_ids(kept, course)
    # answering the changed question again replaces the old answer with one that counts
    page.goto(f"{real_book}/notebooks/02_uses.html")
    page.wait_for_selector(".kq[data-ready]")
    question = page.locator("#kq-l02-compounded-tf")
    question.locator('.kq-o input[value="0"]').check()
    question.locator(".kq-check").click()
    data = stored(page)
    # a lesson page has its own questions' tables only (versions.Tables.page_script_data): it
    # fingerprints its answers and leaves the record at version 1 for the others
    assert data["version"] == 1 and sorted(data["items"]) == sorted(kept)
    again = data["items"]["l02-compounded-tf"]
    assert again["fp"] == course.current["l02-compounded-tf"] and again["attempts"] == 1
    assert data["items"]["l02-status-terms"]["fp"] == course.current["l02-status-terms"]
    others = [i for i in kept if not i.startswith("l02-")]
    assert others and not any("fp" in data["items"][i] for i in others)
    # a page with the whole tables reads it as version 2, every answer with its fingerprint
    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    upgraded = page.evaluate("() => window.kapquiz.load()")
    assert upgraded["version"] == 2
    assert ({i: upgraded["items"][i].get("fp") for i in others}
            == {i: course.legacy.get(i) for i in others})
    assert upgraded["items"]["l02-compounded-tf"] == again
    assert watch.errors == []
