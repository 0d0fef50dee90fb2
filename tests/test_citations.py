"""Lesson citations: author-year links that JupyterLab shows, turned into the book's
``{cite:p}``/``{cite:t}`` roles (kapcourse.bank.citations), and the checks authors see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kapcourse.bank.citations import cite, label, to_roles
from kapcourse.bank.course import bibliography
from kapcourse.bank.quality import notebook_problems
from kapcourse.checks import bibliography_problems

BIB = r"""
% domino2010taming, zanos2018mechanisms and hospira2024ketamine are entries of the course;
% the others are samples (DOI prefix 10.5555 is the test prefix).
@article{domino2010taming,
  author = {Domino, Edward F.}, title = {Taming the ketamine tiger}, year = {2010},
  journal = {Anesthesiology}, doi = {10.1097/ALN.0b013e3181ed09a2}
}
@article{zanos2018mechanisms,
  author = {Zanos, Panos and Gould, Todd D.}, title = {Mechanisms}, year = {2018},
  journal = {Molecular Psychiatry}, doi = {10.1038/mp.2017.255}
}
@article{wlodarczyk2021sample,
  author = {W{\l}odarczyk, Adam and Cuba{\l}a, Wies{\l}aw J. and Szarmach, Joanna},
  title = {A sample entry}, year = {2021}, journal = {J}, doi = {10.5555/sample.2021}
}
@article{vandeloo2019sample,
  author = {{van de Loo}, Aurora and Verster, Joris C. and Smith, A.},
  title = {A sample entry whose DOI has brackets}, year = {2019}, journal = {J},
  doi = {10.5555/S0000-0000(19)30000-0}
}
@misc{hospira2024ketamine,
  author = {{Hospira, Inc.}}, title = {Ketamine label}, year = {2024},
  url = {http://labeling.pfizer.com/ShowLabeling.aspx?id=4485}
}
"""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "references.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    return tmp_path


@pytest.fixture
def refs(course: Path):
    return bibliography(course)


def test_labels_read_as_the_book_prints_them(refs):
    assert label(refs["domino2010taming"]) == "Domino, 2010"
    assert label(refs["zanos2018mechanisms"]) == "Zanos and Gould, 2018"
    assert label(refs["wlodarczyk2021sample"]) == "Włodarczyk et al., 2021"  # LaTeX decoded
    assert label(refs["vandeloo2019sample"]) == "van de Loo et al., 2019"
    assert label(refs["hospira2024ketamine"]) == "Hospira, Inc., 2024"  # an organisation
    assert label(refs["zanos2018mechanisms"], in_text=True) == "Zanos and Gould (2018)"


def test_bracketed_and_in_text_citations_become_roles(refs):
    text = (f"Ketamine is old {cite([refs['domino2010taming']])}. "
            f"{cite([refs['zanos2018mechanisms']], in_text=True)} reviewed it "
            f"{cite([refs['zanos2018mechanisms'], refs['vandeloo2019sample']])}; the label says "
            f"so {cite([refs['hospira2024ketamine']])}.")
    assert "(" in text and "https://doi.org/10.5555/S0000-0000(19)30000-0" in text
    converted, problems = to_roles(text, refs)
    assert problems == []
    assert converted == (
        "Ketamine is old {cite:p}`domino2010taming`. {cite:t}`zanos2018mechanisms` reviewed it "
        "{cite:p}`zanos2018mechanisms,vandeloo2019sample`; the label says so "
        "{cite:p}`hospira2024ketamine`.")


def test_other_links_stay_links(refs):
    doi = refs["domino2010taming"].url
    for text in (f"Read [the history]({doi}).",  # not an author-year label
                 "([Someone, 2010](https://example.org/paper))",  # not a bibliography address
                 f"([Domino, 2010]({doi}); [a page](https://example.org))"):  # a mixed bracket
        assert to_roles(text, refs) == (text, []), text


def test_a_wrong_label_is_reported_with_the_right_one(refs):
    doi = refs["domino2010taming"].url
    converted, problems = to_roles(f"Old ([Domino, 2011]({doi})).", refs)
    assert converted == f"Old ([Domino, 2011]({doi}))."
    assert [p.message for p in problems] == [
        "this source's label is \"Domino, 2010\" (domino2010taming)"]
    _, problems = to_roles(f"[Domino, 2010]({doi}) showed", refs)  # the bracketed form in a
    assert problems == []  # sentence is not a citation: it has no in-text shape, so it stays
    _, problems = to_roles(f"[Domino (2011)]({doi}) showed", refs)
    assert "\"Domino (2010)\"" in problems[0].message


def _notebook(course: Path, markdown: str) -> Path:
    path = course / "notebooks" / "01_sample.ipynb"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": markdown.splitlines(True)}]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_validate_names_roles_and_wrong_labels_with_what_to_write(course, refs):
    doi = refs["domino2010taming"].url
    path = _notebook(course, f"# Title\n\nOld {{cite:p}}`domino2010taming`.\n"
                             f"Older ([Domino, 2011]({doi})).\n")
    problems = notebook_problems(course, path, "notebooks/01_sample.ipynb")
    messages = [(p.line, p.path, p.message) for p in problems]
    assert len(messages) == 2, messages
    role, wrong = sorted(problems, key=lambda p: p.path)
    assert role.path == "cells[0].source"
    assert "'{cite:p}`domino2010taming`' shows as a raw key in JupyterLab" in role.message
    assert f"write ([Domino, 2010]({doi})) instead" in role.message
    assert "this source's label is \"Domino, 2010\"" in wrong.message
    assert notebook_problems(course, path, "n", citations=False) == []


def test_a_source_entered_twice_is_a_bibliography_problem(course):
    twin = ("@article{domino2010again, author = {Domino, Edward F.}, title = {Taming}, "
            "year = {2010}, doi = {10.1097/ALN.0b013e3181ed09a2}}\n")
    (course / "book" / "references.bib").write_text(BIB + twin, encoding="utf-8")
    problems = bibliography_problems(course, bibliography(course))
    assert [(p.path, p.message) for p in problems] == [
        ("domino2010again", "the same source as 'domino2010taming' (same address and label "
                            "'Domino, 2010'): keep one entry and cite it")]
