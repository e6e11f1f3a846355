"""The gold and seeds are copied verbatim and agree with the reader and the schema."""

from healthcoop_nlp.io import read_documents
from healthcoop_nlp.schema import validate_record


def test_gold_spans_match_text(gold_dicts):
    n = 0
    for g in gold_dicts:
        text = g["text"]
        for e in g["entities"]:
            for m in e["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"], (g["id"], m)
                n += 1
        for ev in g["events"]:
            for t in ev["triggers"]:
                assert text[t["start"]:t["end"]] == t["text"], (g["id"], t)
                n += 1
    assert n > 100


def test_gold_text_equals_reader_output(gold_dicts, root):
    docs = {d.id: d for d in read_documents([str(root / 'seeds')])}
    assert set(docs) == {g["id"] for g in gold_dicts}
    for g in gold_dicts:
        d = docs[g["id"]]
        assert d.text == g["text"]
        assert d.date == g["date"]
        assert d.source == g["source"]


def test_gold_is_schema_valid(gold_dicts):
    for g in gold_dicts:
        validate_record(g)


def test_gold_and_seeds_are_verbatim_copies(root):
    ROOT, SEEDS = root, root / 'seeds'
    shared = ROOT.parent / "shared"
    if not shared.exists():
        import pytest

        pytest.skip("../shared is not beside this checkout")
    assert (ROOT / "eval/gold/seeds.jsonl").read_bytes() == (shared / "gold/seeds.jsonl").read_bytes()
    for f in (shared / "seeds").iterdir():
        assert (SEEDS / f.name).read_bytes() == f.read_bytes()
