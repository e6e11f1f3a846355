"""Offset-preserving tokenisation and normalisation for matching (French, Arabic)."""

from .normalize import dediacritize, fold_arabic_letters, fold_whitespace, normalize
from .tokenize import Token, sentences, tokenize

__all__ = ["dediacritize", "fold_arabic_letters", "fold_whitespace", "normalize", "Token", "sentences", "tokenize"]
