"""The completion record: its criteria, its refusal before they are met, HTML and PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from kapcourse.record.completion import (
    STATEMENT,
    NotComplete,
    make_record,
    record_html,
    record_pdf,
    status,
)
from kapcourse.record.final import build
from kapcourse.record.summary import LessonInfo

from .final_course import sample_banks
from .test_final import answer

DAY = dt.date(2026, 11, 26)


@pytest.fixture
def course(tmp_path):
    """The fixture lesson 01 and a host lesson, each with two forms of the final (attempt 1
    draws 4 questions: 3 of lesson 01, 1 of the host): tests/final_course.py."""
    banks = sample_banks(tmp_path)
    final = build(banks)
    lessons = [LessonInfo(stem, bank.title, tuple(q.id for q in bank.questions), ())
               for stem, bank in banks.items()]
    return lessons, final


def everything_right(lessons, final) -> dict:
    items = {}
    for lesson in lessons:
        for qid in lesson.questions:
            items.update(answer(qid, True, bank=lesson.stem))
    for question in final.questions:
        items.update(answer(question.id, True))
    return items


def test_nothing_answered_lists_everything_still_to_do(course):
    lessons, final = course
    state = status({}, lessons, final)
    assert not state.complete
    assert state.unmet() == [
        "Sample lesson: 0 of 7 questions answered, 0 right now (pass mark 80%)",
        "Host lesson: 0 of 2 questions answered, 0 right now (pass mark 80%)",
        "Final assessment: attempt 1, 0 of 4 questions answered and rated; then submit"]


def test_every_question_of_every_lesson_must_be_answered(course):
    lessons, final = course
    items = everything_right(lessons, final)
    assert status(items, lessons, final).complete
    unsubmitted = {**items, **answer(final.questions[0].id, True, submitted=False)}
    assert not status(unsubmitted, lessons, final).complete  # answered, but not submitted
    del items["fx-ordering"]  # 6 of 7 right is 86%, but one question was never answered
    assert status(items, lessons, final).unmet() == [
        "Sample lesson: 6 of 7 questions answered, 6 right now (pass mark 80%)"]


def test_lessons_count_the_current_score_and_the_final_the_submitted_answers(course):
    lessons, final = course
    items = everything_right(lessons, final)
    items.update(answer("fx-single", False, now=True, bank="01_sample"))  # retried: counts
    items.update(answer("fx-f1-single", False))  # the submitted answer is wrong: 3 of 4
    state = status(items, lessons, final)
    assert [lesson.passed for lesson in state.lessons] == [True, True]
    assert state.unmet() == ["Final assessment: attempt 1, 3 of 4 right (75%; pass mark "
                             "80%): start a new attempt"]
    with pytest.raises(NotComplete, match=r"not available yet\. Still to do: Final assessment"):
        make_record("Ada Lovelace", state, "0.1.0", DAY)


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Type your name"), ("x" * 101, "longer than 100 characters")])
def test_the_record_needs_a_typed_name(course, name, message):
    lessons, final = course
    with pytest.raises(NotComplete, match=message):
        make_record(name, status(everything_right(lessons, final), lessons, final),
                    "0.1.0")


def test_the_html_record_is_standalone_and_says_what_it_is(course):
    lessons, final = course
    record = make_record("  Ada   <b>Lovelace</b> ", status(everything_right(lessons, final),
                                                          lessons, final), "0.1.0", DAY)
    page = record_html(record)
    assert "Name: Ada &lt;b&gt;Lovelace&lt;/b&gt;" in page and "<b>" not in page
    assert "Date: 2026-11-26" in page and "Course version: 0.1.0" in page
    assert "<li>01 Sample lesson \u2014 7 of 7</li>" in page
    assert ("Final assessment (attempt 1; pass mark 80% and every safety question right): "
            "4 of 4 (100%)") in page
    assert STATEMENT in page and "not accredited continuing education" in page
    assert "<script" not in page and "http" not in page  # standalone: no scripts, no links out


def test_the_pdf_record_is_a_valid_one_page_pdf(course):
    lessons, final = course
    state = status(everything_right(lessons, final), lessons, final)
    reader = PdfReader(io.BytesIO(record_pdf(make_record("Zoë (O\u2019Brien) Łukasz", state,
                                                         "0.1.0", DAY))))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Name: Zoë (O\u2019Brien) Łukasz" in text  # a Unicode font: every letter prints
    assert "Course version: 0.1.0" in text and "02 Host lesson \u2014 2 of 2" in text
    assert "01 Sample lesson \u2014 7 of 7" in text  # the lesson's score
    assert "01 Sample lesson \u2014 3 of 3" in text  # its part of the final assessment
    assert "02 Host lesson \u2014 1 of 1" in text
    assert "self-attested record of a self-assessment" in " ".join(text.split())
