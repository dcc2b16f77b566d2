"""Writing Word files (python-docx) that read well in Word: A4, real headings and tables,
the national body's letterhead, and right to left for Arabic."""

import io

from django.utils.translation import gettext as _


class DocxWriter:
    """A python-docx Document written left to right, or right to left for Arabic."""

    def __init__(self, rtl):
        from docx import Document
        from docx.shared import Mm

        self.rtl = rtl
        self.document = Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)  # A4
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))

    def _direct(self, paragraph):
        if not self.rtl:
            return paragraph
        from docx.oxml import OxmlElement

        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        for run in paragraph.runs:
            run.font.rtl = True
        return paragraph

    def heading(self, text, level):
        return self._direct(self.document.add_heading(text, level=level))

    def paragraph(self, text="", *, style=None, bold=False, center=False, label=None):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = self.document.add_paragraph(style=style)
        if label:
            # "Date :" in French, "Date:" in English: the catalogue says where the colon goes.
            paragraph.add_run(_("%(label)s:") % {"label": label} + " ").bold = True
        run = paragraph.add_run(text)
        run.bold = bold
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return self._direct(paragraph)

    def table(self, header, rows, *, numeric=(), total=None):
        """A real table: `header` as its first (repeated) row, `rows`, then `total` in bold.
        Columns in `numeric` are aligned to the end."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement

        body = list(rows) + ([total] if total else [])
        table = self.document.add_table(rows=1 + len(body), cols=len(header))
        table.style = "Table Grid"
        if self.rtl:
            table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
        end = WD_ALIGN_PARAGRAPH.LEFT if self.rtl else WD_ALIGN_PARAGRAPH.RIGHT
        for index, values in enumerate([header, *body]):
            bold = index == 0 or (total is not None and index == len(body))
            cells = zip(table.rows[index].cells, values, strict=True)
            for column, (cell, value) in enumerate(cells):
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(str(value))
                run.bold = bold
                if column in numeric and index:
                    paragraph.alignment = end
                self._direct(paragraph)
        # The header row repeats on every page the table runs over.
        header_props = table.rows[0]._tr.get_or_add_trPr()
        header_props.append(OxmlElement("w:tblHeader"))
        self.document.add_paragraph()
        return table

    def letterhead(self, body):
        """The national body's logo (if it has one Word can read) and letterhead lines,
        centred, then its name when the letterhead does not end with it."""
        self.logo(body)
        lines = body.letterhead_lines if body else []
        for line in lines:
            self.paragraph(line, bold=True, center=True)
        if body and body.name not in lines:  # letterheads often end with the body's name
            self.paragraph(body.name, center=True)

    def logo(self, body):
        """The body's logo, centred; nothing if the file is gone or is not an image Word
        reads: a missing logo must not stop a document."""
        if not body or not body.logo:
            return
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        try:
            with body.logo.open("rb") as image:
                self.document.add_picture(image, width=Mm(25))
        except Exception:  # noqa: BLE001
            return
        self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def save(self):
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()
