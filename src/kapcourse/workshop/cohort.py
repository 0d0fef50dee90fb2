"""Where ``kapcourse report`` keeps a pooled cohort: on disk, not in memory (issue #19).

Each export is read and checked once (``report.pool``); what the analysis needs of it (its
answers to the questions as they are now, its pre-test and its evaluation) is kept as one
compressed row of a temporary SQLite database, beside the learner's overall first-try share,
and the export itself is dropped. The analysis (``report.analyse``) reads the rows back in
order and folds them into running counts, so the memory it takes does not grow with the
number of exports: per-learner data (one row each) lives on disk, and Python holds only the
counts per question, objective and lesson.

Why SQLite (the standard library's) and not an analytics engine such as DuckDB: what costs
time is reading and checking each JSON file (every record is checked with the same rule as an
import, ``rules.record_problem``, stated again as the export's JSON Schema and checked in
compiled code first: ``results._schema_accepts``), not the arithmetic, which is counting. The
one statistic that needs the whole cohort at once, the discrimination index, ranks learners
by their overall share: SQLite ranks the cohort's rows on disk with the query in
``sql/report.sql`` (the file a provider runs on their warehouse, see the facilitator guide),
and the analysis reads each learner once, part by part (``read_part``, in worker processes
for a large cohort), with the ranks that bound the two groups (query ``group_bounds``). An engine
would add a large dependency and could not replace the Python checks, where the time goes:
reading, parsing and checking each export is about 80% of a report's CPU time per export,
folding it into the counts the rest (profiled on 2,000 exports in issue #19's second pass;
DuckDB itself was not measured: its JSON reader would need every check rewritten in SQL,
a second copy of the rule kapprogress.js and the import share with the report).
"""

from __future__ import annotations

import marshal
import sqlite3
import tempfile
import zlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

SQL = "report.sql"


def queries() -> dict[str, str]:
    """The named queries of ``sql/report.sql`` (each starts with a ``-- name: NAME`` line)."""
    text = resources.files("kapcourse").joinpath("workshop", "sql", SQL).read_text(encoding="utf-8")
    found, name = {}, None
    for line in text.splitlines():
        if line.startswith("-- name: "):
            name = line.removeprefix("-- name: ").strip()
            found[name] = ""
        elif name is not None:
            found[name] += line + "\n"
    return {name: body.strip() for name, body in found.items()}


def _key(export_id: str) -> bytes:
    """An export id as UTF-8 bytes (a lone surrogate from JSON too), which sort as the
    strings do."""
    return export_id.encode("utf-8", "surrogatepass")


class Cohort:
    """The pooled exports, one row per learner in a temporary database.

    ``len()`` is the number of learners; iterating yields each learner's kept export (a dict
    with ``export_id``, ``course_version``, ``items`` and, when present, ``pretest`` and
    ``evaluation``), in the order they were pooled.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="kapcourse-report-")
        self._db = sqlite3.connect(Path(self._folder.name) / "cohort.sqlite")
        # A scratch file deleted at the end: no journal, no waiting for the disk.
        self._db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE learners (seq INTEGER PRIMARY KEY, export_id BLOB NOT NULL UNIQUE,"
            " score REAL NOT NULL, data BLOB NOT NULL, evaluation BLOB);")
        self._count = 0

    def __contains__(self, export_id: str) -> bool:
        """Whether an export with this id is pooled already (a duplicate file)."""
        found = self._db.execute("SELECT 1 FROM learners WHERE export_id = ?",
                                 (_key(export_id),))
        return found.fetchone() is not None

    @staticmethod
    def pack(record: dict) -> bytes:
        """A record as kept (done where the export is read, in a worker process if any)."""
        # marshal: the fastest way to keep plain data; only this program reads it back.
        return zlib.compress(marshal.dumps(record), 1)

    def add(self, export_id: str, score: float, data: bytes,
            evaluation: bytes | None = None) -> None:
        """Keep one learner's packed record (its export id not pooled yet), overall share
        and, when the export has one, its evaluation block (``marshal.dumps``) apart."""
        self._db.execute("INSERT INTO learners VALUES (?, ?, ?, ?, ?)",
                         (self._count, _key(export_id), score, data, evaluation))
        self._count += 1

    def evaluations(self) -> Iterator[dict]:
        """``{"evaluation": block}`` for each learner whose export has one, in pooling order:
        the course evaluation's summary reads these few small blocks, not every record again
        (a record is the export's ~250 answers; most exports have no evaluation)."""
        rows = self._db.execute("SELECT evaluation FROM learners WHERE evaluation IS NOT NULL "
                                "ORDER BY seq")
        for (block,) in rows:
            yield {"evaluation": marshal.loads(block)}

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict]:
        for (data,) in self._db.execute("SELECT data FROM learners ORDER BY seq"):
            yield marshal.loads(zlib.decompress(data))

    def ranked_groups(self, k: int) -> Iterator[tuple[dict, int]]:
        """The learners of the bottom and top groups of ``k`` when ranked by overall share
        (ties by export id): (record, -1 for the bottom group or +1 for the top one)."""
        rows = self._db.execute(queries()["groups"], {"k": k, "n": self._count})
        for data, group in rows:
            yield marshal.loads(zlib.decompress(data)), group

    def group_bounds(self, k: int) -> tuple[tuple[float, bytes], tuple[float, bytes]]:
        """The ranking keys (overall share, export id as kept) of the ``k``-th learner and of
        the ``k``-th from the top, ranked as in ``ranked_groups``: a learner whose key is at
        most the first is in the bottom group, one whose key is at least the second in the
        top group (keys are unique: export ids are). Needs ``2 k <= len(self)``."""
        query = queries()["group_bounds"]
        low = self._db.execute(query, {"offset": k - 1}).fetchone()
        high = self._db.execute(query, {"offset": self._count - k}).fetchone()
        return tuple(low), tuple(high)

    def database(self) -> Path:
        """The database file, with every row written: another process may read it
        (``read_part``), as ``kapcourse report``'s worker processes do."""
        self._db.commit()
        return Path(self._folder.name) / "cohort.sqlite"

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()


def read_part(database: Path, start: int, stop: int) -> Iterator[tuple[dict, tuple[float, bytes]]]:
    """The records pooled ``start`` to ``stop`` (not included), in order, each with its
    ranking key (see ``Cohort.group_bounds``), from the cohort in ``database``
    (``Cohort.database()``), read through a connection of its own, read-only: a worker
    process folds its part of the cohort."""
    db = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT score, export_id, data FROM learners WHERE seq >= ? AND "
                          "seq < ? ORDER BY seq", (start, stop))
        for score, export_id, data in rows:
            yield marshal.loads(zlib.decompress(data)), (score, export_id)
    finally:
        db.close()
