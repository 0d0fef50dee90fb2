"""Item-writing checks (issue 14): every check has a fixture bank that fails at the expected
``file:line:column`` and one that passes; the real course passes them all."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from kapcourse import BankError, load_bank
from kapcourse.bank.course import lesson_stems
from kapcourse.bank.quality import absolute_words, bank_problems, notebook_problems
from kapcourse.checks import validate

from .conftest import FIXTURE_COURSE, FIXTURES, ROOT

QUALITY = FIXTURES / "quality"

# failing fixture -> the exact problems it must report, in order
FAILS = {
    "tf_unbalanced.yml": [
        "tf_unbalanced.yml:7:3: items: 0 of 3 true/false questions (0%) are keyed True;"],
    "longest_correct.yml": [
        "longest_correct.yml:7:3: items: the correct option is the longest in 2 of 3 "
        "single-answer questions (67%; at most 35%): q-long-1, q-case-1;"],
    "of_the_above.yml": [
        "of_the_above.yml:18:15: items[0].options[2].text: 'ALL OF THE ABOVE' is not allowed",
        "of_the_above.yml:21:15: items[0].options[3].text: 'None of above' is not allowed"],
    "absolute.yml": [
        "absolute.yml:15:15: items[0].options[1].text: absolute word(s) 'never', "
        "'whatever the dose' in a wrong option",
        "absolute.yml:26:13: items[1].prompt: absolute word(s) 'always' in the statement of a "
        "false-keyed true/false question"],
}
PASSES = ["tf_balanced.yml", "tf_few.yml", "longest_correct_ok.yml", "of_the_above_ok.yml",
          "absolute_ok.yml"]


def problems_of(name: str) -> list[str]:
    path = QUALITY / name
    load_bank(path)  # a fixture must be a valid bank, so only the quality checks speak
    return [str(p) for p in bank_problems(path, name)]


def test_every_quality_fixture_is_covered():
    assert {p.name for p in QUALITY.glob("*.yml")} == set(FAILS) | set(PASSES)


@pytest.mark.parametrize("name", sorted(FAILS))
def test_failing_fixture_reports_file_line_column_and_key_path(name):
    found = problems_of(name)
    assert len(found) == len(FAILS[name]), found
    for problem, expected in zip(found, FAILS[name], strict=True):
        assert problem.startswith(expected), problem


@pytest.mark.parametrize("name", PASSES)
def test_passing_fixture_has_no_problems(name):
    assert problems_of(name) == []


def test_validate_runs_the_checks_on_named_banks():
    found = [str(p) for p in validate(FIXTURE_COURSE, [QUALITY / "tf_unbalanced.yml"])]
    assert len(found) == 1 and "tf_unbalanced.yml:7:3: items: 0 of 3" in found[0]


def test_cli_validate_prints_the_problem_and_fails(monkeypatch, capsys):
    # In process (kapcourse.cli.main): test_hostile_bank runs `python -m kapcourse validate`
    # itself, which proves the entry point; an uncaught exception here fails the test.
    from kapcourse.cli import main

    monkeypatch.setenv("KAPCOURSE_ROOT", str(FIXTURE_COURSE))
    monkeypatch.chdir(ROOT)
    assert main(["validate", str(QUALITY / "of_the_above.yml")]) == 1
    printed = capsys.readouterr()
    assert "of_the_above.yml:18:15: items[0].options[2].text: 'ALL OF THE ABOVE'" in (
        printed.out + printed.err)
    assert "Traceback" not in printed.err


def test_absolute_ok_must_be_a_boolean(tmp_path):
    text = (QUALITY / "absolute_ok.yml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(text.replace("absolute_ok: true", "absolute_ok: yes", 1), encoding="utf-8")
    with pytest.raises(BankError, match=r"bad.yml:17:22: items\[0\].options\[1\].absolute_ok: "
                                        "must be of type boolean"):
        load_bank(bad)


@pytest.mark.parametrize("text, words", [
    ("It never works, whatever  the dose", ["never", "whatever the dose"]),
    ("ONLY in some people; All of them", ["only", "all"]),
    ("video-only care; all-or-nothing thinking; she needs it after all", []),
    ("Usually, and in most people, checks every 10 minutes", []),
    ("Nobody at all", ["nobody", "at all"]),
])
def test_absolute_words_are_whole_words_without_compounds_or_idioms(text, words):
    assert absolute_words(text) == words


def test_stale_lesson_references_in_notebook_markdown():
    notebook = QUALITY / "notebooks" / "02_stale.ipynb"
    found = [str(p) for p in notebook_problems(QUALITY, notebook, "02_stale.ipynb")]
    assert found == [
        "02_stale.ipynb:18:16: cells[1].source: '(planned)': every lesson is written now; "
        "link the lesson instead, e.g. [lesson 03](03_duration.ipynb)",
        "02_stale.ipynb:18:52: cells[1].source: link to '05_missing.ipynb', which does not "
        "exist",
        "02_stale.ipynb:18:6: cells[1].source: 'Lesson 07': there is no such lesson notebook",
        "02_stale.ipynb:18:42: cells[1].source: 'lesson 5': there is no such lesson notebook",
        "02_stale.ipynb:19:11: cells[1].source: {doc} reference to '06_gone', which does not "
        "exist",
    ]


def test_links_to_lessons_that_exist_pass():
    notebook = QUALITY / "notebooks" / "01_linked.ipynb"
    assert notebook_problems(QUALITY, notebook, "01_linked.ipynb") == []


def test_the_real_course_passes_every_item_quality_check():
    """Fails until every bank and lesson is fixed: the checks are the issue's acceptance test."""
    notebooks, banks = lesson_stems(ROOT)
    found = [str(p) for path in banks
             for p in bank_problems(path, str(path.relative_to(ROOT)))]
    found += [str(p) for path in notebooks
              for p in notebook_problems(ROOT, path, str(path.relative_to(ROOT)))]
    assert found == []


def test_the_book_build_warns_about_stale_lesson_references(caplog):
    from kapcourse.book.sphinx_ext import _warn_stale_lesson_references

    with caplog.at_level(logging.WARNING):
        _warn_stale_lesson_references(SimpleNamespace(srcdir=str(QUALITY)))
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 5
    assert "notebooks/02_stale.ipynb:18:16: cells[1].source: '(planned)'" in warnings[0]
