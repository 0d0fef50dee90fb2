"""Importing the course's package stays cheap: every kapcourse command, lesson kernel and test
subprocess pays for it (see src/kapcourse/bank/jsonschema_import.py)."""

from __future__ import annotations

import subprocess
import sys

# One interpreter checks both: after kapcourse's import the slow module is not loaded, and,
# when installed, it can still be imported (anyone else's import works; 2-3 s, see above).
PROBE = """
import importlib.util, sys
import kapcourse.bank.model
print("loaded" if "rfc3987_syntax" in sys.modules else "not loaded")
findable = importlib.util.find_spec("rfc3987_syntax")
print("findable" if findable else "not installed")
if findable:
    import rfc3987_syntax
    print("imported", rfc3987_syntax.__name__)
"""


def test_jsonschema_loads_without_its_slow_format_checker_which_stays_importable():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120, check=True)
    loaded, installed, imported = [*result.stdout.split("\n"), ""][:3]
    assert loaded == "not loaded"
    if installed == "findable":  # installed with Jupyter: still importable by anyone else
        assert imported == "imported rfc3987_syntax", result.stdout + result.stderr


def test_the_bank_schema_still_reports_problems():
    from kapcourse.bank.model import file_problems, load_yaml

    located = load_yaml("title: 5\n", "x.yml")
    assert file_problems(located, "x.yml", "bank")
