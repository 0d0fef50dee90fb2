"""Kernel-free HTML for the built book.

The markup carries everything `_static/kapquiz.js` needs to grade, explain and score without
a kernel; it contains no script. Element ids derive from item ids, so output is deterministic
(nbval compares it). Feedback is in the page but hidden until the learner checks an answer.
"""

from __future__ import annotations

from html import escape

from .course import Reference
from .markdown import block, inline
from .model import Bank, Item, Question, Vignette


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _sources(keys: tuple[str, ...], references: dict[str, Reference]) -> str:
    links = []
    for key in keys:
        ref = references.get(key)
        if ref is None:
            links.append(escape(key))
        elif ref.url:
            links.append(f'<a href="{_attr(ref.url)}">{escape(ref.text)}</a>')
        else:
            links.append(escape(ref.text))
    return f'<p class="kq-s">Source: {"; ".join(links)}</p>' if links else ""


def _options(question: Question) -> str:
    qid = question.id
    if question.type == "truefalse":
        rows = [("True", question.answer is True, question.feedback_true),
                ("False", question.answer is False, question.feedback_false)]
    else:
        rows = [(o.text, o.correct, o.feedback) for o in question.options]
    kind = "checkbox" if question.type == "multiple" else "radio"
    items = "".join(
        f'<li><label><input type="{kind}" name="kq-{qid}" value="{i}"'
        f'{" data-c" if correct else ""}> {inline(text)}</label>'
        f'<div class="kq-f" hidden>{inline(feedback)}</div></li>'
        for i, (text, correct, feedback) in enumerate(rows)
    )
    return f'<ul class="kq-o">{items}</ul>'


def _numeric(question: Question) -> str:
    qid = question.id
    unit = f" ({escape(question.unit)})" if question.unit else ""
    errors = "".join(f'<div class="kq-ce" data-v="{c.value:g}" hidden>{inline(c.feedback)}</div>'
                     for c in question.common_errors)
    return (f'<label class="kq-n">Your answer{unit} <input type="text" inputmode="decimal" '
            f'autocomplete="off" name="kq-{qid}" data-a="{question.answer:g}" '
            f'data-t="{question.tolerance:g}" data-u="{_attr(question.unit)}"></label>{errors}')


def _ordering(question: Question) -> str:
    steps = "".join(f'<li data-s="{i}">{inline(question.steps[i])}</li>'
                    for i in question.shuffled_steps)
    return f'<ol class="kq-ord">{steps}</ol>'


def _question(question: Question, references: dict[str, Reference], hidden: bool) -> str:
    qid = question.id
    if question.type == "numeric":
        body = _numeric(question)
    elif question.type == "ordering":
        body = _ordering(question)
    else:
        body = _options(question)
    return (
        f'<div class="kq-q" id="kq-{qid}" data-id="{qid}" data-type="{question.type}" '
        f'role="group" aria-labelledby="kq-{qid}-p"{" hidden" if hidden else ""}>'
        f'<div class="kq-p" id="kq-{qid}-p">{block(question.prompt)}</div>{body}'
        f'<div class="kq-b"><button type="button" class="kq-check">Check</button></div>'
        f'<div class="kq-r" role="status" aria-live="polite"></div>'
        f'<div class="kq-x" hidden>{block(question.explanation)}'
        f'{_sources(question.cite, references)}</div></div>'
    )


def _item(item: Item, references: dict[str, Reference]) -> str:
    if isinstance(item, Vignette):
        parts = "".join(_question(p, references, hidden=i > 0) for i, p in enumerate(item.parts))
        summary = (f'<div class="kq-x kq-vx" hidden>{block(item.explanation)}</div>'
                   if item.explanation else "")
        return (f'<div class="kq-v" id="kq-{item.id}"><p class="kq-tag">Case</p>'
                f'<div class="kq-case">{block(item.case)}</div>{parts}{summary}</div>')
    return _question(item, references, hidden=False)


def render_quiz(bank: Bank, items: list[Item], references: dict[str, Reference]) -> str:
    """HTML for one quiz (the items shown by one ``lesson.quiz(...)`` call)."""
    body = "".join(_item(item, references) for item in items)
    total = len(bank.questions)
    return (f'<div class="kq" id="kq-quiz-{items[0].id}" data-bank="{_attr(bank.stem)}" '
            f'data-total="{total}">{body}<p class="kq-sc" aria-live="polite"></p></div>')
