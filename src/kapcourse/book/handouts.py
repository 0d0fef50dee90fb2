"""One-page "objectives and key points" handouts, one per lesson (issue #13).

Nothing is retyped: the objectives come from the lesson's item bank (the same list the lesson's
header shows) and the key points from the lesson notebook's own "## Key points" section. The
book's Handouts page is generated from them at build time (kapcourse.book.sphinx_learner).
"""

from __future__ import annotations

import json
from pathlib import Path

from kapcourse.bank.markdown import plain_markdown

KEY_POINTS = "## Key points"
#: The label of each lesson's handout (a section id on the Handouts page, after docutils turns
#: "_" into "-"); the lesson's "Print this lesson's key points" link points to it.
LABEL = "kap-handout-{stem}"
HANDOUTS_DOC = "book/handouts"


def anchor(stem: str) -> str:
    """The HTML id of a lesson's handout: the label as docutils writes it."""
    return LABEL.format(stem=stem).replace("_", "-").lower()


def key_points(notebook: dict, path: str) -> str:
    """The Markdown of a notebook's "## Key points" section, without its heading.

    Raises ValueError naming the notebook (and the cell) when the section is missing or empty:
    every lesson ends with its key points, and its handout is made from them."""
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else str(source)).splitlines()
        if KEY_POINTS not in (line.rstrip() for line in lines):
            continue
        start = [line.rstrip() for line in lines].index(KEY_POINTS) + 1
        body = []
        for line in lines[start:]:
            if line.startswith("#"):
                break  # the next heading ends the section
            body.append(line)
        text = "\n".join(body).strip()
        if not text:
            raise ValueError(f"{path}, cell {index + 1}: the '{KEY_POINTS}' section is empty; "
                             "the lesson's handout is made from it")
        return text
    raise ValueError(f"{path}: no '{KEY_POINTS}' section (a Markdown heading of its own line); "
                     "each lesson ends with its key points, and its handout is made from them")


def handout_markdown(root: Path, lesson: dict) -> str:
    """One lesson's handout, as MyST Markdown for the Handouts page (in book/).

    ``lesson`` is one entry of :func:`kapcourse.book.sphinx_nav.lessons`."""
    from kapcourse.bank.course import bibliography
    from kapcourse.bank.model import load_bank

    stem, doc = lesson["stem"], lesson["doc"]
    notebook_path = root / f"{doc}.ipynb"
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    bank = load_bank(root / "quizzes" / f"{stem}.yml", set(bibliography(root)),
                     f"quizzes/{stem}.yml")
    goals = "\n".join(f"{i}. {plain_markdown(o.text)}" for i, o in enumerate(bank.objectives, 1))
    minutes = f"About {lesson['minutes']} minutes · " if lesson.get("minutes") else ""
    return (f"({LABEL.format(stem=stem)})=\n"
            f"## Lesson {stem[:2]}: {plain_markdown(lesson['title'])}\n\n"
            f"{minutes}[Read the lesson](../{doc}.ipynb)\n\n"
            f"**By the end of this lesson you will be able to:**\n\n{goals}\n\n"
            f"**Key points**\n\n{key_points(notebook, f'{doc}.ipynb')}\n")


def handouts_markdown(root: Path, lessons: list[dict]) -> str:
    """Every lesson's handout, in teaching order."""
    return "\n".join(handout_markdown(root, lesson) for lesson in lessons)
