"""A real JupyterLab: open lesson 01, run all cells, answer a quiz in the widget UI."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kapcourse.bank.citations import label
from kapcourse.bank.course import bibliography

from .browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PageWatch,
    check_lab_radio,
    require_chromium,
    widget_feedback_with_the_key,
)
from .conftest import ROOT
from .test_status_book import status_titles

pytestmark = pytest.mark.lab
LESSON = "01_what_is_ketamine"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def course_copy(destination: Path) -> Path:
    """Lab autosaves notebooks: work on a copy so the tests never touch the lessons."""
    for name in ("notebooks", "quizzes", "book"):
        shutil.copytree(ROOT / name, destination / name)
    shutil.copy(ROOT / "_config.yml", destination / "_config.yml")
    return destination


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_chromium()
    root = course_copy(tmp_path_factory.mktemp("lab") / "course")
    progress = root.parent / "progress.json"
    port = free_port()
    env = {**os.environ, "KAPCOURSE_ROOT": str(root), "KAPCOURSE_PROGRESS": str(progress),
           "JUPYTER_CONFIG_DIR": str(root.parent / "jupyter-config")}
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={root}", "--ServerApp.disable_check_xsrf=True",
               "--LabApp.news_url=",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(root.parent / "lab.log", "w")  # noqa: SIM115 - closed in the finaliser
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/api/status", server, root.parent / "lab.log")
        yield url, progress
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _wait_for(url: str, server: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not start in {seconds} s:\n{log.read_text()[-3000:]}")


def test_run_all_and_answer_a_quiz_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    url, progress = lab
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        watch = PageWatch(page, url)
        page.goto(f"{url}/lab/tree/notebooks/{LESSON}.ipynb", timeout=120_000)
        # The notebook's own idle indicator reports idle before the kernel connects:
        # wait for the status bar to name the kernel and say Idle.
        status = page.locator(".jp-StatusBar-Widget", has_text="Idle")
        status.first.wait_for(timeout=120_000)

        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

        radio = page.locator(".jp-OutputArea .widget-radio-box input[type=radio]").first
        radio.wait_for(timeout=120_000)
        quiz = radio.locator("xpath=ancestor::div[contains(@class, 'kq-widget')][1]")
        check_lab_radio(radio)
        quiz.locator("button", has_text="Check").click()
        text = widget_feedback_with_the_key(quiz)
        browser.close()

    assert text.startswith(("✓ Correct", "✗ Not quite")), text
    assert "Source" in text and "Lesson score:" in text  # the citation and the running score
    saved = json.loads(progress.read_text())["items"]
    assert len(saved) == 1 and next(iter(saved.values()))["bank"] == LESSON
    assert watch.external == []


REFERENCES = {r.url: r for r in bibliography(ROOT).values()}


def _read_while_scrolling(page) -> tuple[list[str], set[tuple[str, str]]]:
    """The rendered Markdown cells' texts and (text, href) links, scrolling to the notebook's
    end: JupyterLab renders only the cells near the view (and, under load, late: so the loop
    ends at the bottom of the notebook, read twice, not when a scroll seems to do nothing)."""
    texts: list[str] = []
    links: set[tuple[str, str]] = set()
    scroller = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first
    at_end = 0
    for _ in range(300):
        page.wait_for_timeout(250)
        texts += page.locator(".jp-MarkdownCell .myst").all_text_contents()
        links.update((text, href) for text, href in page.locator(
            ".jp-MarkdownCell .myst a").evaluate_all(
            "links => links.map(a => [a.textContent, a.getAttribute('href')])"))
        bottom = scroller.evaluate(
            "e => { const end = e.scrollTop + e.clientHeight >= e.scrollHeight - 2;"
            " e.scrollTop += 700; return end; }")
        at_end = at_end + 1 if bottom else 0
        if at_end == 2:
            break
    return texts, links


def test_lessons_render_their_myst_markup_in_jupyterlab(lab):
    """jupyterlab-myst renders admonitions, glossary terms and headings: no raw authoring
    markup ({term}, {cite}, admonition fences) shows in a lesson opened in JupyterLab, and its
    sources show as author-year links to the source and its dated status boxes with their
    titles (lesson 07 has all of these)."""
    from playwright.sync_api import sync_playwright

    url, _ = lab
    lesson = "07_practice"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # a workspace of its own: JupyterLab would reopen the lessons earlier tests left open,
        # and their cells would be read too
        page.goto(f"{url}/lab/workspaces/markup/tree/notebooks/{lesson}.ipynb", timeout=120_000)
        rendered = page.locator(".jp-MarkdownCell .myst")
        rendered.first.wait_for(state="attached", timeout=120_000)
        # JupyterLab hides cells outside the window: wait for the element, not its visibility
        page.locator(".jp-MarkdownCell .myst .admonition, .jp-MarkdownCell .myst aside").first \
            .wait_for(state="attached", timeout=60_000)
        # before Run All, a quiz cell's stored output says what to do (display.RUN_HINT)
        hint = page.locator(".jp-OutputArea .kap-run").first
        hint.wait_for(state="attached", timeout=60_000)
        hint_text = hint.text_content()
        text, citations = _read_while_scrolling(page)
        browser.close()
    assert "Run this cell to start" in hint_text
    shown = "\n".join(text)
    assert "Educational, not legal, regulatory or medical advice" in shown
    for raw in ("{term}", "```{", ":::{", "{admonition}", "{cite", "{status}",
                "{lesson-references}", "Unknown Directive"):
        assert raw not in shown, raw
    titles = status_titles(ROOT / "notebooks" / f"{lesson}.ipynb")
    assert len(titles) >= 2 and all(title in shown for title in titles), titles
    cited = [(text, href) for text, href in citations if href in REFERENCES]
    assert len(cited) >= 10, citations
    for text, href in cited:
        assert text in (label(REFERENCES[href]), label(REFERENCES[href], in_text=True)), text
