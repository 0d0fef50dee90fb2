"""Importing the course's package stays cheap: every kapcourse command, lesson kernel and test
subprocess pays for it (see src/kapcourse/bank/jsonschema_import.py)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib.util, sys
import kapcourse.bank.model
print("loaded" if "rfc3987_syntax" in sys.modules else "not loaded")
print("findable" if importlib.util.find_spec("rfc3987_syntax") else "not installed")
"""


def test_jsonschema_loads_without_its_slow_format_checker_which_stays_importable():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120, check=True)
    loaded, installed = result.stdout.split("\n")[:2]
    assert loaded == "not loaded"
    if installed == "findable":  # installed with Jupyter: still importable by anyone else
        subprocess.run([sys.executable, "-c", "import kapcourse.bank.model, rfc3987_syntax"],
                       check=True, timeout=120)


def test_the_bank_schema_still_reports_problems():
    from kapcourse.bank.model import file_problems, load_yaml

    located = load_yaml("title: 5\n", "x.yml")
    assert file_problems(located, "x.yml", "bank")
