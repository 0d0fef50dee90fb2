"""The built book: never stale, no widget state, no thebe, and nbval really compares outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kapcourse.book.execute import execute_notebooks
from kapcourse.book.sphinx_ext import PACKAGE, dependency_files, digest, glossary_markdown

from .conftest import ROOT, make_fixture_book

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
LESSON_PAGE = Path("_build/html/notebooks/01_sample.html")


def build(book: Path, *flags: str) -> str:
    env = {**os.environ, "KAPCOURSE_ROOT": str(book)}
    result = subprocess.run([str(JUPYTER_BOOK), "build", ".", *flags], cwd=book, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return (book / LESSON_PAGE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_book(tmp_path_factory):
    book = make_fixture_book(tmp_path_factory.mktemp("book") / "course")
    html = build(book, "-n", "-W", "--keep-going")
    return book, html


def test_strict_build_renders_the_static_quiz_without_widget_state(fixture_book):
    _, html = fixture_book
    assert 'class="kq" data-bank="01_sample"' in html and 'id="kq-fx-single"' in html
    assert "kapquiz.js" in html and "kapquiz.css" in html
    assert "widget-state+json" not in html and "widget-view+json" not in html
    assert "thebe" not in html.lower()
    assert "unpkg.com" not in html and "cdn.jsdelivr" not in html


def test_bank_and_bibliography_edits_show_up_after_a_plain_build(fixture_book):
    """jupyter-cache keys on code cells only; the book must still pick up these edits."""
    book, _ = fixture_book
    bank = book / "quizzes" / "01_sample.yml"
    bank.write_text(bank.read_text().replace("Which colour is the *sky*",
                                             "Which colour is the *ocean sky*"))
    bib = book / "book" / "references.bib"
    bib.write_text(bib.read_text().replace("A sample reference", "An edited reference"))
    html = build(book)  # a plain `jupyter-book build .`, no flags
    assert "Which colour is the <em>ocean sky</em>" in html
    assert "An edited reference for the fixture course" in html


def test_an_edited_script_ships_even_when_no_page_is_out_of_date(fixture_book):
    """Sphinx copies _static/ only when a page is rebuilt; the course's assets always ship."""
    book, _ = fixture_book
    build(book)  # nothing left to rebuild after this
    script = book / "_static" / "kapquiz.js"
    script.write_text(script.read_text().replace('"use strict";', '"use strict"; // edited\n'
                                                 'const editedMarker = 1;'))
    build(book)
    # shipped minified (sphinx_ext.minified; tests/test_minified_assets.py)
    assert "const editedMarker=1;" in (book / "_build/html/_static/kapquiz.js").read_text()


def test_package_files_are_cache_dependencies(tmp_path):
    names = {path.relative_to(ROOT).as_posix() for path in dependency_files(ROOT)}
    assert {"src/kapcourse/quiz/static.py", "src/kapcourse/quiz/grading.py",
            "src/kapcourse/schema/bank.schema.json", "book/references.bib"} <= names
    assert not {n for n in names if n.startswith("src/kapcourse/book/")}  # Sphinx-only code
    package = tmp_path / "kapcourse"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = digest(ROOT, package)
    view = package / "quiz" / "static.py"
    view.write_text(view.read_text() + "\n# a change to the renderer\n")
    assert digest(ROOT, package) != before  # so the book re-executes every lesson


def test_glossary_is_generated_sorted(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text("- term: Zeta\n  definition: Last.\n- term: alpha\n  definition: First.\n")
    assert glossary_markdown(path) == "```{glossary}\nalpha\n  First.\n\nZeta\n  Last.\n```"


def _nbval(notebook: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider",
                           "--rootdir", str(notebook.parent), str(notebook)],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "KAPCOURSE_ROOT": str(notebook.parents[1])})


def test_nbval_fails_on_a_wrong_stored_output(tmp_path):
    book = make_fixture_book(tmp_path / "course")
    notebook = book / "notebooks" / "01_sample.ipynb"
    os.environ["KAPCOURSE_ROOT"] = str(book)
    try:
        assert execute_notebooks(book, [notebook]) == 0
    finally:
        os.environ.pop("KAPCOURSE_ROOT")
    assert _nbval(notebook).returncode == 0

    tampered = nbformat.read(notebook, as_version=4)
    quiz_cell = next(c for c in tampered.cells if "fx-single" in c.source)
    data = quiz_cell.outputs[0]["data"]
    data["text/html"] = data["text/html"].replace("Blue", "Purple")
    nbformat.write(tampered, notebook)
    result = _nbval(notebook)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "mismatch" in result.stdout.lower()
