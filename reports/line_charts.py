"""The trend chart: one line per series across the waves of a series, as SVG drawn from plain
numbers, with the conventions of `reports.charts` (escaped labels, a <title> and <desc>, dash
patterns so that lines are told apart in grey). Pure: nothing from Django."""

from collections.abc import Sequence

from .charts import (
    AVERAGE_ADVANCE,
    GRID,
    INK,
    MUTED,
    PRINT,
    Series,
    Style,
    _empty,
    _legend,
    _number,
    _open,
    _short,
    _text,
    _ticks,
)

DASHES = ("", "6 3", "2 3", "8 3 2 3")


def line_chart(
    x_labels: Sequence[str],
    lines: Sequence[tuple[Series, Sequence[float | None]]],
    *,
    title: str,
    chart_id: str = "chart",
    empty: str = "No data yet.",
    maximum: float = 100,
    unit: str = " %",
    heading: str = "",
    style: Style = PRINT,
) -> str:
    """A trend: one line per series across `x_labels` (the waves, in order), on an axis from 0
    to `maximum`; a missing value (None) breaks its line. Each line has its own dash pattern
    and its last value is written, so the chart reads in grey too. `heading`, when given, is
    written above the legend (a small multiple's name)."""
    for series, values in lines:
        if len(values) != len(x_labels):
            raise ValueError(f"{series.name!r} has {len(values)} values for {len(x_labels)} waves")
    if not x_labels or all(v is None for _s, values in lines for v in values):
        return _empty(style, title, empty, chart_id)
    top = 0
    parts_head: list[str] = []
    if heading:
        top = style.font_size + 6
        parts_head.append(
            f'<text x="0" y="{style.font_size + 1}" fill="{INK}" font-weight="bold">'
            f"{_text(_short(heading, style.label_chars))}</text>"
        )
    legend, legend_height = _legend(style, [series for series, _values in lines], chars=40)
    legend = [f'<g transform="translate(0 {top})">{"".join(legend)}</g>']
    top += legend_height + 4
    plot_height = 6 * style.font_size
    y_axis = style.text_width(len(_number(maximum, style) + unit), style.small) + 6
    right = style.text_width(len(_number(maximum, style) + unit), style.small) + 10
    x0, x1 = y_axis, style.width - right
    bottom = top + plot_height

    def x_at(i: int) -> float:
        if len(x_labels) == 1:
            return (x0 + x1) / 2
        return x0 + (x1 - x0) * i / (len(x_labels) - 1)

    def y_at(value: float) -> float:
        return bottom - plot_height * min(max(value, 0), maximum) / maximum

    desc = "; ".join(
        f"{series.name}: "
        + ", ".join(
            f"{label} {'—' if v is None else _number(v, style) + unit}"
            for label, v in zip(x_labels, values, strict=True)
        )
        for series, values in lines
    )
    height = bottom + style.small + 10
    parts = _open(style, height, title, desc, chart_id) + parts_head + legend
    for value in _ticks(maximum):
        y = y_at(value)
        parts.append(
            f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x0 - 4}" y="{y + style.small / 3:.1f}" text-anchor="end" '
            f'fill="{MUTED}" font-size="{style.small}">'
            f"{_text(_number(round(value, 2), style))}</text>"
        )
    # Wave labels: as many as fit, always the first and the last.
    room = max((x1 - x0) / max(len(x_labels) - 1, 1), 1)
    chars = max(int(room / (AVERAGE_ADVANCE * style.small)) - 1, 3)
    for i, label in enumerate(x_labels):
        anchor = "middle"
        if len(x_labels) > 1 and i == 0:
            anchor = "start"
        elif len(x_labels) > 1 and i == len(x_labels) - 1:
            anchor = "end"
        limit = chars * 2 if anchor != "middle" else chars
        parts.append(
            f'<text x="{x_at(i):.1f}" y="{bottom + style.small + 4}" text-anchor="{anchor}" '
            f'fill="{MUTED}" font-size="{style.small}">{_text(_short(label, limit))}</text>'
        )
    for n, (series, values) in enumerate(lines):
        colour, dash = _text(series.colour), DASHES[n % len(DASHES)]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x_at(i), y_at(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dashed}/>'
                )
            for x, y in run:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
        if last is not None:
            parts.append(
                f'<text x="{x_at(last[0]) + 5:.1f}" y="{y_at(last[1]) + style.small / 3:.1f}" '
                f'fill="{colour}" font-size="{style.small}">'
                f"{_text(_number(last[1], style) + unit)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
