"""Charts rendered on the server as SVG (no JavaScript), each with the table of its data.

The SVG uses presentation attributes only (the Content-Security-Policy allows no inline style),
is announced as one image with a title and a description (``role="img"``, ``aria-labelledby``),
and every chart comes with its data as a table (``chart.table``), so nothing is only visual.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Dark, distinct colours (at least 3:1 against white, WCAG 1.4.11), with a marker shape each so
# that series differ without colour too.
COLOURS = ("#1f4e9c", "#b3401b", "#2b7a3d", "#6b3fa0", "#8a6d00", "#0f6e7a", "#9c1f5a")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square", "diamond")
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44
_ids = count(1)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + 4:.1f} {x - 4:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y + 3:.1f} {x - 4:.1f},{y + 3:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'


def chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    kind: str = "line",
    category_header: str = "",
    value_format: Callable[[float], str] = lambda v: f"{v:g}",
) -> Chart:
    """A line chart (or bars, for one series) of ``series`` over ``categories``."""
    chart_id = f"chart-{next(_ids)}"
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_ceiling(max([v for _n, values in series for v in values] or [0]))
    n = max(len(categories), 1)

    def x_at(index: int) -> float:
        return LEFT + (plot_w * (index + 0.5) / n)

    def y_at(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for step in range(5):  # grid and y labels
        value = top * step / 4
        y = y_at(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d0d0d0" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#222">'
            f"{escape(value_format(value))}</text>"
        )
    every = max(1, math.ceil(len(categories) / 12))
    for index, label in enumerate(categories):
        if index % every == 0:
            parts.append(
                f'<text x="{x_at(index):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="11" fill="#222">{escape(label)}</text>'
            )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#222"/>'
    )
    for position, (name, values) in enumerate(series):
        colour, shape = COLOURS[position % len(COLOURS)], MARKERS[position % len(MARKERS)]
        if kind == "bar":
            bar_w = max(plot_w / n * 0.7, 1)
            for index, value in enumerate(values):
                y = y_at(value)
                parts.append(
                    f'<rect x="{x_at(index) - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                    f'height="{TOP + plot_h - y:.1f}" fill="{colour}"/>'
                )
        else:
            points = " ".join(f"{x_at(i):.1f},{y_at(v):.1f}" for i, v in enumerate(values))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
            if len(values) <= 40:
                parts.extend(_marker(shape, x_at(i), y_at(v), colour) for i, v in enumerate(values))
        legend_x = LEFT + position * 130
        parts.append(_marker(shape, legend_x + 4, HEIGHT - 10, colour))
        parts.append(
            f'<text x="{legend_x + 12}" y="{HEIGHT - 6}" font-size="11" fill="#222">{escape(name)}</text>'
        )
    parts.append("</svg>")
    headers = [category_header, *[name for name, _values in series]]
    rows = [
        [label, *[value_format(values[i]) if i < len(values) else "" for _n, values in series]]
        for i, label in enumerate(categories)
    ]
    return Chart(id=chart_id, title=title, svg=mark_safe("".join(parts)), headers=headers, rows=rows)  # noqa: S308
