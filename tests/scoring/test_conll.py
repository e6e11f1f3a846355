"""conll.py: readers for the public corpora and the conlleval-style chunk scorer."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from healthcoop_nlp.io import InputError
from healthcoop_nlp.scoring.conll import entity_prf, read_tagged, tags_to_spans, to_iob2

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"


# -- chunks ---------------------------------------------------------------------

def test_tags_to_spans_iob2():
    assert tags_to_spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]) == [
        ("PER", 0, 2), ("LOC", 3, 4), ("LOC", 4, 6)]


def test_tags_to_spans_iob1_and_stray_i():
    # IOB1: I- starts a chunk after O; B- only separates two adjacent chunks of one type.
    assert tags_to_spans(["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG"]) == [
        ("PER", 0, 2), ("PER", 2, 3), ("LOC", 4, 5), ("ORG", 5, 6)]
    # stray I- after O in IOB2 text, and a type change inside I- tags
    assert tags_to_spans(["O", "I-ORG", "I-ORG", "B-PER", "I-LOC"]) == [("ORG", 1, 3), ("PER", 3, 4), ("LOC", 4, 5)]


def test_tags_to_spans_iobes():
    assert tags_to_spans(["S-PER", "B-ORG", "E-ORG", "E-ORG"]) == [("PER", 0, 1), ("ORG", 1, 3), ("ORG", 3, 4)]


def test_to_iob2_keeps_chunks():
    tags = ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG"]
    assert to_iob2(tags) == ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG"]
    assert tags_to_spans(to_iob2(tags)) == tags_to_spans(tags)


# -- scorer against hand counts and against seqeval --------------------------------------

def test_entity_prf_by_hand():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "B-LOC"]]
    r = entity_prf(gold, pred)
    # gold chunks: PER, LOC, ORG (3); predicted: PER, ORG, ORG, LOC (4); correct: PER, ORG (2)
    assert r["micro"]["correct"] == 2 and r["micro"]["predicted"] == 4 and r["micro"]["support"] == 3
    assert r["micro"]["precision"] == pytest.approx(0.5)
    assert r["micro"]["recall"] == pytest.approx(2 / 3)
    assert r["micro"]["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert r["labels"]["LOC"]["f1"] == 0.0
    assert r["labels"]["ORG"]["precision"] == pytest.approx(0.5) and r["labels"]["ORG"]["recall"] == 1.0
    assert r["accuracy"] == pytest.approx(4 / 6)


def _random_tags(rng: random.Random, n: int) -> list[str]:
    pool = ["O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-ORG", "B-ORG"]
    return [rng.choice(pool) for _ in range(n)]


@pytest.mark.parametrize("seed", range(5))
def test_entity_prf_matches_seqeval(seed):
    rng = random.Random(seed)
    gold = [_random_tags(rng, rng.randint(1, 12)) for _ in range(60)]
    pred = [[t if rng.random() < 0.7 else rng.choice(["O", "B-PER", "I-LOC", "I-ORG"]) for t in s] for s in gold]
    r = entity_prf(gold, pred)
    assert r["micro"]["precision"] == pytest.approx(precision_score(gold, pred))
    assert r["micro"]["recall"] == pytest.approx(recall_score(gold, pred))
    assert r["micro"]["f1"] == pytest.approx(f1_score(gold, pred))
    rep = classification_report(gold, pred, output_dict=True, zero_division=0)
    for lab, v in r["labels"].items():
        assert v["f1"] == pytest.approx(rep[lab]["f1-score"]), lab
        assert v["support"] == rep[lab]["support"], lab


def test_entity_prf_iob1_against_seqeval():
    gold = [["I-PER", "I-PER", "B-PER", "O", "I-LOC"], ["O", "I-ORG", "I-ORG"]]
    pred = [["B-PER", "I-PER", "I-PER", "O", "I-LOC"], ["I-ORG", "I-ORG", "O"]]
    r = entity_prf(gold, pred)
    assert r["micro"]["f1"] == pytest.approx(f1_score(gold, pred))
    # by hand: gold PER(0,2) PER(2,3) LOC(4,5) ORG(1,3); pred PER(0,3) LOC(4,5) ORG(0,2): 1 correct
    assert (r["micro"]["correct"], r["micro"]["predicted"], r["micro"]["support"]) == (1, 3, 4)


def test_entity_prf_length_mismatch():
    with pytest.raises(ValueError, match="sentence 0"):
        entity_prf([["O", "O"]], [["O"]])
    with pytest.raises(ValueError, match="1 gold sentences but 2"):
        entity_prf([["O"]], [["O"], ["O"]])


# -- readers on small files ---------------------------------------------------------

def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_read_conll(tmp_path):
    p = _write(tmp_path, "a.txt", "فرانكفورت B-LOC\n( O\n\nغيث B-PERS\nالطراونة I-PERS\n. Oالإصابة O\n")
    s = read_tagged(p, "conll")
    assert s == [[("فرانكفورت", "B-LOC"), ("(", "O")],
                 [("غيث", "B-PERS"), ("الطراونة", "I-PERS"), (".", "O"), ("الإصابة", "O")]]


def test_read_conll_token_with_space(tmp_path):
    p = _write(tmp_path, "a.txt", "الصالحية ونايفة O\nالمفرق B-LOC\n")
    assert read_tagged(p, "conll") == [[("الصالحية ونايفة", "O"), ("المفرق", "B-LOC")]]


def test_read_wikiann(tmp_path):
    p = _write(tmp_path, "test", "fr:Upton\tB-ORG\nfr:Park\tI-ORG\n\nfr:a:b\tO\n")
    assert read_tagged(p, "wikiann") == [[("Upton", "B-ORG"), ("Park", "I-ORG")], [("a:b", "O")]]


def test_read_hipe(tmp_path):
    header = "TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNE-FINE-LIT\tNE-FINE-METO\tNE-FINE-COMP\tNE-NESTED\tNEL-LIT\tNEL-METO\tMISC\n"
    row = "{}\t{}\t_\tO\t_\t_\tO\t_\t_\t{}\n"
    text = (header + "# hipe2022:document_id = d1\n"
            + row.format("M", "B-PER", "_") + row.format("Dupont", "I-PER", "_")
            + row.format(".", "O", "NoSpaceAfter|EndOfSentence")
            + row.format("#mma", "I-LOC", "_")
            + "\n# hipe2022:document_id = d2\n" + row.format("Paris", "B-LOC", "_"))
    s = read_tagged(_write(tmp_path, "h.tsv", text), "hipe")
    assert s == [[("M", "B-PER"), ("Dupont", "I-PER"), (".", "O")], [("#mma", "B-LOC")], [("Paris", "B-LOC")]]


def test_read_europeana_iob1_to_iob2(tmp_path):
    p = _write(tmp_path, "e.bio", "Emmanuel I-PER\nDESOLES I-PER\nà O\nParis I-LOC\n. O\nLyon I-LOC\n")
    assert read_tagged(p, "europeana") == [
        [("Emmanuel", "B-PER"), ("DESOLES", "I-PER"), ("à", "O"), ("Paris", "B-LOC"), (".", "O")],
        [("Lyon", "B-LOC")]]
    assert read_tagged(p, "europeana", iob2=False)[0][0] == ("Emmanuel", "I-PER")


def test_read_newsfane(tmp_path):
    text = "\ufeff\u200eفرانكفورت\tB-Population-Center\r\n(\tO\r\n\t\r\n\u200eد\tI-Media\r\n"
    p = _write(tmp_path, "n.txt", text)
    assert read_tagged(p, "newsfane") == [[("فرانكفورت", "B-Population-Center"), ("(", "O")], [("د", "B-Media")]]
    mapped = read_tagged(p, "newsfane", label_map={"Population-Center": "LOC", "Media": None})
    assert mapped == [[("فرانكفورت", "B-LOC"), ("(", "O")], [("د", "O")]]


def test_read_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_tagged(tmp_path / "missing.txt", "conll")
    with pytest.raises(ValueError, match="unknown format"):
        read_tagged(tmp_path / "x", "brat")
    p = _write(tmp_path, "bad.txt", "ok O\nlonely\n")
    with pytest.raises(InputError, match=r"bad.txt:2"):
        read_tagged(p, "conll")


# -- the real corpora (sizes stated in shared/corpora/README.md) -----------------------------

@pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not present")
@pytest.mark.parametrize("rel,fmt,n_sent,n_tok", [
    ("ar/anercorp/test.txt", "conll", 918, None),
    ("ar/anercorp/train.txt", "conll", 3988, None),
    ("ar/newsfane-gold/NewsFANE_Gold_2014_170K.txt", "newsfane", 4760, 168080),
    ("fr/wikiann/test", "wikiann", 10000, None),
])
def test_real_corpora_sizes(rel, fmt, n_sent, n_tok):
    sents = read_tagged(CORPORA / rel, fmt)
    assert len(sents) == n_sent
    if n_tok is not None:
        assert sum(map(len, sents)) == n_tok
    assert all(tag == "O" or tag[:2] in ("B-", "I-") for s in sents for _, tag in s)


def test_spans_to_tags_round_trip():
    from healthcoop_nlp.scoring.conll import spans_to_tags
    spans = [("PER", 0, 2), ("PER", 2, 3), ("LOC", 4, 5)]
    tags = spans_to_tags(spans, 6)
    assert tags == ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "O"]
    assert tags_to_spans(tags) == spans
    with pytest.raises(ValueError, match="outside a sentence of 3 tokens"):
        spans_to_tags([("PER", 2, 4)], 3)
