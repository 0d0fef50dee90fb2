"""The live ipywidgets view: set .value, call .click(), read the feedback and saved progress."""

from __future__ import annotations

import json


def quiz(lesson, *ids):
    return lesson.quiz(*ids).view


def saved(path):
    return json.loads(path.read_text())["items"]


def test_single_choice_wrong_then_retry_right(sample_lesson, isolated_progress):
    view = quiz(sample_lesson, "fx-single").view("fx-single")
    view.answer.value = 1
    view.check.click()
    assert "✗ Not quite." in view.result.value
    assert "✗ Your choice: incorrect." in view.result.value
    assert "Green is the grass" in view.result.value  # the chosen option's feedback
    # a first wrong try keeps the key: no explanation or source yet (issue #14)
    assert "Rayleigh scattering" not in view.result.value
    assert saved(isolated_progress)["fx-single"]["correct"] is False
    view.retry.click()
    assert view.answer.value is None and view.result.value == ""
    view.answer.value = 0
    view.check.click()
    assert "✓ Correct." in view.result.value
    assert "Rayleigh scattering" in view.result.value  # the explanation
    assert "Sample A, Example B, Tester C, et al. (2020)" in view.result.value  # the citation
    entry = saved(isolated_progress)["fx-single"]
    assert (entry["attempts"], entry["first_correct"], entry["correct"]) == (2, False, True)
    assert "Lesson score: 1 of 7" in view.result.value


def test_nothing_chosen_gives_a_hint_and_saves_nothing(sample_lesson, isolated_progress):
    view = quiz(sample_lesson, "fx-single").view("fx-single")
    view.check.click()
    assert "Choose one option" in view.result.value
    assert not isolated_progress.exists()


def test_multiple_select(sample_lesson, isolated_progress):
    view = quiz(sample_lesson, "fx-multiple").view("fx-multiple")
    view.choice(0).value = True
    view.check.click()
    assert "1 correct option(s) missed" in view.result.value
    assert "✓ Correct, not selected." not in view.result.value  # the key waits (issue #14)
    view.show.click()
    assert "✓ Correct, not selected." in view.result.value
    view.choice(1).value = True
    view.check.click()
    assert "✓ Correct: you selected exactly" in view.result.value
    assert saved(isolated_progress)["fx-multiple"]["last_response"] == [0, 1]


def test_numeric_hint_then_common_error(sample_lesson, isolated_progress):
    view = quiz(sample_lesson, "fx-numeric").view("fx-numeric")
    view.answer.value = "35 kg"
    view.check.click()
    assert "Give the answer in mg" in view.result.value
    assert not isolated_progress.exists()
    view.answer.value = "140"
    view.check.click()
    assert "divided by 0.5" in view.result.value
    view.answer.value = "35 mg"
    view.check.click()
    assert "✓ Correct." in view.result.value


def test_ordering(sample_lesson):
    view = quiz(sample_lesson, "fx-ordering").view("fx-ordering")
    for position, dropdown in enumerate(view.answer.children):
        dropdown.value = position
    view.check.click()
    assert "✓ Correct order." in view.result.value


def test_vignette_unfolds_part_by_part(sample_lesson):
    display = quiz(sample_lesson, "fx-case")
    first, second = display.view("fx-case-a"), display.view("fx-case-b")
    assert second.box.layout.display == "none"
    first.answer.value = 0
    first.check.click()
    assert second.box.layout.display is None
    second.answer.value = True
    second.check.click()
    assert "✓ Correct." in second.result.value


def test_corrupt_progress_shows_a_warning_in_the_quiz(sample_lesson, isolated_progress):
    isolated_progress.parent.mkdir(parents=True)
    isolated_progress.write_text("{broken")
    display = quiz(sample_lesson, "fx-truefalse")
    assert "could not be read" in display.notice.value  # told on opening, not on answering
    view = display.view("fx-truefalse")
    view.answer.value = True
    view.check.click()
    assert "could not be read" in display.notice.value
    assert saved(isolated_progress)["fx-truefalse"]["correct"] is True


