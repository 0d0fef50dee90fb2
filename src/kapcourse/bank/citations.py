"""Citations in lesson text: author-year links for JupyterLab, BibTeX keys for the book.

A lesson cites a source with a Markdown link to the source's DOI (or official page), written
with the source's author-year label:

- in brackets, one or more sources: ``([Domino, 2010](https://doi.org/10.1097/…))`` or
  ``([Zanos and Gould, 2018](…); [Krystal et al., 2019](…))``;
- in the sentence: ``[Moghaddam et al. (1997)](https://doi.org/…)``.

JupyterLab renders these as readable links (jupyterlab-myst shows a ``{cite:p}`` role as its raw
key, because it has no bibliography). The book turns each back into sphinxcontrib-bibtex's
``{cite:p}`` or ``{cite:t}`` before Sphinx parses the page (:func:`to_roles`, called by
kapcourse.book.sphinx_ext), so the book keeps its linked reference lists.

A link is a citation when its address is a bibliography entry's and its text has the
author-year form; its text must then be that entry's label (:func:`label`), or
:func:`to_roles` reports it. Other links stay links.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kapcourse.bank.course import Reference

# Regular expressions, not markdown-it-py (which myst-parser brings): the book rewrites the
# source text in place, and markdown-it's tokens give line ranges, not the columns a rewrite
# needs. A link destination may hold balanced brackets: DOIs such as 10.1016/S0140-6736(19)…
_LINK = r"\[[^\[\]\n]+\]\((?:[^()\s]|\([^()\s]*\))+\)"
_LINK_PARTS = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))+)\)")
_GROUP = re.compile(rf"\((?P<links>{_LINK}(?:;\s*{_LINK})*)\)")
_YEAR = r"(?:\d{4}[a-z]?|n\.d\.)"
_BRACKETED = re.compile(rf"(?P<names>.+), (?P<year>{_YEAR})")
_IN_TEXT = re.compile(rf"(?P<names>.+) \((?P<year>{_YEAR})\)")


@dataclass(frozen=True)
class CitationProblem:
    text: str  # the link as written
    message: str


def names(ref: Reference) -> str:
    """The author part of a label: "Domino", "Zanos and Gould", "Moghaddam et al."."""
    authors = ref.authors
    if len(authors) > 2:
        return f"{authors[0]} et al."
    return " and ".join(authors)


def label(ref: Reference, in_text: bool = False) -> str:
    """The link text that cites ``ref``: "Domino, 2010", or "Domino (2010)" in a sentence."""
    return f"{names(ref)} ({ref.year})" if in_text else f"{names(ref)}, {ref.year}"


def cite(refs: list[Reference], in_text: bool = False) -> str:
    """The Markdown that cites ``refs``, as a lesson writes it."""
    if in_text:
        return ", ".join(f"[{label(r, True)}]({r.url})" for r in refs)
    return "(" + "; ".join(f"[{label(r)}]({r.url})" for r in refs) + ")"


def _by_url(references: Mapping[str, Reference]) -> dict[str, list[Reference]]:
    found: dict[str, list[Reference]] = {}
    for ref in references.values():
        if ref.url:
            found.setdefault(ref.url, []).append(ref)
    return found


def _cited(text: str, url: str, by_url: dict[str, list[Reference]], in_text: bool,
           problems: list[CitationProblem]) -> Reference | None:
    """The entry a link cites; None when it is not a citation or its label is wrong."""
    shape = _IN_TEXT if in_text else _BRACKETED
    if url not in by_url or not shape.fullmatch(text):
        return None
    for ref in by_url[url]:
        if text == label(ref, in_text):
            return ref
    expected = " or ".join(f'"{label(r, in_text)}" ({r.key})' for r in by_url[url])
    problems.append(CitationProblem(f"[{text}]({url})", f"this source's label is {expected}"))
    return None


def to_roles(markdown: str, references: Mapping[str, Reference]
             ) -> tuple[str, list[CitationProblem]]:
    """``markdown`` with its citation links as ``{cite:p}``/``{cite:t}`` roles, and the links
    that look like citations but whose text is not their source's label."""
    by_url = _by_url(references)
    problems: list[CitationProblem] = []

    def bracketed(match: re.Match) -> str:
        links = list(_LINK_PARTS.finditer(match["links"]))
        refs = [_cited(m["text"], m["url"], by_url, False, problems) for m in links]
        if any(ref is None for ref in refs):
            return match[0]  # not (only) citations: leave the brackets as written
        return "{cite:p}`" + ",".join(ref.key for ref in refs if ref) + "`"

    def in_text(match: re.Match) -> str:
        ref = _cited(match["text"], match["url"], by_url, True, problems)
        return "{cite:t}`" + ref.key + "`" if ref else match[0]

    converted = _GROUP.sub(bracketed, markdown)
    return _LINK_PARTS.sub(in_text, converted), problems

