"""How ``kapcourse report`` scales: time and peak memory for 1,000 to 100,000 exports.

Run with ``python -m tests.bench_report [--sizes 1000 10000 100000]`` (``make bench-report``;
``make bench`` runs it without the 100,000). For each size it writes that many synthetic
exports of the real course into a temporary folder (every lesson question, the final's first
attempt, a pre-test for about a third of the learners, an evaluation for about a fifth, each
learner with their own ability and answers), runs ``kapcourse report`` on them in a child
process, and prints the wall time, the child's peak resident memory, its CPU time (user +
system, its worker processes included: a busy machine distorts it far less than the wall
time) and the load average; with two sizes or more, the CPU time per export beyond the fixed
part. It prints figures; it asserts nothing (times depend on the machine).

Generating 100,000 files takes time too: every file is joined from pre-written pieces of JSON
(one right and one wrong version of each answer), in the layout ``results.write_export``
writes, so that no export is serialised from scratch.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kapcourse.bank.model import Question
from kapcourse.record.final import BANK as FINAL_BANK
from kapcourse.record.final import read_course
from kapcourse.record.versions import course_fingerprints

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
WHEN = "2026-11-26T09:00:00+00:00"
# Runs the report in a child and prints its peak memory: RUSAGE_CHILDREN of a fresh process
# covers that one run only (and any worker processes it starts).
CHILD = """
import resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = used.ru_maxrss  # KiB on Linux
if run.returncode:
    sys.exit(run.stderr[-2000:])
