"""The final assessment: every bank's final_items in course order, one host, scoring and new
attempts (the course is tests/final_course.py's sample course)."""

from __future__ import annotations

import pytest

from kapcourse.bank.model import BankError, bank_paths, load_bank
from kapcourse.record.final import BANK, PREFIX, build, read_course, result
from kapcourse.record.store import ProgressStore

from .conftest import FIXTURE_COURSE, ROOT
from .final_course import sample_banks


def test_the_final_is_every_banks_final_items_in_course_order(tmp_path):
    banks = sample_banks(tmp_path)
    final = build(banks)
    assert final.host == "02_host" and final.pass_mark == 80
    assert [q.id for q in final.questions] == [
        "fx-f1-single", "fx-f1-case-a", "fx-f1-case-b", "fx-f2-truefalse", "fx-f2-case-a",
        "fx-f2-case-b", "h-f1-numeric", "h-f2-single"]
    assert [q.id for q in final.drawn(1)] == ["fx-f1-single", "fx-f1-case-a", "fx-f1-case-b",
                                              "h-f1-numeric"]
    assert set(final.lesson_of.values()) == {"01_sample", "02_host"}
    assert final.lesson_of["fx-f1-case-b"] == "01_sample"
    assert final.lesson_of["h-f2-single"] == "02_host"
    written = final.bank.item("fx-f1-single")
    assert written is banks["01_sample"].final_items[0]  # the bank's own item, not a copy
    lesson_ids = {q.id for bank in banks.values() for q in bank.questions}
    assert not lesson_ids & {q.id for q in final.questions}  # no lesson item is in the final
    assert final.bank.stem == BANK


def test_only_one_bank_may_define_the_final_assessment(tmp_path):
    banks = sample_banks(tmp_path)
    (tmp_path / "quizzes" / "03_again.yml").write_text(
        (tmp_path / "quizzes" / "02_host.yml").read_text().replace("h-", "g-"))
    banks["03_again"] = load_bank(tmp_path / "quizzes" / "03_again.yml")
    with pytest.raises(BankError) as caught:
        build(banks)
    assert [str(p) for p in caught.value.problems] == [
        "quizzes/03_again.yml:1:1: final_assessment: quizzes/02_host.yml already defines the "
        "final assessment; keep one"]


def test_the_real_course_draws_on_every_objective_of_every_lesson():
    """The course's final is written for it (no reused lesson items): every objective of
    every lesson has at least two forms, and attempts 1 and 2 draw different ones."""
    final = read_course(ROOT).final
    banks = {p.stem: load_bank(p) for p in bank_paths(ROOT / "quizzes")}
    objectives = {o.id for bank in banks.values() for o in bank.objectives}
    lesson_ids = {q.id for bank in banks.values() for q in bank.questions}
    assert not any(q.id.startswith(PREFIX) for q in final.questions)
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
    final = build(sample_banks(tmp_path))
    items = {**answer("fx-f1-single", True), **answer("fx-f1-case-a", False),
             **answer("fx-f1-case-b", True), **answer("fx-numeric", True, bank="01_sample"),
             **answer("fx-f2-truefalse", True)}  # attempt 1 did not draw form 2: not counted
    outcome = result(items, final)
    assert (outcome.total, outcome.answered, outcome.right) == (4, 3, 2)
    assert not outcome.complete and not outcome.passed
    assert [(p.stem, p.right, p.total) for p in outcome.by_lesson] == [("01_sample", 2, 3),
                                                                       ("02_host", 0, 1)]
    items.update(answer("h-f1-numeric", True))
    outcome = result(items, final)
    assert outcome.complete and outcome.percent == 75 and not outcome.passed  # 75 < 80
    items.update(answer("fx-f1-case-a", True))
    assert result(items, final).passed
    # the same answers as release 0.2.0 saved them (no attempt): they count towards nothing
    old = {**items, **{q.id: answer(q.id, True, attempt=None)[q.id] for q in final.questions}}
    assert result(old, final).answered == 0


def test_removing_the_final_bank_keeps_lesson_answers(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    store.record("01_sample", "fx-single", True, 0)
    store.record(BANK, "fx-f1-single", False, 1)
    assert store.remove_bank(BANK) == 1
    assert list(store.load()["items"]) == ["fx-single"]


def test_the_widget_gives_no_feedback_until_submit_and_starts_new_attempts(tmp_path):
    """The sample course; tests/test_final_forms.py has forms of other kinds and safety."""
    from kapcourse.bank.course import bibliography
    from kapcourse.pages.final import FinalView

    final = build(sample_banks(tmp_path))
    store = ProgressStore(tmp_path / "progress.json")
    store.record("01_sample", "fx-single", True, 0)  # a lesson answer: must survive
    view = FinalView(final, bibliography(FIXTURE_COURSE), store)
    assert "Attempt 1: 0 of 4 questions answered" in view.result.value
    single = view.questions[0]
    assert single.question.id == "fx-f1-single" and not hasattr(single, "check")
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
    assert store.load()["items"]["fx-f1-single"]["bank"] == BANK
    view.new_attempt.click()
    assert "Attempt 2: 0 of 4 questions answered" in view.result.value
    assert view.questions[0].question.id == "fx-f2-truefalse"  # the other form
    assert view.questions[0].answer.value is None and view.questions[0].review.value == ""
    assert store.load()["items"]["fx-single"]["bank"] == "01_sample"  # the lesson answer stays
