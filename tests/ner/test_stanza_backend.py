"""The optional Stanza backend, on a tiny Stanza NER model the test trains itself (no download).

The model is trained by Stanza's own entry point (``stanza.models.ner_tagger``)
on sentences made up here, with a small random word-vector file written as a
Stanza pretrain; it is laid out as ``stanza.download`` lays out a
``stanza_resources`` folder and loaded through ``healthcoop_nlp.load``.
"""

import json
import random

import pytest

from healthcoop_nlp.ner.backends.common import CliticTrimmer, WordTag, decode, split_label

# Made-up names and filler words (not from any corpus), in both scripts.
PER = [["سعاد", "العلوي"], ["كمال", "بنيس"], ["Jeanne", "Vidal"], ["Omar", "Tazi"]]
LOC = [["بالرباط"], ["الرباط"], ["طنجة"], ["Tanger"], ["Rabat"]]
ORG = [["منظمة", "الصحة", "العالمية"], ["OMS"], ["Croissant", "Rouge"]]
MISC = [["كورونا"], ["Covid"]]
FILLER = ["زار", "قال", "مع", "في", "اليوم", "و", "le", "a", "visité", "avec", "à", "l'", "et", "dit"]


def _bioes(label, words):
    if len(words) == 1:
        return [(words[0], f"S-{label}")]
    return [(words[0], f"B-{label}")] + [(w, f"I-{label}") for w in words[1:-1]] + [(words[-1], f"E-{label}")]


