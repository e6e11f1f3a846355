"""A BiLSTM-CRF tagger (a seed ensemble) over words, characters, lexical features and sub-word pieces.

Inputs per token: the matching form's word id, its characters (a CNN with max
pooling), small embeddings of the gazetteer tag, the name-list label, the
word shape and the proclitic string, and (when the model has them) pretrained
sub-word piece embeddings pooled over the word's pieces (``ner.subwords``;
multilingual-e5-small's rows, see ``train.e5_pieces``). Weights are saved with
safetensors and the vocabularies as JSON, so loading never unpickles objects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import torch
from torch import nn

from .ar_features import lookup_name, match_form, strip_proclitics, word_shape
from .subwords import PieceTable

__all__ = ["Vocab", "BiLstmCrf", "Ensemble", "LstmTagger", "encode", "pad_batch", "viterbi", "member_files", "load_member", "load_shared", "TAGS"]

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


def token_fields(tokens: Sequence[str], gaz: Sequence[str | None], names: dict[str, str],
                 pieces: PieceTable | None = None) -> list[dict]:
    """The inputs of each token: strings (word, chars, gaz, name, shape, pre) and, with a piece
    table, the piece ids (sub)."""
    out = []
    for tok, g in zip(tokens, gaz):
        f = match_form(tok)
        pre, _ = strip_proclitics(f)
        d = {"word": f, "chars": f, "gaz": g or "-", "name": lookup_name(names, f) or "-" if names else "-",
             "shape": word_shape(tok), "pre": pre or "-"}
        if pieces is not None:
            d["sub"] = pieces.ids(tok)
        out.append(d)
    return out


def encode(vocab: Vocab, fields: list[dict], word_dropout: float = 0.0,
           gen: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """Tensors for one sentence."""
    words = [vocab.id("word", x["word"]) for x in fields]
    if word_dropout:
        drop = torch.rand(len(words), generator=gen) < word_dropout
        words = [1 if d else w for w, d in zip(words, drop.tolist())]
    chars = [[vocab.id("char", c) for c in x["chars"][:MAX_CHARS]] or [1] for x in fields]
    width = max(len(c) for c in chars)
    chars = [c + [0] * (width - len(c)) for c in chars]
    out = {
        "word": torch.tensor(words),
        "char": torch.tensor(chars),
        **{k: torch.tensor([vocab.id(k, x[k]) for x in fields]) for k in ("gaz", "name", "shape", "pre")},
    }
    if fields and "sub" in fields[0]:
        width = max(len(x["sub"]) for x in fields)
        out["sub"] = torch.tensor([list(x["sub"]) + [0] * (width - len(x["sub"])) for x in fields])
    return out


def pad_batch(items: list[dict[str, torch.Tensor]]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Pad a list of encoded sentences; returns (batch, mask)."""
    n = max(len(x["word"]) for x in items)
    out: dict[str, torch.Tensor] = {}
    for k in ("word", "gaz", "name", "shape", "pre"):
        out[k] = torch.zeros(len(items), n, dtype=torch.long)
        for i, x in enumerate(items):
            out[k][i, :len(x[k])] = x[k]
    for k in ("char", "sub"):  # [words, width] per sentence -> [b, n, widest]
        if k not in items[0]:
            continue
        w = max(x[k].shape[1] for x in items)
        out[k] = torch.zeros(len(items), n, w, dtype=torch.long)
        for i, x in enumerate(items):
            out[k][i, :x[k].shape[0], :x[k].shape[1]] = x[k]
    mask = torch.zeros(len(items), n, dtype=torch.bool)
    for i, x in enumerate(items):
        mask[i, :len(x["word"])] = True
    return out, mask


