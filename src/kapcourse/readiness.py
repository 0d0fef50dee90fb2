"""The practice readiness self-assessment (lesson 07), from one definition: book/readiness.yml.

- :func:`load_guide` reads and checks the YAML, reporting ``file:line:column: path: message``
  problems like :mod:`kapcourse.model` (:class:`~kapcourse.model.BankError`).
- :meth:`Guide.next_steps` turns answers into the personalised, prioritised list of advice.
- :class:`ReadinessGuide` is what a notebook displays: ipywidgets in JupyterLab, and a
  ``text/html`` view (no script, deterministic ids) that ``_static/kapreadiness.js`` makes
  interactive in the book.
- :func:`plan_html` is the learner's own plan as a standalone page (answers, steps, links and
  sources written out); :func:`write_plan` saves it (JupyterLab's "Save my plan"), and the
  book's script builds the same page ("Print or save my plan", "Save as a web page").
- :func:`write_printable_guide` writes the standalone, print-ready "Practice readiness guide"
  (inline CSS, no scripts, no external requests).

Answers are a mapping ``{question_id: option_id}`` for ``single`` questions and
``{question_id: [option_id, ...]}`` for ``multiple`` ones. In a ``multiple`` question an
option's ``advice`` applies when it is ticked, its ``advice_if_missing`` when it is not: a
question left with no box ticked means "none of these is in place".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from .course import Reference, bibliography, course_root, record_title, section_anchor
from .currency import long_date
from .display import dual_bundle
from .markdown import block, inline
from .model import (
    BankError,
    KeyPath,
    Located,
    Problem,
    dotted,
    file_problems,
    load_yaml,
    parse_date,
)

GUIDE_FILE = Path("book") / "readiness.yml"
STORAGE_KEY = "kapcourse:readiness"  # localStorage key used by _static/kapreadiness.js
KINDS = ("single", "multiple")
LINK = re.compile(r"^notebooks/(?P<stem>\d\d_[a-z0-9_]+)\.ipynb#(?P<anchor>[a-z][a-z0-9-]*)$")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
AS_OF = re.compile(r"\bAs of (\d{1,2} [A-Z][a-z]+ \d{4})\b")



# ---------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class Priority:
    level: int
    label: str
    description: str


@dataclass(frozen=True)
class Topic:
    id: str
    title: str


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    advice: tuple[str, ...] = ()
    advice_if_missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    kind: str  # "single" (one answer) or "multiple" (tick all that apply)
    text: str
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        known = ", ".join(o.id for o in self.options)
        raise ValueError(f"question '{self.id}' has no option '{option_id}' (options: {known})")


@dataclass(frozen=True)
class Advice:
    id: str
    topic: str
    priority: int
    text: str
    link: str  # notebooks/NN_slug.ipynb#anchor
    cite: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    title: str
    reviewed: dt.date
    notice: str
    priorities: tuple[Priority, ...]
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]
    advice: tuple[Advice, ...]  # in presentation order: priority, then topic, then file order
    section_titles: dict[str, str]  # link -> section heading, when the notebooks were read
    lesson: str = ""  # the lesson that holds the self-assessment (a course fact in the YAML)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise ValueError(f"no question '{question_id}' (questions: {known})")

    def advice_item(self, advice_id: str) -> Advice:
        for item in self.advice:
            if item.id == advice_id:
                return item
        raise KeyError(advice_id)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def priority(self, level: int) -> Priority:
        return next(p for p in self.priorities if p.level == level)

    def cited_keys(self) -> list[str]:
        keys: list[str] = []
        for item in self.advice:
            keys += [k for k in item.cite if k not in keys]
        return keys

    def unanswered(self, answers: dict[str, Any]) -> list[str]:
        """Single-choice questions without an answer (a multiple one is never unanswered)."""
        return [q.id for q in self.questions if q.kind == "single" and not answers.get(q.id)]

    def next_steps(self, answers: dict[str, Any]) -> list[Advice]:
        """The advice these answers lead to, each once, most urgent first."""
        chosen: set[str] = set()
        for question_id in answers:
            self.question(question_id)  # unknown questions are an error, not silently ignored
        for question in self.questions:
            answer = answers.get(question.id)
            if question.kind == "single":
                if answer in (None, ""):
                    continue
                if not isinstance(answer, str):
                    raise ValueError(f"question '{question.id}' takes one option id")
                chosen.update(question.option(answer).advice)
                continue
            ticked = [] if answer is None else ([answer] if isinstance(answer, str) else answer)
            picked = {question.option(option_id).id for option_id in ticked}
            for option in question.options:
                chosen.update(option.advice if option.id in picked else option.advice_if_missing)
        return [item for item in self.advice if item.id in chosen]


# ---------------------------------------------------------------------------------------------
# Loading and checking


def notebook_sections(path: Path) -> dict[str, str]:
    """{anchor: heading text} for the Markdown headings of a notebook."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    sections: dict[str, str] = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        in_fence = False
        for line in "".join(cell.get("source", "")).splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            match = None if in_fence else HEADING.match(line)
            if match:
                sections.setdefault(section_anchor(match.group(1)), match.group(1))
    return sections


