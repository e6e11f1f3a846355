"""Reporting: the evaluation report rendered for people (terminal text, Markdown, one HTML page).

``to_text(report)`` and ``to_markdown(report)`` render the dict that
``healthcoop_nlp.scoring.evaluate`` returns; ``write_html(report, path)``,
``render_html`` and ``read_report`` build the self-contained ``report.html``
(charts, highlighted documents, assets). The scores themselves are computed in
``healthcoop_nlp.scoring``: this package may import ``scoring``, never the
other way round (only the ``evaluate`` command, ``scoring/command.py``,
imports both).

The HTML entry points load on first use, so that importing this package (or
``report.render``) does not load matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .render import sections, to_markdown, to_text

__all__ = ["sections", "to_text", "to_markdown", "write_html", "render_html", "read_report"]

_LAZY = {"write_html": ".html", "render_html": ".html", "read_report": ".html"}


def __getattr__(name: str) -> Any:
    """``write_html``, ``render_html`` and ``read_report`` from ``report.html``, imported when first asked for."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
