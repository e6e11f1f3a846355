"""Where shipped files live: data files in the package, trained models in ``models/``."""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_path", "model_path", "MODELS_DIR"]

_PKG = Path(__file__).resolve().parent
# In a wheel, models/ is packed as healthcoop_nlp/models; in a checkout it sits at the repo root.
MODELS_DIR = _PKG / "models" if (_PKG / "models").is_dir() else _PKG.parents[1] / "models"


def data_path(lang: str, name: str) -> Path:
    """A data file (lexicon, gazetteer, date words) of one language: ``data/<lang>/<name>``."""
    return _PKG / "data" / lang / name


def model_path(name: str) -> Path:
    """A trained model file or folder under ``models/``, with a message that says how to get it."""
    p = MODELS_DIR / name
    if not p.exists():
        raise FileNotFoundError(
            f"model {name!r} not found in {MODELS_DIR}; it ships with the package. In a checkout, "
            f"rebuild it with `healthcoop-nlp train-ner` (see models/README.md)")
    return p
