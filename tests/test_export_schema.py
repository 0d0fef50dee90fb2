"""The results export's JSON Schema (schema/export.schema.json) against the record rule
(rules.record_problem), issue #19.

``results.read_export`` checks an export with the schema first, in compiled code
(jsonschema-rs), and skips the Python rule when the schema accepts it. That is only right if
the schema is at least as strict as the rule: every record it accepts, the rule accepts. These
tests check it on every answer record in the golden cases (tests/golden/*.yml, the ones the
import, progress and report rules run through Python and the book's script), on the hostile
exports' inputs, and on each field of a record set to each of many hostile values; and that it
accepts the records the course writes, or it would not save anything.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import jsonschema_rs
import pytest
import yaml

from kapcourse.record import results, rules
from kapcourse.record.results import ResultsError, make_export, read_export, write_export

from .test_export_parser import EDGES
from .test_hostile_report import ONE
from .test_import_long_number import HUGE

GOLDEN = Path(__file__).resolve().parent / "golden"
SCHEMA = json.loads(
    (Path(results.__file__).parents[1] / "schema" / "export.schema.json").read_text("utf-8"))

# A record as the course writes it: the base each hostile value is put into, field by field.
GOOD = {"bank": "01_sample", "attempts": 2, "first_correct": False, "correct": True,
        "answer_shown": False, "first": "2026-11-01T10:00:00Z", "last": "2026-11-02",
        "first_response": [0, 2], "last_response": "35 mg", "fp": "0123456789abcdef",
        "attempt": 1, "confidence": "certain", "submitted": True}
FIELDS = (*GOOD, "extra")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _json_values(text: str) -> list:
    try:
        return [json.loads(text)]  # as read_export reads what orjson refuses (json's rules)
    except (ValueError, RecursionError):
        return []


def _walk(value):
    yield value
    if isinstance(value, dict | list):
        for child in value.values() if isinstance(value, dict) else value:
            yield from _walk(child)


@cache
def golden_records() -> tuple:
    """Every answer record in the golden cases: the values of an ``items`` map (in the YAML,
    or in a file's text parsed as JSON) and every map that has a record's fields."""
    found: list = []
    for path in sorted(GOLDEN.glob("*.yml")):
        for value in _walk(yaml.load(path.read_text("utf-8"), Loader=LOADER)):
            trees = _json_values(value) if isinstance(value, str) else [value]
            for node in (n for tree in trees for n in _walk(tree)):
                if isinstance(node, dict) and isinstance(node.get("items"), dict):
                    found.extend(node["items"].values())
                elif isinstance(node, dict) and {"bank", "attempts", "first_correct"} & set(node):
                    found.append(node)
    return tuple(found)


def hostile_values() -> list:
    """Values a hostile or broken export may hold where a record's field belongs: each
    EDGES text of the JSON-reading tests that JSON reads, and more (limits, look-alikes)."""
    return [
        *(node for text in EDGES for tree in _json_values(text) for node in _walk(tree)),
        None, True, False, 0, 1, -1, 50, 51, 1_000_000, 1_000_001, 1.0, 1.5, -0.0, 50.0, 51.0,
        math.inf, -math.inf, math.nan, 2**63, 2**64, -(2**64), 10**400, int(HUGE[:4300]),
        "", " ", "x", "x" * 200, "x" * 201, "\U0001d538" * 200, "\U0001d538" * 201,
        "\ud800", "\udc00x", "2026-11-30", "2026-11-30\n", "2026-11-30 ", " 2026-11-30",
        "2026-11-30T10:00", "2026-11-30T10:00:00.1234567", "2026-11-30T10:00:00+0100",
        "\u0662\u0660\u0662\u0666-11-30", "2026-11-30T10:00:00z", "0123456789abcdef",
        "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0", "0123456789abcdef\n",
        "\uff10123456789abcdef", "guessing", "certain", "Certain", "fairly sure ", "final",
        [], [0], [50], [51], [-1], [True], [0.0], [1.5], [None], ["0"], [[0]], [0] * 50,
        [0] * 51, {}, {"a": 1}, ONE, ONE["items"]["fx-single"]]


def mutated_records() -> list:
    """GOOD with each field set to each hostile value, and with each field left out."""
    records = [{**GOOD, field: value} for field in FIELDS for value in hostile_values()]
    return records + [{k: v for k, v in GOOD.items() if k != field} for field in GOOD]


def hostile_records() -> list:
    """The records of the hostile-export tests (test_report, test_hostile_report,
    test_import_long_number), as the export's JSON holds them."""
    return [ONE["items"]["fx-single"], {"attempts": "x"}, {"bank": "x", "attempts": 1,
            "first_correct": True}, *_json_values(
                f'{{"bank": "01_sample", "attempts": {HUGE[:4300]}, "first_correct": true}}')]


def record_validator(schema: dict):
    return jsonschema_rs.validator_for({"$defs": schema["$defs"], "$ref": "#/$defs/record"})


def accepts(validator, instance) -> bool:
    """As results._schema_accepts: a value jsonschema-rs cannot take is not accepted."""
    try:
        return validator.is_valid(instance)
    except ValueError:
        return False


def disagreements(schema: dict, records: list) -> list:
    """The records the schema accepts and the rule refuses, each with the rule's reason."""
    validator = record_validator(schema)
    return [(record, rules.record_problem(record)) for record in records
            if accepts(validator, record) and rules.record_problem(record)]


@cache
def every_case() -> tuple:
    return (*golden_records(), *hostile_records(), *mutated_records())


def test_the_cases_hold_records_of_every_kind():
    """The cases are many and reach every reason the rule gives, and records it accepts."""
    assert len(golden_records()) > 100
    reasons = {rules.record_problem(record) for record in every_case()}
    expected = {"", *(rules.REASONS[key] for key in
                      ("record", "bank", "attempts", "attempt", "confidence", "fp"))}
    for key, fields in (("boolean", ("first_correct", "correct", "answer_shown", "submitted")),
                        ("date", ("first", "last")),
                        ("response", ("first_response", "last_response"))):
        expected |= {rules.REASONS[key].format(field=field) for field in fields}
    assert expected <= reasons, expected - reasons


def test_every_record_the_schema_accepts_the_rule_accepts():
    found = disagreements(SCHEMA, every_case())
    assert not found, f"the schema accepts records the rule refuses: {found[:5]}"


def test_every_export_the_schema_accepts_has_only_records_the_rule_accepts():
    """The whole export, as read_export checks it: one refused record refuses it."""
    accepted = 0
    for record in every_case():
        export = {**make_export({}, "0.3.0"), "items": {"fx-single": record}}
        if results._schema_accepts(export):
            accepted += 1
            assert rules.record_problem(record) == "", record
    assert accepted > 100


def test_the_check_finds_a_loosened_schema():
    """The agreement check can fail: an unanchored fingerprint pattern, a longer bank, a
    date without its end anchor, and responses of any type each let through records the
    rule refuses."""
    records = every_case()
    defs = SCHEMA["$defs"]
    for loosen in (
        lambda d: d["record"]["properties"]["fp"].update(pattern="[0-9a-f]{16}"),
        lambda d: d["record"]["properties"]["bank"].update(maxLength=201),
        lambda d: d["date"].update(pattern=d["date"]["pattern"].removesuffix("$")),
        lambda d: d.update(response={}),
        lambda d: d["count"].pop("maximum"),
    ):
        loose = json.loads(json.dumps(SCHEMA))
        loosen(loose["$defs"])
        assert disagreements(loose, records), loose["$defs"]
    assert defs == SCHEMA["$defs"]  # the shipped schema itself was not changed


def test_the_schema_accepts_what_the_course_writes():
    """Records the rule accepts that the course writes (golden cases and a full export) pass
    the schema, so the Python rule is skipped for them."""
    validator = record_validator(SCHEMA)
    written = [r for r in (*golden_records(), *hostile_records(), GOOD)
               if rules.record_problem(r) == ""]
    refused = [r for r in written if not accepts(validator, r)]
    assert not refused, refused[:5]
    export = make_export({"items": {f"q{n}": {**GOOD, "first_response": n % 51}
                                    for n in range(250)}}, "0.3.0")
    assert results._schema_accepts(json.loads(json.dumps(export)))


def test_the_schema_states_the_rules_limits_and_patterns():
    """The schema writes the rule's numbers and patterns again (JSON cannot import them)."""
    defs = SCHEMA["$defs"]
    record = defs["record"]["properties"]
    assert record["bank"]["maxLength"] == rules.MAX_TEXT
    assert defs["response"]["anyOf"][1]["maxLength"] == rules.MAX_TEXT
    assert defs["count"]["maximum"] == rules.MAX_ATTEMPTS
    assert defs["index"]["maximum"] == rules.MAX_INDICES
    assert defs["response"]["anyOf"][3]["maxItems"] == rules.MAX_INDICES
    assert record["confidence"]["enum"] == [None, *rules.CONFIDENCE]
    assert defs["date"]["pattern"] == f"^(?:{rules.DATE.pattern})?$"
    assert record["fp"]["pattern"] == f"^{rules.FINGERPRINT.pattern}$"


def test_a_string_rust_cannot_hold_goes_to_the_rule(tmp_path):
    """json reads a lone surrogate, which jsonschema-rs cannot take (it raises): the export
    is checked by the Python rule and refused with its reason, not a traceback."""
    path = write_export(make_export(ONE, "0.3.0"), tmp_path)
    text = path.read_text().replace('"first_response": 0', '"first": "\\ud800"')
    path.write_text(text)
    with pytest.raises(ResultsError) as caught:
        read_export(path)
    assert str(caught.value) == ("has a malformed record for item 'fx-single' ('first' must "
                                 "be a date such as 2026-11-30)")


def _read_export_accepts(data) -> bool:
    """read_export's checks of a parsed file, before its questions are matched to the course:
    an export of this tool's format and versions, with its fields and usable records."""
    return (isinstance(data, dict) and data.get("format") == results.FORMAT
            and data.get("version") in results.VERSIONS
            and not isinstance(data.get("version"), bool)
            and all(isinstance(data.get(key), kind) for key, kind in
                    (("course_version", str), ("export_id", str), ("items", dict)))
            and not any(rules.record_problem(entry) for entry in data["items"].values()))


def export_texts() -> list[str]:
    """Whole files: the golden cases' texts, as results exports too, and the hostile-export
    tests' files."""
    texts = [value for path in sorted(GOLDEN.glob("*.yml"))
             for value in _walk(yaml.load(path.read_text("utf-8"), Loader=LOADER))
             if isinstance(value, str) and value.lstrip().startswith("{")]
    good = make_export(ONE, "0.3.0")
    # each golden file made a results export: this format, and the fields it lacks from good
    texts += [json.dumps({**good, **data, "format": results.FORMAT}) for text in texts
              for data in _json_values(text) if isinstance(data, dict)]
    variants = [{}, {"format": "something-else"}, make_export(ONE, "<b>x</b>"),
                {**good, "items": {"fx-single": {"attempts": "x"}}},
                {**good, "version": True}, {**good, "version": 3}, {**good, "version": 1.0},
                {**good, "course_version": 5}, {**good, "export_id": None}, {**good, "items": []},
                {**good, "format": None}, {k: v for k, v in good.items() if k != "export_id"}]
    return [*texts, "[]", "null", "{oops", *(json.dumps(v) for v in variants), json.dumps(good)]


def test_every_export_the_schema_accepts_read_export_accepts():
    """Whole files, as read_export parses them: the schema accepts one only if read_export's
    own checks (format, version, fields, every record) would have accepted it."""
    accepted = 0
    for text in export_texts():
        try:
            data = results._loads(text.encode("utf-8", "surrogatepass"))
        except (ValueError, RecursionError):
            continue  # read_export refuses it before any check
        if results._schema_accepts(data):
            accepted += 1
            assert _read_export_accepts(data), text
    assert accepted >= 20
