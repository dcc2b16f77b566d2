"""Reading spreadsheets as people make them, for every importer.

Every workbook (.xlsx, .xlsm, .xls, .ods) is read with calamine: formulas are never
evaluated (their cached value is read), macros are ignored. Cells keep their position as the
spreadsheet shows it, so that every message can say "sheet, row 12, column F". CSV files are
read into the same shape.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from relais.core.text import normalise
from relais.core.uploads import SPREADSHEETS, check_upload


def column_letter(index):
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class Problem:
    """A warning or an error, with where it is: sheet, row (1-based, as Excel shows it) and
    column letter."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def as_dict(self):
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self):
        where = (bool(self.sheet), bool(self.row), bool(self.column))
        if not any(where):
            return str(self.message)
        return _(_WHERE[where]) % self.as_dict()


# One whole sentence per case, so that each language can punctuate it its own way.
_WHERE = {
    (True, True, True): gettext_noop(
        "Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s"
    ),
    (True, True, False): gettext_noop("Sheet %(sheet)s, row %(row)s: %(message)s"),
    (True, False, True): gettext_noop("Sheet %(sheet)s, column %(column)s: %(message)s"),
    (True, False, False): gettext_noop("Sheet %(sheet)s: %(message)s"),
    (False, True, True): gettext_noop("Row %(row)s, column %(column)s: %(message)s"),
    (False, True, False): gettext_noop("Row %(row)s: %(message)s"),
    (False, False, True): gettext_noop("Column %(column)s: %(message)s"),
}


@dataclass
class Sheet:
    name: str
    rows: list  # rows[r][c], 0-based, from A1
    merged: list = field(default_factory=list)  # [((r0, c0), (r1, c1))]

    @property
    def width(self):
        return max((len(r) for r in self.rows), default=0)

    def value(self, row, column):
        if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row]):
            return self.rows[row][column]
        return ""

    def text(self, row, column):
        value = self.value(row, column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def merged_span(self, row, column):
        """The (first column, last column) of the merged range holding this cell, if any."""
        for (r0, c0), (r1, c1) in self.merged:
            if r0 <= row <= r1 and c0 <= column <= c1:
                return c0, c1
        return None

    def filled(self, row):
        return [c for c in range(len(self.rows[row])) if self.text(row, c)]


def read_workbook(upload, *, max_bytes=None):
    """Every sheet of an uploaded spreadsheet (or CSV), or ValidationError saying why not."""
    kind = check_upload(upload, SPREADSHEETS | {"csv"}, max_bytes=max_bytes)
    upload.seek(0)
    data = upload.read()
    name = getattr(upload, "name", "")
    if kind == "csv":
        return [_read_csv(data, name)]
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for index, sheet_name in enumerate(book.sheet_names):
            sheet = book.get_sheet_by_index(index)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append(Sheet(sheet_name, [list(r) for r in rows], merged))
    except (CalamineError, ValueError, OSError) as exc:
        raise ValidationError(
            _("“%(name)s” cannot be read as a spreadsheet: it may be damaged.") % {"name": name},
            code="corrupt",
        ) from exc
    return sheets


def _read_csv(data, name):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    rows = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    return Sheet(name.rsplit(".", 1)[0] or "CSV", rows, [])


def sheet_from_text(text):
    """Rows pasted from a spreadsheet (tab-separated, as Excel and LibreOffice copy them) or
    typed with ";" or "," between columns, as a Sheet named "Pasted rows". Empty lines are
    kept, so that row numbers are those of the text pasted."""
    lines = str(text or "").rstrip().splitlines()
    sample = "\n".join(lines[:5])
    delimiter = "\t" if "\t" in sample else ";" if ";" in sample else ","
    rows = [list(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
    return Sheet(_("Pasted rows"), rows, [])


def title_match(text, titles, *, suffix=False):
    """(field, rank) of a column title among `titles` ({field: [normalised synonym, …]}), or
    None. A title matches a synonym it is, or starts with ("Coût total (FCFA)"), or with
    `suffix` ends with ("Score pré-test"). A title that is exactly a synonym ranks above one
    that only starts with it, then the longer synonym above the shorter, so that "Coût total"
    is the total and not a unit cost."""
    key = normalise(text)
    if not key or len(key) > 60:
        return None
    best, best_rank = None, (False, 0)
    for name, synonyms in titles.items():
        for synonym in synonyms:
            if (
                key == synonym
                or key.startswith(synonym + " ")
                or (suffix and key.endswith(" " + synonym))
            ):
                rank = (key == synonym, len(synonym))
                if rank > best_rank:
                    best, best_rank = name, rank
    return (best, best_rank) if best else None