class BiLstmCrf(nn.Module):
    """Embeddings -> BiLSTM -> emission scores -> linear-chain CRF."""

    def __init__(self, sizes: dict[str, int], n_tags: int = len(TAGS), word_dim: int = 100, char_dim: int = 30,
                 char_filters: int = 50, feat_dim: int = 10, hidden: int = 128, dropout: float = 0.5,
                 sub_dim: int = 0, sub_proj: int = 0, sub_pool: str = "mean"):
        super().__init__()
        self.config = dict(sizes=sizes, n_tags=n_tags, word_dim=word_dim, char_dim=char_dim,
                           char_filters=char_filters, feat_dim=feat_dim, hidden=hidden, dropout=dropout,
                           sub_dim=sub_dim, sub_proj=sub_proj, sub_pool=sub_pool)
        self.word = nn.Embedding(sizes["word"], word_dim, padding_idx=0)
        self.char = nn.Embedding(sizes["char"], char_dim, padding_idx=0)
        self.char_cnn = nn.Conv1d(char_dim, char_filters, 3, padding=1)
        self.feats = nn.ModuleDict({k: nn.Embedding(sizes[k], feat_dim, padding_idx=0)
                                    for k in ("gaz", "name", "shape", "pre")})
        in_dim = word_dim + char_filters + 4 * feat_dim
        self.sub_pool = sub_pool
        if sub_dim:  # pretrained piece embeddings (rows set by the trainer), pooled per word
            self.sub = nn.Embedding(sizes["sub"], sub_dim, padding_idx=0)
            if sub_pool == "attn":
                self.sub_att = nn.Linear(sub_dim, 1)
            self.sub_proj = nn.Linear(sub_dim, sub_proj) if sub_proj else None
            in_dim += sub_proj or sub_dim
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
        parts = [self.word(x["word"]), c] + [self.feats[k](x[k]) for k in ("gaz", "name", "shape", "pre")]
        if self.config["sub_dim"]:
            parts.append(self.pooled_pieces(x["sub"]))
        h = torch.cat(parts, -1)
        lengths = mask.sum(1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(h), lengths, batch_first=True, enforce_sorted=False)
        o, _ = self.lstm(packed)
        o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=n)
        return self.out(self.drop(o))

    def pooled_pieces(self, ids: torch.Tensor) -> torch.Tensor:
        """One vector per word from its piece ids ([b, n, p] -> [b, n, d])."""
        e = self.sub(ids)
        m = (ids > 0).unsqueeze(-1)
        if self.sub_pool == "attn":
            a = self.sub_att(e).masked_fill(~m, -1e4).softmax(dim=2)
            v = (a * e).sum(2)
        else:
            v = (e * m).sum(2) / m.sum(2).clamp(min=1)
        return torch.tanh(self.sub_proj(v)) if self.sub_proj is not None else v

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
        return viterbi(self.emissions(x, mask), mask, self.start, self.trans, self.end)


class Ensemble(nn.Module):
    """Several BiLstmCrf members decoded together: mean emissions, mean CRF scores."""

    def __init__(self, members: Sequence[BiLstmCrf]):
        super().__init__()
        self.members = nn.ModuleList(members)

    @torch.no_grad()
    def decode(self, x: dict[str, torch.Tensor], mask: torch.Tensor) -> list[list[int]]:
        """Viterbi tag ids per sentence."""
        if len(self.members) == 1:
            return self.members[0].decode(x, mask)
        mean = lambda f: torch.stack([f(m) for m in self.members]).mean(0)  # noqa: E731
        return viterbi(mean(lambda m: m.emissions(x, mask)), mask, mean(lambda m: m.start),
                       mean(lambda m: m.trans), mean(lambda m: m.end))


