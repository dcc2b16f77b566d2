"""Write Relais's default Word templates for reports (docxtpl), left to right and right to left.

    python manage.py build_report_templates          # writes relais/reports/default_templates/
    python manage.py build_report_templates --check  # fails if the files differ from a rebuild

The templates hold no words of their own: every heading and sentence is a Jinja variable
({{ t.summary }}) that relais.reports.documents fills in the report's language. A committee
that downloads one may write its own words in Word instead, restyle it, add a paragraph: the
tags are what Relais fills in. Built with python-docx, so that the styles are Word's own
(Heading 1 and 2 in the navigation pane, "Table Grid" tables); the files are written the same
byte for byte on every run (fixed dates), so that a rebuild shows no change unless there is one.
"""

import io
import zipfile
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from relais.reports.documents import TEMPLATES_DIR

FIXED_DATE = datetime(2026, 1, 1)  # noqa: DTZ001 — a constant stamp, not a time of day
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
TABLE_STYLE = "Table Grid"


class _Builder:
    def __init__(self, rtl):
        from docx import Document
        from docx.shared import Mm, Pt

        self.rtl = rtl
        self.document = Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)  # A4
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        section.header_distance = section.footer_distance = Mm(10)
        self.document.styles["Normal"].font.size = Pt(10)

    # Paragraphs

    def paragraph(self, text="", *, style=None, bold=False, center=False, end=False, size=None):

        paragraph = self.document.add_paragraph(style=style)
        self._fill(paragraph, text, bold=bold, center=center, end=end, size=size)
        return paragraph

    def _fill(self, paragraph, text, *, bold=False, center=False, end=False, size=None):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif end:
            # With w:bidi, Word reads "left" and "right" from the paragraph's own start side.
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if self.rtl else WD_ALIGN_PARAGRAPH.RIGHT

    def tag(self, tag):
        """A paragraph holding only a docxtpl {%p … %} tag (the paragraph goes, the tag stays)."""
        return self.paragraph(f"{{%p {tag} %}}")

    def heading(self, text, level):
        return self.document.add_heading(text, level=level)

    def lines(self, variable):
        """The paragraphs of a text the committee wrote, or "Not written."."""
        self.tag(f"if {variable}")
        self.tag(f"for line in {variable}")
        self.paragraph("{{ line }}")
        self.tag("endfor")
        self.tag("else")
        self.paragraph("{{ t.not_written }}")
        self.tag("endif")

    def image(self, variable):
        self.tag(f"if {variable}")
        self.paragraph(f"{{{{ {variable} }}}}", center=True)
        self.tag("endif")

    # Tables

    def table(self, columns, rows, *, numeric=(), total=None, none="t.none"):
        """A "Table Grid" table of `columns` [(header expression, cell expression)], one row
        per item of `rows` (a {%tr for row in … %} loop), then the `total` cells in bold; or
        the sentence `none` when `rows` is empty."""
        from docx.oxml import OxmlElement

        self.tag(f"if {rows}")
        body_rows = 3 + (1 if total else 0)
        table = self.document.add_table(rows=1 + body_rows, cols=len(columns))
        table.style = TABLE_STYLE
        header, loop, cells, endloop = table.rows[:4]
        for index, (label, value) in enumerate(columns):
            self._fill(header.cells[index].paragraphs[0], f"{{{{ {label} }}}}", bold=True)
            self._fill(cells.cells[index].paragraphs[0], f"{{{{ {value} }}}}", end=index in numeric)
        self._fill(loop.cells[0].paragraphs[0], f"{{%tr for row in {rows} %}}")
        self._fill(endloop.cells[0].paragraphs[0], "{%tr endfor %}")
        if total:
            for index, value in enumerate(total):
                if value:
                    self._fill(
                        table.rows[4].cells[index].paragraphs[0],
                        f"{{{{ {value} }}}}",
                        bold=True,
                        end=index in numeric,
                    )
        # The header row repeats on every page the table runs over.
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        self.tag("else")
        self.paragraph(f"{{{{ {none} }}}}")
        self.tag("endif")
        return table

    def figures_section(self, title, build, level=1):
        """A section of figures: its heading, then what `build` writes, or the notice that
        nothing was recorded in the period."""
        self.heading(title, level)
        self.tag("if empty")
        self.paragraph("{{ empty_notice }}")
        self.tag("else")
        build()
        self.tag("endif")

    # Header and footer

    def footer(self):
        """ "Page 2 / 5": the translated words around Word's PAGE and NUMPAGES fields."""
        paragraph = self.document.sections[0].footer.paragraphs[0]
        self._fill(paragraph, "{{ t.page_before }}", center=True)
        self._field(paragraph, "PAGE")
        paragraph.add_run("{{ t.page_between }}")
        self._field(paragraph, "NUMPAGES")
        paragraph.add_run("{{ t.page_after }}")
        checksum = self.document.sections[0].footer.add_paragraph()
        self._fill(checksum, "{{ checksum }}", center=True, size=7)

    def _field(self, paragraph, instruction):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), f" {instruction} ")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

    def watermark(self):
        """ "DRAFT" across every page of a draft, as Word draws its own watermarks (a VML text
        shape in the header); nothing for a submitted report."""
        from lxml import etree

        header = self.document.sections[0].header
        opening = header.paragraphs[0]
        self._fill(opening, "{%p if watermark %}")
        paragraph = header.add_paragraph()
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        v = "urn:schemas-microsoft-com:vml"
        o = "urn:schemas-microsoft-com:office:office"
        pict = etree.fromstring(
            f'<w:r xmlns:w="{w}" xmlns:v="{v}" xmlns:o="{o}"><w:pict>'
            '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" '
            'adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" '
            'o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>'
            '<v:shape id="RelaisWatermark" o:spid="_x0000_s1025" type="#_x0000_t136" '
            'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;'
            "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
            "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
            'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" '
            'stroked="f"><v:fill opacity=".5"/>'
            '<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" '
            'string="{{ watermark }}"/></v:shape></w:pict></w:r>'
        )
        paragraph._p.append(pict)
        closing = header.add_paragraph()
        self._fill(closing, "{%p endif %}")
        header.add_paragraph()  # a header holds one paragraph at least, or Word will not open it

    # Right to left

    def right_to_left(self):
        """Arabic: every paragraph and run right to left, tables laid out from the right, the
        styles too (so that what the committee adds in Word is right to left as well)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        def bidi(p):
            ppr = p.get_or_add_pPr()
            if ppr.find(qn("w:bidi")) is None:
                ppr.insert_element_before(
                    OxmlElement("w:bidi"),
                    *(
                        f"w:{name}"
                        for name in (
                            "adjustRightInd",
                            "snapToGrid",
                            "spacing",
                            "ind",
                            "contextualSpacing",
                            "mirrorIndents",
                            "suppressOverlap",
                            "jc",
                            "textDirection",
                            "textAlignment",
                            "textboxTightWrap",
                            "outlineLvl",
                            "divId",
                            "cnfStyle",
                            "rPr",
                            "sectPr",
                            "pPrChange",
                        )
                    ),
                )
            for run in p.iter(qn("w:r")):
                rpr = run.get_or_add_rPr()
                if rpr.find(qn("w:rtl")) is None:
                    rpr.append(OxmlElement("w:rtl"))

        section = self.document.sections[0]
        for part in (self.document.element.body, section.header._element, section.footer._element):
            for p in part.iter(qn("w:p")):
                bidi(p)
            for tbl in part.iter(qn("w:tbl")):
                tbl.tblPr.append(OxmlElement("w:bidiVisual"))
        section._sectPr.append(OxmlElement("w:bidi"))

        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        ppr_default = defaults.find(qn("w:pPrDefault"))
        ppr = ppr_default.find(qn("w:pPr"))
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            ppr_default.append(ppr)
        ppr.insert(0, OxmlElement("w:bidi"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            fonts.set(qn("w:cs"), "Arial")
            for name in ("w:cstheme",):
                fonts.attrib.pop(qn(name), None)
        rpr.append(OxmlElement("w:rtl"))
        language = rpr.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            rpr.append(language)
        language.set(qn("w:bidi"), "ar-SA")
        grid = self.document.styles[TABLE_STYLE].element
        table_properties = grid.find(qn("w:tblPr"))
        table_properties.insert(0, OxmlElement("w:bidiVisual"))

    def save(self):
        properties = self.document.core_properties
        properties.author = properties.last_modified_by = "Relais"
        properties.title = "Relais — rapport / report"
        properties.created = properties.modified = FIXED_DATE
        properties.revision = 1
        out = io.BytesIO()
        self.document.save(out)
        return _stable_zip(out.getvalue())


def _stable_zip(data):
    """The same archive with fixed dates: the same bytes for the same content."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member.filename))
    return out.getvalue()


