"""Every `kapcourse` command meets bad input with `kapcourse: file[:line]: message` and exit
status 1, never a traceback (code review 2026-12 §5 "Errors"; security review m1, m3)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kapcourse
from kapcourse import cli
from kapcourse.record import results

from .conftest import FIXTURE_COURSE

# The folder holding the kapcourse under test (src/), for subprocesses: a module deeper in the
# package would give src/kapcourse/, and the subprocess would import the installed copy.
SOURCE = str(Path(kapcourse.__file__).parents[1])
BANK = "quizzes/01_sample.yml"
BROKEN_BANKS = {
    "schema": lambda text: text.replace("type: single", "type: nonsense", 1),
    "YAML": lambda text: text + "\n  - [unclosed\n",
    "not UTF-8": lambda text: text.encode("utf-8") + b"\n# \xff\xfe\n",
    "NUL byte": lambda text: text.replace("Which colour", "Which \x00colour", 1),
}


@pytest.fixture
def course(tmp_path, monkeypatch):
    copy = shutil.copytree(FIXTURE_COURSE, tmp_path / "course")
    monkeypatch.setenv("KAPCOURSE_ROOT", str(copy))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return copy


def break_bank(course: Path, how: str) -> None:
    broken = BROKEN_BANKS[how]((course / BANK).read_text(encoding="utf-8"))
    if isinstance(broken, bytes):
        (course / BANK).write_bytes(broken)
    else:
        (course / BANK).write_text(broken, encoding="utf-8")


def run(capsys, *argv: str) -> tuple[int, str]:
    status = cli.main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


def a_results_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    folder.mkdir()
    export = results.make_export({"items": {"fx-single": {
        "bank": "01_sample", "attempts": 1, "first_correct": True, "correct": True}}}, "0.2.0")
    results.write_export(export, folder)
    return folder


@pytest.mark.parametrize("how", list(BROKEN_BANKS))
def test_report_and_answer_keys_name_the_bad_bank(course, tmp_path, capsys, how):
    break_bank(course, how)
    folder = a_results_folder(tmp_path)
    for argv in (["report", str(folder), "--output", str(tmp_path / "report")],
                 ["answer-keys", "--output", str(tmp_path / "keys")]):
        status, err = run(capsys, *argv)  # the review: a traceback
        assert status == 1, argv
        assert err.startswith("kapcourse: "), err
        if how in ("schema", "YAML"):  # the other two name the file once model.load_bank does
            assert err.startswith(f"kapcourse: {course / BANK}:"), err


@pytest.mark.parametrize("how", list(BROKEN_BANKS))
def test_validate_names_the_bad_bank(course, capsys, how):
    break_bank(course, how)
    status = cli.main(["validate", str(course / BANK)])
    captured = capsys.readouterr()
    assert status == 1 and "Traceback" not in captured.err


NOT_NOTEBOOKS = {"not-json.ipynb": "{oops", "list.ipynb": "[]", "empty-object.ipynb": "{}",
                 "no-metadata.ipynb": '{"nbformat": 4, "nbformat_minor": 5, "cells": []}'}


@pytest.mark.parametrize("name", list(NOT_NOTEBOOKS))
def test_execute_names_a_file_that_is_not_a_notebook(course, capsys, name):
    path = course / "notebooks" / name
    path.write_text(NOT_NOTEBOOKS[name])
    status, err = run(capsys, "execute", str(path))
    assert status == 1 and err.startswith(f"kapcourse: {path}") and err.count("\n") == 1


def test_execute_names_a_binary_file(course, capsys):
    path = course / "notebooks" / "binary.ipynb"
    path.write_bytes(b"\xff\xfe\x00")
    status, err = run(capsys, "execute", str(path))
    assert status == 1 and err.startswith(f"kapcourse: {path}: not a Jupyter notebook")


def test_export_and_report_to_an_unusable_output(course, tmp_path, capsys):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    status, err = run(capsys, "export", "--output", str(a_file))
    assert status == 1 and err.startswith("kapcourse: ") and err.count("\n") == 1
    folder = a_results_folder(tmp_path)
    status, err = run(capsys, "report", str(folder), "--output", str(a_file))
    assert status == 1 and err.startswith(f"kapcourse: {a_file}")


def test_no_course_folder(tmp_path, monkeypatch, capsys):
    def no_course():
        raise FileNotFoundError("no course here")  # what course_root() says outside a course

    monkeypatch.setattr(cli, "course_root", no_course)
    status, err = run(capsys, "answer-keys", "--output", str(tmp_path / "keys"))
    assert status == 1 and err == "kapcourse: no course here\n"


def test_a_bug_still_shows_its_traceback(course, monkeypatch):
    """Only bad input is turned into a message: a programming error is not hidden."""
    def bug(root, folder):
        raise KeyError("a bug")

    import kapcourse.workshop.facilitator

    monkeypatch.setattr(kapcourse.workshop.facilitator, "write_answer_keys", bug)
    with pytest.raises(KeyError):
        cli.main(["answer-keys"])


def test_the_command_line_itself_prints_no_traceback(course, tmp_path):
    break_bank(course, "YAML")
    env = {"KAPCOURSE_ROOT": str(course), "PYTHONPATH": SOURCE, "MPLBACKEND": "Agg",
           "KAPCOURSE_PROGRESS": str(tmp_path / "p.json")}
    done = subprocess.run([sys.executable, "-m", "kapcourse", "answer-keys", "--output",
                           str(tmp_path / "keys")], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("kapcourse: ") and "01_sample.yml:" in done.stderr
