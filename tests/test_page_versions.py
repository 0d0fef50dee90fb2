"""A lesson page loads the versions tables of its own questions only (a third of the whole
tables' bytes): record.versions.Tables.page_script_data, and kapquiz.js reading a version 1
record with them without losing the other questions' 0.2.0 fingerprints."""

from __future__ import annotations

import json

from kapcourse.record import versions

from .jsharness import call, run_js
from .test_golden_versions import COURSE, KEY, TABLES

# A 0.2.0 (version 1) record: answers to two questions of the fixture lesson, one on the page
# and one not; fx-multiple changed since 0.2.0 (its 0.2.0 fingerprint is 0123456789abcdef).
V1 = {"format": "kapcourse-progress", "version": 1, "items": {
    "fx-single": {"bank": "01_sample", "attempts": 1, "first_correct": False, "correct": False,
                  "first_response": 1, "last_response": 1},
    "fx-multiple": {"bank": "01_sample", "attempts": 1, "first_correct": True, "correct": True,
                    "first_response": [0], "last_response": [0]}}}
PAGE = {"fx-single", "fx-numeric"}


def test_page_tables_hold_the_page_questions_and_their_older_names():
    data = TABLES.page_script_data(PAGE)
    assert data["current"] == {k: TABLES.current[k] for k in PAGE}
    # fx-old-numeric was renamed to fx-numeric: its 0.2.0 fingerprint upgrades fx-numeric
    assert data["legacy"] == {"fx-single": "88446c610b9c8b0a",
                              "fx-old-numeric": "1d1602a5de69ef68"}
    assert data["partial"] is True and data["retired"] == []
    assert (data["banks"], data["questions"]) == (TABLES.banks, TABLES.questions)


def test_a_lesson_page_leaves_a_version_1_record_for_the_whole_tables_to_upgrade():
    page = {**COURSE, "kapcourseVersions": TABLES.page_script_data({"fx-single"})}
    (answered,) = run_js([call("kapquiz.save", "01_sample", "fx-single", True, 0,
                               storage={KEY: json.dumps(V1)})], page)
    written = json.loads(answered.storage[KEY])
    assert written["version"] == 1  # the page could not upgrade fx-multiple
    assert written["items"]["fx-single"]["fp"] == TABLES.current["fx-single"]
    assert "fp" not in written["items"]["fx-multiple"]
    # My progress (the whole tables) and the kernel then upgrade it as they would have
    (loaded,) = run_js([call("kapquiz.load", storage={KEY: json.dumps(written)})], COURSE)
    upgraded = versions.upgrade(written, TABLES)
    for record in (loaded.value, upgraded):
        assert record["version"] == 2
        assert record["items"]["fx-multiple"]["fp"] == "0123456789abcdef"
        assert record["items"]["fx-single"]["fp"] == TABLES.current["fx-single"]
