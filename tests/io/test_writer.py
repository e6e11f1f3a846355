import json

import pytest

from healthcoop_nlp.io import InputError, JsonlWriter, errors_path, existing_ids, read_records
from healthcoop_nlp.record import Record


def test_errors_path():
    assert errors_path("out/x.jsonl").name == "x.errors.jsonl"
    assert errors_path("out/x").name == "x.errors.jsonl"


def test_resume_truncates_a_partial_last_line(tmp_path):
    p = tmp_path / "o.jsonl"
    p.write_text(json.dumps({"id": "a"}) + "\n" + '{"id": "b", "te', encoding="utf-8")
    assert existing_ids(p) == {"a"}
    with JsonlWriter(p, append=True) as w:
        w.write({"id": "c"})
    assert [json.loads(line)["id"] for line in p.read_text().splitlines()] == ["a", "c"]


def test_read_records_names_file_and_line(tmp_path, gold_dicts):
    p = tmp_path / "pred.jsonl"
    p.write_text(json.dumps(gold_dicts[0], ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    it = read_records(p)
    assert isinstance(next(it), Record)
    with pytest.raises(InputError, match=r"pred.jsonl:2: not valid JSON"):
        next(it)
    p.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"pred.jsonl:1: not a record"):
        list(read_records(p))
