"""What ``kapcourse report`` keeps of a pooled cohort: on disk, not in memory (issue #19).

Each export is read and checked once, and folded into the analysis' running counts as it is
read (``report.pool``); the export is then dropped. Only what needs the whole cohort is kept,
as one row per learner of a temporary SQLite database: the learner's overall first-try share,
which ranks the cohort for the discrimination index, their lesson answers as one byte per
question (``report._ItemTally.add``, about 200 bytes), and the course evaluation block, which the
evaluation summary reads. The memory the report takes does not grow with the number of
exports; the disk does, by about 300 bytes per learner.

Why SQLite (the standard library's) and not an analytics engine such as DuckDB: what costs
time is reading and checking each JSON file (every record is checked with the same rule as an
import, ``rules.record_problem``, stated again as the export's JSON Schema and checked in
compiled code first: ``results._schema_accepts``), and folding it into the counts, which is
counting. The one statistic that needs the whole cohort at once, the discrimination index,
ranks learners by their overall share: SQLite ranks the rows on disk with the query in
``sql/report.sql`` (the file a provider runs on their warehouse, see the facilitator guide)
and gives back the two groups' vectors, which numpy adds up. DuckDB was measured in #19's
third pass: its JSON reader took 0.83 ms of CPU per export to unnest the answers alone, about
what the whole Python read and check takes, and every check would need rewriting in SQL, a
second copy of the rule kapprogress.js and the import share with the report.
"""

from __future__ import annotations

import marshal
import sqlite3
import tempfile
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

    ``len()`` is the number of learners; ``in`` tells whether an export id is pooled already.
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

    def add(self, export_id: str, score: float, data: bytes,
            evaluation: bytes | None = None) -> None:
        """Keep one learner (its export id not pooled yet): overall share, lesson answers
        (``report._ItemTally.add``) and, when the export has one, its evaluation block
        (``marshal.dumps``)."""
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

    def ranked_groups(self, k: int, batch: int = 1000) -> Iterator[tuple[list[bytes], int]]:
        """The answer vectors of the learners of the bottom and top groups of ``k`` when
        ranked by overall share (ties by export id), a batch at a time: (up to ``batch``
        vectors, -1 for the bottom group or +1 for the top one)."""
        rows = self._db.execute(queries()["groups"], {"k": k, "n": self._count})
        while found := rows.fetchmany(batch):
            for group in (-1, 1):
                vectors = [data for data, in_group in found if in_group == group]
                if vectors:
                    yield vectors, group

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

