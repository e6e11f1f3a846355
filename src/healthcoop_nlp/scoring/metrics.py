"""Precision, recall and F1 from counts, and the conventions for empty counts."""

from __future__ import annotations

from typing import Iterable, Mapping

__all__ = ["prf", "add_counts", "accuracy"]


def prf(tp: float, n_pred: float, n_gold: float) -> dict:
    """``{precision, recall, f1, tp, pred, gold}`` from counts.

    With nothing predicted and nothing in the gold the figures are ``None``
    (undefined: nothing to score); otherwise a zero denominator gives 0.0.
    """
    d: dict = {"tp": tp, "pred": n_pred, "gold": n_gold}
    if n_pred == 0 and n_gold == 0:
        d.update(precision=None, recall=None, f1=None)
        return d
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    d.update(precision=p, recall=r, f1=2 * tp / (n_pred + n_gold))
    return d


def accuracy(correct: int, total: int) -> dict:
    """``{accuracy, correct, total}``; ``accuracy`` is None when total is 0."""
    return {"accuracy": correct / total if total else None, "correct": correct, "total": total}


def add_counts(counts: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Key-wise sum of count dicts."""
    out: dict[str, float] = {}
    for c in counts:
        for k, v in c.items():
            out[k] = out.get(k, 0) + v
    return out
