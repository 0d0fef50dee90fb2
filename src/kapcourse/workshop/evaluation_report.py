"""The cohort's course evaluations, written beside ``kapcourse report``'s item analysis as
``evaluation.html`` and ``evaluation.md``: how many, each Likert statement's distribution, and
the free texts listed anonymously in random order (see
:func:`kapcourse.record.evaluation.summarise`).
"""

from __future__ import annotations

import random
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from kapcourse.record.evaluation import SMALL_COHORT, Form, Summary, summarise
from kapcourse.workshop.report import _md


def small_note(summary: Summary) -> str:
    """What a small n means, said plainly; "" when n is large enough."""
    if summary.n == 0:
        return "No evaluations: no export in this cohort carries one."
    if summary.small:
        return (f"Only {summary.n} evaluation(s), fewer than {SMALL_COHORT}: the distributions "
                "say little about the cohort, and a comment may be recognisable. Read them as "
                "individual views.")
    return ""


def _share(count: int, n: int) -> str:
    return f"{count} ({count / n:.0%})" if n else "0"


def summary_markdown(summary: Summary, form: Form) -> str:
    lines = [f"# Course evaluations: {summary.n}", ""]
    note = small_note(summary)
    lines += [note, ""] if note else []
    if summary.skipped:
        lines += [f"{summary.skipped} evaluation(s) could not be read and were left out.", ""]
    lines += ["## Statements", "", "| statement | " + " | ".join(form.scale) + " |",
              "|---" * (len(form.scale) + 1) + "|"]
    for question in form.questions:
        if question.kind == "likert":
            cells = " | ".join(_share(c, summary.n) for c in summary.counts[question.id])
            lines.append(f"| {_md(question.text)} | {cells} |")
    for question in form.questions:
        if question.kind == "text":
            lines += ["", f"## {_md(question.text)}", ""]
            answers = summary.texts[question.id]
            lines += [f"- {_md(text)}" for text in answers] or ["(no answers)"]
    return "\n".join(lines) + "\n"


# Jinja2 with autoescape: every free text comes from a learner's file.
_PAGES = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
PAGE = _PAGES.from_string(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Course evaluations: {{ s.n }}</title><style>"
    "body{font-family:sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem;"
    "vertical-align:top}.note{border-left:4px solid #b35900;padding-left:.6rem}</style>"
    "</head><body><h1>Course evaluations: {{ s.n }}</h1>"
    '{% if note %}<p class="note">{{ note }}</p>{% endif %}'
    "{% if s.skipped %}<p>{{ s.skipped }} evaluation(s) could not be read and were left out."
    "</p>{% endif %}<h2>Statements</h2><table><tr><th>statement</th>"
    "{% for point in form.scale %}<th>{{ point }}</th>{% endfor %}</tr>"
    "{% for q in form.questions if q.kind == 'likert' %}<tr><td>{{ q.text }}</td>"
    "{% for c in s.counts[q.id] %}<td>{{ share(c, s.n) }}</td>{% endfor %}</tr>{% endfor %}"
    "</table>{% for q in form.questions if q.kind == 'text' %}<h2>{{ q.text }}</h2>"
    "{% if s.texts[q.id] %}<ul>{% for t in s.texts[q.id] %}<li>{{ t }}</li>{% endfor %}</ul>"
    "{% else %}<p>(no answers)</p>{% endif %}{% endfor %}</body></html>\n")


def summary_html(summary: Summary, form: Form) -> str:
    return PAGE.render(s=summary, form=form, note=small_note(summary), share=_share)


def write_summary(exports: list[dict], form: Form, folder: Path,
                  rng: random.Random | None = None) -> tuple[Summary, tuple[Path, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    summary = summarise(exports, form, rng)
    html_path, md_path = folder / "evaluation.html", folder / "evaluation.md"
    html_path.write_text(summary_html(summary, form), encoding="utf-8")
    md_path.write_text(summary_markdown(summary, form), encoding="utf-8")
    return summary, (html_path, md_path)
