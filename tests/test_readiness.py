"""The practice readiness guide: the YAML and its checks, the advice logic, the book markup, the
printable guide and the JupyterLab widgets (set .value, call .click())."""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kapcourse.bank.course import section_anchor
from kapcourse.bank.model import BankError
from kapcourse.content.readiness import (
    STORAGE_KEY,
    ReadinessGuide,
    href,
    load_guide,
    printable_html,
    render_static,
    summary,
    write_printable_guide,
)

from .conftest import ROOT
from .test_golden_readiness import js_plans

THERAPIST_AT_HOME = {"profession": "therapist", "offer": "full", "setting": "home"}


def ids(steps) -> list[str]:
    return [step.id for step in steps]


# --- the definition ---------------------------------------------------------------------------

def test_the_course_guide_is_valid_and_covers_the_brief(guide):
    topics = {q.topic for q in guide.questions}
    assert {"scope", "regulation", "team", "emergency", "protocols", "training", "insurance",
            "access"} <= topics
    assert {q.kind for q in guide.questions} == {"single", "multiple"}
    assert [p.level for p in guide.priorities] == [1, 2, 3]
    # every advice item links to a real lesson section, resolved from the notebooks
    assert all(item.link in guide.section_titles for item in guide.advice)


def test_advice_is_stored_in_presentation_order(guide):
    order = {t.id: i for i, t in enumerate(guide.topics)}
    keys = [(a.priority, order[a.topic]) for a in guide.advice]
    assert keys == sorted(keys)


def test_the_lesson_displays_the_guide():
    notebook = json.loads((ROOT / "notebooks" / "07_practice.ipynb").read_text())
    sources = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert any(s.strip().endswith("ReadinessGuide()") for s in sources)


@pytest.mark.parametrize(("heading", "anchor"), [
    ("4. Emergency planning", "emergency-planning"),
    ("1. Who may do what: scope of practice", "who-may-do-what-scope-of-practice"),
    ("What's next", "what-s-next"),
    ("2. The regulatory picture in the United States",
     "the-regulatory-picture-in-the-united-states"),
])
def test_section_anchor_matches_the_section_ids_sphinx_writes(heading, anchor):
    assert section_anchor(heading) == anchor


# --- error reports ----------------------------------------------------------------------------

