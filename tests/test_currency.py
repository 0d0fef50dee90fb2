"""Content that stays current (issue 16): claims that can expire carry a review date.

Bank items have ``currency: {as_of, review_by, source, note}``; lesson text has a ``{status}``
directive. ``kapcourse validate`` warns within 60 days of a review date (exit 0) and fails
once it has passed (exit 1), naming the file and line; ``kapcourse review-due`` lists them.
The fixtures are checked as of 1 December 2026 (``--today``), so the tests do not age.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from docutils.core import publish_doctree, publish_parts
from docutils.parsers.rst import directives

from kapcourse import cli
from kapcourse.bank.currency import (
    Claim,
    due_problems,
    item_note,
    notebook_claims,
    review_listing,
    status_directives,
)
from kapcourse.bank.model import BankError, Currency, Vignette, load_bank
from kapcourse.book.sphinx_ext import StatusDirective
from kapcourse.checks import check, validate
from kapcourse.quiz import static as static_view
from kapcourse.quiz.static import render_quiz
from kapcourse.quiz.widget import QuizView
from kapcourse.record.store import ProgressStore

from .conftest import FIXTURE_COURSE, FIXTURES

HERE = FIXTURES / "currency"
TODAY = "2026-12-01"
REVIEW_LINE = 23  # the line of review_by in every fixture bank


@pytest.fixture
def in_fixture_course(monkeypatch):
    monkeypatch.setenv("KAPCOURSE_ROOT", str(FIXTURE_COURSE))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.out, captured.err


# --- kapcourse validate on bank items ---------------------------------------------------------


def test_a_passed_review_date_fails_validate_with_file_and_line(in_fixture_course, capsys):
    path = HERE / "overdue.yml"
    status, _, err = run(capsys, "validate", str(path), "--today", TODAY)
    assert status == 1
    assert (f"{path}:{REVIEW_LINE}:1: item b-one: review was due on 2026-11-30, 1 day ago: "
            "re-check sample2020") in err
    assert "1 problem(s) found." in err


def test_a_review_due_in_30_days_warns_and_passes(in_fixture_course, capsys):
    path = HERE / "due_soon.yml"
    status, out, err = run(capsys, "validate", str(path), "--today", TODAY)
    assert status == 0, err
    assert f"{path}:{REVIEW_LINE}:1: item b-one: review due in 30 days (2026-12-31)" in err
    assert "[warning]" in err and "problem(s)" not in err
    assert "1 bank(s) valid." in out


def test_a_review_months_away_is_silent(in_fixture_course, capsys):
    status, _, err = run(capsys, "validate", str(HERE / "not_due.yml"), "--today", TODAY)
    assert (status, err) == (0, "")


def test_the_warning_window_is_60_days_and_the_review_day_still_passes():
    claim = Claim("quizzes/x.yml", 9, "item x", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "k")

    def outcome(today: dt.date) -> tuple[int, int]:
        errors, warnings = due_problems([claim], today)
        return len(errors), len(warnings)

    assert outcome(dt.date(2026, 10, 31)) == (0, 0)  # 61 days left
    assert outcome(dt.date(2026, 11, 1)) == (0, 1)  # 60 days left
    assert outcome(dt.date(2026, 12, 31)) == (0, 1)  # due today
    assert "review due today" in str(due_problems([claim], dt.date(2026, 12, 31))[1][0])
    assert outcome(dt.date(2027, 1, 1)) == (1, 0)  # the day after: CI goes red


def test_a_date_that_does_not_exist_is_a_located_error():
    path = HERE / "bad_date.yml"
    assert [str(p) for p in validate(FIXTURE_COURSE, [path])] == [
        f"{path}:{REVIEW_LINE}:18: items[0].currency.review_by: '2026-02-30' is not a real date"]


def test_a_date_in_another_form_is_a_located_error():
    path = HERE / "bad_form.yml"
    assert [str(p) for p in validate(FIXTURE_COURSE, [path])] == [
        f"{path}:{REVIEW_LINE}:18: items[0].currency.review_by: must be a date written YYYY-MM-DD"]


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = (HERE / "not_due.yml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bank.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("source: sample2020", "source: nosuchkey2020",
     "24:15: items[0].currency.source: source 'nosuchkey2020' is neither a citation key in "
     "book/references.bib nor an http(s) address"),
    ("source: sample2020", "source: javascript:alert(1)",
     "24:15: items[0].currency.source: give a citation key of book/references.bib or an "
     "official http(s) address"),
    ("as_of: 2026-06-01", "as_of: 2027-07-01",
     "23:18: items[0].currency.review_by: the review date is before the 'as_of' date"),
    ("      source: sample2020\n", "",
     "22:7: items[0].currency: missing required key 'source'"),
    ("      source: sample2020\n", "      source: sample2020\n      expires: 2027-01-01\n",
     "25:7: items[0].currency.expires: unknown key 'expires' (allowed here: as_of, note, "
     "review_by, source)"),
])
def test_bad_currency_fields_are_located(tmp_path, old, new, expected):
    path = _edited(tmp_path, old, new)
    assert [str(p) for p in validate(FIXTURE_COURSE, [path])] == [f"{path}:{expected}"]


def test_an_official_address_is_a_source(tmp_path):
    path = _edited(tmp_path, "source: sample2020", "source: https://www.deadiversion.usdoj.gov/")
    assert validate(FIXTURE_COURSE, [path], dt.date(2026, 12, 1)) == []


def test_the_model_carries_the_claim_and_where_it_is():
    bank = load_bank(HERE / "due_soon.yml", {"sample2020"})
    currency = bank.item("b-one").currency
    assert currency == Currency(dt.date(2026, 6, 1), dt.date(2026, 12, 31), "sample2020",
                                "Expires at the end of the year")
    assert currency.line == REVIEW_LINE
    assert bank.item("b-two").currency is None


def test_the_model_refuses_a_bad_date_when_loading():
    with pytest.raises(BankError, match="is not a real date"):
        load_bank(HERE / "bad_date.yml")


# --- the two quiz views -------------------------------------------------------------------


NOTE = '<p class="kq-status">Status as of 1 Jun 2026 · review by 31 Dec 2026</p>'


def _tagged():
    bank = load_bank(HERE / "due_soon.yml")
    return bank, bank.item("b-one"), bank.item("b-two")


def test_the_static_view_shows_the_dated_note_on_tagged_items_only():
    bank, tagged, plain = _tagged()
    html = render_quiz(bank, [tagged, plain])
    assert html.count('class="kq-status"') == 1
    assert f'{NOTE}<div class="kq-p" id="kq-b-one-p">' in html


def test_the_note_is_escaped(monkeypatch):
    bank, tagged, _ = _tagged()
    monkeypatch.setattr(static_view, "item_note", lambda currency: '<img src=x onerror="a()">')
    html = render_quiz(bank, [tagged])
    assert "<img" not in html and "&lt;img src=x onerror=&quot;a()&quot;&gt;" in html


def test_a_case_shows_its_note_once_above_the_case():
    sample = load_bank(FIXTURE_COURSE / "quizzes" / "01_sample.yml")
    case = next(item for item in sample.items if isinstance(item, Vignette))
    tagged = dataclasses.replace(case, currency=_tagged()[1].currency)
    html = render_quiz(sample, [tagged])
    assert html.count('class="kq-status"') == 1
    assert f'<div class="kq-tag">Case</div>{NOTE}<div class="kq-case">' in html


def test_the_widget_view_shows_the_dated_note(isolated_progress):
    bank, tagged, plain = _tagged()
    quiz = QuizView(bank, [tagged, plain], {}, ProgressStore(isolated_progress))
    assert quiz.view("b-one").prompt.value.startswith(NOTE)
    assert "kq-status" not in quiz.view("b-two").prompt.value


def test_the_widget_view_escapes_the_note(isolated_progress, monkeypatch):
    bank, tagged, _ = _tagged()
    monkeypatch.setattr(static_view, "item_note", lambda currency: "<script>x()</script>")
    quiz = QuizView(bank, [tagged], {}, ProgressStore(isolated_progress))
    assert "<script>" not in quiz.view("b-one").prompt.value
    assert "&lt;script&gt;" in quiz.view("b-one").prompt.value


def test_the_note_text():
    currency = Currency(dt.date(2026, 12, 1), dt.date(2026, 12, 31), "k")
    assert item_note(currency) == "Status as of 1 Dec 2026 · review by 31 Dec 2026"


# --- {status} directives in lesson text ---------------------------------------------------


def test_directives_in_notebooks_are_found_with_their_line():
    path = HERE / "status.ipynb"
    claims, problems = notebook_claims(path, "status.ipynb", {"sample2020"})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [(c.where, c.review_by.isoformat(), c.source) for c in claims] == [
        ("cells[2] line 3", "2026-11-30", "sample2020"),
        ("cells[2] line 12", "2026-12-31", "https://www.example.gov/rule")]
    assert [lines[c.line - 1].strip() for c in claims] == [
        '"```{admonition} Status as of 1 June 2026 — review by 30 November 2026\\n",',
        '":::{admonition} Status as of 1 June 2026 — review by 31 December 2026\\n",']
    assert [p.message for p in problems] == [
        "unknown option ':colour:' (allowed: as-of, review-by, source, class)",
        ":review-by: '2026-02-30' is not a real date written YYYY-MM-DD"]
    assert {p.path for p in problems} == {"cells[3] line 1"}
    assert lines[problems[0].line - 1].strip() == '"````{status}\\n",'


def _one_cell_notebook(tmp_path, markdown: str):
    path = tmp_path / "lesson.ipynb"
    cell = {"cell_type": "markdown", "metadata": {}, "source": markdown.splitlines(True)}
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


OPTIONS = ":as-of: 2026-06-01\n:review-by: 2026-12-31\n:source: sample2020\n"


def test_a_status_fence_in_a_notebook_names_the_admonition_to_write(tmp_path):
    """JupyterLab shows {status} as "Unknown Directive" and hides the passage: validate says
    what to write instead, and the claim still falls due."""
    path = _one_cell_notebook(tmp_path, f"```{{status}}\n{OPTIONS}\nA rule.\n```\n")
    claims, problems = notebook_claims(path, "lesson.ipynb", {"sample2020"})
    assert [c.review_by.isoformat() for c in claims] == ["2026-12-31"]
    assert [p.message for p in problems] == [
        "a {status} fence shows as 'Unknown Directive' in JupyterLab, which hides the passage: "
        "open it as {admonition} Status as of 1 June 2026 — review by 31 December 2026 "
        "(same options)"]


def test_a_status_title_must_match_its_dates(tmp_path):
    wrong = "```{admonition} Status as of 1 June 2026 — review by 30 December 2026\n"
    path = _one_cell_notebook(tmp_path, f"{wrong}{OPTIONS}\nA rule.\n```\n")
    claims, problems = notebook_claims(path, "lesson.ipynb", {"sample2020"})
    assert len(claims) == 1
    assert [p.message for p in problems] == [
        "the title reads 'Status as of 1 June 2026 — review by 30 December 2026' but the "
        "dates give 'Status as of 1 June 2026 — review by 31 December 2026'"]


def test_other_admonitions_are_not_claims(tmp_path):
    path = _one_cell_notebook(tmp_path, "```{admonition} Reflection\n:class: note\nThink.\n```\n")
    assert notebook_claims(path, "lesson.ipynb", {"sample2020"}) == ([], [])


def test_the_book_reads_a_status_admonition_as_its_status_directive():
    """One line for one line, so the directive's options and passage keep their places."""
    text = ("Before.\n  :::{admonition} Status as of 1 June 2026 — review by 31 December 2026\n"
            f"{OPTIONS}A rule.\n:::\n```{{admonition}} Reflection\nThink.\n```\n")
    converted = status_directives(text)
    assert converted.split("\n")[1] == "  :::{status}"
    assert converted.split("\n")[2:] == text.split("\n")[2:]  # the rest is untouched


