"""The report's charts: matplotlib figures rendered to inline SVG strings (no GUI, no network)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["Bar", "bar_chart", "forest_chart", "svg_of"]

_RC = {"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
       "font.family": ["sans-serif"]}


@dataclass(frozen=True)
class Bar:
    """One bar: its value (None: undefined, drawn as n/a), CI (low, high) or None, baseline value or None."""

    value: float | None
    ci: tuple[float | None, float | None] | None = None
    baseline: float | None = None


def svg_of(fig: Figure, name: str) -> str:
    """The figure as an ``<svg>`` element for inline use (XML prologue dropped, ids salted by ``name``)."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": name}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # make the SVG scale with its container while keeping its aspect ratio
    return re.sub(r'<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"',
                  lambda m: f'<svg{m.group(1)} class="chart" role="img" aria-label="{name}" '
                            f'style="max-width:{float(m.group(2)) * 4 / 3:.0f}px"', svg, count=1)


def _bars(ax: Axes, groups: Sequence[str], series: Sequence[tuple[str, str, Sequence[Bar]]], title: str) -> None:
    n = max(1, len(series))
    width = 0.8 / n
    for k, (name, colour, bars) in enumerate(series):
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(groups))]
        vals = [b.value if b.value is not None else 0.0 for b in bars]
        lo = [max(0.0, b.value - b.ci[0]) if b.value is not None and b.ci and b.ci[0] is not None else 0.0
              for b in bars]
        hi = [max(0.0, b.ci[1] - b.value) if b.value is not None and b.ci and b.ci[1] is not None else 0.0
              for b in bars]
        ax.bar(xs, vals, width * 0.92, color=colour, label=name, yerr=[lo, hi],
               error_kw={"ecolor": "#333333", "capsize": 3, "elinewidth": 1})
        for x, b in zip(xs, bars):
            if b.value is None:
                ax.text(x, 0.02, "n/a", ha="center", va="bottom", fontsize=7, color="#666666", rotation=90)
            else:
                ax.text(x, 0.01, f"{b.value:.2f}", ha="center", va="bottom", fontsize=6.5, color="#ffffff"
                        if b.value > 0.15 else "#333333", rotation=90)
        bx = [x for x, b in zip(xs, bars) if b.baseline is not None]
        by = [b.baseline for b in bars if b.baseline is not None]
        if bx:
            ax.scatter(bx, by, marker="D", s=14, color="#000000", zorder=5,
                       label="baseline" if k == 0 else None)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, rotation=20 if max((len(g) for g in groups), default=0) > 8 else 0,
                       ha="right" if max((len(g) for g in groups), default=0) > 8 else "center")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("F1")
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def bar_chart(panels: Sequence[tuple[str, Sequence[str], Sequence[tuple[str, str, Sequence[Bar]]]]],
              name: str, width: float = 9.0, height: float = 3.0) -> str:
    """Side-by-side grouped bar panels ``(title, group names, [(series name, colour, bars)])`` as SVG.

    Whiskers are the 95% CIs; a black diamond is the baseline run's value.
    """
    with matplotlib.rc_context(_RC):
        ratios = [max(1, len(p[1])) for p in panels]
        fig = Figure(figsize=(width, height))
        axes = fig.subplots(1, len(panels), gridspec_kw={"width_ratios": ratios}, squeeze=False)[0]
        for ax, (title, groups, series) in zip(axes, panels):
            _bars(ax, groups, series, title)
        axes[-1].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        return svg_of(fig, name)


def forest_chart(rows: Sequence[tuple[str, Bar]], name: str, width: float = 6.0) -> str:
    """Headline figures as points with 95% CI lines (and baseline diamonds), one row each, as SVG."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, 0.28 * len(rows) + 0.6))
        ax = fig.subplots()
        ys = list(range(len(rows)))[::-1]
        for y, (_, b) in zip(ys, rows):
            if b.ci and b.ci[0] is not None:
                ax.plot([b.ci[0], b.ci[1]], [y, y], color="#3b6ea8", linewidth=2.2, solid_capstyle="butt")
            if b.value is not None:
                ax.plot([b.value], [y], "o", color="#1d3f66", markersize=5)
            if b.baseline is not None:
                ax.plot([b.baseline], [y], "D", color="#000000", markersize=3.5, markerfacecolor="none")
        ax.set_yticks(ys)
        ax.set_yticklabels([r[0] for r in rows])
        lows = [v for _, b in rows for v in (b.value, b.baseline, b.ci[0] if b.ci else None) if v is not None]
        ax.set_xlim(max(0.0, min(lows, default=0.0) - 0.05) if lows else 0.0, 1.005)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title("Headline figures (dot) with 95% CI (line)" + (", ◇ baseline" if any(
            r[1].baseline is not None for r in rows) else ""), fontsize=10)
        return svg_of(fig, name)
