"""The golden cases of tests/golden/reveal.yml (what a graded answer reveals, the lesson score,
the folded line, what Show answer and Retake save) through the Python code and, in the same
pytest run, through _static/kapquiz.js in node: two renderers, one rule."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from kapcourse.quiz.grading import option_label, status_line
from kapcourse.quiz.static import _question_data
from kapcourse.quiz.types import grade, reveal, shown_feedback
from kapcourse.quiz.widget import QuizView, fold_label
from kapcourse.record.store import ProgressStore

from .jsharness import call, run_js
from .test_golden import question

GOLDEN = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "reveal.yml")
                        .read_text(encoding="utf-8"))
RULES, ANSWERS, SCORES, FOLDS, SAVES = (GOLDEN[k] for k in
                                        ("rules", "answers", "scores", "folds", "saves"))
KEY = "kapcourse:progress"


def expected_rule(row: dict) -> dict:
    return {k: row[k] for k in ("key", "chosen_only", "offer", "note")}


# The JavaScript side of each group of cases runs in one node process (a module fixture), not
# one per case: starting node is most of a case's time. Each case still asserts its own
# result, so a disagreement fails that case alone.


@pytest.fixture(scope="module")
def js_rules() -> list:
    return run_js([call("kapquiz.reveal", row["type"], row["correct"], row["tries"], row["shown"])
                   for row in RULES])


@pytest.mark.parametrize("number", range(len(RULES)), ids=[
    f"{r['type']}-{r['correct']}-{r['tries']}-{r['shown']}" for r in RULES])
def test_reveal_rule_in_both(number, js_rules):
    row = RULES[number]
    shown = reveal(row["type"], row["correct"], row["tries"], row["shown"])
    assert vars(shown) == expected_rule(row)
    result = js_rules[number]
    assert result.error is None, result.error
    assert result.value == expected_rule(row)


def python_answer(row: dict) -> tuple[str, list | None]:
    q = question(row["q"])
    result = grade(q, row["response"])
    shown = reveal(q.type, bool(result.correct), row["tries"], row["shown"])
    rows = None
    if q.type in ("single", "multiple", "truefalse"):
        rows = [[fb.index, option_label(fb.chosen, fb.is_correct, q.type)]
                for fb in shown_feedback(q, result, shown)]
    return status_line(result, shown), rows


@pytest.fixture(scope="module")
def js_answers() -> list:
    """Every answer row through kapquiz.js: grade, reveal, statusLine and rows."""
    calls = []
    for row in ANSWERS:
        q = question(row["q"])
        data = _question_data(q, {})
        calls.append(call("kapquiz.grade", q.type, data, row["response"]))
    graded = run_js(calls)
    rules = run_js([call("kapquiz.reveal", question(row["q"]).type, result.value["correct"],
                         row["tries"], row["shown"])
                    for row, result in zip(ANSWERS, graded, strict=True)])
    follow = [(result.value, rule.value) for result, rule in zip(graded, rules, strict=True)]
    status = run_js([call("kapquiz.statusLine", graded_, rule) for graded_, rule in follow])
    rows = run_js([call("kapquiz.rows", question(row["q"]).type,
                        _question_data(question(row["q"]), {}), row["response"], rule)
                   for row, (_, rule) in zip(ANSWERS, follow, strict=True)])
    return [(s.value, r.value if question(row["q"]).type in ("single", "multiple", "truefalse")
             else None) for row, s, r in zip(ANSWERS, status, rows, strict=True)]


@pytest.mark.parametrize("number", range(len(ANSWERS)),
                         ids=[f"{r['q']}:{r['response']!r}:{r['tries']}" for r in ANSWERS])
def test_answer_in_python(number):
    row = ANSWERS[number]
    assert python_answer(row) == (row["status"], row["rows"])


@pytest.mark.parametrize("number", range(len(ANSWERS)),
                         ids=[f"{r['q']}:{r['response']!r}:{r['tries']}" for r in ANSWERS])
def test_answer_in_javascript(number, js_answers):
    row = ANSWERS[number]
    assert js_answers[number] == (row["status"], row["rows"])


@pytest.fixture(scope="module")
def js_score_texts() -> list:
    """Each score row through kapquiz.score and firstTry, then scoreText (two node runs)."""
    counts = run_js([c for row in SCORES for c in (call("kapquiz.score", row["items"], row["ids"]),
                                                   call("kapquiz.firstTry", row["items"],
                                                        row["ids"]))])
    return run_js([call("kapquiz.scoreText", right.value, first.value, len(row["ids"]))
                   for row, right, first in zip(SCORES, counts[::2], counts[1::2], strict=True)])


@pytest.mark.parametrize("number", range(len(SCORES)), ids=[r["text"][:40] for r in SCORES])
def test_lesson_score_line_in_both(number, js_score_texts, tmp_path):
    row = SCORES[number]
    store = ProgressStore(tmp_path / "p.json")
    store._write({"format": "kapcourse-progress", "version": 1, "items": row["items"]})
    bank = SimpleNamespace(stem="01_sample", questions=[SimpleNamespace(id=i) for i in row["ids"]])
    assert QuizView.score_text(SimpleNamespace(bank=bank, store=store)) == row["text"]
    assert js_score_texts[number].value == row["text"]


@pytest.fixture(scope="module")
def js_folds() -> list:
    return run_js([call("kapquiz.foldLabel", row["first"], row["expanded"]) for row in FOLDS])


@pytest.mark.parametrize("number", range(len(FOLDS)), ids=[r["text"] for r in FOLDS])
def test_fold_line_in_both(number, js_folds):
    row = FOLDS[number]
    assert fold_label(row["first"], row["expanded"]) == row["text"]
    assert js_folds[number].value == row["text"]


def js_save(row: dict) -> dict:
    """The kapquiz.js call that does what the row's button does, on the row's storage."""
    storage = {KEY: json.dumps({"format": "kapcourse-progress", "version": 1,
                                "items": row["before"]})}
    if row["do"] == "show":
        return call("kapquiz.saveShown", row["bank"], row["id"], storage=storage)
    return call("kapquiz.saveRetake", row["bank"], storage=storage)


@pytest.fixture(scope="module")
def js_saves() -> list:
    return run_js([js_save(row) for row in SAVES])


@pytest.mark.parametrize("number", range(len(SAVES)), ids=[r["name"] for r in SAVES])
def test_show_answer_and_retake_save_alike(number, js_saves, tmp_path):
    row = SAVES[number]
    store = ProgressStore(tmp_path / "p.json")
    store._write({"format": "kapcourse-progress", "version": 1, "items": row["before"]})
    if row["do"] == "show":
        store.show_answer(row["bank"], row["id"])
    else:
        store.retake(row["bank"])
    assert store.load()["items"] == row["after"]
    result = js_saves[number]
    assert result.error is None, result.error
    assert json.loads(result.storage[KEY])["items"] == row["after"]
