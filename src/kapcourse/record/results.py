"""Anonymous results exports: what a learner hands to a facilitator for pooling.

An export holds, per question, the first and latest answer and whether each was right; no
name unless the learner adds one, and a random export id so duplicates can be spotted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import uuid
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from kapcourse.record.files import write_private
from kapcourse.record.rules import record_problem

if TYPE_CHECKING:
    import jsonschema_rs

FORMAT = "kapcourse-results"
VERSION = 2  # kapcourse.record.versions.FORMAT_VERSION: records carry their question's fingerprint
VERSIONS = (1, 2)  # what read_export reads; version 1 (release 0.2.0) is upgraded
MAX_BYTES = 5_000_000  # far above any real export; a larger file is not a results export


class ResultsError(ValueError):
    """A file that is not a usable results export; the message says why."""


def make_export(progress: dict, course_version: str, name: str | None = None) -> dict:
    """An export of a progress record (from the progress file or the browser)."""
    items = {
        item_id: {key: entry[key] for key in  # a field the record lacks stays absent
                  ("bank", "attempts", "first_correct", "first_response", "correct",
                   "last_response", "first", "last", "fp",
                   "attempt", "confidence", "submitted")  # the final's (0.3.0)
                  if key in entry}
        for item_id, entry in sorted(progress.get("items", {}).items())
    }
    return {"format": FORMAT, "version": VERSION, "course_version": course_version,
            "export_id": uuid.uuid4().hex, "exported": dt.date.today().isoformat(),
            "learner": name.strip() if name and name.strip() else None, "items": items}


def write_export(export: dict, folder: Path) -> Path:
    """Write the export, readable by its owner only (it may hold a name and answers)."""
    path = folder / f"kapcourse-results-{export['exported']}-{export['export_id'][:8]}.json"
    write_private(path, json.dumps(export, indent=1, sort_keys=True).encode("utf-8"))
    return path


def _read_limited(path: Path) -> bytes:
    """At most MAX_BYTES of a regular file. A FIFO would block for ever and a device such as
    /dev/zero would never end, so the file is opened without blocking and checked to be
    regular before it is read, up to the limit.

    It is read for the size it has, plus one byte to see whether it has more: asking for
    MAX_BYTES at once made Python set aside 5 MB for each 80 KB export, 0.08 ms of the 0.1 ms
    a read took (#19: ``kapcourse report`` reads up to 100,000). A file with more than its
    size said (it grew, or it is a /proc file, which says 0) is read on, up to the limit."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags), "rb") as source:
        status = os.fstat(source.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ResultsError("is not a regular file, so it is not a results export")
        data = source.read(min(status.st_size, MAX_BYTES) + 1)
        if status.st_size < len(data) <= MAX_BYTES:
            data += source.read(MAX_BYTES + 1 - len(data))
    if len(data) > MAX_BYTES:
        raise ResultsError(f"is larger than {MAX_BYTES // 1_000_000} MB, so it is not a "
                           "results export")
    return data


# orjson reads an integer beyond 64 bits as a float, where json keeps it whole: a file with a
# number that starts with 19 digits or more (2**63 has 19) is read by json alone. A number
# starts after one of [ : , white space or a minus sign (or at the file's start); the same
# digits inside a word or a hexadecimal export id are not one. Found with bytes.translate, one
# pass in C (about 0.2 ms for an export), where a regular expression takes ten times longer.
def _byte_class(byte: int) -> int:
    if 0x30 <= byte <= 0x39:
        return ord("0")  # a digit
    return ord("(") if byte in b"[:, \t\r\n-" else ord("x")  # a number may start after "("


_BYTE_CLASSES = bytes(_byte_class(byte) for byte in range(256))
_LONG_RUN = b"0" * 19


def _long_number(data: bytes) -> bool:
    """Whether the text may hold an integer orjson would read as a float (see above)."""
    classes = data.translate(_BYTE_CLASSES)
    return b"(" + _LONG_RUN in classes or classes.startswith(_LONG_RUN)


def _loads(data: bytes):
    """JSON as the standard library's ``json.loads`` reads it, faster (``kapcourse report``
    reads up to 100,000 files). orjson parses in C what json and orjson read alike (every
    export the course writes); a file orjson refuses, or one whose numbers it would read
    otherwise, is read by json, which accepts or refuses it, with its message, as before
    (NaN, an unpaired surrogate, an integer of 20 digits or of more than 4,300). orjson
    reads the bytes themselves and refuses any that are not UTF-8; decoding them first, only
    for json, took 0.05 of the 0.8 ms a report spends on an export (#19)."""
    if not _long_number(data):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # json reads it or says what is wrong, as it did before orjson
    return json.loads(data.decode("utf-8"))  # not UTF-8: UnicodeDecodeError, as before


# Checking every answer record with ``record_problem`` was the largest cost per export in
# ``kapcourse report``: 1.0 to 1.3 ms of CPU for 250 records. The export's JSON Schema states
# the same rule at least as strictly (schema/export.schema.json; tests/test_export_schema.py
# checks that every record it accepts the rule accepts too), and jsonschema-rs checks it in
# compiled code, regular expressions included, in 0.3 to 0.5 ms. The Python rule then runs
# only on an export the schema refuses, to name the record and give the learner's reason.
@cache
def _export_validator() -> jsonschema_rs.Validator:
    import jsonschema_rs  # here: about 40 ms to import, which only a report needs (summary
    # and My progress import this module)

    text = resources.files("kapcourse").joinpath("schema/export.schema.json").read_text("utf-8")
    return jsonschema_rs.validator_for(json.loads(text))


def _schema_accepts(data: dict) -> bool:
    """Whether the export's schema accepts it (then ``record_problem`` accepts its records)."""
    try:
        return _export_validator().is_valid(data)
    except ValueError:  # a string Rust cannot hold (a lone surrogate, which json reads)
        return False  # the Python rule decides


def read_export(path: Path, tables=None) -> dict:
    """Read and check one export; raises ResultsError with a learner-readable reason. An
    export of an older format version is upgraded, and renamed questions and lessons follow
    ``tables`` (``versions.Tables``; default: this course's)."""
    try:
        data = _loads(_read_limited(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"cannot be read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise ResultsError(f"is not JSON (line {exc.lineno}, column {exc.colno})") from None
    except ResultsError:  # from _read_limited: said already (it is a ValueError too)
        raise
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise ResultsError("holds a number too long to be a results export") from None
    except RecursionError:
        raise ResultsError("is nested too deeply to be a results export") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ResultsError("is not a kapcourse results export (no 'format: kapcourse-results')")
    if data.get("version") not in VERSIONS or isinstance(data.get("version"), bool):
        version = str(data.get("version"))[:20]
        raise ResultsError(f"has export version {version!r}; this tool reads versions "
                           f"{', '.join(map(str, VERSIONS))}")
    for key, kind in (("course_version", str), ("export_id", str), ("items", dict)):
        if not isinstance(data.get(key), kind):
            raise ResultsError(f"has no valid '{key}'")
    if not _schema_accepts(data):  # the usual export is accepted: no record to name
        for item_id, entry in data["items"].items():
            reason = record_problem(entry)  # the same rule as an import and the progress file
            if reason:
                raise ResultsError(f"has a malformed record for item {item_id[:40]!r} "
                                   f"({reason})")
    from kapcourse.record.versions import course_tables, up_to_date

    tables = course_tables() if tables is None else tables
    return {**data, "version": VERSION,
            "items": up_to_date(data["items"], data["version"], tables)}
