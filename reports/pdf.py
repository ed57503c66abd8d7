"""The one way this product turns HTML into a PDF: WeasyPrint, locked down.

- It fetches nothing but the product's own static files. Every URL a document names is resolved
  against STATIC_BASE, a base under the reserved `.invalid` domain that nothing resolves; the
  fetcher maps `STATIC_BASE + name` to a file the staticfiles finders know, of a type a report
  uses (stylesheet, font, image), and refuses everything else by raising: no network, no
  `file://`, no `data:`, no path outside the static folders.
- A refused or failed fetch fails the render (WeasyPrint would only log it and leave the
  stylesheet, font or image out), and so does any error WeasyPrint logs while rendering.
- User text never reaches WeasyPrint as markup: templates auto-escape it, and the only CSS
  built here comes from fixed choices (`page_css`).

WeasyPrint is imported inside the functions: it is heavy, and only a render needs it.
"""

import logging
import mimetypes
import posixpath
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

STATIC_BASE = "https://static.report.invalid/"
ALLOWED_SUFFIXES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".svg", ".png", ".jpg", ".jpeg"}
PAPER_SIZES = {"letter": "letter", "a4": "A4"}

_log = logging.getLogger(__name__)
_progress = threading.local()


class ReportRenderError(Exception):
    """The PDF could not be rendered as designed: a refused or failed fetch, or an error that
    WeasyPrint logged. Nothing half-rendered is ever returned."""


class FetchRefused(ValueError):
    pass


def static_url(name: str) -> str:
    """The URL a report document uses for a static file, e.g. `reports/css/report.css`."""
    return STATIC_BASE + name


def static_path(url: str) -> Path:
    """The file behind `url`, if it is one of the product's static files that a report may
    load; FetchRefused otherwise."""
    if not url.startswith(STATIC_BASE):
        raise FetchRefused(f"not one of the product's static files: {url[:200]}")
    parts = urlsplit(url)
    if parts.query:
        raise FetchRefused(f"a query string in a static URL: {url[:200]}")
    name = unquote(parts.path).lstrip("/")
    normal = posixpath.normpath(name)
    if (
        not name
        or normal != name
        or normal.startswith(("../", "/"))
        or "\\" in name
        or "\x00" in name
        or any(segment in ("", ".", "..") for segment in name.split("/"))
    ):
        raise FetchRefused(f"not a plain static path: {url[:200]}")
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise FetchRefused(f"not a type of file a report loads: {url[:200]}")
    found = finders.find(name)
    if not found:
        raise FetchRefused(f"no such static file: {name}")
    return Path(found)


def css_string(text: str) -> str:
    """`text` as a CSS string literal: quotes, backslashes and line ends escaped."""
    escaped = re.sub(r"[\\\"\n\r\x0c]", lambda m: f"\\{ord(m.group()):x} ", str(text))
    return f'"{escaped}"'


def page_css(*, paper: str, page_label: str, of_label: str, landscape: bool = False) -> str:
    """The page size and the page-number footer. Margin boxes do not inherit the body's font
    (PITFALLS.md), so they name it; the labels are translated words, quoted as CSS strings."""
    size = PAPER_SIZES[paper] + (" landscape" if landscape else "")
    return (
        f"@page {{ size: {size}; "
        f"@bottom-right {{ content: {css_string(page_label)} ' ' counter(page) ' ' "
        f"{css_string(of_label)} ' ' counter(pages); "
        'font-family: "Report Sans", "DejaVu Sans", sans-serif; font-size: 8pt; color: #4a5561; }'
        " }"
    )


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


class _ThreadRecords(logging.Handler):
    """Collects WeasyPrint's log records of one thread (renders in other threads are not ours)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        message = record.getMessage()
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


class _ProgressHandler(logging.Handler):
    """Passes WeasyPrint's "Step 5 - Creating layout - Page N" to the current thread's
    callback, so that a background render can report how far it got."""

    pattern = re.compile(r"Page (\d+)")

    def emit(self, record: logging.LogRecord) -> None:
        callback = getattr(_progress, "callback", None)
        if callback is None:
            return
        message = record.getMessage()
        if message.startswith("Step 5") and (match := self.pattern.search(message)):
            callback("layout", int(match.group(1)))
        elif message.startswith("Step 6"):
            callback("pdf", 0)


_progress_handler = _ProgressHandler()


def _install_progress_logger() -> None:
    logger = logging.getLogger("weasyprint.progress")
    if _progress_handler not in logger.handlers:
        logger.addHandler(_progress_handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # a line per page is not for the console


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the product's static files and refuses everything else (see the module)."""

        def __init__(self) -> None:
            super().__init__(fail_on_errors=True, allowed_protocols=("https",), timeout=1)
            self.refused: list[str] = []
            self.served: list[str] = []

        def fetch(self, url, headers=None):
            try:
                path = static_path(url)
            except FetchRefused:
                self.refused.append(url)
                raise
            self.served.append(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".ttf":
                content_type = "font/ttf"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher()


def render_pdf(
    html: str,
    *,
    paper: str,
    page_label: str = "Page",
    of_label: str = "of",
    title: str = "",
    landscape: bool = False,
    on_progress: Callable[[str, int], None] | None = None,
) -> RenderResult:
    """Render `html` (a whole document; its URLs relative to STATIC_BASE) to PDF bytes.

    Guarantees: nothing outside the product's static files is read; any refused or failed
    fetch, and any error WeasyPrint logs, raises ReportRenderError instead of returning a PDF
    with something silently left out. `on_progress(stage, page)` hears of each page laid out.
    """
    _install_progress_logger()  # before the import, which logs steps of its own
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher()
    records = _ThreadRecords()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(records)
    _progress.callback = on_progress
    started = time.perf_counter()
    try:
        document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher)
        stylesheet = CSS(
            string=page_css(
                paper=paper, page_label=page_label, of_label=of_label, landscape=landscape
            ),
            base_url=STATIC_BASE,
            url_fetcher=fetcher,
        )
        rendered = document.render(stylesheets=[stylesheet])
        pages = len(rendered.pages)
        pdf = rendered.write_pdf()
    except FatalURLFetchingError as error:
        raise ReportRenderError(
            f"refused or failed to fetch {', '.join(fetcher.refused) or error}"
        ) from error.__cause__
    finally:
        _progress.callback = None
        weasy_logger.removeHandler(records)
    if fetcher.refused or records.errors:
        raise ReportRenderError("; ".join(fetcher.refused + records.errors)[:2000])
    seconds = time.perf_counter() - started
    if records.warnings and settings.DEBUG:
        _log.warning("WeasyPrint warnings rendering %s: %s", title, records.warnings)
    return RenderResult(pdf=pdf, pages=pages, seconds=seconds, warnings=records.warnings)