print(seconds, peak, len(run.stderr.splitlines()), used.ru_utime + used.ru_stime)
"""


def responses(question: Question) -> tuple[object, object]:
    """(a right first response, a wrong one) for a question."""
    if question.type == "truefalse":
        return question.answer, not question.answer
    if question.type in ("single", "multiple"):
        right = [i for i, o in enumerate(question.options) if o.correct]
        wrong = [i for i, o in enumerate(question.options) if not o.correct][:1] or [0]
        return (right[0], wrong[0]) if question.type == "single" else (right, right[:1] + wrong)
    if question.type == "numeric":
        errors = [c.value for c in question.common_errors]
        wrong = errors[0] if errors else (question.answer or 0) * 10 + 1
        return f"{question.answer:g} {question.unit}".strip(), f"{wrong:g} {question.unit}".strip()
    if question.type == "ordering":
        order = list(range(len(question.steps)))
        return order, order[::-1]
    return None, None


def _piece(item_id: str, entry: dict) -> str:
    """One answer as write_export lays it out (indent 1, keys sorted), inside "items"."""
    text = json.dumps(entry, indent=1, sort_keys=True).replace("\n", "\n  ")
    return f"  {json.dumps(item_id)}: {text}"


class Template:
    """Pre-written pieces of an export of the real course, joined per learner."""

    def __init__(self, root: Path) -> None:
        fingerprints = course_fingerprints(root)
        course = read_course(root)
        final, lessons = course.final, course.lessons
        self.pieces: list[tuple[str, str]] = []  # (right, wrong) per answered question
        for bank in lessons:
            for question in bank.questions:
                self.pieces.append(self._pair(question, bank.stem, fingerprints, {}))
        final_extra = {"attempt": 1, "submitted": True}
        for question in final.drawn(1):
            self.pieces.append(self._pair(question, FINAL_BANK, fingerprints, final_extra))
        last = {o: forms[-1] for o, forms in final.forms.items()}
        self.pretest = [(q.id, fingerprints[q.id], *responses(q)) for item in final.bank.items
                        if item.form == last.get(item.objective) for q in item.questions[:1]]

    @staticmethod
    def _pair(question: Question, bank: str, fingerprints: dict, extra: dict) -> tuple[str, str]:
        right, wrong = responses(question)
        pair = []
        for correct, response in ((True, right), (False, wrong)):
            entry = {"bank": bank, "attempts": 1 if correct else 2, "first_correct": correct,
                     "first_response": response, "correct": True, "last_response": right,
                     "first": WHEN, "last": WHEN, "fp": fingerprints[question.id], **extra}
            if bank == FINAL_BANK:
                entry.update(correct=correct, confidence="fairly sure")
            pair.append(_piece(question.id, entry))
        return pair[0], pair[1]

    def export(self, rng: random.Random, number: int) -> str:
        ability = rng.uniform(0.35, 0.95)
        items = ",\n".join(right if rng.random() < ability else wrong
                           for right, wrong in self.pieces)
        extra = ""
        if rng.random() < 0.35:
            answers = {qid: {"correct": rng.random() < ability - 0.25, "fp": fp,
                             "response": right} for qid, fp, right, _ in self.pretest}
            block = {"version": 1, "submitted": "2026-11-01", "answers": answers}
            extra += f' "pretest": {json.dumps(block, sort_keys=True)},\n'
        if rng.random() < 0.2:
            block = {"version": 1, "answers": {"relevance": rng.randint(1, 5),
                                               "change": f"I will screen better ({number})."}}
            extra += f' "evaluation": {json.dumps(block, sort_keys=True)},\n'
        return (' {\n "course_version": "0.3.0",\n "export_id": "' + f"{number:032x}" + '",\n'
                f'{extra} "exported": "2026-11-26",\n "format": "kapcourse-results",\n'
                f' "items": {{\n{items}\n }},\n "learner": null,\n "version": 2\n}}\n')[1:]


def generate(template: Template, folder: Path, count: int, seed: int = 19) -> float:
    """Write ``count`` exports; returns the seconds it took."""
    start = time.perf_counter()
    rng = random.Random(seed)
    for number in range(count):
        (folder / f"kapcourse-results-{number:06d}.json").write_text(
            template.export(rng, number), encoding="utf-8")
    return time.perf_counter() - start


def run_report(folder: Path, out: Path, source: Path) -> tuple[float, float, int, float]:
    """(seconds, peak MiB, stderr lines, CPU seconds) of ``kapcourse report`` in a child
    process. CPU seconds: user + system time of the report and its worker processes, which
    a busy machine distorts far less than the wall time."""
    env = {**os.environ, "PYTHONPATH": str(source), "KAPCOURSE_ROOT": str(ROOT),
           "MPLBACKEND": "Agg"}
    command = [sys.executable, "-c", CHILD, sys.executable, "-m", "kapcourse", "report",
               str(folder), "--output", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode:
        sys.exit(f"kapcourse report failed:\n{result.stderr}")
    seconds, peak, lines, cpu = result.stdout.split()
    return float(seconds), int(peak) / 1024, int(lines), float(cpu)


def marginal(cpu_by_size: dict[int, float]) -> str:
    """CPU milliseconds per export beyond the fixed part (loading the course, imports,
    charts), from the two largest sizes: what 100,000 exports cost, measured on fewer."""
    if len(cpu_by_size) < 2:
        return "(give two sizes or more for the CPU time per export beyond the fixed part)"
    small, large = sorted(cpu_by_size)[-2:]
    per = 1000 * (cpu_by_size[large] - cpu_by_size[small]) / (large - small)
    fixed = cpu_by_size[small] - per * small / 1000
    return (f"CPU per export beyond the fixed part: {per:.2f} ms (from {small:,} and "
            f"{large:,} exports; fixed part about {fixed:.1f} s of CPU)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--source", type=Path, default=SOURCE,
                        help="the kapcourse to time (a folder holding the package; default: "
                             "this one), to compare against an earlier version")
    args = parser.parse_args()
    template = Template(ROOT)
    work = Path(tempfile.mkdtemp(prefix="kapcourse-bench-report-"))
    cpu_by_size: dict[int, float] = {}
    try:
        for size in sorted(args.sizes):
            folder = work / str(size)
            folder.mkdir()
            made = generate(template, folder, size)
            seconds, peak, lines, cpu = run_report(folder, work / f"out-{size}", args.source)
            cpu_by_size[size] = cpu
            print(f"report of {size:>7,} exports: {seconds:7.1f} s, peak memory "
                  f"{peak:7.1f} MiB, CPU {cpu:7.1f} s ({lines} lines of progress and messages "
                  f"on a pipe; generating them took {made:.1f} s; load average "
                  f"{os.getloadavg()[0]:.1f})", flush=True)
            shutil.rmtree(folder)
        print(marginal(cpu_by_size))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
