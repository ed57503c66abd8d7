"""Charts as SVG strings, drawn from plain numbers: the same markup goes inline into the PDFs
(WeasyPrint renders inline SVG) and into the dashboard (inline SVG needs no script and no inline
style, so the Content Security Policy stays strict).

Pure: nothing from Django. Every label is XML-escaped here, so a department named
`<script>` is text in the chart, never markup. Colours are SVG presentation attributes.
Each chart carries a <title> and a <desc> for screen readers; the pages and PDFs also show
the same numbers as a table.

A `Style` says how big: `PRINT` for the PDFs; `SCREEN` and `PHONE` for the dashboard, drawn at
the width they are shown at (1 unit = 1 CSS px, never scaled down), so that no text is under
12 px; `PHONE` puts each label above its bar, so that a narrow screen keeps the whole width
for the bars and the labels.
"""

from collections.abc import Callable, Sequence
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
LABEL_MAX_CHARS = 34
AVERAGE_ADVANCE = 0.6  # DejaVu Sans' average advance per em, near enough to size a text


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


def plain_number(value: float) -> str:
    return str(value)


@dataclass(frozen=True)
class Style:
    width: int = WIDTH
    font_size: int = FONT_SIZE  # labels and legend
    small: int = FONT_SIZE - 1  # ticks and the figures written beside the bars
    label_above: bool = False
    label_chars: int = LABEL_MAX_CHARS
    # How a figure is written (1234 or 2.5 in, a string out): the pages pass their locale's.
    number: Callable[[float], str] = plain_number

    @property
    def row(self) -> int:
        """One bar's height plus its gap."""
        return self.font_size + 7

    def text_width(self, chars: int, size: int | None = None) -> int:
        return int(chars * AVERAGE_ADVANCE * (size or self.font_size))


PRINT = Style()
SCREEN = Style(font_size=14, small=12)
PHONE = Style(width=320, font_size=14, small=12, label_above=True, label_chars=36)


@dataclass(frozen=True)
class _Frame:
    """Where a chart's rows go: the bars start at `x0` and span `plot`; a row is `height` tall
    and its bar starts `bar_top` below the row's top."""

    style: Style
    x0: int
    plot: int
    height: int
    bar_top: int

    def label(self, y: float, label: str) -> str:
        style, text = self.style, _text(_short(label, self.style.label_chars))
        if style.label_above:
            return f'<text x="0" y="{y + style.font_size}" fill="{INK}">{text}</text>'
        return (
            f'<text x="{self.x0 - 6}" y="{y + style.font_size + 1}" text-anchor="end" '
            f'fill="{INK}">{text}</text>'
        )


def _frame(style: Style, labels: Sequence[str], value_width: int, bar_height: int) -> _Frame:
    if style.label_above:
        line = style.font_size + 4
        return _Frame(style, 0, style.width - value_width, line + bar_height, line)
    longest = max((len(_short(label, style.label_chars)) for label in labels), default=4)
    label_width = style.text_width(min(max(longest, 4), style.label_chars)) + 8
    return _Frame(style, label_width, style.width - label_width - value_width, bar_height, 0)


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _short(label: str, limit: int = LABEL_MAX_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _number(value: float, style: Style = PRINT) -> str:
    if isinstance(value, float):
        value = int(value) if value.is_integer() else round(value, 1)
    return style.number(value)


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


def _open(style: Style, height: int, title: str, desc: str, chart_id: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{style.width}" '
        f'height="{height}" viewBox="0 0 {style.width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" '
        f'font-size="{style.font_size}">',
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


def _axis(frame: _Frame, top: int, bottom: int, maximum: float) -> list[str]:
    """The grid lines and their values; `bottom + _axis_room(style)` is where the chart ends."""
    parts, style = [], frame.style
    for value in _ticks(maximum):
        x = frame.x0 + frame.plot * value / maximum
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        anchor = "start" if x <= 0 else "middle"
        figure = _text(_number(round(value, 2), style))
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + style.small + 3}" text-anchor="{anchor}" '
            f'fill="{MUTED}" font-size="{style.small}">{figure}</text>'
        )
    return parts


