"""The final assessment: references by id across banks, its checks, scoring and new attempts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kapcourse.bank.model import BankError, bank_paths, load_bank
from kapcourse.record.final import BANK, PREFIX, build, result
from kapcourse.record.store import ProgressStore

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
    """The course's final is written for it (no reused lesson items): every objective of
    every lesson has at least two forms, and attempts 1 and 2 draw different ones."""
    from kapcourse.record.final import load

    final = load(ROOT)
    banks = {p.stem: load_bank(p) for p in bank_paths(ROOT / "quizzes")}
    objectives = {o.id for bank in banks.values() for o in bank.objectives}
    lesson_ids = {q.id for bank in banks.values() for q in bank.questions}
    assert not final.reused and not any(q.id.startswith(PREFIX) for q in final.questions)
    assert not lesson_ids & {q.id for q in final.questions}
    assert set(final.forms) == objectives
    assert all(len(forms) >= 2 for forms in final.forms.values())
    first, second = final.items_for(1), final.items_for(2)
    assert {i.objective for i in first} == {i.objective for i in second} == objectives
    assert not {i.id for i in first} & {i.id for i in second}
    assert any(q.safety for q in final.drawn(1)) and any(q.safety for q in final.drawn(2))


def answer(qid: str, first: bool, now: bool | None = None, bank: str = BANK,
           attempt: int | None = 1, submitted: bool = True) -> dict:
    """A saved answer; a final-assessment one (bank final) belongs to attempt 1, is rated
    "fairly sure" and submitted (attempt=None: as release 0.2.0 saved it)."""
    entry = {"bank": bank, "attempts": 1 if now is None else 2, "first_correct": first,
             "correct": first if now is None else now, "first": "2026-11-26T10:00:00+00:00",
             "last": "2026-11-26T10:05:00+00:00"}
    if bank == BANK and attempt is not None:
        entry.update(attempt=attempt, confidence="fairly sure", submitted=submitted)
    return {qid: entry}


def test_the_result_counts_this_attempts_answers_per_lesson(tmp_path):
    final = build(banks_with(tmp_path, ["fx-single", "fx-case", "fx-numeric"]), min_questions=4)
    items = {**answer("final-fx-single", True), **answer("final-fx-case-a", False),
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
    # the same answers as release 0.2.0 saved them (no attempt): they count towards nothing
    old = {**items, **{q.id: answer(q.id, True, attempt=None)[q.id] for q in final.questions}}
    assert result(old, final).answered == 0


def test_removing_the_final_bank_keeps_lesson_answers(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    store.record("01_sample", "fx-single", True, 0)
    store.record(BANK, "final-fx-single", False, 1)
    assert store.remove_bank(BANK) == 1
    assert list(store.load()["items"]) == ["fx-single"]


def test_the_widget_gives_no_feedback_until_submit_and_starts_new_attempts(tmp_path):
    """The fallback (reused items, one form): see tests/test_final_forms.py for two forms."""
    from kapcourse.bank.course import bibliography
    from kapcourse.pages.final import FinalView

    final = build(banks_with(tmp_path, ["fx-single", "fx-case", "fx-numeric"]), min_questions=4)
    store = ProgressStore(tmp_path / "progress.json")
    store.record("01_sample", "fx-single", True, 0)  # a lesson answer: must survive
    view = FinalView(final, bibliography(FIXTURE_COURSE), store)
    assert "Attempt 1: 0 of 4 questions answered" in view.result.value
    single = view.questions[0]
    assert single.question.id == "final-fx-single" and not hasattr(single, "check")
    single.answer.value = 1  # wrong
    single.confidence.value = "certain"
    assert "Saved." in single.status.value and "✗" not in single.status.value
    assert single.review.value == ""  # no feedback before Submit
    view.submit.click()
    assert "3 still to do" in view.message.value
    for question in view.questions[1:]:
        question.answer.value = {"single": 0, "truefalse": True, "numeric": "35"}[
            question.question.type]
        question.confidence.value = "fairly sure"
    view.submit.click()
    assert "Attempt 1: not passed: 75% is below the pass mark of 80%" in view.result.value
    assert "Review these first" in view.result.value  # certain, and wrong
    assert "✗" in view.questions[0].review.value and "Blue" in view.questions[0].review.value
    assert view.questions[0].answer.disabled
    assert store.load()["items"]["final-fx-single"]["bank"] == BANK
    view.new_attempt.click()
    assert "Attempt 2: 0 of 4 questions answered" in view.result.value
    assert view.questions[0].answer.value is None and view.questions[0].review.value == ""
    assert store.load()["items"]["fx-single"]["bank"] == "01_sample"  # the lesson answer stays
