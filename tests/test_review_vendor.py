"""The shipped ts-fsrs is the release the vendor README names, unchanged (its sha256 and its own
version string), so the book schedules with the library the golden cases were checked with."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src" / "kapcourse" / "book" / "static" / "kapvendor"


def test_ts_fsrs_matches_the_vendor_table():
    row = next(line for line in (VENDOR / "README.md").read_text("utf-8").splitlines()
               if line.startswith("| `ts-fsrs.umd.js`"))
    digest = re.search(r"sha256 `([0-9a-f]{64})`", row).group(1)
    version = row.split("|")[3].strip()
    shipped = (VENDOR / "ts-fsrs.umd.js").read_bytes()
    assert hashlib.sha256(shipped).hexdigest() == digest
    assert f'const version="{version}";'.encode() in shipped
    assert (VENDOR / "LICENSE-ts-fsrs.txt").read_text("utf-8").startswith("MIT License")
