"""Charts as SVG strings, drawn from plain numbers: the same markup goes inline into the PDFs
(WeasyPrint renders inline SVG) and into the dashboard (inline SVG needs no script and no inline
style, so the Content Security Policy stays strict).

Pure: nothing from Django. Every label is XML-escaped here, so a department named
`<script>` is text in the chart, never markup. Colours are SVG presentation attributes.
Each chart carries a <title> and a <desc> for screen readers; the pages and PDFs also show
the same numbers as a table.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Okabe-Ito: told apart by people with the common colour-vision deficiencies, and in grey.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999")
INK = "#1b1f24"
MUTED = "#4a5561"
GRID = "#c9d1da"
FONT = "Report Sans, DejaVu Sans, sans-serif"

# Geometry in SVG user units (1 unit = 1 CSS px = 0.75 pt on paper).
WIDTH = 640
FONT_SIZE = 11
ROW = 18  # one bar's height plus its gap
LABEL_MAX_CHARS = 34
CHAR_WIDTH = 0.6 * FONT_SIZE  # DejaVu Sans' average advance, near enough to size the label column


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _short(label: str, limit: int = LABEL_MAX_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


def _scale_max(values: Sequence[float]) -> float:
    """A round axis maximum at or above the largest value (1, 2, 2.5, 5 times a power of ten)."""
    top = max([v for v in values if v > 0], default=0)
    if top <= 0:
        return 1
    magnitude = 1.0
    while magnitude * 10 <= top:
        magnitude *= 10
    while magnitude > top:
        magnitude /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= top:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def _label_width(labels: Sequence[str]) -> int:
    longest = max((len(_short(label)) for label in labels), default=4)
    return int(min(max(longest, 4), LABEL_MAX_CHARS) * CHAR_WIDTH) + 8


def _open(height: int, title: str, desc: str, chart_id: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(desc)}</desc>',
    ]


def _ticks(maximum: float) -> list[float]:
    """Tick values from 0 to `maximum`, whole numbers when `maximum` is one (counts)."""
    if float(maximum).is_integer() and maximum >= 1:
        for n in (5, 4, 2, 1):
            if float(maximum / n).is_integer():
                return [maximum * i / n for i in range(n + 1)]
    return [maximum * i / 4 for i in range(5)]


def _axis(x0: int, plot_width: int, top: int, bottom: int, maximum: float) -> list[str]:
    parts = []
    for value in _ticks(maximum):
        x = x0 + plot_width * value / maximum
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 12}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="{FONT_SIZE - 2}">{_number(round(value, 2))}</text>'
        )
    return parts


def _legend(series: Sequence[Series], y: int) -> list[str]:
    parts, x = [], 0
    for item in series:
        name = _short(item.name, 24)
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{_text(item.colour)}"/>'
        )
        parts.append(f'<text x="{x + 14}" y="{y}" fill="{INK}">{_text(name)}</text>')
        x += 14 + int(len(name) * CHAR_WIDTH) + 16
    return parts


def _empty(title: str, message: str, chart_id: str) -> str:
    parts = _open(40, title, message, chart_id)
    parts.append(f'<text x="0" y="24" fill="{MUTED}">{_text(message)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    chart_id: str = "chart",
    colour: str = PALETTE[0],
    empty: str = "No data yet.",
    unit: str = "",
) -> str:
    """Horizontal bars, one per (label, value), in the order given, each with its value."""
    if not bars or all(value <= 0 for _label, value in bars):
        return _empty(title, empty, chart_id)
    label_width = _label_width([label for label, _value in bars])
    value_width = 56
    plot_width = WIDTH - label_width - value_width
    maximum = _scale_max([value for _label, value in bars])
    top = 4
    height = top + ROW * len(bars) + 18
    desc = "; ".join(f"{label}: {_number(value)}{unit}" for label, value in bars)
    parts = _open(height, title, desc, chart_id)
    parts += _axis(label_width, plot_width, top, top + ROW * len(bars), maximum)
    for index, (label, value) in enumerate(bars):
        y = top + index * ROW
        width = plot_width * max(value, 0) / maximum
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end" fill="{INK}">'
            f"{_text(_short(label))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{width:.1f}" height="{ROW - 5}" '
            f'fill="{_text(colour)}"/>'
        )
        parts.append(
            f'<text x="{label_width + width + 4:.1f}" y="{y + 12}" fill="{INK}">'
            f"{_text(_number(value))}{_text(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[Series],
    *,
    title: str,
    chart_id: str = "chart",
    empty: str = "No data yet.",
) -> str:
    """Horizontal bars, one per (label, values), each value a segment in the colour of the
    series at the same position; the total is written at the end of the bar."""
    if not rows or all(sum(values) <= 0 for _label, values in rows):
        return _empty(title, empty, chart_id)
    for label, values in rows:
        if len(values) != len(series):
            raise ValueError(f"{label!r} has {len(values)} values for {len(series)} series")
    label_width = _label_width([label for label, _values in rows])
    value_width = 56
    plot_width = WIDTH - label_width - value_width
    maximum = _scale_max([sum(values) for _label, values in rows])
    top = 22
    height = top + ROW * len(rows) + 18
    desc = "; ".join(
        f"{label}: "
        + ", ".join(f"{s.name} {_number(v)}" for s, v in zip(series, values, strict=True))
        for label, values in rows
    )
    parts = _open(height, title, desc, chart_id)
    parts += _legend(series, 12)
    parts += _axis(label_width, plot_width, top, top + ROW * len(rows), maximum)
    for index, (label, values) in enumerate(rows):
        y = top + index * ROW
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end" fill="{INK}">'
            f"{_text(_short(label))}</text>"
        )
        x = float(label_width)
        for item, value in zip(series, values, strict=True):
            if value <= 0:
                continue
            width = plot_width * value / maximum
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="{ROW - 5}" '
                f'fill="{_text(item.colour)}"><title>{_text(label)}: {_text(item.name)} '
                f"{_text(_number(value))}</title></rect>"
            )
            x += width
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 12}" fill="{INK}">{_number(sum(values))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def nested_bar_chart(
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[Series],
    *,
    title: str,
    chart_id: str = "chart",
    empty: str = "No data yet.",
) -> str:
    """One bar per (label, values) for figures that nest (invited >= visited >= debriefed):
    each series drawn from zero over the one before, thinner, so that one row shows them all;
    the values are written after the bar, in the series' order."""
    if not rows or all(max(values, default=0) <= 0 for _label, values in rows):
        return _empty(title, empty, chart_id)
    for label, values in rows:
        if len(values) != len(series):
            raise ValueError(f"{label!r} has {len(values)} values for {len(series)} series")
    label_width = _label_width([label for label, _values in rows])
    value_width = 90
    plot_width = WIDTH - label_width - value_width
    maximum = _scale_max([v for _label, values in rows for v in values])
    top = 22
    height = top + ROW * len(rows) + 18
    desc = "; ".join(
        f"{label}: "
        + ", ".join(f"{s.name} {_number(v)}" for s, v in zip(series, values, strict=True))
        for label, values in rows
    )
    parts = _open(height, title, desc, chart_id)
    parts += _legend(series, 12)
    parts += _axis(label_width, plot_width, top, top + ROW * len(rows), maximum)
    bar = ROW - 5
    for index, (label, values) in enumerate(rows):
        y = top + index * ROW
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end" fill="{INK}">'
            f"{_text(_short(label))}</text>"
        )
        widest = 0.0
        for position, (item, value) in enumerate(zip(series, values, strict=True)):
            thickness = bar * (len(series) - position) / len(series)
            width = plot_width * max(value, 0) / maximum
            widest = max(widest, width)
            parts.append(
                f'<rect x="{label_width}" y="{y + 2 + (bar - thickness) / 2:.1f}" '
                f'width="{width:.1f}" height="{thickness:.1f}" fill="{_text(item.colour)}"/>'
            )
        figures = " · ".join(_number(v) for v in values)
        parts.append(
            f'<text x="{label_width + widest + 4:.1f}" y="{y + 12}" fill="{INK}" '
            f'font-size="{FONT_SIZE - 1}">{figures}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    groups: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[Series],
    *,
    title: str,
    chart_id: str = "chart",
    empty: str = "No data yet.",
) -> str:
    """For each (label, values), one thin bar per series, side by side, each with its value:
    for figures that nest (invited, visited, debriefed) and so must not be stacked."""
    if not groups or all(max(values, default=0) <= 0 for _label, values in groups):
        return _empty(title, empty, chart_id)
    for label, values in groups:
        if len(values) != len(series):
            raise ValueError(f"{label!r} has {len(values)} values for {len(series)} series")
    bar = 9
    group_height = bar * len(series) + 6
    label_width = _label_width([label for label, _values in groups])
    value_width = 40
    plot_width = WIDTH - label_width - value_width
    maximum = _scale_max([v for _label, values in groups for v in values])
    top = 22
    height = top + group_height * len(groups) + 18
    desc = "; ".join(
        f"{label}: "
        + ", ".join(f"{s.name} {_number(v)}" for s, v in zip(series, values, strict=True))
        for label, values in groups
    )
    parts = _open(height, title, desc, chart_id)
    parts += _legend(series, 12)
    parts += _axis(label_width, plot_width, top, top + group_height * len(groups), maximum)
    for index, (label, values) in enumerate(groups):
        y = top + index * group_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + group_height / 2 + 3:.1f}" text-anchor="end" '
            f'fill="{INK}">{_text(_short(label))}</text>'
        )
        for position, (item, value) in enumerate(zip(series, values, strict=True)):
            by = y + 3 + position * bar
            width = plot_width * max(value, 0) / maximum
            parts.append(
                f'<rect x="{label_width}" y="{by}" width="{width:.1f}" height="{bar - 1}" '
                f'fill="{_text(item.colour)}"/>'
            )
            parts.append(
                f'<text x="{label_width + width + 3:.1f}" y="{by + 8}" fill="{INK}" '
                f'font-size="{FONT_SIZE - 3}">{_number(value)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
