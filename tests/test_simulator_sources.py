"""The JupyterLab simulator's footer names its sources as the quizzes do, author and year with a
DOI link, not BibTeX keys (learner review, finding 5)."""

from __future__ import annotations

import html

from kapcourse.bank.course import bibliography
from kapcourse.content.figures.pk import _summary
from kapcourse.content.pk import ROUTES

from .conftest import ROOT


def test_the_summary_cites_author_and_year_with_a_link_not_keys():
    references = bibliography(ROOT)
    for key, route in ROUTES.items():
        text = _summary(key, 0.5, 70)
        for source in route.sources:
            assert source not in text, f"{key}: BibTeX key {source} shown"
            reference = references[source]
            # "Rolan P, ... (2014)", escaped as everything written into a page
            assert html.escape(reference.text.split(")")[0] + ")") in text
            assert f'href="{html.escape(reference.url)}"' in text