def test_a_directive_with_an_unknown_source_is_an_error():
    claims, problems = notebook_claims(HERE / "status.ipynb", "status.ipynb", {"otherkey"})
    assert len(claims) == 2
    assert any("source 'sample2020' is neither a citation key" in p.message for p in problems)
    assert "https://www.example.gov/rule" not in "".join(p.message for p in problems)


@pytest.mark.parametrize("text", ['{"cells": [1, null, {"cell_type": "markdown", "source": 5}]}',
                                  '{"cells": "```{status}"}', "[]", "{oops"])
def test_a_malformed_notebook_gives_no_claims_and_no_traceback(tmp_path, text):
    path = tmp_path / "bad.ipynb"
    path.write_text(text, encoding="utf-8")
    claims, problems = notebook_claims(path, "bad.ipynb")
    assert claims == []
    assert all(str(p).startswith("bad.ipynb:1:1: ") for p in problems)


@pytest.fixture
def course_with_status(tmp_path, monkeypatch):
    """The fixture course with the status fixture's lesson-text cells added to its lesson."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, course)
    lesson = course / "notebooks" / "01_sample.ipynb"
    notebook = json.loads(lesson.read_text(encoding="utf-8"))
    notebook["cells"].append(json.loads((HERE / "status.ipynb").read_text("utf-8"))["cells"][2])
    lesson.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")
    monkeypatch.setenv("KAPCOURSE_ROOT", str(course))
    return course


def test_validate_checks_the_lesson_text(course_with_status):
    checked = check(course_with_status, today=dt.date(2026, 12, 1))
    overdue = [str(p) for p in checked.errors if "review was due" in p.message]
    assert len(overdue) == 1 and overdue[0].startswith("notebooks/01_sample.ipynb:")
    assert "cells[8] line 3: review was due on 2026-11-30, 1 day ago" in overdue[0]
    assert [p.message.split(":")[0] for p in checked.warnings] == [
        "review due in 30 days (2026-12-31)"]
    early = check(course_with_status, today=dt.date(2026, 6, 1))
    assert not [p for p in early.errors if "review" in p.message] and early.warnings == []


def test_review_due_lists_soonest_first(course_with_status, capsys):
    status, out, _ = run(capsys, "review-due", "--today", TODAY)
    lines = out.splitlines()
    assert status == 0
    assert lines[0].startswith("2026-11-30  overdue by 1 day(s)")
    assert "notebooks/01_sample.ipynb:" in lines[0] and "re-check: sample2020" in lines[0]
    assert lines[1].startswith("2026-12-31  due in 30 day(s)")
    assert "re-check: https://www.example.gov/rule" in lines[1]
    assert lines[-1].startswith("2 claim(s) due within 60 days")
    status, out, _ = run(capsys, "review-due", "--all", "--today", "2026-01-01")
    assert len(out.splitlines()) == 3 and "2 tagged claim(s)" in out


def test_review_listing_shows_the_note():
    claim = Claim("quizzes/x.yml", 9, "item x", dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                  "k", "Expires at year end")
    assert review_listing([claim], dt.date(2026, 1, 1)) == []
    [line] = review_listing([claim], dt.date(2026, 1, 1), everything=True)
    assert line.endswith("re-check: k  - Expires at year end") and "quizzes/x.yml:9" in line


def test_a_bad_today_is_refused(capsys):
    with pytest.raises(SystemExit):
        cli.main(["validate", "--today", "2026-02-30"])
    assert "is not a date written YYYY-MM-DD" in capsys.readouterr().err


# --- the directive's rendering ------------------------------------------------------------


@pytest.fixture
def status_directive(in_fixture_course):
    directives.register_directive("status", StatusDirective)
    yield
    directives._directives.pop("status", None)


def _rst(options: str, body: str = "The rule *expires*.") -> str:
    lines = "\n".join(f"   {line}" for line in options.strip().splitlines())
    return f".. status::\n{lines}\n\n   {body}\n"


QUIET = {"report_level": 5, "halt_level": 5, "warning_stream": False}


def test_the_directive_renders_a_dated_admonition(status_directive):
    html = publish_parts(_rst(""":as-of: 2026-12-01
