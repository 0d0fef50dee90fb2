"""The pre-test in a real JupyterLab: open its page, run it, answer a question in the widget
UI (no feedback), Submit, see the score; the block is saved in the progress file."""

from __future__ import annotations

import json

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, check_lab_radio
from .test_lab import lab  # noqa: F401 - the JupyterLab server fixture

pytestmark = pytest.mark.lab


def test_take_the_pretest_in_jupyterlab(lab):  # noqa: F811 - the imported fixture
    from playwright.sync_api import sync_playwright

    url, progress = lab
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        watch = PageWatch(page, url)
        page.goto(f"{url}/lab/tree/book/pretest.ipynb", timeout=120_000)
        page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for(timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

        radio = page.locator(".jp-OutputArea .widget-radio-box input[type=radio]").first
        radio.wait_for(timeout=120_000)
        question = radio.locator("xpath=ancestor::div[contains(@class, 'kq-widget')][1]")
        check_lab_radio(radio)
        question.locator(".kf-saved", has_text="Saved.").wait_for(timeout=30_000)
        assert question.locator(".kf-review").count() == 0  # no feedback before Submit
        page.locator(".jp-OutputArea button", has_text="Submit").click()
        page.locator(".kpt-score").wait_for(timeout=60_000)
        score = page.locator(".kpt-score").text_content()  # shown or not (windowed notebook)
        reviews = page.locator(".jp-OutputArea .kf-review").count()
        browser.close()

    assert score.startswith("Submitted:") and reviews > 30
    saved = json.loads(progress.read_text())
    assert saved["pretest"]["submitted"] and len(saved["pretest"]["answers"]) == reviews
    assert saved["items"] == {}  # the pre-test never touches the lesson answers
    assert watch.external == []
