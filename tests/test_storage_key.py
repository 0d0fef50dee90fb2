"""The book's saved progress lives under one browser storage key, defined in Python
(summary.STORAGE_KEY): kapquiz.js and kapprogress.js read it from the course data; kapnav.js,
which runs on every page without that data, keeps a copy pinned here."""

import re
from pathlib import Path

from kapcourse.quiz.grading import shared_data
from kapcourse.record.summary import STORAGE_KEY

from .jsharness import call, run_js

STATIC = Path(__file__).resolve().parents[1] / "_static"


def test_the_course_data_carries_the_key():
    assert shared_data()["progress"]["storage_key"] == STORAGE_KEY == "kapcourse:progress"


def test_only_kapnav_writes_the_key_itself():
    holders = [p.name for p in sorted(STATIC.glob("*.js")) if STORAGE_KEY in p.read_text("utf-8")]
    assert holders == ["kapnav.js"]
    text = (STATIC / "kapnav.js").read_text("utf-8")
    assert re.search(r'PROGRESS_KEY = "([^"]+)"', text).group(1) == STORAGE_KEY


def test_the_scripts_save_and_back_up_under_the_course_key():
    """kapquiz.save writes under the key the course data names; unreadable progress is
    backed up once, by the one keepCopy (kapprogress.js uses kapquiz.js's)."""
    data = shared_data()
    data["progress"] = {**data["progress"], "storage_key": "test:key"}
    saved, backed = run_js([call("kapquiz.save", "01_x", "q1", True, 0),
                            call("kapquiz.keepCopy", "not json", storage={"test:key": "x"})],
                           {"kapcourseShared": data})
    assert "test:key" in saved.storage and STORAGE_KEY not in saved.storage
    assert backed.value is True
    assert [k for k in backed.storage if k.startswith("test:key:corrupt:")]