:review-by: 2026-12-31
:source: sample2020
:class: warning"""), writer_name="html5", settings_overrides=QUIET)["body"]
    assert 'class="admonition status warning"' in html
    assert ('<p class="admonition-title">Status as of 1 December 2026 — review by 31 December '
            "2026</p>") in html
    assert "<p>The rule <em>expires</em>.</p>" in html
    assert "Source to re-check: </em>Sample A, Example B, Tester C, et al. (2020)." in html
    assert 'href="https://doi.org/10.0000/fixture.2020"' in html


def test_the_directive_escapes_an_address(status_directive):
    html = publish_parts(_rst(""":as-of: 2026-12-01
:review-by: 2026-12-31
:source: https://example.gov/?q="<x>\""""), writer_name="html5",
                         settings_overrides=QUIET)["body"]
    assert "<x>" not in html and 'href="https://example.gov/?q=&quot;&lt;x&gt;&quot;"' in html


def test_a_due_date_is_not_a_warning_in_the_build(status_directive):
    """The strict build (-W) must not fail on a date: validate reports it instead."""
    stream = io.StringIO()
    doctree = publish_doctree(_rst(""":as-of: 2020-01-01
:review-by: 2020-06-01
:source: sample2020"""), settings_overrides={"report_level": 1, "warning_stream": stream})
    assert stream.getvalue() == ""
    assert not list(doctree.findall(lambda node: node.tagname == "system_message"))