GOOD = """\
title: T
reviewed: 2026-01-01
notice: Not advice.
priorities:
  - {level: 1, label: First, description: Do it now.}
topics:
  - {id: scope, title: Scope}
questions:
  - id: q1
    topic: scope
    kind: single
    text: Which?
    options:
      - {id: a, text: A, advice: [x1]}
      - {id: b, text: B}
advice:
  - {id: x1, topic: scope, priority: 1, text: Do X.,
     link: "notebooks/07_practice.ipynb#emergency-planning"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "readiness.yml"
    path.write_text(text)
    return path


def problems(tmp_path: Path, text: str, **kwargs) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_guide(write(tmp_path, text), display_name="readiness.yml", **kwargs)
    return [str(p) for p in caught.value.problems]


def test_a_minimal_guide_loads(tmp_path):
    guide = load_guide(write(tmp_path, GOOD), root=ROOT)
    assert ids(guide.next_steps({"q1": "a"})) == ["x1"]
    assert guide.section_titles[guide.advice[0].link] == "4. Emergency planning"


def test_yaml_syntax_errors_have_a_line_and_column(tmp_path):
    found = problems(tmp_path, GOOD.replace("text: Which?", "text: Which: this?"))
    assert found == ["readiness.yml:12:16: YAML syntax error: mapping values are not allowed here"]


def test_shape_problems_come_from_the_json_schema_with_their_place(tmp_path):
    broken = (GOOD.replace("kind: single", "kind: sometimes\n    colour: red")
              .replace("priority: 1, text", "priority: high, text"))
    found = problems(tmp_path, broken)
    text = "\n".join(found)
    assert "readiness.yml:12:5: questions[0].colour: unknown key 'colour'" in text
    assert "questions[0].kind: 'sometimes' is not one of: single, multiple" in text
    assert "advice[0].priority: must be of type integer, not string" in text
    assert all(re.match(r"readiness\.yml:\d+:\d+: ", line) for line in found)


def test_each_problem_is_located(tmp_path):
    broken = (GOOD
              .replace("advice: [x1]", "advice: [x1, nope]")
              .replace("{id: b, text: B}", "{id: b, text: B, advice_if_missing: [x1]}")
              .replace("priority: 1, text", "priority: 2, text")
              .replace("#emergency-planning", "#no-such-section")
              + "  - {id: x1, topic: nowhere, priority: 1, text: Y., "
                "link: notebooks/07_practice.ipynb#emergency-planning, cite: [nobody2020]}\n")
    found = problems(tmp_path, broken, root=ROOT, citations={"known2020"})
    text = "\n".join(found)
    assert "questions[0].options[0].advice[1]: unknown advice id 'nope'" in text
    assert "'advice_if_missing' is only for multiple questions" in text
    assert "advice[0].priority: unknown priority 2 (levels: 1)" in text
    assert "advice[0].link: no section '#no-such-section' in 07_practice.ipynb" in text
    assert "advice[1].id: duplicate advice id 'x1'" in text
    assert "advice[1].topic: unknown topic 'nowhere'" in text
    assert "advice[1].cite[0]: citation key 'nobody2020' is not in book/references.bib" in text
    assert all(re.match(r"readiness\.yml:\d+:\d+: ", line) for line in found)


def test_yes_and_no_ids_are_text_not_booleans(tmp_path):
    # Course files are read with YAML 1.2 scalars (issue 11): `no` is the text "no".
    text = GOOD.replace("{id: b, text: B}", "{id: no, text: B}")
    guide = load_guide(write(tmp_path, text), display_name="readiness.yml")
    assert [o.id for o in guide.questions[0].options] == ["a", "no"]


def test_advice_nobody_can_reach_is_reported(tmp_path):
    extra = ("  - {id: x2, topic: scope, priority: 1, text: Z., "
             "link: notebooks/07_practice.ipynb#emergency-planning}\n")
    found = problems(tmp_path, GOOD + extra)
    assert found == ["readiness.yml:19:10: advice[1].id: advice 'x2' is never given: no answer "
                     "option leads to it"]


def test_a_bad_link_form_and_a_missing_key(tmp_path):
    broken = GOOD.replace('link: "notebooks/07_practice.ipynb#emergency-planning"',
                          "link: https://example.org").replace("notice: Not advice.\n", "")
    found = "\n".join(problems(tmp_path, broken))
    assert "missing required key 'notice'" in found
    assert "link must look like notebooks/NN_slug.ipynb#section-anchor" in found


# --- the advice logic -------------------------------------------------------------------------

def test_answers_lead_to_their_advice_once_most_urgent_first(guide):
    steps = guide.next_steps(THERAPIST_AT_HOME)
    found = ids(steps)
    assert {"scope-board", "scope-therapist", "offer-full", "setting-home-fda",
            "setting-telehealth", "setting-home-plan"} <= set(found)
    assert len(found) == len(set(found))
    assert [s.priority for s in steps] == sorted(s.priority for s in steps)
    assert "setting-rems" not in found and "scope-prescriber" not in found


def test_a_tick_box_left_empty_gives_its_missing_advice(guide):
    nothing = ids(guide.next_steps({"partners": []}))
    team = {"team-prescriber", "team-monitor", "team-emergency-route", "team-crisis"}
    assert team <= set(nothing)
    everything = ids(guide.next_steps({"partners": ["prescriber", "monitor", "emergency",
                                                    "crisis"]}))
    assert not {"team-prescriber", "team-monitor", "team-emergency-route",
                "team-crisis"} & set(everything)
    some = ids(guide.next_steps({"partners": ["prescriber"]}))
    assert "team-prescriber" not in some and "team-monitor" in some


def test_single_answers_change_the_advice(guide):
    assert "emergency-write" in ids(guide.next_steps({"emergency-plan": "none"}))
    rehearsed = ids(guide.next_steps({"emergency-plan": "rehearsed"}))
    assert "emergency-review" in rehearsed and "emergency-write" not in rehearsed
    assert "insurance-ask" in ids(guide.next_steps({"insurance": "unasked"}))


def test_unanswered_single_questions_give_no_advice_and_are_counted(guide):
    single = [q.id for q in guide.questions if q.kind == "single"]
    assert guide.unanswered({}) == single
    assert guide.unanswered({"profession": "nurse"}) == single[1:]
    steps = guide.next_steps({q: None for q in single})
    assert all(s.id.startswith(("team-", "protocol-", "access-")) for s in steps)


def test_unknown_answers_are_errors(guide):
    with pytest.raises(ValueError, match="no question 'colour'"):
        guide.next_steps({"colour": "red"})
    with pytest.raises(ValueError, match="question 'profession' has no option 'pilot'"):
        guide.next_steps({"profession": "pilot"})
    with pytest.raises(ValueError, match="takes one option id"):
        guide.next_steps({"profession": ["nurse"]})


def test_summary_wording(guide):
    steps = guide.next_steps(THERAPIST_AT_HOME)
    first = sum(1 for s in steps if s.priority == 1)
    assert summary(guide, steps, 2) == (f"{len(steps)} next steps, {first} of them first steps. "
                                        "2 questions not answered yet.")


@pytest.mark.parametrize(("where", "expected"), [
    ("lab", "05_safety.ipynb#interactions"),
    ("lesson", "05_safety.html#interactions"),
    ("root", "notebooks/05_safety.html#interactions"),
])
def test_links_for_each_place_the_advice_appears(where, expected):
    assert href("notebooks/05_safety.ipynb#interactions", where) == expected


# --- the book markup --------------------------------------------------------------------------

class Markup(HTMLParser):
    """Collect inputs, labels, advice items and element ids from the static view."""

    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.advice: list[dict] = []
        self.ids: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "input":
            self.inputs.append(attrs)
        if tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])
        if tag == "li" and "data-id" in attrs:
            self.advice.append(attrs)


def parse(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    return markup


def test_static_view_has_no_script_and_deterministic_unique_ids(guide, references):
    html = render_static(guide, references)
    assert html == render_static(guide, references)
    assert "<script" not in html.lower() and " on" not in re.sub(r">[^<]*<", "><", html)
    markup = parse(html)
    assert len(markup.ids) == len(set(markup.ids))
    assert f'data-key="{STORAGE_KEY}"' in html


def test_static_view_labels_every_control_and_hides_all_advice(guide, references):
    markup = parse(render_static(guide, references))
    assert {i["id"] for i in markup.inputs} <= markup.labels
    assert markup.tags.count("fieldset") == markup.tags.count("legend") == len(guide.questions)
    assert [a["data-id"] for a in markup.advice] == ids(guide.advice)
    assert all("hidden" in a for a in markup.advice)


def test_static_links_point_at_book_pages(guide, references):
    html = render_static(guide, references)
    assert 'href="07_practice.html#emergency-planning"' in html
    assert 'href="../readiness-guide.html"' in html
    assert ".ipynb" not in html


# --- the printable guide ----------------------------------------------------------------------

def test_printable_guide_is_standalone_and_complete(tmp_path, guide, references):
    path = write_printable_guide(tmp_path / "out" / "readiness-guide.html", root=ROOT)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    lowered = html.lower()
    assert "<script" not in lowered and "@import" not in lowered and "<link" not in lowered
    assert not re.search(r"\ssrc=", lowered) and "url(" not in lowered
    assert "not legal, regulatory or medical advice" in html
    for question in guide.questions:
        assert question.text.replace("'", "&#x27;") in html
    for item in guide.advice:
        assert item.id  # each advice text appears once, with its lesson link
    assert html.count('class="adv"') == len(guide.advice)
    assert 'href="notebooks/07_practice.html#emergency-planning"' in html
    assert "Read more in Lesson 7: Emergency planning" in html
    for key in guide.cited_keys():
        assert escape(references[key].url, quote=True) in html
    assert html.count("<li>", html.index('class="refs"')) == len(guide.cited_keys())


def test_printable_guide_maps_each_answer_to_numbered_advice(guide, references):
    html = printable_html(guide, references)
    assert "if not ticked: see" in html and "if chosen: see" in html
    assert "@media print" in html and "break-inside: avoid" in html


# --- the JupyterLab widgets -------------------------------------------------------------------

@pytest.fixture
def display():
    return ReadinessGuide(root=ROOT)


def test_widget_answers_give_the_prioritised_list(display):
    view = display.view
    view.controls["profession"].value = "therapist"
    view.controls["setting"].value = "home"
    view.show.click()
    html = view.result.value
    assert "First: safety and legal basics" in html
    assert "Read the FDA&#x27;s 2023 warning" in html or "Read the FDA's 2023 warning" in html
    assert 'href="02_uses.ipynb#compounded-and-at-home-ketamine"' in html
    assert html.index("First: safety") < html.index("Next: before your service starts")
    assert "5 questions not answered yet." in html  # 7 single questions, 2 answered


def test_widget_tick_boxes_remove_their_missing_advice(display):
    view = display.view
    boxes = view.controls["partners"].children
    view.show.click()
    assert "Find a prescriber who will assess each client" in view.result.value
    boxes[0].value = True
    view.show.click()
    assert "Find a prescriber who will assess each client" not in view.result.value
    assert view.answers["partners"] == ["prescriber"]


def test_widget_and_book_agree(display):
    view = display.view
    view.controls["profession"].value = "nurse"
    view.controls["emergency-plan"].value = "written"
    view.controls["protocols"].children[1].value = True
    steps = view.update()
    # the book's real script, given the same page and answers (tests/test_golden_readiness.py)
    from_book = js_plans(display.guide, display.references, [view.answers])[0]
    assert from_book["ids"] == ids(steps) and steps


def test_one_display_gives_widget_and_static_html(display):
    bundle = display._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert 'id="kr-guide"' in bundle["text/html"]
    assert bundle["text/plain"] == "Practice readiness self-assessment (10 questions)"
