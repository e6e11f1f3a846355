"""Sub-word pieces (ner.subwords) and the BiLSTM-CRF pieces that use them (pooling, Viterbi, ensembles)."""

import itertools

import pytest

from healthcoop_nlp.ner.subwords import MAX_PIECES, PieceTable, piece_text

PIECES = ["<pad>", "<unk>", "▁", "▁ال", "▁الم", "غرب", "مغرب", "▁مغ", "رب", "ا", "ل", "م", "غ", "ر", "ب", "▁W", "HO"]
SCORES = [0.0, 0.0, -3.0, -4.0, -6.0, -7.0, -5.0, -9.0, -8.0] + [-10.0] * 6 + [-9.0, -9.0]


@pytest.fixture(scope="module")
def table():
    pytest.importorskip("tokenizers")
    return PieceTable(PIECES, SCORES)


def test_segmentation_takes_the_most_probable_split(table):
    # ▁ال + مغرب (-4 - 5) beats ▁الم + غرب (-6 - 7) and any split into letters
    assert table.segment("المغرب") == ["▁ال", "مغرب"]
    assert table.segment("WHO") == ["▁W", "HO"]


def test_diacritics_are_removed_and_unknown_letters_map_to_unk(table):
    assert table.segment("المَغْرِب") == ["▁ال", "مغرب"]
    assert piece_text("مُـراكش") == "مراكش"
    ids = table.ids("زz")
    assert 1 in ids and 0 not in ids


def test_ids_are_capped_and_never_empty(table):
    assert len(table.ids("ا" * 40)) == MAX_PIECES
    assert table.ids("") and all(i > 0 for i in table.ids(""))


def test_save_and_load_round_trip(table, tmp_path):
    table.save(tmp_path / "pieces.json")
    again = PieceTable.load(tmp_path / "pieces.json")
    assert again.pieces == table.pieces and again.ids("المغرب") == table.ids("المغرب")


def test_a_table_without_the_special_pieces_is_refused():
    pytest.importorskip("tokenizers")
    with pytest.raises(ValueError, match="<pad>"):
        PieceTable(["a", "b"], [0.0, 0.0])


def test_viterbi_finds_the_best_path_and_ensembles_average():
    torch = pytest.importorskip("torch")
    from healthcoop_nlp.ner.ar_lstm import viterbi

    g = torch.Generator().manual_seed(0)
    t, n = 3, 4
    em = torch.randn(2, n, t, generator=g)
    start, end, trans = torch.randn(t, generator=g), torch.randn(t, generator=g), torch.randn(t, t, generator=g)
    mask = torch.tensor([[True] * n, [True, True, False, False]])
    got = viterbi(em, mask, start, trans, end)
    for j, length in enumerate((n, 2)):
        def score(path):
            s = start[path[0]] + em[j, 0, path[0]] + end[path[-1]]
            return s + sum(trans[a, b] + em[j, i + 1, b] for i, (a, b) in enumerate(zip(path, path[1:])))
        best = max(itertools.product(range(t), repeat=length), key=lambda p: float(score(p)))
        assert got[j] == list(best)


def test_pooled_pieces_ignore_padding_and_ensemble_of_one_is_the_model():
    torch = pytest.importorskip("torch")
    from healthcoop_nlp.ner.ar_lstm import BiLstmCrf, Ensemble

    sizes = {"word": 5, "char": 5, "gaz": 3, "name": 3, "shape": 3, "pre": 3, "sub": 6}
    torch.manual_seed(0)
    m = BiLstmCrf(sizes, sub_dim=4).eval()
    ids = torch.tensor([[[2, 3, 0, 0], [4, 0, 0, 0]]])
    v = m.pooled_pieces(ids)
    assert torch.allclose(v[0, 0], m.sub.weight[2:4].mean(0))
    assert torch.allclose(v[0, 1], m.sub.weight[4])
    x = {"word": torch.tensor([[2, 3]]), "char": torch.tensor([[[2, 3], [4, 0]]]), "sub": ids,
         **{k: torch.tensor([[1, 2]]) for k in ("gaz", "name", "shape", "pre")}}
    mask = torch.ones(1, 2, dtype=torch.bool)
    assert Ensemble([m]).decode(x, mask) == m.decode(x, mask)
    assert Ensemble([m, m]).decode(x, mask) == m.decode(x, mask)
