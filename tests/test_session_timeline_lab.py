"""Lesson 08's session timeline in a real JupyterLab: after Run All, a phase of the timeline
opens with a click in the notebook's output, with no extension and no custom script."""

from __future__ import annotations

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, PageWatch
from .test_lab import lab  # noqa: F401 - the JupyterLab server fixture, shared

pytestmark = pytest.mark.lab
LESSON = "08_in_the_room"


def test_a_timeline_phase_opens_in_jupyterlab(lab):  # noqa: F811 - the imported fixture
    from playwright.sync_api import sync_playwright

    url, _ = lab
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        watch = PageWatch(page, url)
        page.goto(f"{url}/lab/tree/notebooks/{LESSON}.ipynb", timeout=120_000)
        page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for(timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

        timeline = page.locator(".jp-OutputArea .kt-timeline")
        timeline.wait_for(timeout=120_000)
        phase = timeline.locator("details").nth(4)  # Observation
        phase.scroll_into_view_if_needed()
        closed = phase.locator("dd").nth(1).is_visible()
        phase.locator("summary").click()
        task = phase.locator("dd").nth(1)
        opened, text = task.is_visible(), task.inner_text()
        phases = timeline.locator("details").count()
        browser.close()

    assert phases == 7 and not closed and opened
    assert "40 minutes" in text
    assert watch.external == []
