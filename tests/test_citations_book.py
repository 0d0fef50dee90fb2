"""Two renderers, one truth for citations: the author-year links a learner reads in JupyterLab
name the same sources, with the same labels, as the book's citations built from them."""

from __future__ import annotations

import html as html_text
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kapcourse.bank.citations import label, to_roles
from kapcourse.bank.course import bibliography

from .conftest import ROOT, up_to_date_book

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "book").glob("*.ipynb"))
ROLE = re.compile(r"\{cite:([pt])\}`([^`]*)`")
SPAN = re.compile(r'<span class="bibtex-citation" id="id\d+">(.*?)</span>', re.S)


@pytest.fixture(scope="module")
def html() -> Path:
    return up_to_date_book()


def _citations(notebook: Path) -> list[tuple[str, list[str]]]:
    """(kind, keys) of each citation in the notebook's text, in order, as the book reads it."""
    references = bibliography(ROOT)
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    converted, problems = to_roles(text, references)
    assert problems == [], problems
    return [(kind, [k.strip() for k in keys.split(",")])
            for kind, keys in ROLE.findall(converted)]


def _expected(kind: str, keys: list[str]) -> str:
    """The text of the book's citation: sphinxcontrib-bibtex prints "[A, 2010, B, 2019]"
    (sources in its own order) or "A [2010]"."""
    references = bibliography(ROOT)
    if kind == "t":
        return ", ".join(label(references[k], in_text=True).replace(" (", " [")
                         .replace(")", "]") for k in keys)
    return "[" + ", ".join(sorted(label(references[k]) for k in keys)) + "]"


def _shown(span: str, kind: str) -> str:
    text = html_text.unescape(re.sub(r"<[^>]+>", "", span)).replace("\n", " ")
    if kind == "p":  # compare the sources, whatever order the book lists them in
        labels = re.findall(r".+?, (?:\d{4}[a-z]?|n\.d\.)(?=, |\]$)", text[1:])
        return "[" + ", ".join(sorted(found.removeprefix(", ") for found in labels)) + "]"
    return text


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_book_cites_what_the_lesson_links_show(notebook: Path, html: Path):
    citations = _citations(notebook)
    page = html / notebook.relative_to(ROOT).with_suffix(".html")
    spans = SPAN.findall(page.read_text(encoding="utf-8"))
    assert len(spans) == len(citations), page
    for (kind, keys), span in zip(citations, spans, strict=True):
        assert _shown(span, kind) == _expected(kind, keys), (keys, span[:300])


def test_every_lesson_cites_its_sources_as_links():
    """The lessons have citations at all (the check above cannot pass on an empty list)."""
    counts = Counter(notebook.stem for notebook in NOTEBOOKS for _ in _citations(notebook))
    lessons = [n.stem for n in NOTEBOOKS if n.parent.name == "notebooks"]
    assert all(counts[stem] >= 10 for stem in lessons), counts


def test_every_lesson_ends_with_its_reference_list(html: Path):
    """The comment line "% {lesson-references}" (hidden in JupyterLab) is the book's list of
    the sources the lesson and its item bank cite."""
    for notebook in NOTEBOOKS:
        if notebook.parent.name != "notebooks":
            continue
        page = (html / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        listing = re.search(r'<ul class="lesson-references[^"]*">(.*?)</ul>', page, re.S)
        assert listing and listing.group(1).count("<li") >= 10, notebook.stem


def test_lessons_use_no_markup_that_jupyterlab_shows_raw():
    """jupyterlab-myst shows {cite:p} as a key, {status} and {lesson-references} as "Unknown
    Directive", and {doc} as the file name with a broken link: the lessons write links, status
    admonitions and the comment line instead (AUTHORING.md), which the book turns back."""
    raw = re.compile(r"\{(?:cite:[a-z]+|doc|status|lesson-references)\}")
    for notebook in NOTEBOOKS:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            text = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
            found = [m.group() for m in raw.finditer(text.replace("% {lesson-references}", ""))]
            assert found == [], f"{notebook.name} cells[{index}]: {found}"