def _sentences(n, seed):
    rnd = random.Random(seed)
    kinds = {"PER": PER, "LOC": LOC, "ORG": ORG, "MISC": MISC}
    out = []
    for _ in range(n):
        sent = []
        for _ in range(3):
            sent += [(rnd.choice(FILLER), "O"), (rnd.choice(FILLER), "O")]
            kind = rnd.choice(sorted(kinds))
            sent += _bioes(kind, rnd.choice(kinds[kind]))
        out.append([{"text": w, "ner": t} for w, t in sent])
    return out


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    """A stanza_resources folder with one tiny NER model (and its pretrain) for both ar and fr."""
    pytest.importorskip("stanza")
    import numpy as np
    from stanza.models import ner_tagger
    from stanza.models.common.pretrain import Pretrain

    work = tmp_path_factory.mktemp("stanza_train")
    train, dev = _sentences(80, 0), _sentences(12, 1)
    (work / "train.json").write_text(json.dumps(train, ensure_ascii=False), encoding="utf-8")
    (work / "dev.json").write_text(json.dumps(dev, ensure_ascii=False), encoding="utf-8")
    words = sorted({t["text"] for s in train for t in s})
    rng = np.random.default_rng(0)
    lines = [f"{len(words)} 8"] + [w + " " + " ".join(f"{x:.4f}" for x in rng.normal(size=8)) for w in words]
    (work / "vectors.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    Pretrain(str(work / "pretrain.pt"), str(work / "vectors.txt"), max_vocab=-1, save_to_file=True).load()
    ner_tagger.main([
        "--train_file", str(work / "train.json"), "--eval_file", str(work / "dev.json"),
        "--wordvec_pretrain_file", str(work / "pretrain.pt"), "--save_dir", str(work), "--save_name", "tiny.pt",
        "--shorthand", "xx_tiny", "--hidden_dim", "16", "--char_hidden_dim", "8", "--char_emb_dim", "8",
        "--max_steps", "80", "--eval_interval", "40", "--batch_size", "16", "--optim", "adam", "--lr", "0.01",
        "--dropout", "0", "--word_dropout", "0", "--no_input_transform", "--cpu", "--seed", "1"])
    root = tmp_path_factory.mktemp("stanza_resources")
    res = {}
    for lang in ("ar", "fr"):
        for kind in ("ner", "pretrain"):
            (root / lang / kind).mkdir(parents=True)
        (root / lang / "ner" / "tiny.pt").write_bytes((work / "tiny.pt").read_bytes())
        (root / lang / "pretrain" / "tiny.pt").write_bytes((work / "pretrain.pt").read_bytes())
        res[lang] = {"lang_name": lang, "packages": {"default": {"tokenize": "tiny", "ner": "tiny"}},
                     "tokenize": {"tiny": {}}, "pretrain": {"tiny": {}},
                     "ner": {"tiny": {"dependencies": [{"model": "pretrain", "package": "tiny"}]}}}
    (root / "resources.json").write_text(json.dumps(res), encoding="utf-8")
    return root


def _nlp(lang, folder):
    import healthcoop_nlp

    return healthcoop_nlp.load(["ner"], given=["lang"],
                               config={"ner": {"options": {lang: {"backend": "stanza", "dir": str(folder)}}}})


def _found(record):
    out = []
    for e in record.entities:
        for m in e.mentions:
            assert record.text[m.start:m.end] == m.text, "offsets index the raw text"
            out.append((e.label, m.text))
    return out


def test_arabic_offsets_labels_proclitics_and_dates_end_to_end(resources):
    text = "زار  سعاد العلوي بالرباط مع منظمة الصحة العالمية و كورونا في 12 مارس 2024."
    rec = _nlp("ar", resources)(text, lang="ar", id="a1")
    found = _found(rec)
    assert ("PER", "سعاد العلوي") in found
    assert ("LOC", "الرباط") in found  # the model tags بالرباط; the proclitic ب is outside the span
    assert ("ORG", "منظمة الصحة العالمية") in found
    assert not any("كورونا" in t for _, t in found), "MISC is dropped"
    assert any(label == "DATE" and "2024" in t for label, t in found)


def test_french_elision_stays_outside_and_batches_keep_their_own_offsets(resources):
    nlp = _nlp("fr", resources)
    texts = ["Jeanne Vidal a visité l'OMS à Tanger.", "Omar Tazi dit avec le Croissant Rouge à Rabat."]
    from healthcoop_nlp.record import Record

    recs = list(nlp.pipe([Record(id=str(i), text=t, lang="fr") for i, t in enumerate(texts)]))
    first, second = _found(recs[0]), _found(recs[1])
    assert ("PER", "Jeanne Vidal") in first and ("ORG", "OMS") in first and ("LOC", "Tanger") in first
    assert ("PER", "Omar Tazi") in second and ("ORG", "Croissant Rouge") in second and ("LOC", "Rabat") in second


def test_a_named_package_is_loaded_and_a_missing_one_is_named(resources):
    from healthcoop_nlp.ner.backends.stanza import StanzaTagger
    from healthcoop_nlp.record import Record

    tagger = StanzaTagger("ar", dir=resources, package="tiny", dates=False)
    text = "قال كمال بنيس"
    assert [(lab, m.text) for lab, m in tagger.tag(Record(id="d", text=text))] == [("PER", "كمال بنيس")]
    with pytest.raises(FileNotFoundError, match=r"ar/ner/aqmar\.pt"):
        StanzaTagger("ar", dir=resources, package="aqmar")


def test_missing_folder_or_model_says_what_to_download_and_where(tmp_path):
    pytest.importorskip("stanza")
    from healthcoop_nlp.ner.backends.stanza import StanzaTagger

    with pytest.raises(FileNotFoundError, match=r"no stanza_resources folder.*stanza\.download\('ar'"):
        StanzaTagger("ar", dir=tmp_path / "nowhere")
    (tmp_path / "resources.json").write_text("{}", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"no Stanza fr NER model at .*fr/ner.*stanza\.download\('fr'"):
        StanzaTagger("fr", dir=tmp_path)
    with pytest.raises(ValueError, match="needs dir="):
        StanzaTagger("ar")


def test_bioes_and_iob2_decoding_and_label_mapping():
    assert split_label("B-PERS") == ("B", "PER") and split_label("S-GPE") == ("S", "LOC")
    assert split_label("E-MISC") == ("E", "") and split_label("O") == ("O", "")
    words = [WordTag(0, 1, "B-ORG"), WordTag(2, 3, "I-ORG"), WordTag(4, 5, "E-ORG"), WordTag(6, 7, "S-LOC"),
             WordTag(8, 9, "S-LOC"), WordTag(10, 11, "I-PER"), WordTag(12, 13, "I-PER"), WordTag(14, 15, "B-MISC")]
    assert [(lab, s, e) for lab, s, e, _ in decode(words)] == [
        ("ORG", 0, 5), ("LOC", 6, 7), ("LOC", 8, 9), ("PER", 10, 13)]


def test_clitic_rule_for_both_languages():
    text = "وزارة"
    assert CliticTrimmer.load("ar").start(text, 0, len(text)) == 0  # no article after و: a word, not a clitic
    text = "بالرباط"
    assert text[CliticTrimmer.load("ar").start(text, 0, len(text)):] == "الرباط"
    text = "d'Agadir et l’OMS"
    fr = CliticTrimmer.load("fr")
    assert text[fr.start(text, 0, 8):8] == "Agadir"
    assert text[fr.start(text, 12, 17):17] == "OMS"
    assert fr.start("l'", 0, 2) == 0, "a span that is only the elided word is left to the caller"