class _Checker:
    """Collects the guide's cross-reference problems (ids, topics, links, citations) once its
    shape has passed the JSON Schema (``schema/readiness.schema.json``)."""

    def __init__(self, located: Located, file: str):
        self.located, self.file = located, file
        self.problems: list[Problem] = []

    def report(self, path: KeyPath, message: str) -> None:
        line, column = self.located.where(path)
        self.problems.append(Problem(self.file, line, column, dotted(path), message))

    def ident(self, value: dict, path: KeyPath, seen: set[str], what: str) -> None:
        if value["id"] in seen:
            self.report((*path, "id"), f"duplicate {what} id '{value['id']}'")
        seen.add(value["id"])


def _check(data: dict[str, Any], located: Located, file: str, root: Path | None,
           citations: set[str] | None) -> tuple[list[Problem], dict[str, str]]:
    check = _Checker(located, file)
    if parse_date(data["reviewed"]) is None:
        check.report(("reviewed",), f"{data['reviewed']!r} is not a real date")
    levels: set[int] = set()
    for index, raw in enumerate(data["priorities"]):
        if raw["level"] in levels:
            check.report(("priorities", index, "level"), f"duplicate priority level {raw['level']}")
        levels.add(raw["level"])
    topics: set[str] = set()
    for index, raw in enumerate(data["topics"]):
        check.ident(raw, ("topics", index), topics, "topic")
    advice_ids: set[str] = set()
    for index, raw in enumerate(data["advice"]):
        _check_advice(check, raw, ("advice", index), advice_ids, topics, levels, citations)
    sections = _link_sections(check, data["advice"], root)
    used = _check_questions(check, data["questions"], topics, advice_ids)
    for index, raw in enumerate(data["advice"]):
        if raw["id"] not in used:
            check.report(("advice", index, "id"), f"advice '{raw['id']}' is never given: "
                                                  "no answer option leads to it")
    return check.problems, sections


def _check_advice(check: _Checker, raw: dict, path: KeyPath, advice_ids: set[str],
                  topics: set[str], levels: set[int], citations: set[str] | None) -> None:
    check.ident(raw, path, advice_ids, "advice")
    if raw["topic"] not in topics:
        check.report((*path, "topic"), f"unknown topic '{raw['topic']}' (topics: "
                                       f"{', '.join(sorted(topics))})")
    if raw["priority"] not in levels:
        check.report((*path, "priority"), f"unknown priority {raw['priority']} (levels: "
                                          f"{', '.join(map(str, sorted(levels)))})")
    for k, key in enumerate(raw.get("cite", [])):
        if citations is not None and key not in citations:
            check.report((*path, "cite", k), f"citation key '{key}' is not in "
                                             "book/references.bib")


def _link_sections(check: _Checker, advice: list[dict], root: Path | None) -> dict[str, str]:
    """Each advice link's lesson section title; a link to a missing lesson or section is a
    problem (checked only with ``root``: the schema has already checked the link's form)."""
    sections: dict[str, str] = {}
    if root is None:
        return sections
    read: dict[str, dict[str, str] | None] = {}
    for index, raw in enumerate(advice):
        match = LINK.match(raw["link"])
        notebook = root / "notebooks" / f"{match['stem']}.ipynb"
        if match["stem"] not in read:
            read[match["stem"]] = notebook_sections(notebook) if notebook.is_file() else None
        found = read[match["stem"]]
        if found is None:
            check.report(("advice", index, "link"), f"no notebook {notebook.relative_to(root)}")
        elif match["anchor"] not in found:
            check.report(("advice", index, "link"),
                         f"no section '#{match['anchor']}' in {match['stem']}.ipynb "
                         f"(sections: {', '.join(found)})")
        else:
            sections[raw["link"]] = found[match["anchor"]]
    return sections


