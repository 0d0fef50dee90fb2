"""Security review M5 (quadratic number parsing) in both languages, and the book's saved
progress read back from localStorage (m5, m6, m7 for the quiz script; M3 for My progress),
with the real scripts in node (tests/jsharness.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from kapcourse.quiz.grading import parse_number

from .jsharness import call, run_js

KEY = "kapcourse:progress"
CRAFTED = "1" + " " * 300_000 + "x" + " " * 300_000 + "y"  # 600 KB; O(n²) with the old regex
HINT = "Please type a number (for example 12.5 mg)."


def test_a_crafted_600_kb_answer_is_refused_quickly_in_python():
    """The old pattern took minutes on this; the timeout only catches a hang."""
    code = ("import json, sys; from kapcourse.quiz.grading import parse_number; "
            "print(json.dumps(parse_number(sys.stdin.read(), 'mg')))")
    done = subprocess.run([sys.executable, "-c", code], input=CRAFTED, capture_output=True,
                          text=True, timeout=60, check=True)
    assert json.loads(done.stdout) == [None, HINT]
    assert parse_number("35 mg", "mg") == (35.0, "")


def test_a_crafted_600_kb_answer_is_refused_quickly_in_javascript():
    (result,) = run_js([call("kapquiz.parseNumber", CRAFTED, "mg")], timeout=60)
    assert result.value == {"hint": HINT}


def entry(**changes) -> dict:
    record = {"bank": "01_sample", "attempts": 1, "first_correct": True, "correct": True,
              "first": "2026-11-01T10:00:00Z", "last": "2026-11-01T10:00:00Z",
              "first_response": 0, "last_response": 0}
    return {**record, **changes}


def stored(items) -> dict:
    return {KEY: json.dumps({"format": "kapcourse-progress", "version": 1, "items": items})}


def copies(storage: dict) -> list[str]:
    return [k for k in storage if k.startswith(KEY + ":corrupt:")]


def test_bad_stored_records_are_left_out_and_kept_once():
    """m5: items null, or a null or string record, no longer break the pages; the usable
    records stay, and the stored value is kept once as a copy (m6)."""
    good = entry()
    cases = [stored(None), stored({"fx-single": good, "fx-multiple": None}),
             stored({"fx-single": good, "fx-numeric": "x"}),
             stored({"fx-single": good, "fx-ordering": entry(last=5)})]
    calls = [call(fn, storage=storage, times=3) for storage in cases
             for fn in ("kapquiz.load", "kapprogress.load")]
    results = run_js(calls)
    for number, result in enumerate(results):
        assert result.error is None, result.error
        if number == 1:  # My progress: unreadable, shown as such, nothing changed
            assert result.value is None
            continue
        expected = {} if number < 2 else {"fx-single": good}
        assert result.value["items"] == expected, number
    quiz_results = results[0::2]
    for storage, result in zip(cases, quiz_results, strict=True):
        assert [result.storage[k] for k in copies(result.storage)] == [storage[KEY]]


def test_an_unreadable_value_is_copied_once_not_on_every_load():
    """m6: three loads (three pages) used to make three copies."""
    (result,) = run_js([call("kapquiz.load", storage={KEY: "{oops"}, times=3)])
    assert result.value["items"] == {}
    assert [result.storage[k] for k in copies(result.storage)] == ["{oops"]
    assert result.storage[KEY] == "{oops"


def test_no_room_for_a_copy_means_nothing_is_overwritten():
    """m6: if the copy cannot be kept, a new answer must not replace the only saved value."""
    raw = "{oops" + "x" * 1000
    quota = len(KEY) + len(raw) + 100  # room for the value, not for a copy of it
    (result,) = run_js([call("kapquiz.save", "01_sample", "fx-single", True, 0,
                             storage={KEY: raw}, quota=quota)])
    assert result.storage == {KEY: raw}


def test_a_good_record_is_saved_next_to_good_ones():
    (result,) = run_js([call("kapquiz.save", "01_sample", "fx-multiple", False, [0],
                             storage=stored({"fx-single": entry()}))])
    items = json.loads(result.storage[KEY])["items"]
    assert set(items) == {"fx-single", "fx-multiple"} and items["fx-multiple"]["attempts"] == 1
    assert not copies(result.storage)


def test_my_progress_results_survive_a_bad_last_date():
    """M3: `last: 5` in storage made r.last.slice throw on every visit."""
    structure = [{"stem": "01_sample", "title": "Sample", "questions": ["fx-single", "fx-numeric"],
                  "objectives": []}]
    calls = [call("kapprogress.load", storage=stored({"fx-single": entry(),
                                                       "fx-numeric": entry(last=5)}))]
    (loaded,) = run_js(calls)
    (result,) = run_js([call("kapprogress.results", loaded.value["items"], structure)])
    assert result.value[0]["attempted"] == 1 and result.value[0]["last"] == "2026-11-01T10:00:00Z"


def test_a_stored_record_without_correct_is_still_used():
    """Imports before this release could store a record with first_correct only; it counts."""
    record = {k: v for k, v in entry().items() if k != "correct"}
    (result,) = run_js([call("kapquiz.load", storage=stored({"fx-single": record}))])
    assert result.value["items"] == {"fx-single": record}
    assert not copies(result.storage)
