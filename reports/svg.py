"""Small inline SVG charts: horizontal bars that read on a phone and on paper.

Charts are plain SVG text put inside the report's HTML, so the file stays
self-contained (no script, no font, no image to fetch). Every bar carries its
number as text too: a chart must say the same as the table beside it, and a
suppressed value (``None``) is drawn as no bar with "<N" written instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 150
BAR_AREA = 220
VALUE_WIDTH = 70
COLOURS = ("#1d4f91", "#9fb3d1")  # this week, the week before


def bar_chart(
    rows: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    legend: Sequence[str] = (),
    unit: str = "",
    suppressed_text: str = "<5",
) -> str:
    """Horizontal bars, one group per row, one bar per series in the group.

    ``rows`` are ``(label, values)``; ``values[i]`` is series ``i`` or None
    when the figure is suppressed.
    """
    series = max((len(values) for _, values in rows), default=1)
    peak = max((v for _, values in rows for v in values if v), default=0) or 1
    group = series * BAR_HEIGHT + GAP
    top = 24 + (16 if legend else 0)
    height = top + group * len(rows) + 4
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} '
        f'{height}" width="100%" style="max-width:{width}px" '
        f'aria-label="{escape(title)}">',
        f'<text x="0" y="14" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    parts += _legend(legend, series)
    for index, (label, values) in enumerate(rows):
        y = top + index * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" font-size="12" '
            f'text-anchor="end">{escape(_clip(label))}</text>'
        )
        for position, value in enumerate(values):
            parts += _bar(y + position * BAR_HEIGHT, value, peak, position, unit,
                          suppressed_text)  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _legend(legend: Sequence[str], series: int) -> list[str]:
    parts = []
    x = LABEL_WIDTH
    for position, name in enumerate(legend[:series]):
        colour = COLOURS[position % len(COLOURS)]
        parts.append(
            f'<rect x="{x}" y="22" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="31" font-size="11">{escape(name)}</text>'
        )
        x += 14 + 7 * len(name) + 16
    return parts


def _bar(
    y: int, value: float | None, peak: float, position: int, unit: str, hidden: str
) -> list[str]:
    colour = COLOURS[position % len(COLOURS)]
    if value is None:
        text, length = hidden, 0.0
    else:
        text, length = _number(value) + unit, BAR_AREA * max(0.0, value) / peak
    return [
        f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length:.1f}" '
        f'height="{BAR_HEIGHT - 4}" fill="{colour}"/>',
        f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 5}" '
        f'font-size="11">{escape(text)}</text>',
    ]


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _clip(label: str, limit: int = 21) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
