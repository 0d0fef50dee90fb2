"""A quiz or progress cell that has not run yet says so in JupyterLab ("Run this cell to
start"), and the hint is hidden in the book, where the page's scripts run the same HTML
(learner-experience review, problem 5)."""

from kapcourse.quiz.display import RUN_HINT

from .conftest import ROOT


def test_every_quiz_output_leads_with_the_hint(sample_lesson):
    bundle = sample_lesson.quiz("fx-single")._repr_mimebundle_()
    assert bundle["text/html"].startswith(RUN_HINT)
    assert "Run this cell to start" in RUN_HINT and 'class="kap-run"' in RUN_HINT


def test_the_book_hides_the_hint():
    css = (ROOT / "_static" / "kapbook.css").read_text(encoding="utf-8")
    assert ".kap-run { display: none; }" in css


def test_the_built_book_shows_no_hint(page, real_book):
    page.goto(f"{real_book}/notebooks/01_what_is_ketamine.html")
    hints = page.locator(".kap-run")
    assert hints.count() > 0
    assert all(not hints.nth(i).is_visible() for i in range(hints.count()))
