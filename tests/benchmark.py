"""Performance figures for the course (a benchmark that prints, not a test that times).

Run with ``make bench`` (or ``python -m tests.benchmark [--skip-test-suite]``). Prints:
cold and warm book build seconds, test-suite seconds, the quiz runtime's gzip bytes per page,
HTML bytes per quiz, milliseconds from navigation start and from DOMContentLoaded until every
quiz on a lesson page is interactive, and a side-by-side run against jupyterquiz on the same
questions in the same theme (``tests/bench_peer.py``): gzip bytes per question and the ratio of
the times until the quizzes can be answered. Budgets are what a learner's browser receives
(gzip bytes) and ratios against the peer measured in the same run, never raw bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html import unescape
from pathlib import Path

from kapcourse import Lesson
from kapcourse.bank.course import lesson_stems, quiz_calls
from kapcourse.quiz.static import render_quiz
from kapcourse.record.final import read_course

from . import bench_peer
from .browser import CHROMIUM, CHROMIUM_ARGS, has_chromium, serve

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# Everything the build reads (the What changed page reads CHANGELOG.md).
COPY = ("notebooks", "quizzes", "book", "_static", "_config.yml", "_toc.yml", "CHANGELOG.md")


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{result.stdout[-3000:]}{result.stderr}")
    return time.perf_counter() - start


def build_times() -> tuple[float, float, Path]:
    work = Path(tempfile.mkdtemp(prefix="kapcourse-bench-"))
    for name in COPY:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, work / name)
    command = [str(BIN / "jupyter-book"), "build", ".", "-n", "-W", "--keep-going"]
    cold = timed(command, work)
    warm = timed(command, work)
    return cold, warm, work / "_build" / "html"


def quiz_html_sizes() -> list[tuple[str, int, int, int]]:
    """(quiz, HTML bytes, questions, bytes of markup beyond the visible text) per quiz call."""
    sizes = []
    for notebook in lesson_stems(ROOT)[0]:
        lesson = Lesson(notebook.stem, root=ROOT)
        for _, ids in quiz_calls(json.loads(notebook.read_text(encoding="utf-8"))):
            html = lesson.quiz(*ids).html()
            text = unescape(re.sub(r"<[^>]+>", "", html))
            questions = html.count('class="kq-q"')
            sizes.append((ids[0], len(html.encode()), questions,
                          len(html.encode()) - len(text.encode())))
    return sizes


# When every question on a lesson page can be answered (ms from navigation start), or null
# while one cannot yet. Each lesson quiz stamps its data-ready when kapquiz.js has bound it;
# the final assessment on lesson 09 (a .kq with data-final, run by kapprogress.js) is ready
# when its box #kf-final is stamped. Without the final's own mark, lesson 09 read "nan".
ALL_READY = """() => {
  const quizzes = [...document.querySelectorAll('.kq:not([data-final])')];
  const final = document.querySelector('.kq[data-final]')
    ? document.getElementById('kf-final') : null;
  const marks = [...quizzes, ...(final ? [final] : [])].map((box) => box.dataset.ready);
  return marks.length && marks.every(Boolean) ? Math.max(...marks.map(Number)) : null;
}"""


def interactive_times(html_root: Path, runs: int = 5) -> list[tuple[str, float, float]]:
    from playwright.sync_api import sync_playwright

    results = []
    pages = [f"notebooks/{path.stem}.html" for path in lesson_stems(ROOT)[0]]
    with serve(html_root) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm_up = browser.new_page()  # the first page a fresh browser opens is slower
        warm_up.goto(f"{url}/{pages[0]}")
        warm_up.close()
        for page_path in pages:
            from_nav, from_dcl = [], []
            for _ in range(runs):
                page = browser.new_page()
                page.goto(f"{url}/{page_path}")
                page.wait_for_function(f"({ALL_READY})() !== null")
                ready, dcl = page.evaluate(
                    f"() => [({ALL_READY})(),"
                    " performance.getEntriesByType('navigation')[0].domContentLoadedEventStart]")
                from_nav.append(ready)
                from_dcl.append(ready - dcl)
                page.close()
            results.append((page_path, statistics.median(from_nav), statistics.median(from_dcl)))
        browser.close()
    return results


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-test-suite", action="store_true")
    args = parser.parse_args()

    cold, warm, html_root = build_times()
    print(f"cold book build:      {cold:7.1f} s")
    print(f"warm rebuild:         {warm:7.1f} s  ({warm / cold:.0%} of cold; target < 15%: "
          f"{verdict(warm < 0.15 * cold)})")

    runtime = sum(len(gzip.compress((html_root / "_static" / name).read_bytes()))
                  for name in ("kapquiz.js", "kapquiz.css"))
    peer = bench_peer.peer_runtime_gzip()
    print(f"quiz JS+CSS per page: {runtime:7d} gzip B, whatever the number of quizzes (target: "
          f"no more than jupyterquiz's runtime, {peer} gzip B in this run: "
          f"{verdict(runtime <= peer)}; ratio {runtime / peer:.2f})")

    # not a lesson page's one script (lesson-<bank>.js): the same bank data again, with the
    # shared constants and its own questions' versions tables
    data = [path.stat().st_size for path in (html_root / "_static" / "kapquiz-data").glob("*.js")
            if not path.name.startswith("lesson-")]
    print(f"quiz data per lesson: median {statistics.median(data):.0f} B, max {max(data)} B "
          "(answers, feedback, explanations and sources: content, loaded once per lesson page)")

    sizes = quiz_html_sizes()
    per_quiz = [size for _, size, _, _ in sizes]
    per_question = [size / count for _, size, count, _ in sizes]
    overhead = [extra / count for _, _, count, extra in sizes]
    # Raw HTML bytes are shown for authors; the budget that counts is the side-by-side gzip
    # bytes per question against jupyterquiz below (what a learner's browser receives).
    print(f"HTML per quiz:        median {statistics.median(per_quiz):.0f} B, "
          f"max {max(per_quiz)} B over {len(sizes)} quizzes (raw, before compression)")
    print(f"HTML per question:    median {statistics.median(per_question):.0f} B, of which markup "
          f"(not text) median {statistics.median(overhead):.0f} B")

    final = read_course(ROOT).final
    if final is not None:  # one long quiz of every form: reported apart, not in the median
        size = len(render_quiz(final.bank, list(final.bank.items)).encode())
        print(f"final assessment:     {size} B HTML for {len(final.questions)} questions "
              f"({size / len(final.questions):.0f} B per question)")

    if has_chromium():
        times = interactive_times(html_root)
        for page_path, from_nav, from_dcl in times:
            print(f"interactive {page_path:45s} {from_nav:6.0f} ms from navigation start, "
                  f"{from_dcl:5.1f} ms after DOMContentLoaded")
        worst_dcl = max(t[2] for t in times)
        worst_nav = max(t[1] for t in times)
        print(f"worst page:           {worst_dcl:.1f} ms after DOMContentLoaded (target <= 100 ms: "
              f"{verdict(worst_dcl <= 100)}); {worst_nav:.0f} ms from navigation")
        bench_peer.report(bench_peer.side_by_side())
    else:
        print(f"interactive timing:   skipped ({CHROMIUM} not found)")

    if not args.skip_test_suite:
        # as `make test` runs it: nbval over the lessons, then every layer
        nbval = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                 "tests/nbval_sanitize.cfg"]
        seconds = timed([str(BIN / "python"), "-m", "pytest", "-q", "-x", *nbval, "notebooks",
                         "tests"], ROOT)
        print(f"test suite:           {seconds:7.1f} s")
        seconds = timed([str(BIN / "python"), "-m", "pytest", "-q", "-x", "-m",
                         "unit or widget", "-n", "auto"], ROOT)
        print(f"fast layers:          {seconds:7.1f} s (make test-fast; target < 60 s)")
    shutil.rmtree(html_root.parents[1], ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
