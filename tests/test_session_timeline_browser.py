"""Lesson 08's session timeline in the built book (Chromium): phases open and close with the
mouse and the keyboard and no script, axe finds no violations in it, and its style sheet loads
on lesson 08 only."""

from __future__ import annotations

import pytest

from kapcourse.content.figures.session import PHASES

from .browser import PageWatch, run_axe, run_axe_all_rules

pytestmark = pytest.mark.browser

LESSON = "notebooks/08_in_the_room.html"


def test_phases_open_with_a_click_and_with_the_keyboard(page, real_book):
    watch = PageWatch(page, real_book)
    page.goto(f"{real_book}/{LESSON}")
    phases = page.locator(".kt-timeline details")
    assert phases.count() == len(PHASES)
    first, last = phases.nth(0), phases.nth(len(PHASES) - 1)
    assert not first.locator("dd").first.is_visible()  # closed until the reader opens it

    first.locator("summary").click()
    assert first.locator("dt").first.inner_text() == "Prescriber"
    assert first.locator("dd").nth(2).is_visible()  # the therapist's task

    last.locator("summary").focus()
    page.keyboard.press("Enter")
    assert "integration session" in last.locator("dd").nth(2).inner_text()
    assert watch.errors == [] and watch.not_found == []


def test_the_timeline_works_without_javascript(browser, real_book):
    context = browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto(f"{real_book}/{LESSON}")
    phase = static.locator(".kt-timeline details").nth(4)
    phase.locator("summary").click()
    assert "40 minutes" in phase.locator("dd").nth(1).inner_text()
    context.close()


def test_axe_finds_no_violations_in_the_open_timeline(page, real_book):
    page.goto(f"{real_book}/{LESSON}")
    for summary in page.locator(".kt-timeline summary").all():
        summary.click()
    assert run_axe(page, ".kt-timeline") == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_lesson_page_passes_every_axe_rule_with_the_timeline_open(browser, real_book, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{real_book}/{LESSON}")
    page.wait_for_selector(".kq[data-ready]")
    for summary in page.locator(".kt-timeline summary").all():
        summary.click()
    problems = [f"{v['id']} ({v['impact']}): "
                + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
                for v in run_axe_all_rules(page)]
    context.close()
    assert problems == []


def test_the_timeline_style_sheet_loads_only_on_lesson_08(real_book):
    from .conftest import BUILT

    pages = list(BUILT.rglob("*.html"))
    assert any(path.relative_to(BUILT).as_posix() == LESSON for path in pages)
    for path in pages:
        name = path.relative_to(BUILT).as_posix()
        html = path.read_text(encoding="utf-8")
        assert ("kapsession.css" in html) == (name == LESSON), name
