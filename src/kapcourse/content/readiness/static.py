"""The book view: kernel-free HTML that ``_static/kapreadiness.js`` makes interactive.
"""

from __future__ import annotations

from html import escape

from kapcourse.bank.course import Reference
from kapcourse.bank.currency import long_date
from kapcourse.bank.markdown import block
from kapcourse.content.readiness.model import STORAGE_KEY, Guide
from kapcourse.content.readiness.pieces import advice_li
from kapcourse.content.readiness.plan import regulatory_date


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
            rows = "".join(advice_li(guide, a, references, "lesson", True) for a in items)
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
