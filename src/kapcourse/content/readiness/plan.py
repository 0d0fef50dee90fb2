"""The learner's personalised plan as a standalone page (saved from JupyterLab;
``_static/kapreadiness.js`` builds the same document in the book, and
tests/test_readiness_plan_browser.py compares the two).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from kapcourse.bank.course import Reference
from kapcourse.bank.currency import long_date
from kapcourse.bank.markdown import inline
from kapcourse.content.readiness.model import AS_OF, Advice, Guide, Question
from kapcourse.content.readiness.pieces import href, link_text, summary

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