def _axis_room(style: Style) -> int:
    return style.small + 8


def _legend(style: Style, series: Sequence[Series], chars: int = 24) -> tuple[list[str], int]:
    """The legend, wrapped to the chart's width: its markup and the height it takes."""
    parts, x, line = [], 0, 0
    step = style.font_size + 6
    for item in series:
        name = _short(item.name, chars)
        width = style.font_size + 4 + style.text_width(len(name)) + 16
        if x and x + width > style.width:
            x, line = 0, line + 1
        y = style.font_size + 1 + line * step
        box = style.font_size - 1
        parts.append(
            f'<rect x="{x}" y="{y - box + 1}" width="{box}" height="{box}" '
            f'fill="{_text(item.colour)}"/>'
        )
        parts.append(
            f'<text x="{x + style.font_size + 4}" y="{y}" fill="{INK}">{_text(name)}</text>'
        )
        x += width
    return parts, (line + 1) * step + 4


def _empty(style: Style, title: str, message: str, chart_id: str) -> str:
    height = style.font_size * 2 + 18
    parts = _open(style, height, title, message, chart_id)
    parts.append(f'<text x="0" y="{style.font_size + 13}" fill="{MUTED}">{_text(message)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _description(rows, series: Sequence[Series], style: Style) -> str:
    return "; ".join(
        f"{label}: "
        + ", ".join(f"{s.name} {_number(v, style)}" for s, v in zip(series, values, strict=True))
        for label, values in rows
    )


def _check(rows, series: Sequence[Series]) -> None:
    for label, values in rows:
        if len(values) != len(series):
            raise ValueError(f"{label!r} has {len(values)} values for {len(series)} series")


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    chart_id: str = "chart",
    colour: str = PALETTE[0],
    empty: str = "No data yet.",
    unit: str = "",
    style: Style = PRINT,
) -> str:
    """Horizontal bars, one per (label, value), in the order given, each with its value."""
    if not bars or all(value <= 0 for _label, value in bars):
        return _empty(style, title, empty, chart_id)
    frame = _frame(style, [label for label, _value in bars], style.text_width(7), style.row)
    maximum = _scale_max([value for _label, value in bars])
    top = 4
    bottom = top + frame.height * len(bars)
    desc = "; ".join(f"{label}: {_number(value, style)}{unit}" for label, value in bars)
    parts = _open(style, bottom + _axis_room(style), title, desc, chart_id)
    parts += _axis(frame, top, bottom, maximum)
    for index, (label, value) in enumerate(bars):
        y = top + index * frame.height
        width = frame.plot * max(value, 0) / maximum
        parts.append(frame.label(y, label))
        parts.append(
            f'<rect x="{frame.x0}" y="{y + frame.bar_top + 2}" width="{width:.1f}" '
            f'height="{style.row - 5}" fill="{_text(colour)}"/>'
        )
        parts.append(
            f'<text x="{frame.x0 + width + 4:.1f}" y="{y + frame.bar_top + style.font_size + 1}" '
            f'fill="{INK}">{_text(_number(value, style))}{_text(unit)}</text>'
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
    style: Style = PRINT,
) -> str:
    """Horizontal bars, one per (label, values), each value a segment in the colour of the
    series at the same position; the total is written at the end of the bar."""
    if not rows or all(sum(values) <= 0 for _label, values in rows):
        return _empty(style, title, empty, chart_id)
    _check(rows, series)
    frame = _frame(style, [label for label, _values in rows], style.text_width(7), style.row)
    maximum = _scale_max([sum(values) for _label, values in rows])
    legend, top = _legend(style, series)
    bottom = top + frame.height * len(rows)
    desc = _description(rows, series, style)
    parts = _open(style, bottom + _axis_room(style), title, desc, chart_id)
    parts += legend
    parts += _axis(frame, top, bottom, maximum)
    for index, (label, values) in enumerate(rows):
        y = top + index * frame.height
        parts.append(frame.label(y, label))
        x = float(frame.x0)
        for item, value in zip(series, values, strict=True):
            if value <= 0:
                continue
            width = frame.plot * value / maximum
            parts.append(
                f'<rect x="{x:.1f}" y="{y + frame.bar_top + 2}" width="{width:.1f}" '
                f'height="{style.row - 5}" fill="{_text(item.colour)}"><title>{_text(label)}: '
                f"{_text(item.name)} {_text(_number(value, style))}</title></rect>"
            )
            x += width
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + frame.bar_top + style.font_size + 1}" fill="{INK}">'
            f"{_text(_number(sum(values), style))}</text>"
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
    style: Style = PRINT,
) -> str:
    """One bar per (label, values) for figures that nest (invited >= visited >= debriefed):
    each series drawn from zero over the one before, thinner, so that one row shows them all;
    the values are written after the bar, in the series' order."""
    if not rows or all(max(values, default=0) <= 0 for _label, values in rows):
        return _empty(style, title, empty, chart_id)
    _check(rows, series)
    figures_width = style.text_width(5 * len(series), style.small)
    frame = _frame(style, [label for label, _values in rows], figures_width, style.row)
    maximum = _scale_max([v for _label, values in rows for v in values])
    legend, top = _legend(style, series)
    bottom = top + frame.height * len(rows)
    parts = _open(
        style, bottom + _axis_room(style), title, _description(rows, series, style), chart_id
    )
    parts += legend
    parts += _axis(frame, top, bottom, maximum)
    bar = style.row - 5
    for index, (label, values) in enumerate(rows):
        y = top + index * frame.height
        parts.append(frame.label(y, label))
        widest = 0.0
        for position, (item, value) in enumerate(zip(series, values, strict=True)):
            thickness = bar * (len(series) - position) / len(series)
            width = frame.plot * max(value, 0) / maximum
            widest = max(widest, width)
            parts.append(
                f'<rect x="{frame.x0}" y="{y + frame.bar_top + 2 + (bar - thickness) / 2:.1f}" '
                f'width="{width:.1f}" height="{thickness:.1f}" fill="{_text(item.colour)}"/>'
            )
        figures = " · ".join(_number(v, style) for v in values)
        parts.append(
            f'<text x="{frame.x0 + widest + 4:.1f}" y="{y + frame.bar_top + style.font_size + 1}" '
            f'fill="{INK}" font-size="{style.small}">{_text(figures)}</text>'
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
    style: Style = PRINT,
) -> str:
    """For each (label, values), one thin bar per series, side by side, each with its value:
    for figures that nest (invited, visited, debriefed) and so must not be stacked."""
    if not groups or all(max(values, default=0) <= 0 for _label, values in groups):
        return _empty(style, title, empty, chart_id)
    _check(groups, series)
    bar = style.small + 1
    group_height = bar * len(series) + 6
    frame = _frame(
        style, [label for label, _values in groups], style.text_width(6, style.small), group_height
    )
    maximum = _scale_max([v for _label, values in groups for v in values])
    legend, top = _legend(style, series)
    bottom = top + frame.height * len(groups)
    desc = _description(groups, series, style)
    parts = _open(style, bottom + _axis_room(style), title, desc, chart_id)
    parts += legend
    parts += _axis(frame, top, bottom, maximum)
    for index, (label, values) in enumerate(groups):
        y = top + index * frame.height
        parts.append(frame.label(y if style.label_above else y + group_height / 2 - 9, label))
        for position, (item, value) in enumerate(zip(series, values, strict=True)):
            by = y + frame.bar_top + 3 + position * bar
            width = frame.plot * max(value, 0) / maximum
            parts.append(
                f'<rect x="{frame.x0}" y="{by}" width="{width:.1f}" height="{bar - 1}" '
                f'fill="{_text(item.colour)}"/>'
            )
            parts.append(
                f'<text x="{frame.x0 + width + 3:.1f}" y="{by + bar - 2}" fill="{INK}" '
                f'font-size="{style.small}">{_text(_number(value, style))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
