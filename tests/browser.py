"""Helpers for driving the built book in Debian's headless Chromium with Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kapcourse.bank.model import Question

CHROMIUM = os.environ.get("KAPCOURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def require_chromium() -> None:
    """Skip with instructions on a developer machine without Chromium; fail in CI."""
    missing = [str(p) for p in (Path(CHROMIUM), AXE) if not p.exists()]
    if not missing:
        return
    message = (f"browser tests need {', '.join(missing)}: install Chromium with "
               "`apt-get install chromium` and axe-core with `npm ci` (make test does both)")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@contextmanager
def serve(directory: Path):
    """Serve a built book on 127.0.0.1 on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class PageWatch:
    """Counts external requests (and blocks them) and collects JavaScript errors."""

    def __init__(self, page, base_url: str):
        self.external: list[str] = []
        self.errors: list[str] = []
        self.not_found: list[str] = []
        own_host = urlparse(base_url).netloc
        page.route("**/*", lambda route: self._route(route, own_host))
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("response", lambda r: r.status >= 400 and self.not_found.append(r.url))

    def _route(self, route, own_host: str) -> None:
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == own_host:
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()


def settle(page) -> None:
    """Wait until the page's finite CSS transitions and animations have ended. A dark page
    starts light and the theme eases its buttons' colours for 0.15 s (Bootstrap's .btn): axe
    run in that window measures colours halfway and reports a contrast the reader never sees
    (a flaky failure of the every-page test in CI, on the search button)."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running'"
        " || a.effect.getComputedTiming().endTime === Infinity)", timeout=10_000)


# preload: false stops axe fetching @import-ed stylesheets itself (it resolves them against the
# page, not the sheet, and would log 404s that the book does not cause).
# resultTypes: axe still runs every check on every node, and lists every node of every
# violation; only passes and incomplete results, which no test reads, keep one node each. On
# the built course's 27 pages this took a fifth off axe's time (34.4 s to 27.6 s, #18).
AXE_OPTIONS = "{preload: false, resultTypes: ['violations']}"


def run_axe(page, selector: str | None = None) -> list[dict]:
    """Inject the pinned axe-core and return its violations (optionally within a selector),
    once the page has settled."""
    settle(page)
    page.add_script_tag(path=str(AXE))
    context = f"document.querySelectorAll({selector!r})" if selector else "document"
    return page.evaluate(f"async () => (await axe.run({context}, {AXE_OPTIONS})).violations")


# Every WCAG 2.0, 2.1 and 2.2 A/AA rule and every best practice axe has, including the ones it
# ships switched off or marks experimental (label-content-name-mismatch for WCAG 2.5.3,
# target-size for 2.5.8, td-has-header for 1.3.1), which a plain axe.run() leaves out.
ALL_RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def run_axe_all_rules(page, selector: str | None = None) -> list[dict]:
    """Like run_axe, with every rule tagged ALL_RULE_TAGS."""
    settle(page)
    page.add_script_tag(path=str(AXE))
    context = f"document.querySelectorAll({selector!r})" if selector else "document"
    return page.evaluate(
        f"async tags => (await axe.run({context}, {{...{AXE_OPTIONS}, runOnly: {{type: 'rule',"
        " values: axe.getRules(tags).map(rule => rule.ruleId)}})).violations", ALL_RULE_TAGS)


def answers(question: Question) -> dict[str, object]:
    """A right and a wrong response for a question, in the page's terms."""
    kind = question.type
    if kind in ("single", "multiple"):
        right = [i for i, o in enumerate(question.options) if o.correct]
        wrong = [i for i, o in enumerate(question.options) if not o.correct][:1]
        if kind == "multiple" and not wrong:
            wrong = right[:-1] or right  # all options correct: a partial selection is wrong
        return {"right": right, "wrong": wrong}
    if kind == "truefalse":
        return {"right": [0 if question.answer else 1], "wrong": [1 if question.answer else 0]}
    if kind == "numeric":
        value = float(question.answer)
        miss = value + 10 * question.tolerance + max(1.0, abs(value))
        return {"right": f"{value:g} {question.unit}".strip(), "wrong": f"{miss:g}"}
    return {"right": list(range(len(question.steps))), "wrong": list(question.shuffled_steps)}


def has_chromium() -> bool:
    return Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is not None


def import_progress_file(page, path) -> None:
    """Import an exported progress file on the book's My progress page and wait until done."""
    page.set_input_files(".kp-file", str(path))
    page.click(".kp-import")
    page.wait_for_function(
        "() => document.querySelector('.kp-status').textContent.includes('Imported')")


def widget_feedback_with_the_key(quiz) -> str:
    """The feedback of a JupyterLab quiz widget just checked, with its key and sources. A first
    wrong try shows neither (two-stage feedback, grading.reveal): check that, then press Show
    answer and read the whole feedback."""
    feedback = quiz.locator(".kq-result")
    feedback.wait_for(timeout=30_000)
    text = feedback.inner_text()
    if text.startswith("✗"):
        assert "Source" not in text, text
        quiz.locator("button", has_text="Show answer").click()
        quiz.locator(".kq-result", has_text="Source").wait_for(timeout=30_000)
        text = feedback.inner_text()
    return text


def check_lab_radio(radio, tries: int = 3) -> None:
    """Check a radio button of an ipywidgets control in JupyterLab. While Run All Cells is
    still rendering, a click can land as the notebook's layout moves and be lost (Playwright
    then reports that the state did not change; seen once in the hub test). Click again; a radio
    that never takes still fails, with Playwright's own message."""
    from playwright.sync_api import Error

    for attempt in range(1, tries + 1):
        try:
            radio.check(timeout=30_000)
            return
        except Error:
            if attempt == tries:
                raise
            radio.page.wait_for_timeout(1_000)
