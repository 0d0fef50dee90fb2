"""A book whose bank holds raw HTML in text that goes into MyST is not built (M1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import make_fixture_book

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def test_a_bank_objective_with_a_script_stops_the_build(tmp_path):
    book = make_fixture_book(tmp_path / "course")
    bank = book / "quizzes" / "01_sample.yml"
    text = bank.read_text(encoding="utf-8")
    hostile = "text: <script>window.__s_objective=1</script>Recognise each"
    bank.write_text(text.replace("text: Recognise each", hostile, 1), encoding="utf-8")
    result = subprocess.run([str(JUPYTER_BOOK), "build", ".", "-n", "-W", "--keep-going"],
                            cwd=book, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "KAPCOURSE_ROOT": str(book)})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "01_sample.yml:6:11: objectives[0].text: raw HTML is not allowed" in output
    for page in (book / "_build" / "html").rglob("*.html"):
        assert "__s_objective" not in page.read_text(encoding="utf-8"), page
