"""`kapcourse report` made faster (issue #19: 100,000 exports): the course's banks read once
per report, and the course evaluation's summary reading only the evaluation blocks the cohort
keeps apart, with the same result as reading every pooled export."""

from __future__ import annotations

import json
import random

from kapcourse.bank.course import bank_paths
from kapcourse.record import final as final_module
from kapcourse.record.evaluation import summarise
from kapcourse.record.results import make_export, write_export
from kapcourse.workshop.report import Pooled, analyse, evaluations, pool

from .conftest import FIXTURE_COURSE
from .test_evaluation import FORM
from .test_report import BANK, COHORT, learner

BLOCKS = [{"version": 1, "answers": {"relevance": 4, "improve": "More cases."}},
          None,  # no evaluation
          {"version": 1, "answers": {"relevance": 7}},  # unreadable: counted as skipped
          {"version": 1, "answers": {"relevance": 2, "change": "Screen first."}}]


def test_the_evaluation_summary_reads_the_blocks_kept_apart_as_it_reads_the_exports(tmp_path):
    for number, wrong in enumerate(COHORT.values()):
        export = make_export(learner(wrong), "0.1.0")
        block = BLOCKS[number % len(BLOCKS)]
        if block is not None:
            export["evaluation"] = block
        write_export(export, tmp_path)
    paths = sorted(tmp_path.glob("*.json"))
    pooled = pool(paths, "0.1.0", [BANK], progress=None)
    try:
        exports = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
        kept = list(evaluations(pooled.exports))
        assert kept == [{"evaluation": e["evaluation"]} for e in exports if "evaluation" in e]
        assert 0 < len(kept) < len(exports)  # some exports have no evaluation
        apart = summarise(evaluations(pooled.exports), FORM, random.Random(5))
        whole = summarise(exports, FORM, random.Random(5))
        assert apart == whole and whole.n >= 2 and whole.skipped >= 1
    finally:
        pooled.exports.close()
    assert evaluations(exports) is exports  # a list (tests, by hand) as it is


def test_kapcourse_report_reads_each_bank_file_once(tmp_path, monkeypatch, capsys):
    from kapcourse.cli import main

    read = []
    real = final_module.load_bank
    monkeypatch.setattr(final_module, "load_bank", lambda path, *a, **k: read.append(path)
                        or real(path, *a, **k))
    monkeypatch.setenv("KAPCOURSE_ROOT", str(FIXTURE_COURSE))
    (tmp_path / "in").mkdir()
    main(["report", str(tmp_path / "in"), "--output", str(tmp_path / "out")])
    assert read and sorted(read) == sorted(bank_paths(FIXTURE_COURSE / "quizzes"))


WRONG = {"fx-single": 1, "fx-multiple": [0], "fx-truefalse": False, "fx-numeric": "140",
         "fx-ordering": [3, 2, 1, 0], "fx-case-a": 1, "fx-case-b": False}


def test_one_read_of_the_cohort_gives_the_figures_ranking_in_memory_gives(tmp_path):
    """pool folds each export as it reads it and the database ranks the cohort for the
    discrimination index (Cohort.ranked_groups); the figures are those of a list ranked in
    memory (many ties, some learners without answers)."""
    rng = random.Random(19)
    exports = []
    for number in range(41):
        wrong = {q: WRONG[q] for q in WRONG if rng.random() < 0.4}
        export = make_export(learner(wrong), "0.1.0")
        export["export_id"] = f"{rng.randrange(10**6):06d}-{number}"
        if number % 9 == 0:
            export["items"] = {}
        exports.append(export)
        write_export(export, tmp_path)
    pooled = pool(sorted(tmp_path.glob("*.json")), "0.1.0", [BANK], progress=None)
    try:
        on_disk = analyse(pooled, [BANK])
    finally:
        pooled.exports.close()
    in_memory = analyse(Pooled(exports=exports), [BANK])
    assert on_disk.items == in_memory.items and on_disk.objectives == in_memory.objectives
    assert sum(i.discrimination is not None for i in on_disk.items) == len(WRONG)
