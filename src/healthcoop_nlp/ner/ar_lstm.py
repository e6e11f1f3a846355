"""A BiLSTM-CRF over words, characters and the CRF tagger's lexical features (experimental).

Inputs per token: the matching form's word id, its characters (a CNN with max
pooling), and small embeddings of the gazetteer tag, the name-list label, the
word shape and the proclitic string. Weights are saved with safetensors and the
vocabularies as JSON, so loading never unpickles objects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import torch
from torch import nn

from .ar_features import lookup_name, match_form, strip_proclitics, _shape

__all__ = ["Vocab", "BiLstmCrf", "LstmTagger", "encode", "TAGS"]

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
MAX_CHARS = 20


class Vocab:
    """String -> id tables (id 0 = padding, 1 = unknown)."""

    def __init__(self, tables: dict[str, list[str]]):
        self.tables = tables
        self.index = {k: {s: i for i, s in enumerate(v)} for k, v in tables.items()}

    def id(self, table: str, s: str) -> int:
        return self.index[table].get(s, 1)

    def size(self, table: str) -> int:
        return len(self.tables[table])

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.tables, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Vocab":
        return cls(json.loads(path.read_text(encoding="utf-8")))


def token_fields(tokens: Sequence[str], gaz: Sequence[str | None], names: dict[str, str]) -> list[dict[str, str]]:
    """The string inputs of each token (word, chars, gaz, name, shape, pre)."""
    out = []
    for tok, g in zip(tokens, gaz):
        f = match_form(tok)
        pre, _ = strip_proclitics(f)
        out.append({"word": f, "chars": f, "gaz": g or "-", "name": lookup_name(names, f) or "-" if names else "-",
                    "shape": _shape(tok), "pre": pre or "-"})
    return out


def encode(vocab: Vocab, fields: list[dict[str, str]], word_dropout: float = 0.0,
           gen: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """Tensors for one sentence."""
    words = [vocab.id("word", x["word"]) for x in fields]
    if word_dropout:
        drop = torch.rand(len(words), generator=gen) < word_dropout
        words = [1 if d else w for w, d in zip(words, drop.tolist())]
    chars = [[vocab.id("char", c) for c in x["chars"][:MAX_CHARS]] or [1] for x in fields]
    width = max(len(c) for c in chars)
    chars = [c + [0] * (width - len(c)) for c in chars]
    return {
        "word": torch.tensor(words),
        "char": torch.tensor(chars),
        **{k: torch.tensor([vocab.id(k, x[k]) for x in fields]) for k in ("gaz", "name", "shape", "pre")},
    }


def pad_batch(items: list[dict[str, torch.Tensor]]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Pad a list of encoded sentences; returns (batch, mask)."""
    n = max(len(x["word"]) for x in items)
    w = max(x["char"].shape[1] for x in items)
    out: dict[str, torch.Tensor] = {}
    for k in ("word", "gaz", "name", "shape", "pre"):
        out[k] = torch.zeros(len(items), n, dtype=torch.long)
        for i, x in enumerate(items):
            out[k][i, :len(x[k])] = x[k]
    out["char"] = torch.zeros(len(items), n, w, dtype=torch.long)
    for i, x in enumerate(items):
        out["char"][i, :x["char"].shape[0], :x["char"].shape[1]] = x["char"]
    mask = torch.zeros(len(items), n, dtype=torch.bool)
    for i, x in enumerate(items):
        mask[i, :len(x["word"])] = True
    return out, mask


