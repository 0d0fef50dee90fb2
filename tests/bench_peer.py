"""Side-by-side benchmark against jupyterquiz, the best-known quiz tool for Jupyter Book.

One Jupyter Book 1 is built (same theme, same run) with three pages:
- ``ours``: lesson 01's choice questions as the course shows them (``Lesson.quiz``);
- ``peer``: the same questions, prompts, options and feedback through jupyterquiz's
  ``display_quiz`` (its documented Jupyter Book route: inline HTML and an inline script);
- ``baseline``: an empty page, whose bytes and time are the theme's own.

Measured as a learner feels it: gzip bytes on the wire per question beyond the baseline page
(HTML plus every same-origin file the page loads), and the median milliseconds from
navigation start until every question on the page can be answered.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import nbformat

from kapcourse import Lesson
from kapcourse.bank.markdown import inline

from .browser import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHOICE_TYPES = ("single", "multiple", "truefalse")
LESSON = "01_what_is_ketamine"

# Records the moment every question on the page can be answered: for the course, when each
# quiz has bound its controls (data-ready); for jupyterquiz, when each question's answer
# buttons exist (they are bound as they are created).
READY_PROBE = """
(() => {
  window.__ready = null;
  const count = () => location.pathname.endsWith("/ours.html")
    ? document.querySelectorAll(".kq[data-ready]").length
    : [...document.querySelectorAll(".Quiz .Answer")].filter((a) => a.childElementCount).length;
  const check = () => {
    if (window.__ready === null && window.__expected && count() >= window.__expected) {
      window.__ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
    attributes: true, attributeFilter: ["data-ready"]});
})();
"""


@dataclass
class PageFigures:
    page: str
    questions: int
    gzip_bytes: int      # beyond the baseline page
    ready_ms: float      # median from navigation start
    # the page's quiz runtime that the baseline page loads too (the course loads kapquiz.js
    # and its style sheets on every page; jupyterquiz's is inline, so already counted)
    shared_runtime: int = 0


def peer_runtime_gzip() -> int:
    """Gzip bytes of jupyterquiz's own script and style sheet, which every page with one of
    its quizzes carries (display_quiz inlines them): the peer for the course's runtime."""
    import jupyterquiz

    package = Path(jupyterquiz.__file__).parent
    files = [*sorted((package / "js").glob("*.js")), package / "styles.css"]
    return sum(len(gzip.compress(f.read_bytes())) for f in files if f.is_file())


def choice_questions(root: Path = ROOT):
    """Lesson 01's stand-alone choice questions (cases have no jupyterquiz equivalent)."""
    lesson = Lesson(LESSON, root=root)
    return [item for item in lesson.bank.items if getattr(item, "type", "") in CHOICE_TYPES]


def as_jupyterquiz(question) -> dict:
    """The same question in jupyterquiz's JSON format (true/false as two answers)."""
    if question.type == "truefalse":
        answers = [{"answer": "True", "correct": question.answer is True,
                    "feedback": inline(question.feedback_true)},
                   {"answer": "False", "correct": question.answer is False,
                    "feedback": inline(question.feedback_false)}]
    else:
        answers = [{"answer": inline(o.text), "correct": o.correct, "feedback": inline(o.feedback)}
                   for o in question.options]
    return {"question": inline(question.prompt), "answers": answers,
            "type": "many_choice" if question.type == "multiple" else "multiple_choice"}


def _notebook(cells: list[str]) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return notebook


