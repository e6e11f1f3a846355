"""One-to-one matching of spans, and the text around a span for error lists."""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["max_matching", "overlap", "jaccard", "context"]

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


def max_matching(gold: Sequence[G], pred: Sequence[P],
                 weight: Callable[[G, P], float | None]) -> list[tuple[int, int]]:
    """A one-to-one matching of gold and pred items: ``[(gold_index, pred_index)]``.

    ``weight(g, p)`` is None when the two may not be matched, else a value in
    [0, 1]. The matching has the largest number of pairs and, among those, the
    largest total weight (Hungarian algorithm); pairs are sorted by gold index.
    """
    if not gold or not pred:
        return []
    w = np.zeros((len(gold), len(pred)))
    allowed = np.zeros((len(gold), len(pred)), dtype=bool)
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            v = weight(g, p)
            if v is not None:
                allowed[i, j] = True
                w[i, j] = v
    if not allowed.any():
        return []
    # Each allowed pair is worth 1 + weight/(n+1), n = most pairs possible: k pairs are worth
    # less than k + 1, so more pairs always beat more weight.
    eps = 1.0 / (min(len(gold), len(pred)) + 1)
    score = np.where(allowed, 1.0 + w * eps, 0.0)
    rows, cols = linear_sum_assignment(score, maximize=True)
    return sorted((int(i), int(j)) for i, j in zip(rows, cols) if allowed[i, j])


def context(text: str, start: int, end: int, window: int = 60) -> dict:
    """The span and up to ``window`` characters either side: ``{left, span, right, start, end}``."""
    s = max(0, start - window)
    e = min(len(text), end + window)
    return {"left": text[s:start], "span": text[start:end], "right": text[end:e], "start": s, "end": e}
