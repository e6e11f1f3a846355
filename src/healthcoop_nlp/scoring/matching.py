"""One-to-one matching of spans, and the text around a span for error lists."""

from __future__ import annotations

import bisect
from typing import Callable, Iterable, Sequence, TypeVar

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["max_matching", "overlapping_pairs", "overlap", "jaccard", "context"]

G = TypeVar("G")
P = TypeVar("P")


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Number of characters two ``[start, end)`` spans share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def jaccard(a_start: int, a_end: int, b_start: int, b_end: int) -> float:
    """Shared characters over the characters of the union of two spans."""
    inter = overlap(a_start, a_end, b_start, b_end)
    union = max(a_end, b_end) - min(a_start, b_start)
    return inter / union if union > 0 else 0.0


def overlapping_pairs(gold: Sequence, pred: Sequence) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` of gold and pred items (with ``start``/``end``) whose spans overlap."""
    if not gold or not pred:
        return []
    order = sorted(range(len(pred)), key=lambda j: pred[j].start)
    starts = [pred[j].start for j in order]
    longest = max(p.end - p.start for p in pred)
    out = []
    for i, g in enumerate(gold):
        lo = bisect.bisect_right(starts, g.start - longest)
        hi = bisect.bisect_left(starts, g.end)
        for k in range(lo, hi):
            j = order[k]
            if pred[j].end > g.start and pred[j].start < g.end:
                out.append((i, j))
    return out


def max_matching(gold: Sequence[G], pred: Sequence[P], weight: Callable[[G, P], float | None],
                 candidates: Iterable[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """A one-to-one matching of gold and pred items: ``[(gold_index, pred_index)]``.

    ``weight(g, p)`` is None when the two may not be matched, else a value in
    [0, 1]; only the index pairs in ``candidates`` are tried when it is given
    (default: all pairs). The matching has the largest number of pairs and,
    among those, the largest total weight (Hungarian algorithm on each
    connected group of candidate pairs); pairs are sorted by gold index.
    """
    if not gold or not pred:
        return []
    if candidates is None:
        candidates = ((i, j) for i in range(len(gold)) for j in range(len(pred)))
    edges: dict[tuple[int, int], float] = {}
    for i, j in candidates:
        v = weight(gold[i], pred[j])
        if v is not None:
            edges[(i, j)] = v
    if not edges:
        return []
    # connected groups of gold and pred items (union-find over nodes ("g", i) and ("p", j))
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        parent[find(("g", i))] = find(("p", j))
    groups: dict = {}
    for (i, j), v in edges.items():
        groups.setdefault(find(("g", i)), []).append((i, j, v))
    out: list[tuple[int, int]] = []
    for group in groups.values():
        if len(group) == 1:
            out.append(group[0][:2])
            continue
        rows = sorted({i for i, _, _ in group})
        cols = sorted({j for _, j, _ in group})
        ri = {i: k for k, i in enumerate(rows)}
        ci = {j: k for k, j in enumerate(cols)}
        # Each allowed pair is worth 1 + weight/(n+1), n = most pairs possible: k pairs are worth
        # less than k + 1, so more pairs always beat more weight.
        eps = 1.0 / (min(len(rows), len(cols)) + 1)
        score = np.zeros((len(rows), len(cols)))
        allowed = np.zeros((len(rows), len(cols)), dtype=bool)
        for i, j, v in group:
            score[ri[i], ci[j]] = 1.0 + v * eps
            allowed[ri[i], ci[j]] = True
        r_idx, c_idx = linear_sum_assignment(score, maximize=True)
        out.extend((rows[a], cols[b]) for a, b in zip(r_idx, c_idx) if allowed[a, b])
    return sorted(out)


def context(text: str, start: int, end: int, window: int = 60) -> dict:
    """The span and up to ``window`` characters either side: ``{left, span, right, start, end}``."""
    s = max(0, start - window)
    e = min(len(text), end + window)
    return {"left": text[s:start], "span": text[start:end], "right": text[end:e], "start": s, "end": e}
