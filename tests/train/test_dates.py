"""The DATE keep/drop trainer on a tiny split written for this test, and the shipped model."""

from __future__ import annotations

import json

import pytest

from healthcoop_nlp.ner.dates import DateFilter, candidates, find_dates, load_filter
from healthcoop_nlp.paths import MODELS_DIR
from healthcoop_nlp.train.dates import main, read_split

# "aujourd'hui" as "nowadays" (not a DATE) before an adjective, as "today" (a DATE) before a verb
_NOT = "Ces centres sont aujourd'hui modernes et bien équipés."
_YES = "Le ministre a inauguré aujourd'hui le centre de santé."


def _doc(i: int, text: str, is_date: bool) -> dict:
    ents = []
    if is_date:
        s = text.index("aujourd'hui")
        ents = [{"id": "d", "label": "DATE", "name": "aujourd'hui",
                 "mentions": [{"start": s, "end": s + len("aujourd'hui"), "text": "aujourd'hui"}]}]
    return {"id": f"t{i}", "lang": "fr", "date": "2024-03", "text": text, "entities": ents, "events": []}


def test_trainer_learns_a_keep_drop_decision_and_writes_plain_json(tmp_path):
    split = tmp_path / "split"
    split.mkdir()
    docs = [_doc(i, _NOT if i % 2 else _YES, not i % 2) for i in range(20)]
    (split / "gold.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    assert len(read_split(split)) == 20
    out = tmp_path / "model"
    assert main(["--train", str(split), "--out", str(out), "--folds", "2"]) == 0
    model = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert set(model) >= {"weights", "bias", "threshold"} and "fr" in model["weights"]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["by_lang"]["fr"]["cv_learned"]["f1"] == 1.0
    assert metrics["by_lang"]["fr"]["cv_grammar_rules"]["precision"] == 0.5  # the rules keep both readings
    filt = load_filter(str(out / "model.json"))
    assert isinstance(filt, DateFilter)
    c_yes = [c for c in candidates(_YES, "fr")][0]
    c_no = [c for c in candidates(_NOT, "fr")][0]
    assert filt.keep(_YES, "fr", c_yes) and not filt.keep(_NOT, "fr", c_no)
    assert filt.keep(_YES, "xx", c_yes) == c_yes.rule_ok  # a language it was not trained on: the rules


def test_missing_split_is_a_clear_error(tmp_path, capsys):
    assert main(["--train", str(tmp_path / "nowhere"), "--out", str(tmp_path / "m")]) == 2
    assert "gold.jsonl" in capsys.readouterr().err


@pytest.mark.model
def test_shipped_model_loads_and_covers_both_languages():
    if not (MODELS_DIR / "dates" / "model.json").is_file():
        pytest.skip("models/dates/model.json not built (python -m healthcoop_nlp.train.dates)")
    filt = load_filter()
    assert set(filt.weights) == {"fr", "ar"} and all(0 < t < 1 for t in filt.threshold.values())
    # a vetoed candidate is never kept, whatever the model says
    assert find_dates("Plus de 2000 cas.", "fr", "2024-03") == []
