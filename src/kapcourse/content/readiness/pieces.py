"""HTML pieces shared by the book view, the JupyterLab view and the plan: links to lesson
sections, the advice list items with their sources, the summary line.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from kapcourse.bank.course import Reference
from kapcourse.bank.markdown import inline
from kapcourse.content.readiness.model import Advice, Guide


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


def advice_sources(keys: tuple[str, ...], references: dict[str, Reference]) -> str:
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


def advice_li(guide: Guide, item: Advice, references: dict[str, Reference], where: str,
               hidden: bool) -> str:
    topic = guide.topic(item.topic).title
    return (f'<li data-id="{item.id}"{" hidden" if hidden else ""}>'
            f'<span class="kr-topic">{escape(topic)}:</span> {inline(item.text)} '
            f'<a class="kr-more" href="{escape(href(item.link, where), quote=True)}">'
            f"Read more in {escape(link_text(guide, item.link))}</a>"
            f'{" " + advice_sources(item.cite, references) if item.cite else ""}</li>')


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
            rows = "".join(advice_li(guide, s, references, where, False) for s in items)
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