def _check_questions(check: _Checker, questions: list[dict], topics: set[str],
                     advice_ids: set[str]) -> set[str]:
    """Check ids and references of the questions; the advice ids their options lead to."""
    used: set[str] = set()
    question_ids: set[str] = set()
    for index, raw in enumerate(questions):
        path = ("questions", index)
        check.ident(raw, path, question_ids, "question")
        if raw["topic"] not in topics:
            check.report((*path, "topic"), f"unknown topic '{raw['topic']}'")
        option_ids: set[str] = set()
        for o, option in enumerate(raw["options"]):
            opath = (*path, "options", o)
            check.ident(option, opath, option_ids, "option")
            if raw["kind"] == "single" and "advice_if_missing" in option:
                check.report((*opath, "advice_if_missing"), "'advice_if_missing' is only for "
                                                            "multiple questions")
            for key in ("advice", "advice_if_missing"):
                for a, advice_id in enumerate(option.get(key, [])):
                    used.add(advice_id)
                    if advice_id not in advice_ids:
                        check.report((*opath, key, a), f"unknown advice id '{advice_id}'")
    return used


def load_guide(path: str | Path | None = None, root: Path | None = None,
               citations: set[str] | None = None, display_name: str | None = None) -> Guide:
    """Load and check the readiness guide (default: ``book/readiness.yml`` of the course).

    With ``root``, each advice link must name an existing lesson section; with ``citations``
    (BibTeX keys), every ``cite`` key must exist. Raises :class:`BankError` listing every problem.
    """
    if path is None:
        root = root or course_root()
        path = root / GUIDE_FILE
    path = Path(path)
    file = display_name or (str(GUIDE_FILE) if root and path == root / GUIDE_FILE else str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BankError([Problem(file, 1, 1, "", f"cannot read file: {exc.strerror}")]) from None
    located = load_yaml(text, file)
    problems = file_problems(located, file, "readiness")  # duplicate keys, then the schema
    if problems:
        raise BankError(problems)
    problems, sections = _check(located.data, located, file, root, citations)
    if problems:
        raise BankError(problems)
    return _build(located.data, sections)


def _build(data: dict[str, Any], sections: dict[str, str]) -> Guide:
    priorities = tuple(sorted((Priority(p["level"], p["label"], p["description"])
                               for p in data["priorities"]), key=lambda p: p.level))
    topics = tuple(Topic(t["id"], t["title"]) for t in data["topics"])
    topic_order = {t.id: i for i, t in enumerate(topics)}
    advice = [Advice(a["id"], a["topic"], a["priority"], " ".join(a["text"].split()), a["link"],
                     tuple(a.get("cite", ()))) for a in data["advice"]]
    order = {item.id: i for i, item in enumerate(advice)}
    advice.sort(key=lambda a: (a.priority, topic_order[a.topic], order[a.id]))
    questions = tuple(
        Question(q["id"], q["topic"], q["kind"], q["text"],
                 tuple(Option(o["id"], o["text"], tuple(o.get("advice", ())),
                              tuple(o.get("advice_if_missing", ()))) for o in q["options"]))
        for q in data["questions"])
    return Guide(data["title"], dt.date.fromisoformat(data["reviewed"]), data["notice"],
                 priorities, topics, questions, tuple(advice), sections, data.get("lesson", ""))


# ---------------------------------------------------------------------------------------------
# Shared HTML pieces


def href(link: str, where: str) -> str:
    """A lesson link as seen from: 'lab' (a notebook in notebooks/), 'lesson' (a book page in
    notebooks/) or 'root' (a file at the root of the built book)."""
    target, _, anchor = link.partition("#")
    name = Path(target).stem
    fragment = f"#{anchor}" if anchor else ""
    if where == "lab":
        return f"{name}.ipynb{fragment}"
    if where == "lesson":
        return f"{name}.html{fragment}"
    return f"notebooks/{name}.html{fragment}"


def link_text(guide: Guide, link: str) -> str:
    lesson = int(Path(link.partition("#")[0]).stem[:2])
    section = guide.section_titles.get(link)
    section = re.sub(r"^\d+\.\s*", "", section) if section else None
    return f"Lesson {lesson}: {section}" if section else f"Lesson {lesson}"


def _sources(keys: tuple[str, ...], references: dict[str, Reference]) -> str:
    if not keys:
        return ""
    parts = []
    for key in keys:
        ref = references.get(key)
        text = escape(ref.text if ref else key)
        link = (f'<a href="{escape(ref.url, quote=True)}">{text}</a>' if ref and ref.url
                else text)
        parts.append(f'<span class="kr-ref">{link}</span>')
    return f'<span class="kr-src">Source: {"; ".join(parts)}</span>'


def _advice_li(guide: Guide, item: Advice, references: dict[str, Reference], where: str,
               hidden: bool) -> str:
    topic = guide.topic(item.topic).title
    return (f'<li data-id="{item.id}"{" hidden" if hidden else ""}>'
            f'<span class="kr-topic">{escape(topic)}:</span> {inline(item.text)} '
            f'<a class="kr-more" href="{escape(href(item.link, where), quote=True)}">'
            f"Read more in {escape(link_text(guide, item.link))}</a>"
            f'{" " + _sources(item.cite, references) if item.cite else ""}</li>')


def steps_html(guide: Guide, steps: list[Advice], references: dict[str, Reference],
               where: str = "lab", unanswered: int = 0) -> str:
    """The personalised, prioritised list (used by the widget view)."""
    if not steps:
        return ("<p>No next steps from these answers. Answer the questions above, then try "
                "again.</p>")
    groups = []
    for priority in guide.priorities:
        items = [s for s in steps if s.priority == priority.level]
        if items:
            rows = "".join(_advice_li(guide, s, references, where, False) for s in items)
            groups.append(f"<h4>{escape(priority.label)}</h4><p>{escape(priority.description)}"
                          f"</p><ol>{rows}</ol>")
    return f'<p><strong>{escape(summary(guide, steps, unanswered))}</strong></p>{"".join(groups)}'


def summary(guide: Guide, steps: list[Advice], unanswered: int) -> str:
    """One sentence for the results (also what kapreadiness.js announces)."""
    first = sum(1 for s in steps if s.priority == guide.priorities[0].level)
    text = f"{len(steps)} next step{'s' if len(steps) != 1 else ''}, {first} of them first steps."
    if unanswered:
        text += f" {unanswered} question{'s' if unanswered != 1 else ''} not answered yet."
    return text


# ---------------------------------------------------------------------------------------------
# The learner's personalised plan, on its own (saved from JupyterLab; _static/kapreadiness.js
# builds the same document in the book: tests/test_readiness_plan_browser.py compares the two)

PLAN_TITLE = "My practice readiness plan"
# Kept identical to PLAN_CSS in _static/kapreadiness.js (the browser test compares them).
PLAN_CSS = ("body{font:11pt/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
            "color:#111;background:#fff;max-width:46rem;margin:2rem auto;padding:0 1rem}"
            "h1{font-size:1.6em;margin-bottom:.3em}h2{font-size:1.25em;margin-top:1.5em;"
            "border-bottom:2px solid #333}h3{font-size:1.05em;margin:1.2em 0 .2em}"
            "a{color:#0b4f8a;overflow-wrap:anywhere}dt{font-weight:700;margin-top:.5em}"
            "dd{margin-left:1.2em}li{margin:.5em 0;break-inside:avoid}.more,.src{display:block;"
            "font-size:.92em}.note{border:2px solid #333;padding:.4em .8em}"
            "@media print{body{margin:0;max-width:none}a{color:#111}h2,h3{break-after:avoid}}")
# Jinja2 autoescapes every value; only the advice text (rendered by the course's safe Markdown
# renderer) and the constant style sheet are marked safe.
PLAN_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="made">{{ made }}</p>
<p class="note">{{ not_advice }}</p>
<h2>My answers</h2>
<dl>
{%- for row in answers %}<dt>{{ row.question }}</dt><dd>{{ row.answer }}</dd>{% endfor -%}
</dl>
<h2>My next steps</h2>
<p><strong>{{ summary }}</strong></p>
{%- for group in groups %}
<h3>{{ group.label }}</h3>
<p>{{ group.description }}</p>
<ol>
{%- for step in group.steps %}<li><strong>{{ step.topic }}</strong> {{ step.text }} \
<span class="more">{{ step.more }} (<a href="{{ step.url }}">{{ step.url }}</a>)</span>
{%- if step.sources %} <span class="src">Source: {% for source in step.sources -%}
{% if not loop.first %}; {% endif %}{{ source.text }}
{%- if source.url %} (<a href="{{ source.url }}">{{ source.url }}</a>){% endif %}
{%- endfor %}</span>{% endif %}</li>{% endfor -%}
</ol>
{%- endfor %}
</body>
</html>
"""
NOT_ADVICE = ("Educational material, not medical, legal or regulatory advice. Check each step "
              "with your licensing board, your liability insurer, and a lawyer or regulator "
              "where you practise.")
NO_STEPS = "No next steps from these answers. Answer the questions, then make your plan again."


def regulatory_date(guide: Guide) -> dt.date:
    """The latest "As of <date>" written in the advice (the regulatory items' check date), or
    the guide's review date when no advice carries one."""
    found = [dt.datetime.strptime(m, "%d %B %Y").date()
             for item in guide.advice for m in AS_OF.findall(item.text)]
    return max(found, default=guide.reviewed)


def plan_made(guide: Guide, made: dt.date) -> str:
    return (f"Plan made on {long_date(made)} from the course's readiness guide (regulatory "
            f"items as of {long_date(regulatory_date(guide))}).")


def plan_filename(made: dt.date) -> str:
    return f"readiness-plan-{made.isoformat()}.html"


def _answer_text(question: Question, answer: Any) -> str:
    if question.kind == "single":
        return question.option(answer).text if answer else "Not answered yet"
    ticked = [] if answer is None else ([answer] if isinstance(answer, str) else answer)
    texts = [o.text for o in question.options if o.id in ticked]
    return "; ".join(texts) if texts else "None of these ticked"


def plan_html(guide: Guide, references: dict[str, Reference], answers: dict[str, Any],
              made: dt.date | None = None, where: str = "lab", base: str = "") -> str:
    """The learner's plan as a standalone web page (inline CSS, no script): the answers, then
    the steps in priority order with their advice, lesson links and sources written out.

    Links are ``base`` + :func:`href` for ``where`` (JupyterLab: the notebook beside the file).
    """
    from jinja2 import Environment
    from markupsafe import Markup

    made = made or dt.date.today()
    steps = guide.next_steps(answers)
    groups = []
    for priority in guide.priorities:
        items = [s for s in steps if s.priority == priority.level]
        if items:
            groups.append({"label": priority.label, "description": priority.description,
                           "steps": [_plan_step(guide, s, references, where, base)
                                     for s in items]})
    context = {
        "title": PLAN_TITLE, "css": Markup(PLAN_CSS), "made": plan_made(guide, made),
        "not_advice": NOT_ADVICE, "groups": groups,
        "summary": summary(guide, steps, len(guide.unanswered(answers))) if steps else NO_STEPS,
        "answers": [{"question": f"{n}. {q.text}", "answer": _answer_text(q, answers.get(q.id))}
                    for n, q in enumerate(guide.questions, 1)],
    }
    return Environment(autoescape=True).from_string(PLAN_TEMPLATE).render(context)


def _plan_step(guide: Guide, item: Advice, references: dict[str, Reference], where: str,
               base: str) -> dict[str, Any]:
    from markupsafe import Markup

    sources = []
    for key in item.cite:
        ref = references.get(key)
        sources.append({"text": ref.text if ref else key, "url": ref.url if ref else ""})
    return {"topic": f"{guide.topic(item.topic).title}:",
            "text": Markup(inline(item.text)),  # the safe Markdown renderer
            "more": f"Read more in {link_text(guide, item.link)}",
            "url": base + href(item.link, where), "sources": sources}


def write_plan(guide: Guide, references: dict[str, Reference], answers: dict[str, Any],
               folder: str | Path, made: dt.date | None = None) -> Path:
    """Write the plan into ``folder`` as readiness-plan-<date>.html, readable by the learner
    only (mode 0600: it describes their practice); a plan from the same day is replaced."""
    made = made or dt.date.today()
    path = Path(folder) / plan_filename(made)
    text = plan_html(guide, references, answers, made)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)  # an older file keeps its mode through O_TRUNC
        file.write(text)
    return path


# ---------------------------------------------------------------------------------------------
# The book view (kernel-free; _static/kapreadiness.js makes it interactive)


def render_static(guide: Guide, references: dict[str, Reference]) -> str:
    """HTML for the built book: every question and, hidden, every advice item in final order.

    No script and deterministic ids. The script reveals the advice the answers lead to; without
    it the questions still read (and print) as a checklist.
    """
    first = guide.priorities[0].label
    questions = []
    for number, question in enumerate(guide.questions, 1):
        kind = "radio" if question.kind == "single" else "checkbox"
        rows = []
        for option in question.options:
            input_id = f"kr-{question.id}-{option.id}"
            data = f' data-advice="{" ".join(option.advice)}"' if option.advice else ""
            if option.advice_if_missing:
                data += f' data-missing="{" ".join(option.advice_if_missing)}"'
            rows.append(f'<li><input type="{kind}" id="{input_id}" name="kr-{question.id}" '
                        f'value="{option.id}"{data}> <label for="{input_id}">'
                        f"{escape(option.text)}</label></li>")
        questions.append(
            f'<fieldset class="kr-q" id="kr-q-{question.id}" data-id="{question.id}" '
            f'data-kind="{question.kind}"><legend>{number}. {escape(question.text)}</legend>'
            f'<ul>{"".join(rows)}</ul></fieldset>')
    groups = []
    for priority in guide.priorities:
        items = [a for a in guide.advice if a.priority == priority.level]
        if items:
            rows = "".join(_advice_li(guide, a, references, "lesson", True) for a in items)
            groups.append(f'<section class="kr-level" data-level="{priority.level}" hidden>'
                          f"<h4>{escape(priority.label)}</h4><p>{escape(priority.description)}"
                          f"</p><ol>{rows}</ol></section>")
    return (
        f'<div class="kr" id="kr-guide" data-key="{STORAGE_KEY}" '
        f'data-first="{escape(first, quote=True)}" '
        f'data-as-of="{escape(long_date(regulatory_date(guide)), quote=True)}">'
        f'<div class="kr-notice">{block(guide.notice)}</div>'
        f"{''.join(questions)}"
        f'<div class="kr-b"><button type="button" class="kr-show">Show my next steps</button> '
        f'<button type="button" class="kr-clear">Clear my answers</button></div>'
        f'<p class="kr-status" role="status" aria-live="polite"></p>'
        f'<div class="kr-result" hidden><h3 id="kr-result-h" tabindex="-1">Your next steps</h3>'
        f"{''.join(groups)}"
        f'<div class="kr-b kr-plan-b"><button type="button" class="kr-print-plan">Print or save '
        f'my plan</button> <button type="button" class="kr-save-plan">Save as a web page'
        f"</button></div></div>"
        f'<p class="kr-print"><a href="../readiness-guide.html">Open the printable practice '
        f"readiness guide</a> (every question and all the advice, to print or save as PDF). "
        f"Your answers stay in this browser only.</p></div>")


# ---------------------------------------------------------------------------------------------
# The JupyterLab view


class ReadinessView:
    """The ipywidgets: one control per question, a button and the results area.

    Tests set ``controls[question_id].value`` (single) or
    ``controls[question_id].children[i].value`` (multiple), then call ``show.click()`` or
    ``save.click()`` (the plan is written into ``folder``, by default the current folder: in
    JupyterLab the lesson's folder).
    """

    def __init__(self, guide: Guide, references: dict[str, Reference],
                 folder: Path | None = None):
        import ipywidgets as widgets

        self.guide, self.references, self.folder = guide, references, folder
        self.controls: dict[str, Any] = {}
        rows: list[Any] = [widgets.HTML(f'<div class="kr-notice">{block(guide.notice)}</div>')]
        for number, question in enumerate(guide.questions, 1):
            label = widgets.HTML(f"<strong>{number}. {escape(question.text)}</strong>")
            if question.kind == "single":
                control = widgets.RadioButtons(
                    options=[(o.text, o.id) for o in question.options], value=None,
                    layout={"width": "auto"})
            else:
                control = widgets.VBox([widgets.Checkbox(value=False, description=o.text,
                                                         indent=False, layout={"width": "auto"})
                                        for o in question.options])
            self.controls[question.id] = control
            rows.append(widgets.VBox([label, control], layout={"margin": "0 0 0.75em 0"}))
        self.show = widgets.Button(description="Show my next steps", button_style="primary",
                                   tooltip="List the next steps for your answers",
                                   layout={"width": "auto"})
        self.result = widgets.HTML("")
        self.show.on_click(lambda _: self.update())
        self.save = widgets.Button(description="Save my plan", icon="download",
                                   tooltip="Save your answers and next steps as a web page",
                                   layout={"width": "auto"})
        self.saved = widgets.HTML("")
        self.save.on_click(lambda _: self.save_plan())
        rows += [self.show, self.result, widgets.HBox([self.save, self.saved]), widgets.HTML(
            "<p>The printable guide (every question and all the advice) is "
            "<code>readiness-guide.html</code> in the online book, or run "
            "<code>from kapcourse.readiness import write_printable_guide; "
            "write_printable_guide('readiness-guide.html')</code>.</p>")]
        self.widget = widgets.VBox(rows)
        self.widget.add_class("kr-widget")

    @property
    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for question in self.guide.questions:
            control = self.controls[question.id]
            if question.kind == "single":
                out[question.id] = control.value
            else:
                out[question.id] = [o.id for o, box in zip(question.options, control.children,
                                                           strict=True) if box.value]
        return out

    def update(self) -> list[Advice]:
        answers = self.answers
        steps = self.guide.next_steps(answers)
        self.result.value = steps_html(self.guide, steps, self.references, "lab",
                                       len(self.guide.unanswered(answers)))
        return steps

    def save_plan(self) -> Path | None:
        """Show the steps and write the plan (a web page, readable by this user only)."""
        self.update()
        folder = self.folder or Path.cwd()
        try:
            path = write_plan(self.guide, self.references, self.answers, folder)
        except OSError as exc:
            self.saved.value = (f"<span>Your plan could not be saved in {escape(str(folder))}: "
                                f"{escape(exc.strerror or str(exc))}. Your answers are still "
                                "here; try again from a folder you can write to.</span>")
            return None
        self.saved.value = (f"<span>Your plan was saved as <code>{escape(str(path))}</code> "
                            "(open it in a browser to print it).</span>")
        return path


class ReadinessGuide:
    """Display the self-assessment: ``from kapcourse.readiness import ReadinessGuide;
    ReadinessGuide()``."""

    def __init__(self, root: Path | None = None, path: Path | None = None):
        self.root = root or course_root()
        self.references = bibliography(self.root)
        self.guide = load_guide(path, root=self.root, citations=set(self.references))
        self._view: ReadinessView | None = None

    @property
    def view(self) -> ReadinessView:
        if self._view is None:
            self._view = ReadinessView(self.guide, self.references)
        return self._view

    def html(self) -> str:
        return render_static(self.guide, self.references)

    def __repr__(self) -> str:
        return f"Practice readiness self-assessment ({len(self.guide.questions)} questions)"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dual_bundle(repr(self), self.html(), self.view.widget)


# ---------------------------------------------------------------------------------------------
# The printable guide

PRINT_CSS = """
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #111; background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { font-size: 1.3em; margin-top: 1.8em;
  border-bottom: 2px solid #333; } h3 { font-size: 1.05em; margin: 1.2em 0 0.3em; }
a { color: #0b4f8a; } .notice { border: 2px solid #333; padding: 0.5em 1em; }
.q { break-inside: avoid; margin: 0 0 1em; } .q ul, .refs { padding-left: 1.2em; }
.q ul { list-style: none; padding-left: 0; } .box { font-size: 1.2em; line-height: 1;
  margin-right: 0.4em; } .paper { border-left: 4px solid #333; padding-left: 0.6em; }
.see { color: #333; font-size: 0.9em; }
.adv { break-inside: avoid; margin: 0 0 0.8em; } .tag { font-weight: 700; }
.src, .more { display: block; font-size: 0.9em; } small { color: #333; }
@media screen { .more { padding: 0.25em 0; } }  /* a 24 px tap target (WCAG 2.5.8) */
@media print { body { margin: 0; max-width: none; } a { color: #111; }
  h2 { break-after: avoid; } h3 { break-after: avoid; } }
@page { margin: 18mm 16mm; }
"""


def _codes(guide: Guide) -> dict[str, str]:
    """Short labels for the paper version: advice '3.2' is the second item of topic 3."""
    codes: dict[str, str] = {}
    for number, topic in enumerate(guide.topics, 1):
        items = [a for a in guide.advice if a.topic == topic.id]
        for index, item in enumerate(items, 1):
            codes[item.id] = f"{number}.{index}"
    return codes


def printable_html(guide: Guide, references: dict[str, Reference], course_title: str = "") -> str:
    """The standalone printable guide; ``course_title`` (course.record_title) heads it."""
    codes = _codes(guide)

    def see(ids: tuple[str, ...], when: str) -> str:
        if not ids:
            return ""
        return f' <span class="see">{when}: see {", ".join(codes[i] for i in ids)}</span>'

    parts = []
    for number, question in enumerate(guide.questions, 1):
        # Printed characters, not drawn boxes: on screen they must not look clickable.
        shape = "○" if question.kind == "single" else "☐"
        rows = "".join(f'<li><span class="box" aria-hidden="true">{shape}</span>{escape(o.text)}'
                       f'{see(o.advice, "if chosen" if question.kind == "single" else "if ticked")}'
                       f'{see(o.advice_if_missing, "if not ticked")}</li>'
                       for o in question.options)
        hint = "Choose one" if question.kind == "single" else "Tick all that apply"
        hint = ("<small>Tick on paper.</small>" if hint.lower() in question.text.lower()
                else f"<small>{hint} (tick on paper).</small>")
        parts.append(f'<div class="q"><h3>{number}. {escape(question.text)}</h3>'
                     f"{hint}<ul>{rows}</ul></div>")
    questions = "".join(parts)
    levels = "".join(f"<li><span class=\"tag\">{escape(p.label)}</span>: "
                     f"{escape(p.description)}</li>" for p in guide.priorities)
    sections = []
    for number, topic in enumerate(guide.topics, 1):
        items = [a for a in guide.advice if a.topic == topic.id]
        rows = "".join(
            f'<div class="adv"><span class="tag">{codes[a.id]} · '
            f"{escape(guide.priority(a.priority).label)}</span><br>{inline(a.text)}"
            f'<a class="more" href="{escape(href(a.link, "root"), quote=True)}">Read more in '
            f"{escape(link_text(guide, a.link))}</a>"
            f'{_sources(a.cite, references).replace("kr-src", "src")}</div>' for a in items)
        sections.append(f"<h3>{number}. {escape(topic.title)}</h3>{rows}")
    refs = "".join(
        f"<li>{escape(references[k].text)}"
        + (f' <a href="{escape(references[k].url, quote=True)}">{escape(references[k].url)}</a>'
           if references[k].url else "") + "</li>"
        for k in sorted(guide.cited_keys(), key=lambda k: references[k].text))
    # Course facts come from the configuration and the guide's YAML, not from this code.
    number = int(guide.lesson[:2]) if guide.lesson else 0
    from_where = ", ".join(part for part in (course_title, f"lesson {number}" if number else "")
                           if part)
    online = (f'<a href="notebooks/{escape(guide.lesson, quote=True)}.html">lesson {number} of '
              "the online book</a>" if number else "the online book")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(guide.title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(guide.title)}</h1><p>{escape(from_where)}"
        f"{'. ' if from_where else ''}Reviewed {guide.reviewed.isoformat()}"
        f".</p></header>\n<main>\n"
        f'<section class="notice" aria-label="Scope and safety"><h2>Scope and safety</h2>'
        f"{block(guide.notice)}</section>\n"
        "<h2>How to use this guide</h2><p>Answer each question. Each answer points to numbered "
        "advice in the second part; the advice is grouped by topic and labelled by "
        f"priority:</p><ul>{levels}</ul>"
        '<p class="paper">The circles (○) and boxes (☐) are for ticking with a pen on the '
        "printed page: they cannot be clicked. For a plan made from your own answers, with "
        f"only the steps that apply to you, answer the questions in {online}"
        ' and use "Print or save my plan".'
        "</p>\n"
        f"<h2>Part 1: Questions</h2>{questions}\n"
        f"<h2>Part 2: Advice by topic</h2>{''.join(sections)}\n"
        f'<h2>References</h2><ol class="refs">{refs}</ol>\n</main>\n'
        "<footer><p><small>Content licensed under CC BY 4.0 (the kapcourse contributors). "
        "Educational material, not legal, regulatory or medical advice.</small></p></footer>\n"
        "</body>\n</html>\n")


def write_printable_guide(path: str | Path, root: Path | None = None) -> Path:
    """Write the standalone, print-ready guide (no scripts, no external requests) to ``path``."""
    root = root or course_root()
    references = bibliography(root)
    guide = load_guide(root=root, citations=set(references))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(printable_html(guide, references, record_title(root)), encoding="utf-8")
    return path