def test_one_display_call_gives_widget_and_static_html(sample_lesson):
    bundle = sample_lesson.quiz("fx-single", "fx-case")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert 'data-bank="01_sample"' in html and 'id="kq-fx-case-b"' in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # raw HTML in a bank is text
    assert bundle["text/plain"] == "Quiz (fx-single, fx-case)"


def test_static_html_holds_questions_and_the_data_script_holds_answers(sample_lesson):
    import json

    from kapcourse.quiz.static import bank_data, bank_data_script

    html = sample_lesson.quiz("fx-single", "fx-numeric").html()
    assert "Which colour is the <em>sky</em>" in html
    assert "Green is the grass" not in html and "Rayleigh" not in html and "data-c" not in html
    data = bank_data(sample_lesson.bank, sample_lesson.references)
    assert data["fx-single"]["c"] == [0]
    assert data["fx-single"]["f"][1] == "Green is the grass, not the sky."
    assert "Rayleigh scattering" in data["fx-single"]["x"] and "doi.org" in data["fx-single"]["x"]
    assert (data["fx-numeric"]["a"], data["fx-numeric"]["t"], data["fx-numeric"]["u"]) == (
        35.0, 0.5, "mg")
    assert data["fx-truefalse"]["c"] == [0]
    assert data["fx-case-b"]["v"] == "<p>Cases unfold one decision at a time.</p>"
    script = bank_data_script(sample_lesson.bank, sample_lesson.references)
    prefix = '(window.kapquizData = window.kapquizData || {})["01_sample"] = '
    assert script.startswith(prefix)
    assert json.loads(script[len(prefix):].rstrip().rstrip(";")) == json.loads(
        json.dumps(data))


def test_static_html_is_deterministic(sample_lesson):
    first = sample_lesson.quiz("fx-ordering").html()
    assert first == sample_lesson.quiz("fx-ordering").html()
    assert 'data-s="0"' in first


def test_unknown_item_names_the_bank(sample_lesson):
    import pytest

    with pytest.raises(ValueError, match=r"01_sample\.yml has no item 'nope'"):
        sample_lesson.quiz("nope")


def test_saved_answers_come_back_in_a_new_kernel_as_in_the_book(sample_lesson, isolated_progress):
    """Reopening a lesson shows each saved answer and its feedback, and records nothing."""
    first = quiz(sample_lesson, "fx-multiple", "fx-ordering", "fx-case")
    multiple = first.view("fx-multiple")
    multiple.choice(0).value = multiple.choice(1).value = True
    multiple.check.click()
    ordering = first.view("fx-ordering")
    for dropdown, step in zip(ordering.answer.children, range(4), strict=True):
        dropdown.value = step
    ordering.check.click()
    part_a = first.view("fx-case-a")
    part_a.answer.value = 0
    part_a.check.click()
    before = saved(isolated_progress)

    again = quiz(sample_lesson, "fx-multiple", "fx-ordering", "fx-case")
    multiple = again.view("fx-multiple")
    assert [multiple.choice(i).value for i in range(3)] == [True, True, False]
    assert "(your saved answer)" in multiple.result.value and "✓" in multiple.result.value
    assert again.view("fx-ordering").response == ordering.response
    assert "(your saved answer)" in again.view("fx-ordering").result.value
    assert again.view("fx-case-a").answer.value == 0
    assert again.view("fx-case-b").box.layout.display is None  # the case's next step is open
    assert again.view("fx-case-b").result.value == ""  # never answered
    assert saved(isolated_progress) == before  # showing is not answering


def test_a_saved_answer_that_no_longer_fits_is_ignored(sample_lesson, isolated_progress):
    from kapcourse.record.store import ProgressStore

    ProgressStore(isolated_progress).record("01_sample", "fx-single", False, 9)  # no option 9
    view = quiz(sample_lesson, "fx-single").view("fx-single")
    assert view.answer.value is None and view.result.value == "" and not view.restored