def build_side_by_side(work: Path) -> tuple[Path, int]:
    questions = choice_questions()
    for name in ("_static", "quizzes"):
        shutil.copytree(ROOT / name, work / name)
    (work / "book").mkdir()
    shutil.copy(ROOT / "book" / "references.bib", work / "book" / "references.bib")
    shutil.copy(ROOT / "_config.yml", work / "_config.yml")
    (work / "_toc.yml").write_text("format: jb-book\nroot: baseline\nchapters:\n"
                                   "  - file: ours\n  - file: peer\n", encoding="utf-8")
    (work / "baseline.md").write_text("# Baseline\n\nAn empty page.\n", encoding="utf-8")
    ours = ["from kapcourse import Lesson\n"
            f"lesson = Lesson({LESSON!r})"] + [f"lesson.quiz({q.id!r})" for q in questions]
    data = json.dumps([as_jupyterquiz(q) for q in questions])
    peer = [f"import json\nfrom jupyterquiz import display_quiz\nquestions = json.loads({data!r})",
            "display_quiz(questions)"]
    for stem, cells in (("ours", ours), ("peer", peer)):
        notebook = _notebook(cells)
        notebook.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {stem}"))
        nbformat.write(notebook, work / f"{stem}.ipynb")
    env = {**os.environ, "KAPCOURSE_ROOT": str(work),
           "KAPCOURSE_PROGRESS": str(work / "progress.json")}
    result = subprocess.run([str(BIN / "jupyter-book"), "build", ".", "-W", "--keep-going"],
                            cwd=work, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"side-by-side build failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return work / "_build" / "html", len(questions)


def _wire_bytes(page, url: str, path: str, html_root: Path) -> tuple[int, float, dict]:
    """Gzip bytes of the page and every same-origin file it loads; ms until ready; the
    gzip bytes of each file."""
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(f"{url}/{path}")
    page.wait_for_function("() => window.__ready !== null", timeout=30_000)
    ready = page.evaluate("() => window.__ready")
    files = {}
    for address in dict.fromkeys(loaded):
        parsed = urlparse(address)
        if not address.startswith(url):
            continue
        file = html_root / parsed.path.lstrip("/")
        if file.is_file():
            files[parsed.path] = len(gzip.compress(file.read_bytes(), compresslevel=6))
    return sum(files.values()), ready, files


def measure(html_root: Path, questions: int, runs: int = 7) -> list[PageFigures]:
    from playwright.sync_api import sync_playwright

    figures = []
    with serve(html_root) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm_up = browser.new_page()
        warm_up.goto(f"{url}/baseline.html")
        warm_up.close()
        baseline_bytes, baseline_files = None, {}
        for stem in ("baseline", "ours", "peer"):
            sizes, times = [], []
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.add_init_script(READY_PROBE)
                expected = 0 if stem == "baseline" else questions
                page.add_init_script(f"window.__expected = {expected};")
                if stem == "baseline":
                    page.add_init_script("window.addEventListener('load', "
                                         "() => { window.__ready = performance.now(); });")
                size, ready, files = _wire_bytes(page, url, f"{stem}.html", html_root)
                sizes.append(size)
                times.append(ready)
                context.close()
            if stem == "baseline":
                baseline_bytes, baseline_files = statistics.median(sizes), files
                continue
            shared = sum(size for name, size in files.items()
                         if name.startswith("/_static/kapquiz") and name in baseline_files)
            figures.append(PageFigures(stem, questions,
                                       int(statistics.median(sizes) - baseline_bytes),
                                       statistics.median(times), shared))
        browser.close()
    return figures


def side_by_side() -> list[PageFigures]:
    work = Path(tempfile.mkdtemp(prefix="kapcourse-peer-"))
    try:
        html_root, questions = build_side_by_side(work)
        return measure(html_root, questions)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(figures: list[PageFigures]) -> None:
    by_page = {f.page: f for f in figures}
    ours, peer = by_page["ours"], by_page["peer"]
    for f in (ours, peer):
        name = "course" if f.page == "ours" else "jupyterquiz"
        print(f"side by side, {name:11s} {f.questions} questions: {f.gzip_bytes:7d} gzip B beyond "
              f"the theme ({f.gzip_bytes / f.questions:6.0f} B per question), ready "
              f"{f.ready_ms:6.0f} ms from navigation start")
    ratio = ours.ready_ms / peer.ready_ms
    bytes_ratio = ours.gzip_bytes / peer.gzip_bytes
    # The figures above are what a quiz page adds for a learner who has opened any other page
    # of the course (kapquiz.js is cached then); this one is a first visit to the quiz page.
    first = ours.gzip_bytes + ours.shared_runtime
    print(f"first visit, course:        {first:7d} gzip B, counting the quiz runtime "
          f"({ours.shared_runtime} gzip B) that the theme page loads too "
          f"({first / ours.questions:6.0f} B per question; ratio "
          f"{first / peer.gzip_bytes:.2f} to jupyterquiz, whose runtime is inline)")
    print(f"ready ratio course/jupyterquiz: {ratio:.2f} (target <= 1.0, aim 0.8: "
          f"{'meets target' if ratio <= 1.0 else 'MISSES target'}); gzip bytes ratio "
          f"{bytes_ratio:.2f} (target < 1.0: {'meets target' if bytes_ratio < 1 else 'MISSES'})")


if __name__ == "__main__":
    report(side_by_side())
