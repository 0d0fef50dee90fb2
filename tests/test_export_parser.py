"""read_export's JSON reading (``results._loads``: orjson, falling back to json) reads every
text exactly as the standard library's ``json.loads`` does, or refuses it with json's own
error: the same values of the same types in the same key order, the same error type and
message (read_export's messages are built from them). Issue #19: the report reads 100,000
exports, and orjson parses one about twice as fast."""

from __future__ import annotations

import json
import random

import pytest

from kapcourse.record.results import _loads

EDGES = [
    '{"a": 1, "a": 2}', '{"a": 1, "b": 2, "a": 3}',  # duplicate keys: the last wins, first place
    '{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}',  # json accepts these
    '{"a": 1e400}', '{"a": -1e400}', '{"a": 1e-400}', '{"a": 4.9e-324}', '{"a": 2.5e-324}',
    '{"a": 9223372036854775807}', '{"a": 9223372036854775808}', '{"a": 18446744073709551615}',
    '{"a": 18446744073709551616}', '{"a": -9223372036854775809}', '{"a": 123456789012345678901}',
    '{"a": ' + "9" * 4300 + "}", '{"a": ' + "9" * 4301 + "}",  # json's limit on digits
    '{"a": -0}', '{"a": -0.0}', '{"a": 1.0}', '{"a": 1E2}', '{"a": 0.1000000000000000055511}',
    '{"a": "\\ud800"}', '{"a": "\\udc00x"}', '{"a": "\\ud83d\\ude00"}', '{"a": "\\u0000"}',
    '{"a": "\x01"}', '{"a": "\x7f"}', '\ufeff{}', " {} ", "{}x", "{} {}", "", "[", "{", '{"a"}',
    '{"a": 01}', '{"a": .5}', '{"a": 5.}', '{"a": +1}', '{"a": tru}', '{"a": [1,]}', "{,}",
    '{"a":\u00a01}', '{"a":\x0c1}', '{"a": "x"\n}', "[" * 2000 + "]" * 2000,
    "[" * 1025 + "]" * 1025,
    '{"items": {"q": {"first_response": [1, 2], "correct": true, "x": null}}}',
    "18446744073709551616", "[18446744073709551616]", '{"a":[1,18446744073709551616]}',
    '{"a":\t18446744073709551616}', '{"id": "00000000000000000000000000007d0"}',
    '{"a": 0.12345678901234567890123456789}', '{"a": 1.7976931348623157e308}',
    '{"a": 1.7976931348623159e308}', '{"a": 1e0000000000000000000001}',
    '{"a": 1e-0000000000000000000001}', '{"a": 123456789012345678.5}',
]


def outcome(parse, text: str):
    """(repr of the value, which tells 1 from 1.0 and True and shows the key order) or (the
    error's type and message)."""
    try:
        return "value", repr(parse(text))
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_edge_cases_read_as_json_reads_them(text):
    assert outcome(lambda t: _loads(t.encode("utf-8", "surrogatepass")), text) == \
        outcome(json.loads, text)


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.randint(-10 ** rng.randint(0, 25), 10 ** rng.randint(0, 25))
    if kind == 2:
        return rng.choice([rng.random(), rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-320, 300),
                           float(rng.randint(0, 9))])
    if kind in (3, 4):
        return "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0, 0xD7FF),
                                       rng.randint(0xE000, 0x10FFFF)]))
                       for _ in range(rng.randint(0, 12)))
    if kind == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {str(_value(rng, 4)): _value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def test_random_documents_and_their_corruptions_read_as_json_reads_them():
    rng = random.Random(19)
    for _ in range(3000):
        text = json.dumps(_value(rng), ensure_ascii=rng.random() < 0.5,
                          indent=rng.choice([None, 1]))
        assert outcome(lambda t: _loads(t.encode()), text) == outcome(json.loads, text), text
        cut = rng.randrange(len(text) + 1)  # a byte lost, changed or added
        broken = text[:cut] + rng.choice(["", rng.choice('{}[],:"\\0-.eE \n'), "NaN"]) + \
            text[cut + rng.randint(0, 1):]
        assert outcome(lambda t: _loads(t.encode()), broken) == outcome(json.loads, broken), broken


NOT_UTF8 = [b'{"a": "\xff"}', b"\xff\xfe{\x00}\x00", b'{"a": "\xed\xa0\x80"}', b'{"a": "\xc3"}',
            b"\xc3", b'{"a": 1' + b"0" * 30 + b', "b": "\x80"}']  # the last: a long number


@pytest.mark.parametrize("data", NOT_UTF8)
def test_bytes_that_are_not_utf8_are_refused_as_decoding_them_refuses_them(data):
    """orjson reads the file's bytes without decoding them first (#19); bytes that are not
    UTF-8 still raise the decoder's own error, which read_export names ("cannot be read")."""
    with pytest.raises(UnicodeDecodeError) as expected:
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError) as caught:
        _loads(data)
    assert str(caught.value) == str(expected.value)
