"""Shared test fixtures: paths, an isolated progress file, the fixture course."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_COURSE = FIXTURES / "course"


@pytest.fixture(autouse=True)
def isolated_progress(tmp_path, monkeypatch):
    """No test ever reads or writes a real learner's progress file."""
    path = tmp_path / "progress" / "progress.json"
    monkeypatch.setenv("KAPCOURSE_PROGRESS", str(path))
    return path


@pytest.fixture
def sample_lesson(isolated_progress):
    from kapcourse import Lesson
    from kapcourse.record.store import ProgressStore

    return Lesson("01_sample", root=FIXTURE_COURSE, store=ProgressStore(isolated_progress))


BUILT = ROOT / "_build" / "html"


def build_book(book: Path) -> Path:
    """A strict build of a course folder; returns its _build/html."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jupyter_book), "build", ".", "-n", "-W", "--keep-going"],
                            cwd=book, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "KAPCOURSE_ROOT": str(book)})
    assert result.returncode == 0, result.stdout[-3000:]
    return book / "_build" / "html"


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium (skips with instructions outside CI when missing)."""
    from .browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


BOOK_SOURCES = ("_config.yml", "_toc.yml", "notebooks", "quizzes", "book", "_static",
                "src/kapcourse")


def book_is_fresh(root: Path = ROOT, html: Path = BUILT) -> bool:
    """True when no source of the book changed since it was last built.

    Sphinx rewrites _build/html/.buildinfo whenever it writes anything, so a source newer
    than that file means the build is stale (the rule make applies to targets)."""
    stamp = html / ".buildinfo"
    if not (html / "index.html").exists() or not stamp.exists():
        return False
    built = stamp.stat().st_mtime
    for name in BOOK_SOURCES:
        path = root / name
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        if any(f.stat().st_mtime > built for f in files if "__pycache__" not in f.parts):
            return False
    return True


def up_to_date_book(root: Path = ROOT, html: Path = BUILT, build=build_book) -> Path:
    """The course as `make test` built it, reused while it is up to date; otherwise (a
    developer's edit since the last build) rebuilt first, incrementally.

    Under a lock, as every pytest worker asks: two workers that both found the book stale
    built into one folder at once, one build's clean-up of _static/kapquiz-data ran while the
    other wrote its pages, and a lesson page came out without its data script (#18)."""
    from filelock import FileLock

    html.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(html.parent / "book-build.lock"):
        return html if book_is_fresh(root, html) else build(root)


@pytest.fixture(scope="module")
def real_book():
    """The course's built book (up_to_date_book), served on a free port."""
    from .browser import serve

    with serve(up_to_date_book()) as url:
        yield url


def make_fixture_book(destination: Path) -> Path:
    """A copy of the fixture course with the real book's _config.yml and _static/."""
    shutil.copytree(FIXTURE_COURSE, destination)
    shutil.copy(ROOT / "_config.yml", destination / "_config.yml")
    shutil.copytree(ROOT / "_static", destination / "_static")
    return destination


@pytest.fixture(scope="module")
def references():
    """The course's bibliography (the readiness guide's sources are checked against it)."""
    from kapcourse.bank.course import bibliography

    return bibliography(ROOT)


@pytest.fixture(scope="session")
def _real_quizzes_copy(tmp_path_factory) -> Path:
    """A folder holding one copy of the real course's quizzes/, kept for the whole session.

    The bank loader caches a parsed bank by its text and path (kapcourse.bank.model), so a new
    copy of the course in a new folder is parsed afresh: about 2 s of CPU each time. The tests
    that break a copy of the course reuse this folder, and so one parse per worker."""
    folder = tmp_path_factory.mktemp("real-course")
    shutil.copytree(ROOT / "quizzes", folder / "quizzes")
    return folder


@pytest.fixture
def real_course_copy(_real_quizzes_copy):
    """A fresh copy of the real course (notebooks, quizzes, book, _config.yml) that a test may
    break, except its quizzes/: those are shared with the other tests that use this fixture, so
    one that changed them fails here (and they are put back)."""
    folder = _real_quizzes_copy
    for path in folder.iterdir():  # whatever an earlier test left, but the shared quizzes
        if path.is_dir() and path.name != "quizzes":
            shutil.rmtree(path)
        elif not path.is_dir():
            path.unlink()
    for name in ("notebooks", "book"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("_build"))
    shutil.copy(ROOT / "_config.yml", folder / "_config.yml")
    yield folder
    quizzes = folder / "quizzes"
    if _tree(quizzes) != _tree(ROOT / "quizzes"):
        shutil.rmtree(quizzes)
        shutil.copytree(ROOT / "quizzes", quizzes)
        pytest.fail("a test changed the shared copy of quizzes/: copy the course itself instead")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def real_final():
    """The real course's final assessment, read by the first test that asks for it: read at
    import, every xdist worker paid about 2 s of CPU to collect, even for tests that never use
    it. Read-only (the bank loader keeps what it read), so one is shared."""
    from kapcourse.record.final import read_course

    return read_course(ROOT).final


@pytest.fixture(scope="module")
def guide(references):
    """The real course's practice readiness guide."""
    from kapcourse.content.readiness import load_guide

    return load_guide(root=ROOT, citations=set(references))


def pytest_collection_modifyitems(config, items):
    """Mark every test with its layer (unit, widget, book, kernel, browser, lab, hub): see
    tests/layers.py. `make test-fast` runs `-m "unit or widget"`. The layers are remembered
    before `-m` deselects any, for tests/test_layers.py. Then the slowest layers' files go
    first, for the workers (layers.slowest_files_first)."""
    from .layers import assign, remember, slowest_files_first

    assign(items)
    remember(config, items)
    slowest_files_first(items)