class BiLstmCrf(nn.Module):
    """Embeddings -> BiLSTM -> emission scores -> linear-chain CRF."""

    def __init__(self, sizes: dict[str, int], n_tags: int = len(TAGS), word_dim: int = 100, char_dim: int = 30,
                 char_filters: int = 50, feat_dim: int = 10, hidden: int = 128, dropout: float = 0.5):
        super().__init__()
        self.config = dict(sizes=sizes, n_tags=n_tags, word_dim=word_dim, char_dim=char_dim,
                           char_filters=char_filters, feat_dim=feat_dim, hidden=hidden, dropout=dropout)
        self.word = nn.Embedding(sizes["word"], word_dim, padding_idx=0)
        self.char = nn.Embedding(sizes["char"], char_dim, padding_idx=0)
        self.char_cnn = nn.Conv1d(char_dim, char_filters, 3, padding=1)
        self.feats = nn.ModuleDict({k: nn.Embedding(sizes[k], feat_dim, padding_idx=0)
                                    for k in ("gaz", "name", "shape", "pre")})
        in_dim = word_dim + char_filters + 4 * feat_dim
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(in_dim, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, n_tags)
        self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))
        self.start = nn.Parameter(torch.zeros(n_tags))
        self.end = nn.Parameter(torch.zeros(n_tags))

    def emissions(self, x: dict[str, torch.Tensor], mask: torch.Tensor) -> torch.Tensor:
        b, n, w = x["char"].shape
        c = self.char(x["char"].view(b * n, w)).transpose(1, 2)
        c = torch.relu(self.char_cnn(c)).max(dim=2).values.view(b, n, -1)
        h = torch.cat([self.word(x["word"]), c] + [self.feats[k](x[k]) for k in ("gaz", "name", "shape", "pre")], -1)
        lengths = mask.sum(1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(h), lengths, batch_first=True, enforce_sorted=False)
        o, _ = self.lstm(packed)
        o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=n)
        return self.out(self.drop(o))

    def nll(self, x: dict[str, torch.Tensor], tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood of the gold tag sequences."""
        em = self.emissions(x, mask)
        b, n, t = em.shape
        # gold path score
        score = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for i in range(1, n):
            s = self.trans[tags[:, i - 1], tags[:, i]] + em[:, i].gather(1, tags[:, i:i + 1]).squeeze(1)
            score = score + s * mask[:, i]
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        score = score + self.end[last]
        # partition function
        alpha = self.start + em[:, 0]
        for i in range(1, n):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans + em[:, i].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, i:i + 1], nxt, alpha)
        logz = torch.logsumexp(alpha + self.end, dim=1)
        return (logz - score).mean()

    @torch.no_grad()
    def decode(self, x: dict[str, torch.Tensor], mask: torch.Tensor) -> list[list[int]]:
        """Viterbi tag ids per sentence."""
        em = self.emissions(x, mask)
        b, n, t = em.shape
        score = self.start + em[:, 0]
        back = []
        for i in range(1, n):
            s = score.unsqueeze(2) + self.trans
            best, idx = s.max(dim=1)
            nxt = best + em[:, i]
            score = torch.where(mask[:, i:i + 1], nxt, score)
            back.append(torch.where(mask[:, i:i + 1], idx, torch.arange(t).expand(b, t)))
        score = score + self.end
        out = []
        lengths = mask.sum(1).tolist()
        for j in range(b):
            k = int(score[j].argmax())
            path = [k]
            for i in range(lengths[j] - 2, -1, -1):
                k = int(back[i][j, k])
                path.append(k)
            out.append(path[::-1])
        return out


class LstmTagger:
    """A trained BiLSTM-CRF folder (``model.safetensors``, ``vocab.json``, ``names.json``,
    ``config.json``) as a sentence tagger."""

    def __init__(self, folder: Path, lexicon):
        from safetensors.torch import load_file

        from .ar_features import FEATURE_VERSION

        folder = Path(folder)
        if not (folder / "model.safetensors").is_file():
            raise FileNotFoundError(f"{folder}/model.safetensors not found; train it with "
                                    "`healthcoop-nlp train-ner --lang ar --arch lstm`")
        meta = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if meta.get("feature_version", FEATURE_VERSION) != FEATURE_VERSION:
            raise ValueError(f"{folder} was trained with features v{meta.get('feature_version')}; retrain it")
        torch.set_num_threads(1)
        self.vocab = Vocab.load(folder / "vocab.json")
        self.names = json.loads((folder / "names.json").read_text(encoding="utf-8"))
        self.model = BiLstmCrf(**meta["config"])
        self.model.load_state_dict(load_file(str(folder / "model.safetensors")))
        self.model.eval()
        self.lexicon = lexicon

    def tag_sentences(self, sentences: list[list[str]], batch: int = 32) -> list[list[str]]:
        """IOB2 tags for each sentence (a list of token strings)."""
        out: list[list[str]] = []
        with torch.inference_mode():
            for i in range(0, len(sentences), batch):
                chunk = sentences[i:i + batch]
                x, mask = pad_batch([encode(self.vocab, token_fields(w, self.lexicon.token_tags(w), self.names))
                                     for w in chunk])
                out += [[TAGS[k] for k in p] for p in self.model.decode(x, mask)]
        return out