def viterbi(em: torch.Tensor, mask: torch.Tensor, start: torch.Tensor, trans: torch.Tensor,
            end: torch.Tensor) -> list[list[int]]:
    """Best tag ids per sentence under emission scores ``em`` [b, n, t] and CRF scores."""
    b, n, t = em.shape
    score = start + em[:, 0]
    back = []
    for i in range(1, n):
        s = score.unsqueeze(2) + trans
        best, idx = s.max(dim=1)
        nxt = best + em[:, i]
        score = torch.where(mask[:, i:i + 1], nxt, score)
        back.append(torch.where(mask[:, i:i + 1], idx, torch.arange(t, device=em.device).expand(b, t)))
    last = (score + end).argmax(1).tolist()
    back_rows = torch.stack(back, 1).cpu().tolist() if back else [[] for _ in range(b)]  # [b][n-1][t]
    out = []
    lengths = mask.sum(1).tolist()
    for j in range(b):
        k = last[j]
        path = [k]
        rows = back_rows[j]
        for i in range(lengths[j] - 2, -1, -1):
            k = rows[i][k]
            path.append(k)
        out.append(path[::-1])
    return out


def member_files(folder: Path) -> list[Path]:
    """The weight files of a model folder: model.safetensors, then model-1, model-2... (an ensemble)."""
    files = [folder / "model.safetensors"]
    k = 1
    while (folder / f"model-{k}.safetensors").is_file():
        files.append(folder / f"model-{k}.safetensors")
        k += 1
    return files


def load_member(path: Path, config: dict, shared: dict[str, torch.Tensor] | None = None,
                sub: nn.Embedding | None = None) -> BiLstmCrf:
    """One BiLstmCrf from its safetensors file plus ``shared`` tensors (frozen piece rows kept
    once for all members), or with ``sub`` (an already loaded piece table) as its own;
    fp16 tensors are widened to float32."""
    from safetensors.torch import load_file

    model = BiLstmCrf(**config)
    state = {} if sub is not None else dict(shared or {})
    state.update(load_file(str(path)))
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in state.items()}, strict=sub is None)
    if sub is not None:
        if unexpected or set(missing) != {"sub.weight"}:
            raise ValueError(f"{path} does not match its folder's config.json; retrain the model")
        model.sub = sub
    return model.eval()


def load_shared(folder: Path) -> dict[str, torch.Tensor]:
    """The tensors all members of a folder share (``shared.safetensors``, absent: none)."""
    from safetensors.torch import load_file

    path = Path(folder) / "shared.safetensors"
    return load_file(str(path)) if path.is_file() else {}


class LstmTagger:
    """A trained BiLSTM-CRF folder (``model.safetensors`` [+ ``model-1.safetensors``... for an
    ensemble], ``vocab.json``, ``names.json``, ``config.json`` [+ ``pieces.json`` and, for frozen
    pieces, ``shared.safetensors``]) as a sentence tagger."""

    def __init__(self, folder: Path, lexicon):
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
        self.pieces = None
        if meta["config"].get("sub_dim"):
            if not (folder / "pieces.json").is_file():
                raise FileNotFoundError(f"{folder}/pieces.json (the sub-word pieces) is missing; retrain the model")
            self.pieces = PieceTable.load(folder / "pieces.json")
        shared = load_shared(folder)
        members: list[BiLstmCrf] = []
        for f in member_files(folder):  # frozen piece rows (shared): one table for all members
            sub = members[0].sub if members and "sub.weight" in shared else None
            members.append(load_member(f, meta["config"], shared, sub))
        self.model = Ensemble(members).eval()
        self.lexicon = lexicon

    def tag_sentences(self, sentences: list[list[str]], batch: int = 32) -> list[list[str]]:
        """IOB2 tags for each sentence (a list of token strings)."""
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))  # less padding per batch
        out: list[list[str]] = [[] for _ in sentences]
        with torch.inference_mode():
            for i in range(0, len(order), batch):
                chunk = order[i:i + batch]
                x, mask = pad_batch([encode(self.vocab, token_fields(sentences[j], self.lexicon.token_tags(sentences[j]),
                                                                     self.names, self.pieces))
                                     for j in chunk])
                for j, p in zip(chunk, self.model.decode(x, mask)):
                    out[j] = [TAGS[k] for k in p]
        return out
