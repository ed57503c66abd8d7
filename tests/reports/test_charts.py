"""The charts are pure functions of plain numbers: no database, no Django."""

import dataclasses
import re
import xml.etree.ElementTree as ET

import pytest

from reports import charts

SERIES = [charts.Series("Filed", "#009e73"), charts.Series("Missing", "#d55e00")]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own output)


def texts(svg: str) -> list[str]:
    return [el.text or "" for el in parse(svg).iter("{http://www.w3.org/2000/svg}text")]


def rects(svg: str) -> list[ET.Element]:
    return list(parse(svg).iter("{http://www.w3.org/2000/svg}rect"))


def test_bar_chart_draws_one_bar_per_value_with_its_label_and_value():
    svg = charts.bar_chart([("Care", 4), ("Finance", 2)], title="Claims")
    assert "Care" in texts(svg)
    assert "Finance" in texts(svg)
    assert "4" in texts(svg)
    widths = [float(r.get("width")) for r in rects(svg)]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_labels_are_escaped_so_a_name_is_never_markup():
    hostile = '<script>alert(1)</script><image href="file:///etc/passwd"/>'
    svg = charts.bar_chart([(hostile, 3)], title=hostile)
    root = parse(svg)  # still well-formed XML
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert "script" not in tags
    assert "image" not in tags
    assert "&lt;script&gt;" in svg


def test_stacked_bar_segments_add_up_to_the_total():
    svg = charts.stacked_bar_chart([("Care", [3, 1]), ("Finance", [0, 2])], SERIES, title="t")
    bars = [r for r in rects(svg) if r.find("{http://www.w3.org/2000/svg}title") is not None]
    assert len(bars) == 3  # a zero segment is not drawn
    care = [float(r.get("width")) for r in bars[:2]]
    assert care[0] == pytest.approx(3 * care[1])
    assert "4" in texts(svg)


def test_grouped_bars_one_per_series_per_group():
    svg = charts.grouped_bar_chart(
        [("Care", [5, 3]), ("Finance", [2, 0])], SERIES, title="Participation"
    )
    legend = 2
    assert len(rects(svg)) == legend + 4


@pytest.mark.parametrize("chart", ["stacked", "grouped"])
def test_a_row_with_the_wrong_number_of_values_is_refused(chart):
    function = charts.stacked_bar_chart if chart == "stacked" else charts.grouped_bar_chart
    with pytest.raises(ValueError, match="series"):
        function([("Care", [1, 2, 3])], SERIES, title="t")


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.bar_chart([], title="t", empty="Nothing yet"),
        lambda: charts.bar_chart([("Care", 0)], title="t", empty="Nothing yet"),
        lambda: charts.stacked_bar_chart([], SERIES, title="t", empty="Nothing yet"),
        lambda: charts.grouped_bar_chart([("a", [0, 0])], SERIES, title="t", empty="Nothing yet"),
    ],
)
def test_no_data_says_so(make):
    assert texts(make()) == ["Nothing yet"]


@pytest.mark.parametrize(
    ("values", "maximum"),
    [([1], 1), ([3], 5), ([7], 10), ([12], 20), ([21], 25), ([0.4], 0.5), ([260], 500)],
)
def test_axis_maximum_is_round(values, maximum):
    assert charts._scale_max(values) == maximum


@pytest.mark.parametrize("maximum", [1, 2, 5, 10, 20, 25, 50, 100, 250])
def test_ticks_of_counts_are_whole_numbers(maximum):
    ticks = charts._ticks(maximum)
    assert ticks[0] == 0
    assert ticks[-1] == maximum
    assert all(float(t).is_integer() for t in ticks)


def test_long_labels_are_shortened_in_the_chart_but_whole_in_its_description():
    label = "Department of Very Long Names and Even Longer Subdivisions"
    svg = charts.bar_chart([(label, 1)], title="t")
    drawn = [t for t in texts(svg) if t.startswith("Department")]
    assert drawn
    assert drawn[0].endswith("…")
    assert len(drawn[0]) <= charts.LABEL_MAX_CHARS
    assert label in svg  # the <desc>


def test_the_chart_is_an_accessible_image():
    svg = charts.bar_chart([("Care", 1)], title="Claims", chart_id="claims")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "claims-title claims-desc"
    assert not re.search(r"\sstyle=", svg)  # presentation attributes only (CSP)


def test_nested_bars_one_row_per_label_each_series_thinner_over_the_one_before():
    series = [*SERIES, charts.Series("Third", "#0072b2")]
    svg = charts.nested_bar_chart([("Care", [10, 6, 3]), ("Finance", [4, 4, 0])], series, title="t")
    bars = rects(svg)[len(series) :]  # after the legend
    assert len(bars) == 6
    care = bars[:3]
    heights = [float(r.get("height")) for r in care]
    assert heights == sorted(heights, reverse=True)
    widths = [float(r.get("width")) for r in care]
    assert widths[0] == pytest.approx(10 / 6 * widths[1])
    assert "10 · 6 · 3" in texts(svg)


def font_sizes(svg: str) -> list[float]:
    """The size of every text in the chart: its own font-size, or the chart's."""
    root = parse(svg)
    default = float(root.get("font-size"))
    return [
        float(el.get("font-size") or default)
        for el in root.iter("{http://www.w3.org/2000/svg}text")
    ]


SCREEN_CHARTS = [
    lambda style: charts.bar_chart([("Care", 4), ("Finance", 2.5)], title="t", style=style),
    lambda style: charts.stacked_bar_chart([("Care", [3, 1])], SERIES, title="t", style=style),
    lambda style: charts.nested_bar_chart([("Care", [3, 1])], SERIES, title="t", style=style),
    lambda style: charts.grouped_bar_chart([("Care", [3, 1])], SERIES, title="t", style=style),
    lambda style: charts.bar_chart([], title="t", style=style),
]


@pytest.mark.parametrize("style", [charts.PHONE, charts.SCREEN], ids=["phone", "screen"])
@pytest.mark.parametrize("draw", SCREEN_CHARTS)
def test_screen_charts_have_no_text_under_12_px_at_their_own_width(style, draw):
    svg = draw(style)
    root = parse(svg)
    assert root.get("width") == str(style.width)
    assert root.get("viewBox").split()[2] == str(style.width)  # drawn 1:1, never scaled
    assert min(font_sizes(svg)) >= 12


def test_phone_charts_put_each_label_above_its_bar_within_the_width():
    svg = charts.bar_chart([("Customer Care", 4), ("Finance", 2)], title="t", style=charts.PHONE)
    root = parse(svg)
    label = next(t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text == "Finance")
    assert label.get("x") == "0"
    assert all(float(r.get("x")) + float(r.get("width")) <= charts.PHONE.width for r in rects(svg))


def test_figures_are_written_by_the_styles_number_formatter():
    style = dataclasses.replace(charts.PRINT, number=lambda value: f"<{value}>")
    svg = charts.bar_chart([("Care", 1234), ("Finance", 2.5)], title="t", style=style)
    assert "<1234>" in texts(svg)
    assert "<2.5>" in texts(svg)
    assert "Care: <1234>" in parse(svg).find("{http://www.w3.org/2000/svg}desc").text
