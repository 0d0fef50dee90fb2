"""The final assessment: references by id across banks, its checks, scoring and new attempts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kapcourse.course import bank_files
from kapcourse.final import BANK, MIN_QUESTIONS, PREFIX, build, result
from kapcourse.model import BankError, load_bank
from kapcourse.progress import ProgressStore

from .conftest import FIXTURE_COURSE, ROOT

HOST = """\
title: Host lesson
reviewed: 2026-11-01
objectives:
  - id: h-o1
    text: Put it together.
items:
  - id: h-tf
    type: truefalse
    objective: h-o1
    prompt: Is this a host item?
    answer: true
    feedback_true: Yes.
    feedback_false: It is.
    explanation: It is the host's own item.
    cite: [sample2020]
  - id: h-order
    type: ordering
    objective: h-o1
    prompt: Order these.
    steps: [one, two, three]
    explanation: Counting.
    cite: [sample2020]
final_assessment:
  pass_mark: 80
  items:
{refs}
"""


def banks_with(tmp_path: Path, refs: list[str]) -> dict:
    folder = tmp_path / "quizzes"
    folder.mkdir(exist_ok=True)
    shutil.copy(FIXTURE_COURSE / "quizzes" / "01_sample.yml", folder / "01_sample.yml")
    (folder / "02_host.yml").write_text(HOST.format(refs="\n".join(f"    - {r}" for r in refs)))
    return {path.stem: load_bank(path, display_name=f"quizzes/{path.name}")
            for path in sorted(folder.glob("*.yml"))}


def messages(error: BankError) -> list[str]:
    return [str(problem) for problem in error.problems]


def test_items_are_reused_by_id_under_final_ids(tmp_path):
    banks = banks_with(tmp_path, ["fx-single", "fx-case", "fx-numeric"])
    final = build(banks, min_questions=4)
    assert final.host == "02_host" and final.pass_mark == 80
    assert [q.id for q in final.questions] == ["final-fx-single", "final-fx-case-a",
                                               "final-fx-case-b", "final-fx-numeric"]
    assert set(final.lesson_of.values()) == {"01_sample"}
    lesson_item = banks["01_sample"].item("fx-single")
    reused = final.bank.item("final-fx-single")
    assert reused.prompt == lesson_item.prompt and reused.options == lesson_item.options
    assert final.bank.stem == BANK


@pytest.mark.parametrize(("refs", "expected"), [
    (["fx-single", "fx-nothing", "fx-numeric"],
     "02_host.yml:27:7: final_assessment.items[1]: no other lesson's bank has an item "
     "'fx-nothing'"),
    (["fx-single", "fx-case-a", "fx-numeric"],
     "final_assessment.items[1]: 'fx-case-a' is one part of the case 'fx-case'; reuse the whole"),
    (["fx-single", "fx-multiple"],
     "no item for objective(s) fx-o2 of quizzes/01_sample.yml"),
    (["fx-single", "fx-numeric"], "the final assessment has 2 questions; at least 3 needed"),
])
def test_bad_references_are_named_with_file_line_and_key(tmp_path, refs, expected):
    with pytest.raises(BankError) as caught:
        build(banks_with(tmp_path, refs), min_questions=3)
    assert any(expected in message for message in messages(caught.value)), messages(caught.value)


@pytest.mark.parametrize(("refs", "expected"), [
    (["fx-single", "fx-single"], "final_assessment.items[1]: 'fx-single' is listed twice"),
    (["h-tf"], "'h-tf' is an item of this bank; the final assessment reuses"),
])
def test_the_bank_loader_checks_its_own_list(tmp_path, refs, expected):
    with pytest.raises(BankError) as caught:
        banks_with(tmp_path, refs)
    assert any(expected in message for message in messages(caught.value))


def test_only_one_bank_may_define_the_final_assessment(tmp_path):
    banks = banks_with(tmp_path, ["fx-single", "fx-numeric"])
    (tmp_path / "quizzes" / "03_again.yml").write_text(
        (tmp_path / "quizzes" / "02_host.yml").read_text().replace("h-", "g-"))
    banks["03_again"] = load_bank(tmp_path / "quizzes" / "03_again.yml")
    with pytest.raises(BankError, match="already defines the final assessment"):
        build(banks, min_questions=2)


def test_the_real_course_draws_on_every_objective_of_every_lesson():
    from kapcourse.final import load

    final = load(ROOT)
    banks = {p.stem: load_bank(p) for p in bank_files(ROOT) if p.stem != final.host}
    assert len(final.questions) >= MIN_QUESTIONS
    assert all(q.id.startswith(PREFIX) for q in final.questions)
    covered = {q.objective for q in final.questions}
    assert {o.id for bank in banks.values() for o in bank.objectives} <= covered
    assert set(final.lesson_of.values()) == set(banks)


def answer(qid: str, first: bool, now: bool | None = None, bank: str = BANK) -> dict:
    return {qid: {"bank": bank, "attempts": 1 if now is None else 2, "first_correct": first,
                  "correct": first if now is None else now, "first": "2026-11-26T10:00:00+00:00",
                  "last": "2026-11-26T10:05:00+00:00"}}


def test_the_result_counts_first_tries_per_lesson(tmp_path):
    final = build(banks_with(tmp_path, ["fx-single", "fx-case", "fx-numeric"]), min_questions=4)
    items = {**answer("final-fx-single", True), **answer("final-fx-case-a", False, now=True),
             **answer("final-fx-case-b", True), **answer("fx-numeric", True, bank="01_sample")}
    outcome = result(items, final)
    assert (outcome.total, outcome.answered, outcome.right) == (4, 3, 2)
    assert not outcome.complete and not outcome.passed
    assert [(p.stem, p.right, p.total) for p in outcome.by_lesson] == [("01_sample", 2, 4)]
    items.update(answer("final-fx-numeric", True))
    outcome = result(items, final)
    assert outcome.complete and outcome.percent == 75 and not outcome.passed  # 75 < 80
    items.update(answer("final-fx-case-a", True))
    assert result(items, final).passed


def test_a_new_attempt_clears_only_final_answers(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    store.record("01_sample", "fx-single", True, 0)
    store.record(BANK, "final-fx-single", False, 1)
    assert store.remove_bank(BANK) == 1
    assert list(store.load()["items"]) == ["fx-single"]


def test_the_widget_scores_first_tries_and_starts_new_attempts(tmp_path):
    from kapcourse.course import bibliography
    from kapcourse.final_view import FinalView

    final = build(banks_with(tmp_path, ["fx-single", "fx-case", "fx-numeric"]), min_questions=4)
    store = ProgressStore(tmp_path / "progress.json")
    store.record("01_sample", "fx-single", True, 0)  # a lesson answer: must survive
    view = FinalView(final, bibliography(FIXTURE_COURSE), store)
    assert "0 of 4 questions answered so far" in view.result.value
    single = view.quiz.view("final-fx-single")
    single.answer.value = 1  # wrong first
    single.check.click()
    single.retry.click()
    single.answer.value = 0
    single.check.click()
    assert "Final assessment: 0 of 4 right at the first try (1 answered)" in single.result.value
    assert "1 of 4 questions answered so far" in view.result.value
    assert "<td>Sample lesson</td><td>0 of 4</td>" in view.result.value
    for question in ("final-fx-case-a", "final-fx-numeric"):
        part = view.quiz.view(question)
        part.answer.value = 0 if question.endswith("-a") else "35"
        part.check.click()
    part = view.quiz.view("final-fx-case-b")
    part.answer.value = True
    part.check.click()
    assert "Not passed: 75% (pass mark 80%)" in view.result.value
    view.new_attempt.click()
    assert set(store.load()["items"]) == {"fx-single"}
    assert "0 of 4 questions answered so far" in view.result.value
    fresh = view.quiz.view("final-fx-single")
    assert fresh is not single and fresh.answer.value is None
