"""The learner's plan on its own (lesson 07): readiness.plan_html(), the file JupyterLab's
"Save my plan" writes (set .value, call .click()), and the printable guide's paper-only tick
boxes. The book's script is compared with plan_html() in tests/test_readiness_plan_browser.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import stat
from html import escape, unescape

from kapcourse.bank.course import Reference
from kapcourse.content.readiness import (
    ReadinessGuide,
    plan_filename,
    plan_html,
    printable_html,
    regulatory_date,
    render_static,
    write_plan,
)

from .conftest import ROOT

DAY = dt.date(2026, 12, 3)
ANSWERS = {"profession": "therapist", "setting": "home", "partners": ["prescriber"]}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_plan_is_dated_and_says_it_is_not_advice(guide, references):
    text = text_of(plan_html(guide, references, ANSWERS, DAY))
    assert ("Plan made on 3 December 2026 from the course's readiness guide (regulatory items "
            "as of 1 December 2026).") in text
    assert "not medical, legal or regulatory advice" in text


def test_the_regulatory_date_is_the_latest_as_of_in_the_advice(guide):
    assert regulatory_date(guide) == dt.date(2026, 12, 1)
    undated = dataclasses.replace(guide, advice=tuple(
        dataclasses.replace(a, text="No date here.") for a in guide.advice))
    assert regulatory_date(undated) == guide.reviewed


def test_the_plan_lists_the_answers_and_the_steps_in_order(guide, references):
    html = plan_html(guide, references, ANSWERS, DAY)
    text = text_of(html)
    assert "1. Which best describes your licence? Psychotherapist, psychologist or" in text
    assert "Not answered yet" in text and "None of these ticked" in text
    positions = [text.index(" ".join(unescape(re.sub(r"<[^>]+>", "", s.text)).split())[:50])
                 for s in guide.next_steps(ANSWERS)]
    assert positions == sorted(positions) and len(positions) > 5
    assert text.index("First: safety and legal basics") < text.index("Next: before your")
    # lesson links and sources are written out as text, next to their link
    flat = unescape(re.sub(r"<[^>]+>", "", html))
    assert "(02_uses.ipynb#compounded-and-at-home-ketamine)" in flat
    assert "Source: U.S. Food and Drug Administration (2023)." in flat
    assert "<script" not in html.lower()


def test_links_can_point_at_the_online_book(guide, references):
    html = plan_html(guide, references, ANSWERS, DAY, where="lesson", base="https://x.org/nb/")
    assert '<a href="https://x.org/nb/02_uses.html#compounded-and-at-home-ketamine">' in html


def test_everything_from_the_files_is_escaped(guide, references):
    key = guide.next_steps(ANSWERS)[2].cite[0]
    hostile = {**references, key: Reference(key, "<img src=x onerror=alert(1)>",
                                            'https://a.org/"><script>x()</script>')}
    html = plan_html(guide, hostile, ANSWERS, DAY)
    assert "<img" not in html and "<script" not in html
    assert escape("<img src=x onerror=alert(1)>", quote=False) in html


def test_answers_without_steps_give_a_plan_that_says_so(guide, references):
    everything = {q.id: [o.id for o in q.options] for q in guide.questions
                  if q.kind == "multiple"}  # every box ticked: nothing missing, no advice
    assert guide.next_steps(everything) == []
    text = text_of(plan_html(guide, references, everything, DAY))
    assert ("My next steps No next steps from these answers. Answer the questions, then make "
            "your plan again.") in text


def test_write_plan_is_private_and_named_by_date(tmp_path, guide, references):
    older = tmp_path / plan_filename(DAY)
    older.write_text("an older plan from the same day")
    older.chmod(0o644)
    path = write_plan(guide, references, ANSWERS, tmp_path, DAY)
    assert path == tmp_path / "readiness-plan-2026-12-03.html"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == plan_html(guide, references, ANSWERS, DAY)


def test_the_widget_saves_my_plan(tmp_path):
    display = ReadinessGuide(root=ROOT)
    view = display.view
    view.folder = tmp_path
    view.controls["profession"].value = "nurse"
    view.controls["emergency-plan"].value = "none"
    view.controls["partners"].children[0].value = True
    view.save.click()
    path = tmp_path / plan_filename(dt.date.today())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = text_of(path.read_text(encoding="utf-8"))
    assert "Nurse without prescribing authority" in text
    for step in display.guide.next_steps(view.answers):
        assert " ".join(unescape(re.sub(r"<[^>]+>", "", step.text)).split())[:50] in text
    assert escape(str(path)) in view.saved.value
    assert "First: safety and legal basics" in view.result.value  # the steps are shown too


def test_the_widget_says_when_it_cannot_save(tmp_path):
    view = ReadinessGuide(root=ROOT).view
    view.folder = tmp_path / "missing"
    view.controls["profession"].value = "nurse"
    view.save.click()
    assert "could not be saved" in view.saved.value
    assert view.answers["profession"] == "nurse"  # nothing the learner chose is lost


def test_the_book_has_the_plan_buttons_inside_the_results(guide, references):
    html = render_static(guide, references)
    result = html[html.index('class="kr-result"'):html.index('class="kr-print"')]
    assert ">Print or save my plan</button>" in result
    assert ">Save as a web page</button>" in result
    assert 'data-as-of="1 December 2026"' in html


def test_the_printable_guide_has_paper_only_tick_boxes(guide, references):
    html = printable_html(guide, references)
    assert '<span class="box round"></span>' not in html and '<span class="box"></span>' not in html
    assert html.count('<span class="box" aria-hidden="true">☐</span>') == sum(
        len(q.options) for q in guide.questions if q.kind == "multiple")
    assert "tick on paper" in html.lower() and "they cannot be clicked" in html
