"""The safe renderer: only the product's static files are fetched, anything else fails the
render loudly, and fonts are embedded."""

import io
import urllib.request

import pytest

from reports.pdf import (
    STATIC_BASE,
    FetchRefused,
    ReportRenderError,
    page_css,
    render_pdf,
    static_path,
    static_url,
)
from tests.reports.conftest import pdf_text

STYLESHEET = '<link rel="stylesheet" href="reports/css/report.css">'


def document(body: str, head: str = STYLESHEET) -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a URL through urllib fails the test."""
    opened = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError(f"urllib was asked to open {args}")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    return opened


def test_static_url_maps_to_the_static_file():
    path = static_path(static_url("reports/css/report.css"))
    assert path.name == "report.css"
    assert path.is_file()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/style.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "data:text/css,body{}",
        STATIC_BASE + "../../../../etc/passwd",
        STATIC_BASE + "reports/../../etc/passwd",
        STATIC_BASE + "reports/%2e%2e/%2e%2e/etc/passwd",
        STATIC_BASE + "/etc/passwd",
        STATIC_BASE + "reports/css/report.css?x=1",
        STATIC_BASE + "reports/css//report.css",
        STATIC_BASE + "reports/fonts/LICENSE-DejaVu.txt",  # a static file, not a report's type
        STATIC_BASE + "reports/css/nothing.css",
        "https://static.report.invalid.example.com/reports/css/report.css",
    ],
)
def test_everything_but_a_static_file_is_refused(url):
    with pytest.raises(FetchRefused):
        static_path(url)


@pytest.mark.parametrize(
    "body",
    [
        '<link rel="stylesheet" href="https://example.com/x.css">',
        '<img src="file:///etc/passwd" alt="">',
        '<img src="../../../etc/passwd" alt="">',
        '<p style="background: url(file:///etc/passwd)">x</p>',
        '<img src="http://127.0.0.1:8000/admin/" alt="">',
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
        "<style>@import url(https://example.com/x.css);</style>",
        '<style>@font-face { font-family: X; src: url("file:///etc/passwd"); }</style>'
        '<p style="font-family: X">x</p>',
    ],
)
def test_a_document_that_names_anything_else_fails_loudly(body, no_network):
    with pytest.raises(ReportRenderError) as error:
        render_pdf(document(body), paper="letter")
    assert "fetch" in str(error.value) or "passwd" in str(error.value)
    assert no_network == []


def test_a_missing_static_file_fails_the_render_rather_than_dropping_it():
    with pytest.raises(ReportRenderError, match=r"missing\.css"):
        render_pdf(
            document("<p>x</p>", '<link rel="stylesheet" href="reports/missing.css">'), paper="a4"
        )


def test_a_plain_document_renders_with_its_fonts_embedded(no_network):
    from pypdf import PdfReader

    result = render_pdf(document("<h1>Réunion</h1><p>Barrières à lever</p>"), paper="letter")
    assert result.pages == 1
    assert "Barrières à lever" in pdf_text(result.pdf)
    reader = PdfReader(io.BytesIO(result.pdf))
    fonts = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        fonts.append((str(font["/BaseFont"]), "/FontFile2" in descriptor))
    assert fonts
    assert all(embedded for _name, embedded in fonts), fonts
    assert all("Report-Sans" in name for name, _embedded in fonts), fonts


@pytest.mark.parametrize(("paper", "width", "height"), [("letter", 612, 792), ("a4", 595, 842)])
def test_paper_size(paper, width, height):
    from pypdf import PdfReader

    result = render_pdf(document("<p>x</p>"), paper=paper)
    box = PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (width, height)


def test_page_numbers_in_the_footer():
    rows = "".join(f"<p>line {n}</p>" for n in range(150))
    result = render_pdf(document(rows), paper="letter", page_label="Page", of_label="of")
    assert result.pages >= 2
    assert f"Page 1 of {result.pages}" in pdf_text(result.pdf)


def test_css_strings_cannot_break_out():
    import tinycss2

    label = '"}body{display:none} @import url(file:///etc/passwd);'
    css = page_css(paper="a4", page_label=label, of_label="of")
    (rule,) = tinycss2.parse_stylesheet(css, skip_whitespace=True)
    assert rule.at_keyword == "page"
    inside = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True)
    (margin,) = [t for t in inside if t.type == "at-rule"]
    assert margin.at_keyword == "bottom-right"
    declarations = tinycss2.parse_blocks_contents(margin.content, skip_whitespace=True)
    content = next(d for d in declarations if d.type == "declaration" and d.name == "content")
    strings = [t.value for t in content.value if t.type == "string"]
    assert strings[0] == label
    assert not [t for t in content.value if t.type == "url"]


def test_progress_is_reported_page_by_page():
    heard = []
    rows = "".join(f"<p>line {n}</p>" for n in range(150))
    render_pdf(
        document(rows), paper="letter", on_progress=lambda stage, page: heard.append((stage, page))
    )
    pages = [page for stage, page in heard if stage == "layout"]
    assert pages[:2] == [1, 2]
    assert heard[-1][0] == "pdf"
