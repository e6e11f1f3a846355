import copy
import json
import subprocess
import sys

import pytest

from healthcoop_nlp.schema import SchemaError, record_schema, validate_record


def test_shipped_schema_is_the_contract(root):
    shared = root.parent / "shared" / "schema" / "record.schema.json"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert record_schema() == json.loads(shared.read_text("utf-8"))


def test_bad_offsets_and_references_are_named(gold_dicts):
    g = copy.deepcopy(gold_dicts[0])
    g["entities"][0]["mentions"][0]["start"] += 1
    g["events"][0]["arguments"].append({"role": "Place", "entity": "nope"})
    with pytest.raises(SchemaError) as e:
        validate_record(g)
    assert "mention" in str(e.value) and "'nope'" in str(e.value) and g["id"] in str(e.value)


def test_schema_violation_names_the_path(gold_dicts):
    g = copy.deepcopy(gold_dicts[0])
    g["entities"][0]["label"] = "MISC"
    with pytest.raises(SchemaError, match="entities/0/label"):
        validate_record(g)


def test_validate_command(tmp_path, gold_dicts):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold_dicts) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n', encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "healthcoop_nlp", "validate", str(good)], capture_output=True, text=True)
    assert ok.returncode == 0 and "5 valid, 0 invalid" in ok.stdout
    ko = subprocess.run([sys.executable, "-m", "healthcoop_nlp", "validate", str(bad)], capture_output=True, text=True)
    assert ko.returncode == 1
    assert f"{bad}:1:" in ko.stderr and f"{bad}:2: not valid JSON" in ko.stderr
