"""Normalisation for matching (never for offsets): the guide's section 4 rule.

NFKC, lower case, Arabic diacritics and tatweel removed, alef variants folded
to bare alef, alef maqsura to ya, ta marbuta to ha, whitespace folded. One
function per operation, composed by ``normalize``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["dediacritize", "fold_arabic_letters", "fold_whitespace", "normalize"]

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, and tatweel.
_AR_DIACRITICS = re.compile("[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]")
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_WS = re.compile(r"\s+")


def dediacritize(text: str) -> str:
    """Remove Arabic diacritics and tatweel."""
    return _AR_DIACRITICS.sub("", text)


def fold_arabic_letters(text: str) -> str:
    """Fold alef variants to ا, ى to ي, ة to ه."""
    return text.translate(_AR_FOLD)


def fold_whitespace(text: str) -> str:
    """Collapse runs of whitespace into one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def normalize(text: str) -> str:
    """The scorer's normalised text: NFKC, lower case, Arabic folding, whitespace folded."""
    return fold_whitespace(fold_arabic_letters(dediacritize(unicodedata.normalize("NFKC", text).lower())))
