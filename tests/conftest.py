"""Shared test fixtures: paths, an isolated progress file, the fixture course."""

from __future__ import annotations

import shutil
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
    from kapcourse.progress import ProgressStore

    return Lesson("01_sample", root=FIXTURE_COURSE, store=ProgressStore(isolated_progress))


def make_fixture_book(destination: Path) -> Path:
    """A copy of the fixture course with the real book's _config.yml and _static/."""
    shutil.copytree(FIXTURE_COURSE, destination)
    shutil.copy(ROOT / "_config.yml", destination / "_config.yml")
    shutil.copytree(ROOT / "_static", destination / "_static")
    return destination
