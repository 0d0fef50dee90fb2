"""The final assessment with written parallel forms (tests/fixtures/final): attempt 2 draws
the other forms, nothing is graded before Submit, a wrong safety question fails the final
above the pass mark, the record names the attempt, answers survive a kernel restart, and
progress saved by release 0.2.0 still loads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kapcourse.bank.model import BankError
from kapcourse.pages.final import FinalView
from kapcourse.record.completion import make_record, record_html, status
from kapcourse.record.final import build, result
from kapcourse.record.store import ProgressStore
from kapcourse.record.summary import LessonInfo, known_questions, parse_import

from .conftest import FIXTURE_COURSE
from .final_course import FORMS, load_banks

QUIZZES = FORMS
RIGHT = {"a-f1-first-step": 0, "a-f2-first-step": 1, "a-f1-dose": "30", "a-f2-dose-case-a": "40",
         "a-f2-dose-case-b": [0, 1], "h-f1-refer": True, "h-f2-refer": 0}
WRONG = {"a-f1-first-step": 1, "a-f2-first-step": 0, "a-f1-dose": "120",
         "a-f2-dose-case-a": "80", "a-f2-dose-case-b": [2], "h-f1-refer": False,
         "h-f2-refer": 1}


def banks(folder: Path = QUIZZES) -> dict:
    return load_banks(folder)


@pytest.fixture
def final():
    return build(banks())


@pytest.fixture
def references():
    from kapcourse.bank.course import bibliography

    return bibliography(FIXTURE_COURSE)


def answer(view, question_id: str, response, confidence: str = "fairly sure") -> None:
    """Answer as a learner does: choose (or type), then say how sure."""
    question = next(q for q in view.questions if q.question.id == question_id)
    if question.question.type == "multiple":
        for index in question.question.option_order:
            question.choice(index).value = index in response
    else:
        question.answer.value = response
    question.confidence.value = confidence


def test_attempt_two_draws_the_other_form_of_every_objective(final):
    first, second = ({q.id for q in final.drawn(n)} for n in (1, 2))
    assert not first & second
    assert {q.form for q in final.drawn(1)} == {1} and {q.form for q in final.drawn(2)} == {2}
    assert [q.id for q in final.drawn(3)] == [q.id for q in final.drawn(1)]
    objectives = {q.objective for q in final.drawn(1)}
    assert objectives == {q.objective for q in final.drawn(2)} == {"a-o1", "a-o2", "h-o1"}


def test_a_lesson_without_forms_fails_validation_with_file_and_line(tmp_path):
    folder = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, folder)
    shutil.copy(FIXTURE_COURSE / "quizzes" / "01_sample.yml", folder / "00_sample.yml")
    with pytest.raises(BankError) as raised:
        build(banks(folder))
    text = str(raised.value)
    lines = (folder / "00_sample.yml").read_text().splitlines()
    line = lines.index("  - id: fx-o2") + 1
    assert (f"quizzes/00_sample.yml:{line}:1: final_items: objective 'fx-o2' has no "
            "final-assessment forms") in text


def test_no_feedback_before_submit_then_a_review_and_the_other_forms(final, references,
                                                                       tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    view = FinalView(final, references, store)
    assert [q.question.id for q in view.questions] == [q.id for q in final.drawn(1)]
    answer(view, "a-f1-first-step", WRONG["a-f1-first-step"], "certain")
    question = view.questions[0]
    assert "Saved." in question.status.value
    shown = question.status.value + question.review.value + view.result.value
    assert "✗" not in shown and "✓" not in shown and "Not quite" not in shown
    assert "Screening comes first" not in shown  # no option feedback, no explanation
    view.submit.click()  # two questions still to answer
    assert "2 still to do" in view.message.value
    for qid in ("a-f1-dose", "h-f1-refer"):
        answer(view, qid, RIGHT[qid])

    restarted = FinalView(final, references, ProgressStore(tmp_path / "progress.json"))
    assert restarted.questions[0].answer.value == WRONG["a-f1-first-step"]  # kernel restart
    assert restarted.questions[0].confidence.value == "certain"
    restarted.submit.click()
    # 2 of 3 = 66% meets the 60% pass mark, but the safety question is wrong
    assert "Attempt 1: not passed: 1 safety question(s) answered wrong" in restarted.result.value
    assert "below the pass mark" not in restarted.result.value
    assert "Safety questions right: 0 of 1" in restarted.result.value
    assert "Alpha lesson: Choose the safe first step." in restarted.result.value
    review = restarted.questions[0].review.value
    assert "✗" in review and "Certain" in review and "Safety question" in review
    assert "Dosing before screening skips the safety checks." in review  # feedback now

    restarted.new_attempt.click()
    assert [q.question.id for q in restarted.questions] == [q.id for q in final.drawn(2)]
    assert "Attempt 2: 0 of 4" in restarted.result.value
    for qid in ("a-f2-first-step", "a-f2-dose-case-a", "a-f2-dose-case-b", "h-f2-refer"):
        answer(restarted, qid, RIGHT[qid])
    restarted.submit.click()
    assert "Attempt 2: passed: 100%" in restarted.result.value
    saved = store.load()["items"]
    assert saved["a-f1-first-step"]["attempt"] == 1 and saved["h-f2-refer"]["attempt"] == 2


def test_the_record_names_the_attempt_and_the_safety_rule(final, tmp_path):
    items = {}
    for question in final.drawn(2):
        items[question.id] = {"bank": "final", "attempts": 1, "first_correct": True,
                              "correct": True, "attempt": 2, "confidence": "certain",
                              "submitted": True}
    lessons = [LessonInfo("01_alpha", "Alpha lesson", (), ())]
    record = make_record("Ada Lovelace", status(items, lessons, final), "0.3.0-test")
    page = record_html(record)
    assert ("Final assessment (attempt 2; pass mark 60% and every safety question right): "
            "4 of 4 (100%)") in page
    assert "Safety questions: 1 of 1 right" in page


def test_progress_and_exports_saved_by_0_2_0_still_load(final, tmp_path):
    old = {"bank": "final", "attempts": 2, "first_correct": False, "correct": True,
           "first": "2026-11-20T10:00:00+00:00", "last": "2026-11-20T10:01:00+00:00",
           "first_response": 1, "last_response": 0}
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({"format": "kapcourse-progress", "version": 1,
                                "items": {"final-fx-single": old}}))
    store = ProgressStore(path)
    assert store.load()["items"] == {"final-fx-single": old} and store.warning == ""
    assert result(store.load()["items"], final).answered == 0  # counts towards nothing
    lessons = [LessonInfo("01_sample", "Sample", ("fx-single",), ())]
    export = json.dumps({"format": "kapcourse-results", "items": {"final-fx-single": old}})
    assert set(parse_import(export, known_questions(lessons, final))) == {"final-fx-single"}


def test_the_report_analyses_forms_apart_with_confidently_wrong_and_safety_flags(final,
                                                                                  tmp_path):
    from kapcourse.workshop.report import Pooled, analyse, write_report

    def export(wrong: set[str], certain: bool, attempt: int = 1) -> dict:
        items = {q.id: {"bank": "final", "attempts": 1, "first_correct": q.id not in wrong,
                        "correct": q.id not in wrong, "attempt": attempt, "submitted": True,
                        "confidence": "certain" if certain else "guessing"}
                 for q in final.drawn(attempt)}
        return {"export_id": str(len(wrong)) + str(certain) + str(attempt), "items": items}

    # 5 learners on form 1: 2 wrong on the safety question (40% > 20%), one of them certain;
    # one learner on form 2, all right; an unsubmitted answer does not count
    cohort = [export({"a-f1-first-step"}, True), export({"a-f1-first-step"}, False),
              export(set(), True), export(set(), False), export({"a-f1-dose"}, False),
              export(set(), True, attempt=2)]
    cohort[3]["items"]["h-f1-refer"]["submitted"] = False
    report = analyse(Pooled(exports=cohort), list(banks().values()), final)
    stats = {s.id: s for s in report.final_questions}
    first = stats["a-f1-first-step"]
    assert (first.answers, first.right, first.confidently_wrong) == (5, 0.6, 0.2)
    assert first.flagged and not stats["a-f2-first-step"].flagged
    assert stats["h-f1-refer"].answers == 4
    assert report.final_questions[0].id == "a-f1-first-step"  # confidently wrong first
    forms = {(f.objective, f.form): (f.answers, f.right) for f in report.final_forms}
    assert forms[("a-o2", 1)] == (5, 0.8) and forms[("a-o2", 2)] == (2, 1.0)
    assert "final" not in {item.bank for item in report.items}
    html_path, md_path = write_report(report, tmp_path / "out")
    assert "| a-f1-first-step | 01_alpha | a-o1 | 1 | 5 | 60% | 20% | FLAGGED" in \
        md_path.read_text()
    assert "<strong>FLAGGED: more than 20% wrong</strong>" in html_path.read_text()


def test_my_progress_lists_the_confidently_wrong_answers_first(tmp_path):
    """Kernel My progress: the latest submitted attempt's certain-but-wrong answers come
    before the results table (kapprogress.js: confidentFirst, golden rows in final.yml)."""
    from kapcourse.pages.progress import MyProgress
    from kapcourse.record.final import read_course

    from .conftest import ROOT

    final = read_course(ROOT).final
    drawn = final.drawn(1)
    items = {q.id: {"bank": "final", "attempts": 1, "first_correct": i > 0, "correct": i > 0,
                    "attempt": 1, "confidence": "certain", "submitted": True}
             for i, q in enumerate(drawn)}
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({"format": "kapcourse-progress", "version": 1, "items": items}))
    page = MyProgress(root=ROOT, store=ProgressStore(path), folder=tmp_path)
    summary = page.summary.value
    assert summary.index("Review these first") < summary.index("<table")
    assert "(attempt 1) you were <strong>certain</strong>" in summary
    assert summary.count("<li>") >= 1 and 'class="kf-confident-wrong"' in summary


def test_an_export_keeps_the_attempt_confidence_and_submission(final, tmp_path):
    """The report needs them; the browser's export keeps every field of a record already."""
    from kapcourse.record.results import make_export

    entry = {"bank": "final", "attempts": 1, "first_correct": False, "correct": False,
             "attempt": 2, "confidence": "certain", "submitted": True}
    export = make_export({"items": {"h-f2-refer": entry}}, "0.3.0-test")
    assert export["items"]["h-f2-refer"] == entry
