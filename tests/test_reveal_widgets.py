"""Feedback that makes learners think, in JupyterLab (issue #14): a first wrong try keeps the
key, a second wrong try or Show answer reveals it, a right answer reveals it at once; a
reopened lesson folds answered questions; Retake clears current answers, not first tries."""

from __future__ import annotations

import json

EXPLANATION = "Rayleigh scattering"  # fx-single's explanation
KEY = "✓ The correct answer."
SOURCE = "Sample A, Example B, Tester C, et al. (2020)"


def saved(path):
    return json.loads(path.read_text())["items"]


def single(lesson, *others):
    return lesson.quiz("fx-single", *others).view


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_first_wrong_try_keeps_the_key_and_the_explanation(sample_lesson):
    view = single(sample_lesson).view("fx-single")
    view.answer.value = 1
    view.check.click()
    text = view.result.value
    assert "✗ Your choice: incorrect." in text and "Green is the grass" in text
    assert "Look again at the feedback on your choice" in text
    assert KEY not in text and EXPLANATION not in text and SOURCE not in text
    assert "Right, scattering favours" not in text  # no feedback on options not chosen
    assert shown(view.show) and shown(view.retry)


def test_second_wrong_try_reveals_everything(sample_lesson):
    view = single(sample_lesson).view("fx-single")
    for wrong in (1, 2):
        view.retry.click()
        view.answer.value = wrong
        view.check.click()
    text = view.result.value
    assert KEY in text and EXPLANATION in text and SOURCE in text
    assert not shown(view.show)


def test_show_answer_reveals_everything_and_is_saved(sample_lesson, isolated_progress):
    view = single(sample_lesson).view("fx-single")
    view.answer.value = 2
    view.check.click()
    view.show.click()
    text = view.result.value
    assert KEY in text and EXPLANATION in text and "The answer, feedback and explanation" in text
    entry = saved(isolated_progress)["fx-single"]
    assert entry["answer_shown"] is True and entry["first_correct"] is False


def test_a_right_answer_reveals_everything_at_once(sample_lesson):
    view = single(sample_lesson).view("fx-single")
    view.answer.value = 0
    view.check.click()
    assert "✓ Your choice: correct." in view.result.value
    assert EXPLANATION in view.result.value and SOURCE in view.result.value
    assert "Feedback and the explanation are shown below." in view.result.value
    assert not shown(view.show)  # nothing left to show


def test_numeric_and_ordering_follow_the_same_rule(sample_lesson):
    display = sample_lesson.quiz("fx-numeric", "fx-ordering").view
    number = display.view("fx-numeric")
    number.answer.value = "140"
    number.check.click()
    assert "divided by 0.5" in number.result.value and "= 35 mg" not in number.result.value
    number.answer.value = "40"
    number.check.click()
    assert "= 35 mg" in number.result.value  # the explanation, after the second try
    order = display.view("fx-ordering")
    for dropdown, step in zip(order.answer.children, (1, 0, 2, 3), strict=True):
        dropdown.value = step
    order.check.click()
    text = order.result.value
    assert "not in the right place" in text and "Screening comes first" not in text


def test_a_case_unfolds_its_next_step_once_the_key_is_shown(sample_lesson):
    display = sample_lesson.quiz("fx-case").view
    first, second = display.view("fx-case-a"), display.view("fx-case-b")
    first.answer.value = 1
    first.check.click()
    assert "Always screen before treating" not in first.result.value
    assert second.box.layout.display == "none"  # its prompt could give the answer away
    first.show.click()
    assert "Always screen before treating" in first.result.value
    assert second.box.layout.display is None


def test_a_reopened_lesson_folds_answered_questions(sample_lesson):
    first = single(sample_lesson, "fx-truefalse")
    right = first.view("fx-single")
    right.answer.value = 0
    right.check.click()
    wrong = first.view("fx-truefalse")
    wrong.answer.value = False
    wrong.check.click()

    again = single(sample_lesson, "fx-truefalse")
    right, wrong = again.view("fx-single"), again.view("fx-truefalse")
    assert right.fold.description == "Answered · first try ✓ · show feedback"
    assert wrong.fold.description == "Answered · first try ✗ · show feedback"
    assert not shown(right.body) and shown(right.fold)
    right.fold.click()
    assert shown(right.body) and right.fold.description.endswith("hide feedback")
    right.fold.click()
    assert not shown(right.body)
    wrong.fold.click()
    assert "Boiling point depends on pressure" not in wrong.result.value  # still one wrong try


def test_retake_clears_current_answers_and_keeps_first_tries(sample_lesson, isolated_progress):
    display = single(sample_lesson, "fx-case")
    view = display.view("fx-single")
    view.answer.value = 1
    view.check.click()
    view.retry.click()
    view.answer.value = 0
    view.check.click()
    part = display.view("fx-case-a")
    part.answer.value = 0
    part.check.click()
    assert "Lesson score: 2 of 7 right now · 1 of 7 first-try right." in part.result.value

    again = single(sample_lesson, "fx-case")
    again.retake_button.click()
    assert "Click again to confirm" in again.retake_status.value
    assert saved(isolated_progress)["fx-single"]["correct"] is True  # nothing cleared yet
    again.retake_button.click()
    entry = saved(isolated_progress)["fx-single"]
    assert (entry["attempts"], entry["first_correct"], entry["correct"]) == (2, False, False)
    assert "last_response" not in entry and entry["first_response"] == 1
    for shown_view in (again.view("fx-single"), display.view("fx-single")):  # every live view
        assert shown_view.answer.value is None and shown_view.result.value == ""
        assert not shown(shown_view.fold) and shown(shown_view.body)
    assert again.view("fx-case-b").box.layout.display == "none"
    assert "cleared" in again.retake_status.value
    reopened = single(sample_lesson).view("fx-single")
    assert not reopened.restored and reopened.answer.value is None


def test_only_the_quiz_with_the_lessons_first_item_offers_retake(sample_lesson):
    first = single(sample_lesson)
    assert first.retake_button in first.widget.children
    later = sample_lesson.quiz("fx-numeric").view
    assert later.retake_button not in later.widget.children


def test_a_saved_shown_answer_comes_back_revealed(sample_lesson, isolated_progress):
    from kapcourse.record.store import ProgressStore

    store = ProgressStore(isolated_progress)
    store.record("01_sample", "fx-single", False, 1)
    store.show_answer("01_sample", "fx-single")
    view = single(sample_lesson).view("fx-single")
    assert KEY in view.result.value and EXPLANATION in view.result.value
