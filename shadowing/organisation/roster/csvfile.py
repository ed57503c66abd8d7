"""Reading one roster CSV file: bytes in, rows with their physical line numbers out.

What `read_table` guarantees, whatever the bytes:

- it never raises; every problem comes back as a `Problem` naming the file and the physical
  line it is on (the header is line 1 when it is the first line), so a coordinator can open the
  file in an editor and go straight to it;
- it reports as much as it can in one pass: every undecodable line (up to a cap), every bad row;
- a file it cannot read as a whole (too large, not UTF-8, empty, a header without the required
  columns, a quote that swallows the rest of the file) gives no table, only errors;
- rows carry only the columns the caller knows, stripped; unknown columns give a warning.

No database here: this is plain text handling, tested on its own.
"""

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# 60,000 people (the size the product is built for) make a people.csv of about 10 MB; twice that
# leaves room for long names and addresses, and keeps a hostile upload from filling memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
# The csv module refuses cells past its (process-wide) limit; we leave that limit alone and
# turn the refusal into a message.
MAX_CELL_CHARS = csv.field_size_limit()
# Undecodable lines reported one by one, after which a count stands for the rest: a Latin-1
# export of 25,000 names would otherwise bury everything else.
MAX_ENCODING_ERRORS = 10

_NEWLINE = re.compile(rb"\r\n|\r|\n")
_HEADER_SPACING = re.compile(r"[\s-]+")


@dataclass(frozen=True, order=True)
class Problem:
    """An error or a warning, printed as `FILE:LINE: message`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        if not self.file:
            return self.message
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Row:
    line: int
    cells: Mapping[str, str]


@dataclass
class Table:
    file: str
    header_line: int
    columns: frozenset[str]
    rows: list[Row] = field(default_factory=list)


@dataclass
class TableRead:
    table: Table | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def normalise_header(name: str) -> str:
    """`Full Name`, ` full-name ` and `full_name` are the same column."""
    return _HEADER_SPACING.sub("_", name.replace("\ufeff", "").strip().lower())


def read_table(
    file: str,
    data: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_bytes: int = MAX_FILE_BYTES,
) -> TableRead:
    """Parse `data` as the CSV file named `file` whose header must hold `required` columns and
    may hold `optional` ones (any order)."""
    result = TableRead(table=None)

    def error(line: int, message: str) -> TableRead:
        result.errors.append(Problem(file, line, message))
        return result

    if len(data) > max_bytes:
        return error(
            1,
            _("the file is larger than {mb} MB, the most one import reads").format(
                mb=max_bytes // (1024 * 1024)
            ),
        )
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return error(
            1, _("this is a spreadsheet workbook, not CSV text: save it as 'CSV UTF-8' and retry")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return error(1, _("the file is UTF-16, not UTF-8: save it as 'CSV UTF-8' and retry"))

    text = _decode(file, data.removeprefix(b"\xef\xbb\xbf"), result)
    if text is None:
        return result
    if not text.strip():
        return error(
            1,
            _("the file is empty; it needs a header row with the columns {columns}").format(
                columns=", ".join(required)
            ),
        )

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    header_line = 0
    known = set(required) | set(optional)
    positions: dict[str, int] = {}
    previous_line = 0
    rows: list[Row] = []
    while True:
        line = previous_line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            previous_line = reader.line_num
            fatal, message = _explain_csv_error(str(exc))
            result.errors.append(Problem(file, line, message))
            if fatal or header is None:
                return result
            continue
        previous_line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank lines, and the ",,,," rows spreadsheets export for them

        if header is None:
            header, header_line = [normalise_header(cell) for cell in record], line
            positions = _check_header(file, line, header, required, known, result)
            if positions is None:
                return result
            continue

        # Cheap first-cell test before normalising a whole row: this runs for every row.
        if (
            normalise_header(record[0]) == header[0]
            and [normalise_header(cell) for cell in record] == header
        ):
            result.errors.append(Problem(file, line, _("the header row is repeated here")))
            continue
        extra = record[len(header) :]
        if len(record) < len(header) or any(cell.strip() for cell in extra):
            result.errors.append(
                Problem(
                    file,
                    line,
                    _("this row has {cells} cells but the header has {columns} columns").format(
                        cells=len(record), columns=len(header)
                    ),
                )
            )
            continue
        rows.append(Row(line, {name: record[i].strip() for name, i in positions.items()}))

    if header is None:
        return error(1, _("the file has no header row"))
    if not rows and not result.errors:
        result.warnings.append(Problem(file, header_line, _("the file has a header but no rows")))
    result.table = Table(file, header_line, frozenset(positions), rows)
    return result


def _decode(file: str, data: bytes, result: TableRead) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    bad: list[tuple[int, int, int]] = []
    for number, raw in enumerate(_NEWLINE.split(data), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad.append((number, exc.start + 1, raw[exc.start]))
    for number, column, byte in bad[:MAX_ENCODING_ERRORS]:
        result.errors.append(
            Problem(
                file,
                number,
                _(
                    "this line is not UTF-8 (byte 0x{byte:02X} at character {column}): "
                    "save the file as 'CSV UTF-8' and retry"
                ).format(byte=byte, column=column),
            )
        )
    if len(bad) > MAX_ENCODING_ERRORS:
        result.errors.append(
            Problem(
                file,
                bad[MAX_ENCODING_ERRORS][0],
                _("and {count} more lines are not UTF-8 either").format(
                    count=len(bad) - MAX_ENCODING_ERRORS
                ),
            )
        )
    return None


def _check_header(
    file: str,
    line: int,
    header: list[str],
    required: Sequence[str],
    known: set[str],
    result: TableRead,
) -> dict[str, int] | None:
    """Map each known column to its position, or report why the header is unusable."""
    positions: dict[str, int] = {}
    usable = True
    for index, name in enumerate(header):
        if not name:
            result.warnings.append(
                Problem(
                    file,
                    line,
                    _("column {number} has no name; its cells are ignored").format(
                        number=index + 1
                    ),
                )
            )
        elif name in positions:
            result.errors.append(
                Problem(file, line, _("column '{name}' appears twice").format(name=name))
            )
            usable = False
        elif name in known:
            positions[name] = index
        elif name not in header[:index]:
            result.warnings.append(
                Problem(
                    file, line, _("column '{name}' is not used; it is ignored").format(name=name)
                )
            )
    missing = [name for name in required if name not in positions]
    if missing:
        result.errors.append(
            Problem(
                file,
                line,
                _("missing column(s): {missing} (the header must name {required})").format(
                    missing=", ".join(missing), required=", ".join(required)
                ),
            )
        )
        usable = False
    return positions if usable else None


def _explain_csv_error(message: str) -> tuple[bool, str]:
    """A coordinator's reading of the csv module's error; `fatal` when the rest of the file
    cannot be trusted (a quote that never closes swallows every line after it)."""
    if "field larger than field limit" in message:
        return True, _(
            "a cell starting on this line is longer than {limit} characters: "
            'is a closing quote (") missing?'
        ).format(limit=MAX_CELL_CHARS)
    if "unexpected end of data" in message:
        return True, _('a quoted cell starting on this line is never closed (a " is missing)')
    if "expected after" in message:
        return False, _(
            'a quote (") inside a quoted cell must be doubled (""); this row cannot be read'
        )
    return False, _("this row cannot be read as CSV ({reason})").format(reason=message)
