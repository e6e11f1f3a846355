"""Percentile bootstrap confidence intervals over documents."""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

__all__ = ["bootstrap_ci"]

Metric = Callable[[np.ndarray], np.ndarray]


def bootstrap_ci(counts: np.ndarray, metrics: Mapping[str, Metric], n: int = 1000, seed: int = 0,
                 level: float = 0.95, chunk: int = 100) -> dict[str, tuple[float | None, float | None]]:
    """Percentile CIs of corpus metrics, resampling documents with replacement.

    ``counts`` is a (documents x columns) array of per-document counts that
    add up over documents; each metric maps summed counts (resamples x
    columns) to one value per resample (NaN where undefined, which the
    percentiles skip). ``n`` resamples drawn with ``numpy.random.default_rng(seed)``:
    the same inputs, ``n`` and ``seed`` give the same intervals.
    """
    counts = np.asarray(counts, dtype=float)
    docs = counts.shape[0]
    if n <= 0 or docs == 0:
        return {name: (None, None) for name in metrics}
    rng = np.random.default_rng(seed)
    values: dict[str, list[np.ndarray]] = {name: [] for name in metrics}
    probs = np.full(docs, 1.0 / docs)
    done = 0
    while done < n:
        k = min(chunk, n - done)
        weights = rng.multinomial(docs, probs, size=k)      # how often each document is drawn
        sums = weights @ counts
        with np.errstate(divide="ignore", invalid="ignore"):
            for name, fn in metrics.items():
                values[name].append(np.asarray(fn(sums), dtype=float))
        done += k
    alpha = (1.0 - level) / 2 * 100
    out: dict[str, tuple[float | None, float | None]] = {}
    for name, parts in values.items():
        v = np.concatenate(parts)
        v = v[~np.isnan(v)]
        if v.size == 0:
            out[name] = (None, None)
        else:
            lo, hi = np.percentile(v, [alpha, 100 - alpha])
            out[name] = (float(lo), float(hi))
    return out