def build_template(rtl):
    """The default report template (bytes of a .docx), right to left if `rtl`."""
    b = _Builder(rtl)
    b.watermark()
    b.footer()

    # The national body's letterhead and logo, then the report's title and status.
    b.image("logo")
    b.tag("for line in letterhead")
    b.paragraph("{{ line }}", bold=True, center=True)
    b.tag("endfor")
    b.tag("if body_name")
    b.paragraph("{{ body_name }}", center=True)
    b.tag("endif")
    b.paragraph("{{ title }}", style="Title")
    b.paragraph("{{ t.plan_label }} {{ plan_title }}")
    b.paragraph("{{ t.period_label }} {{ period }}")
    b.paragraph("{{ kind }}")
    b.tag("if draft")
    b.paragraph("{{ t.draft_notice }}", bold=True)
    b.tag("else")
    b.paragraph("{{ frozen_notice }}")
    b.paragraph("{{ t.checksum_label }} {{ checksum }}", size=8)
    b.tag("endif")

    b.heading("{{ t.summary }}", 1)
    b.lines("narrative.summary")

    b.heading("{{ t.results }}", 1)
    b.tag("for objective in results")
    b.heading("{{ objective.code }} — {{ objective.statement }}", 2)
    b.lines("objective.text")
    b.tag("endfor")

    def activities():
        b.table(
            [("t.status", "row.label"), ("t.number", "row.value")],
            "counts",
            numeric=(1,),
            total=["t.total", "counts_total"],
        )
        columns = [
            ("t.code", "row.code"),
            ("t.activity", "row.title"),
            ("t.objective", "row.objective"),
            ("t.progress", "row.percent"),
            ("t.updated", "row.on"),
        ]
        b.heading("{{ t.done }}", 2)
        b.table(columns, "activities.done", numeric=(3,))
        b.heading("{{ t.ongoing }}", 2)
        b.table(columns, "activities.ongoing", numeric=(3,))
        b.heading("{{ t.late }}", 2)
        b.table(
            [*columns[:3], ("t.planned", "row.planned"), ("t.status", "row.status")],
            "activities.late",
        )
        b.image("charts.completion")

    b.figures_section("{{ t.activities }}", activities)

    def budget():
        b.heading("{{ t.by_objective }}", 2)
        b.table(
            [
                ("t.code", "row.code"),
                ("t.statement", "row.statement"),
                ("t.budgeted", "row.budget"),
                ("t.spent_period", "row.spent_period"),
                ("t.spent", "row.spent"),
                ("t.execution", "row.execution"),
            ],
            "budget.objectives",
            numeric=(2, 3, 4, 5),
            total=[
                "t.total",
                "",
                "budget.total.budget",
                "budget.total.spent_period",
                "budget.total.spent",
                "budget.total.execution",
            ],
        )
        b.image("charts.execution")
        b.heading("{{ t.by_source }}", 2)
        b.table(
            [
                ("t.source", "row.name"),
                ("t.disbursed", "row.disbursed"),
                ("t.spent_short", "row.spent"),
                ("t.execution", "row.execution"),
            ],
            "budget.sources",
            numeric=(1, 2, 3),
        )

    b.figures_section("{{ t.budget }}", budget)

    def funding():
        b.heading("{{ t.contributions }}", 2)
        b.table(
            [
                ("t.partner", "row.partner"),
                ("t.contribution_kind", "row.kind"),
                ("t.status", "row.status"),
                ("t.amount", "row.amount"),
                ("t.amount_plan", "row.amount_plan"),
                ("t.confirmed", "row.confirmed"),
                ("t.disbursed_plan", "row.disbursed"),
            ],
            "funding.contributions",
            numeric=(3, 4, 5, 6),
            total=[
                "t.total",
                "",
                "",
                "",
                "funding.total.announced",
                "funding.total.confirmed",
                "funding.total.disbursed",
            ],
        )
        b.tag("for problem in problems")
        b.paragraph("{{ problem }}")
        b.tag("endfor")
        b.heading("{{ t.funding_total }}", 2)
        table = b.document.add_table(rows=7, cols=2)
        table.style = TABLE_STYLE
        for index, (label, value) in enumerate(
            [
                ("t.figure", "t.amount_plan"),
                ("t.plan_budget", "funding.total.budget"),
                ("t.announced", "funding.total.announced"),
                ("t.confirmed_short", "funding.total.confirmed"),
                ("t.disbursed", "funding.total.disbursed"),
                ("t.disbursed_period", "funding.total.disbursed_period"),
                ("funding.gap_label", "funding.gap"),
            ]
        ):
            cells = table.rows[index].cells
            b._fill(cells[0].paragraphs[0], f"{{{{ {label} }}}}", bold=index == 0)
            b._fill(cells[1].paragraphs[0], f"{{{{ {value} }}}}", bold=index == 0, end=index > 0)
        b.paragraph()
        b.heading("{{ t.disbursements }}", 2)
        b.table(
            [
                ("t.date", "row.date"),
                ("t.partner", "row.partner"),
                ("t.amount", "row.amount"),
                ("t.amount_plan", "row.amount_plan"),
            ],
            "funding.disbursements",
            numeric=(2, 3),
        )

    b.figures_section("{{ t.funding }}", funding)

    def indicators():
        b.table(
            [
                ("t.code", "row.code"),
                ("t.indicator", "row.name"),
                ("t.unit", "row.unit"),
                ("t.baseline", "row.baseline"),
                ("t.target", "row.target"),
                ("t.value", "row.value"),
                ("t.value_period", "row.value_period"),
                ("t.progress", "row.progress"),
            ],
            "indicators",
            numeric=(3, 4, 5, 6, 7),
        )

    b.figures_section("{{ t.indicators }}", indicators)

    def milestones():
        b.table(
            [
                ("t.objective", "row.objective"),
                ("t.step", "row.step"),
                ("t.date", "row.date"),
                ("t.description", "row.description"),
            ],
            "milestones",
        )

    b.figures_section("{{ t.milestones }}", milestones)

    def training():
        b.table(
            [
                ("t.workshop", "row.title"),
                ("t.contribution_kind", "row.kind"),
                ("t.dates", "row.dates"),
                ("t.city", "row.city"),
                ("t.participants", "row.participants"),
                ("t.women", "row.women"),
                ("t.men", "row.men"),
            ],
            "training.workshops",
            numeric=(4, 5, 6),
        )
        b.heading("{{ t.people_trained }}", 2)
        b.table(
            [
                ("t.organisation_type", "row.label"),
                ("t.women", "row.women"),
                ("t.men", "row.men"),
                ("t.not_stated", "row.not_stated"),
                ("t.total", "row.total"),
            ],
            "training.by_organisation_type",
            numeric=(1, 2, 3, 4),
            total=[
                "t.people_trained",
                "training.women",
                "training.men",
                "training.not_stated",
                "training.people",
            ],
        )
        b.paragraph("{{ t.participations_label }} {{ training.participations }}")

    b.figures_section("{{ t.training }}", training)

    for name in ("difficulties", "lessons", "next_steps", "recommendations"):
        b.heading(f"{{{{ t.{name} }}}}", 1)
        b.lines(f"narrative.{name}")

    if rtl:
        b.right_to_left()
    return b.save()


TEMPLATES = {"report.docx": False, "report-rtl.docx": True}


class Command(BaseCommand):
    help = "Write the default Word templates of reports (relais/reports/default_templates/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if a rebuild would differ from the files.",
        )

    def handle(self, *args, check=False, **options):
        TEMPLATES_DIR.mkdir(exist_ok=True)
        differ = []
        for name, rtl in TEMPLATES.items():
            path = TEMPLATES_DIR / name
            data = build_template(rtl)
            if check:
                if not path.exists() or path.read_bytes() != data:
                    differ.append(name)
                continue
            path.write_bytes(data)
            self.stdout.write(f"{path} ({len(data)} bytes)")
        if differ:
            raise CommandError(f"Out of date: {', '.join(differ)}; run build_report_templates.")
