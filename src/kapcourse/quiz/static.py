"""Kernel-free quizzes for the built book: lean HTML plus one data script per item bank.

- ``render_quiz`` gives the questions only (prompt, options, inputs): no script, no answers,
  deterministic ids derived from item ids (nbval compares this output).
- ``bank_data_script`` gives ``_static/kapquiz-data/<stem>.js``: the answers, per-option
  feedback, explanations and sources, as data for ``_static/kapquiz.js``. The Sphinx extension
  writes one per bank and adds it to the pages that show that bank's quizzes. A script file
  (not a fetch) keeps the quizzes working when the book is opened from disk (``file://``).
"""

from __future__ import annotations

import json
from html import escape

from kapcourse.bank.course import Reference
from kapcourse.bank.currency import item_note
from kapcourse.bank.markdown import block, safe_url
from kapcourse.bank.model import Bank, Currency, Item, Question, Vignette
from kapcourse.quiz.types import type_of


def _attr(value) -> str:
    return escape(str(value), quote=True)


def sources_html(keys: tuple[str, ...], references: dict[str, Reference]) -> str:
    """'Source: …' (or a list of sources) with DOI / official links; shared by both views."""
    links = []
    for key in keys:
        ref = references.get(key)
        if ref is None:
            links.append(escape(key))
        elif ref.url and safe_url(ref.url):  # a javascript: url in the .bib stays text
            links.append(f'<a href="{_attr(ref.url)}">{escape(ref.text)}</a>')
        else:
            links.append(escape(ref.text))
    if len(links) == 1:
        return f'<p class="kq-s">Source: {links[0]}</p>'
    items = "".join(f"<li>{link}</li>" for link in links)
    return f'<div class="kq-s">Sources:<ul>{items}</ul></div>' if links else ""


def status_html(currency: Currency | None) -> str:
    """The dated note on a time-limited item ("Status as of 1 Dec 2026 · review by …"),
    escaped; shared by both views. Empty for an item with no ``currency``."""
    if currency is None:
        return ""
    return f'<p class="kq-status">{escape(item_note(currency))}</p>'


def _question(question: Question, hidden: bool) -> str:
    qid = question.id
    body = type_of(question).markup(question)
    return (f'<div class="kq-q" id="kq-{qid}" data-type="{question.type}" role="group" '
            f'aria-labelledby="kq-{qid}-p"{" hidden" if hidden else ""}>'
            f'{status_html(question.currency)}'
            f'<div class="kq-p" id="kq-{qid}-p">{block(question.prompt)}</div>{body}</div>')


def _item(item: Item) -> str:
    if isinstance(item, Vignette):
        parts = "".join(_question(p, hidden=i > 0) for i, p in enumerate(item.parts))
        # A div, not a bold paragraph: before a smaller dated note axe reads a <p> as a
        # heading in disguise (p-as-heading).
        return (f'<div class="kq-v" id="kq-{item.id}"><div class="kq-tag">Case</div>'
                f'{status_html(item.currency)}'
                f'<div class="kq-case">{block(item.case)}</div>{parts}</div>')
    return _question(item, hidden=False)


def render_quiz(bank: Bank, items: list[Item], final: bool = False) -> str:
    """HTML for one quiz (the items shown by one ``lesson.quiz(...)`` call). The final
    assessment's (``final=True``) is run by kapprogress.js, not kapquiz.js."""
    body = "".join(_item(item) for item in items)
    marker = ' data-final="1"' if final else ""
    return (f'<div class="kq" data-bank="{_attr(bank.stem)}"{marker} '
            f'data-total="{len(bank.questions)}">{body}</div>')


def _question_data(question: Question, references: dict[str, Reference]) -> dict:
    data: dict = {"x": block(question.explanation) + sources_html(question.cite, references)}
    data.update(type_of(question).data(question))
    return data


def bank_data(bank: Bank, references: dict[str, Reference]) -> dict:
    """Answers, feedback and explanations of every question in a bank, for kapquiz.js."""
    data = {q.id: _question_data(q, references) for q in bank.questions}
    for item in bank.items:  # a case's closing explanation shows after its last part
        if isinstance(item, Vignette) and item.explanation:
            data[item.parts[-1].id]["v"] = block(item.explanation)
    return data


def bank_data_script(bank: Bank, references: dict[str, Reference]) -> str:
    payload = json.dumps(bank_data(bank, references), ensure_ascii=False, sort_keys=True,
                         separators=(",", ":")).replace("</", "<\\/")
    return (f"(window.kapquizData = window.kapquizData || {{}})[{json.dumps(bank.stem)}] = "
            f"{payload};\n")
