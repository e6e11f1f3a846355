"""Linear models over string features, read from JSON (no unpickling): ``p = sigmoid(bias + sum(w[f]))``."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

__all__ = ["LinearModel", "EventModels", "load_models"]


@dataclass
class LinearModel:
    """A logistic regression: one weight per feature string and a bias."""

    bias: float
    weights: dict[str, float]

    def score(self, features: Iterable[str]) -> float:
        """The probability of the positive class."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "LinearModel":
        return cls(bias=float(d["bias"]), weights={k: float(v) for k, v in d["w"].items()})

    def to_dict(self) -> dict[str, Any]:
        return {"bias": self.bias, "w": self.weights}


@dataclass
class EventModels:
    """The learned event steps: candidate list, trigger classifiers per type, merging, argument linking."""

    known: frozenset[str]
    trigger: dict[str, LinearModel]
    merge: LinearModel
    args: dict[str, LinearModel]  # "parse" (French dependency features) and "noparse"
    thresholds: dict[str, float]
    calibration: dict[str, Any]
    prior: dict[str, list[int]] | None = None  # key -> [candidates seen, triggers of each type...]
    types: tuple[str, ...] = ()
    event: LinearModel | None = None  # keep or drop a merged event (trained on out-of-fold trigger scores)

    def threshold_for(self, what: str, precision: float) -> float:
        """The lowest threshold whose dev precision (calibration table ``what``: "events" or "arguments")
        is at least ``precision``."""
        table = self.calibration.get(what) or []
        ok = [row["threshold"] for row in table if (row.get("precision") or 0.0) >= precision]
        if not ok:
            best = max((row.get("precision") or 0.0 for row in table), default=0.0)
            raise ValueError(f"no threshold reached a {what} precision of {precision} on dev (best {best:.2f}); "
                             f"ask for less, or pass a threshold")
        return float(min(ok))


def load_models(path: Path) -> EventModels:
    """Read ``models/events/events.json`` (written by ``python -m healthcoop_nlp.train.events``)."""
    if not path.exists():
        raise FileNotFoundError(f"event model {path} not found; rebuild it with "
                                f"`python -m healthcoop_nlp.train.events` (needs ../shared/hcnews/train)")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return EventModels(
        known=frozenset(raw["known"]),
        trigger={t: LinearModel.from_dict(d) for t, d in raw["trigger"].items()},
        merge=LinearModel.from_dict(raw["merge"]),
        args={k: LinearModel.from_dict(d) for k, d in raw["args"].items()},
        thresholds={k: float(v) for k, v in raw.get("thresholds", {}).items()},
        calibration=raw.get("calibration", {}),
        prior=raw.get("prior"), types=tuple(raw.get("types", ())),
        event=LinearModel.from_dict(raw["event"]) if raw.get("event") else None,
    )
