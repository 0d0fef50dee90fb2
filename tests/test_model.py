"""The item-bank model and loader: every error kind has a broken fixture bank."""

from __future__ import annotations

import pytest

from kapcourse import BankError, load_bank
from kapcourse.bank.model import Vignette, shuffle_order

from .conftest import FIXTURE_COURSE, FIXTURES, ROOT

BROKEN = FIXTURES / "broken"
KNOWN = {"sample2020"}

# file -> (line, column, key path, message fragment) of the one problem each must report
EXPECTED = {
    "yaml_syntax.yml": (11, 12, "", "YAML syntax error"),
    "wrong_type.yml": (16, 18, "items[0].options[1].correct", "must be of type boolean"),
    "missing_field.yml": (7, 5, "items[0]", "missing required key 'explanation'"),
    "unknown_key.yml": (11, 5, "items[0].hint", "unknown key 'hint'"),
    "bad_objective.yml": (22, 16, "items[1].objective", "unknown objective 'b-o9'"),
    "unknown_citation.yml": (28, 12, "items[1].cite[0]", "'nosuch2099' is not in"),
    "two_correct.yml": (12, 7, "items[0].options", "exactly one correct option, found 2"),
    "duplicate_id.yml": (20, 9, "items[1].id", "duplicate item id 'b-one'"),
    "underassessed.yml": (4, 9, "objectives[0].id", "'b-o2' is assessed by 0 item(s)"),
    "duplicate_key.yml": (11, 5, "items[0].prompt", "duplicate key 'prompt'"),
    "bad_date.yml": (2, 11, "reviewed", "not a real date"),
    "unknown_type.yml": (8, 11, "items[0].type", "'choice' is not one of"),
    "one_kind.yml": (4, 9, "objectives[0].id", "items of one kind only (single)"),
}


def test_every_broken_fixture_is_covered():
    assert {p.name for p in BROKEN.glob("*.yml")} - {"valid.yml"} == set(EXPECTED)


def test_valid_fixture_loads():
    bank = load_bank(BROKEN / "valid.yml", KNOWN)
    assert [item.id for item in bank.items] == ["b-one", "b-two"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_bank_reports_file_line_column_and_key_path(name):
    line, column, path, fragment = EXPECTED[name]
    with pytest.raises(BankError) as caught:
        load_bank(BROKEN / name, KNOWN, display_name=name)
    matching = [p for p in caught.value.problems if fragment in p.message]
    assert matching, str(caught.value)
    problem = matching[0]
    assert (problem.line, problem.column, problem.path) == (line, column, path)
    where = f"{path}: " if path else ""
    assert str(problem) == f"{name}:{line}:{column}: {where}{problem.message}"


# The command's behaviour, run in process (kapcourse.cli.main): a new Python per test paid
# every import again. test_hostile_bank runs `python -m kapcourse validate` itself, which
# proves the entry point; an uncaught exception here fails the test as a traceback would.


def test_cli_validate_prints_problems_without_traceback(monkeypatch, capsys):
    from kapcourse.cli import main

    monkeypatch.setenv("KAPCOURSE_ROOT", str(FIXTURE_COURSE))
    monkeypatch.chdir(ROOT)
    assert main(["validate", str(BROKEN / "wrong_type.yml")]) == 1
    stderr = capsys.readouterr().err
    expected = "wrong_type.yml:16:18: items[0].options[1].correct: must be of type boolean"
    assert expected in stderr
    assert "Traceback" not in stderr


def test_cli_validate_finds_only_the_fixture_courses_deliberate_script(monkeypatch, capsys):
    """The fixture course is valid but for one prompt that carries a <script> on purpose, so
    the renderer tests can show it stays inert even if a bank skipped validation."""
    from kapcourse.cli import main

    monkeypatch.setenv("KAPCOURSE_ROOT", str(FIXTURE_COURSE))
    assert main(["validate"]) == 1
    stderr = capsys.readouterr().err
    problems = [line for line in stderr.splitlines() if ": " in line]
    assert problems == ["quizzes/01_sample.yml:13:13: items[0].prompt: raw HTML is not allowed "
                        "(found '<s'); use Markdown (*emphasis*, **strong**, `code`, "
                        "[link](https://...)) or put a space after '<'"], stderr


def test_the_real_course_is_valid():
    from kapcourse.checks import validate

    assert [str(p) for p in validate(ROOT)] == []


def test_fixture_bank_has_every_type_and_vignette_parts_inherit():
    bank = load_bank(FIXTURE_COURSE / "quizzes" / "01_sample.yml", KNOWN)
    types = {item.type for item in bank.items}
    assert types == {"single", "multiple", "truefalse", "numeric", "ordering", "vignette"}
    case = bank.item("fx-case")
    assert isinstance(case, Vignette)
    assert [p.objective for p in case.parts] == ["fx-o2", "fx-o2"]
    assert [p.cite for p in case.parts] == [("sample2020",), ("sample2020",)]
    assert len(bank.questions) == 7


@pytest.mark.parametrize("count", [2, 3, 5, 8])
def test_shuffle_is_a_fixed_non_identity_permutation(count):
    order = shuffle_order("some-item", count)
    assert sorted(order) == list(range(count))
    assert order != tuple(range(count))
    assert order == shuffle_order("some-item", count)