@pytest.mark.parametrize(("options", "message"), [
    (":as-of: 2026-12-01\n:review-by: 2026-02-30\n:source: sample2020",
     "needs :review-by: as a real date"),
    (":as-of: 1 Dec 2026\n:review-by: 2026-12-31\n:source: sample2020",
     "needs :as-of: as a real date"),
    (":as-of: 2026-12-01\n:review-by: 2026-12-31\n:source: nosuchkey",
     "neither a citation key"),
    (":as-of: 2026-12-01\n:review-by: 2026-11-01\n:source: sample2020", "before the 'as-of'"),
])
def test_a_bad_directive_is_an_error(status_directive, options, message):
    doctree = publish_doctree(_rst(options), settings_overrides=QUIET)
    errors = [node for node in doctree.findall(lambda n: n.tagname == "system_message")
              if node["level"] >= 3]
    assert errors and message in errors[0].astext()


def test_the_directive_is_registered_with_sphinx():
    from kapcourse.book import sphinx_ext

    class App:
        def __init__(self):
            self.directives = {}

        def add_directive(self, name, directive):
            self.directives[name] = directive

        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    app = App()
    sphinx_ext.setup(app)
    assert app.directives["status"] is StatusDirective


def test_final_assessment_forms_are_tracked_like_lesson_items():
    """A final-assessment form that states an expiring rule is listed and checked too."""
    from kapcourse.bank.currency import bank_claims
    from kapcourse.bank.model import load_bank

    from .conftest import ROOT

    bank = load_bank(ROOT / "quizzes" / "07_practice.yml")
    tagged = {q.id for item in bank.final_items
              for q in (item, *getattr(item, "parts", ())) if q.currency is not None}
    assert tagged, "lesson 07's final forms state REMS and DEA rules with their dates"
    listed = {claim.where.removeprefix("item ") for claim in bank_claims(bank, "07.yml")}
    assert tagged <= listed
