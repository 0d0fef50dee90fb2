"""The day printed on a completion record and on an export is the learner's local calendar
day in both renderers: Python's date.today() in the kernel, kapprogress.localDay() in the
book (it used the UTC day, so a record made near midnight carried another date; code review
section 2). Checked at instants either side of midnight in time zones far from UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from .jsharness import call, run_js

INSTANTS = ["2026-12-01T10:30:00+00:00", "2026-12-01T11:30:00+00:00",
            "2026-12-31T23:30:00+00:00", "2027-01-01T00:30:00+00:00"]


def kernel_day(instant: str, zone: str) -> str:
    """What the kernel's date.today() gives at that instant in that time zone."""
    return dt.datetime.fromisoformat(instant).astimezone(ZoneInfo(zone)).date().isoformat()


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/London"])
def test_the_book_dates_records_on_the_learners_day(zone):
    millis = [int(dt.datetime.fromisoformat(i).timestamp() * 1000) for i in INSTANTS]
    results = run_js([call("kapprogress.localDay", ms) for ms in millis], env={"TZ": zone})
    assert [r.value for r in results] == [kernel_day(i, zone) for i in INSTANTS]


def test_the_zones_straddle_midnight():
    """The instants give different days in different zones (else the test proves nothing)."""
    days = {zone: [kernel_day(i, zone) for i in INSTANTS]
            for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago")}
    assert days["Pacific/Kiritimati"] != days["Pacific/Pago_Pago"]
