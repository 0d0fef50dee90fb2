"""Side-by-side benchmark against jupyterquiz, the best-known quiz tool for Jupyter Book.

One Jupyter Book 1 is built (same theme, same run) with four pages:
- ``ours``: lesson 01's choice questions as the course shows them, one ``Lesson.quiz`` call
  (one notebook cell) per question;
- ``peer``: the same questions, prompts, options and feedback through jupyterquiz's
  ``display_quiz`` (its documented Jupyter Book route: inline HTML and an inline script), one
  call per question like ours, as a lesson places its questions between its sections (and as
  the issue's own measure had it); jupyterquiz inlines its runtime in each call;
- ``peer_one``: one ``display_quiz`` call for all the questions: jupyterquiz's most favourable
  case, its runtime inlined once;
- ``baseline``: an empty page, whose bytes and time are the theme's own.

Measured as a learner feels it: gzip bytes on the wire per question beyond the baseline page
(HTML plus every same-origin file the page loads: for ours, the quiz runtime and the lesson's
data script, which no page without a quiz loads), and the median milliseconds from navigation
start until every question on the page can be answered. The pages are visited in turns, each
in a fresh browser context (nothing cached), so that a busy machine slows each alike; the
ratio is the median of each turn's ratio.
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


PAGES = ("ours", "peer", "peer_one")


@dataclass
class PageFigures:
    page: str
    questions: int
    gzip_bytes: int      # beyond the baseline page, a first visit (nothing cached)
    ready_ms: float      # median from navigation start
    ready_ratio: float = 1.0  # median of each turn's ratio of ours to this page
    # the part of gzip_bytes a learner's browser has cached after any other quiz page of the
    # course: our runtime (kapquiz.js and its style sheets); jupyterquiz's is inline
    cached_runtime: int = 0


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
    (work / "_toc.yml").write_text("format: jb-book\nroot: baseline\nchapters:\n" + "".join(
        f"  - file: {stem}\n" for stem in PAGES), encoding="utf-8")
    (work / "baseline.md").write_text("# Baseline\n\nAn empty page.\n", encoding="utf-8")
    ours = ["from kapcourse import Lesson\n"
            f"lesson = Lesson({LESSON!r})"] + [f"lesson.quiz({q.id!r})" for q in questions]
    data = json.dumps([as_jupyterquiz(q) for q in questions])
    peer_setup = ("import json\nfrom jupyterquiz import display_quiz\n"
                  f"questions = json.loads({data!r})")
    peer = [peer_setup] + [f"display_quiz([questions[{n}]])" for n in range(len(questions))]
    peer_one = [peer_setup, "display_quiz(questions)"]
    for stem, cells in (("ours", ours), ("peer", peer), ("peer_one", peer_one)):
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


def _visit(browser, url: str, stem: str, questions: int, html_root: Path):
    context = browser.new_context()  # nothing cached: a first visit
    page = context.new_page()
    page.add_init_script(READY_PROBE)
    page.add_init_script(f"window.__expected = {0 if stem == 'baseline' else questions};")
    if stem == "baseline":
        page.add_init_script("window.addEventListener('load', "
                             "() => { window.__ready = performance.now(); });")
    figures = _wire_bytes(page, url, f"{stem}.html", html_root)
    context.close()
    return figures


def measure(html_root: Path, questions: int, turns: int = 9) -> list[PageFigures]:
    from playwright.sync_api import sync_playwright

    sizes: dict[str, list[int]] = {stem: [] for stem in ("baseline", *PAGES)}
    times: dict[str, list[float]] = {stem: [] for stem in ("baseline", *PAGES)}
    files: dict[str, dict] = {}
    with serve(html_root) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _visit(browser, url, "baseline", questions, html_root)  # warm the server and browser
        for _ in range(turns):  # in turns: a busy moment slows every page of the turn alike
            for stem in sizes:
                size, ready, files[stem] = _visit(browser, url, stem, questions, html_root)
                sizes[stem].append(size)
                times[stem].append(ready)
        browser.close()
    baseline = statistics.median(sizes["baseline"])
    runtime = sum(size for name, size in files["ours"].items()
                  if name.startswith("/_static/kapquiz") and "kapquiz-data" not in name)
    figures = []
    for stem in PAGES:
        ratio = statistics.median(o / p for o, p in zip(times["ours"], times[stem], strict=True))
        figures.append(PageFigures(stem, questions, int(statistics.median(sizes[stem]) - baseline),
                                   statistics.median(times[stem]), ratio,
                                   runtime if stem == "ours" else 0))
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
    ours = by_page["ours"]
    names = {"ours": "course", "peer": "jupyterquiz, one call per question",
             "peer_one": "jupyterquiz, one call for all"}
    for f in figures:
        print(f"side by side, {names[f.page]:35s} {f.questions} questions: "
              f"{f.gzip_bytes:6d} gzip B beyond the theme "
              f"({f.gzip_bytes / f.questions:5.0f} B per question), "
              f"ready {f.ready_ms:5.0f} ms from navigation start")
    later = ours.gzip_bytes - ours.cached_runtime
    print(f"  course on a later quiz page (runtime cached, {ours.cached_runtime} gzip B): {later} "
          f"gzip B ({later / ours.questions:.0f} B per question)")
    for stem in ("peer", "peer_one"):
        peer = by_page[stem]
        bytes_ratio = ours.gzip_bytes / peer.gzip_bytes
        print(f"against {names[stem]}: ready ratio {peer.ready_ratio:.2f} (target <= 1.0, aim "
              f"0.8: {'meets target' if peer.ready_ratio <= 1.0 else 'MISSES target'}); gzip bytes "
              f"ratio, first visit {bytes_ratio:.2f} (target < 1.0: "
              f"{'meets target' if bytes_ratio < 1 else 'MISSES'}), later pages "
              f"{later / peer.gzip_bytes:.2f}")


if __name__ == "__main__":
    report(side_by_side())
