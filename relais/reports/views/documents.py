"""A report as documents to download: the Word file, the PDF and the Excel tables.

Each is written in the report's language, whoever downloads it, from the report's figures
(frozen for a submitted report, drafted now for a draft): relais.reports.documents. Whoever
may read the report may download it; anyone else is told it does not exist (404).
"""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.decorators.http import require_GET

from relais.core.pdf import ascii_filename
from relais.reports import documents
from relais.reports.models import Report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report_for(request, pk):
    """The report of `pk` with its plan, country and national body, if the person may read
    it; else 404."""
    report = get_object_or_404(Report.objects.select_related("plan__country__national_body"), pk=pk)
    if not request.user.has_perm("reports.view_report", report):
        raise Http404
    return report


def attachment(data, filename, content_type):
    """`data` sent as a download named `filename`: an ASCII name for old browsers, the exact
    name (UTF-8) for the others."""
    extension = "." + filename.rsplit(".", 1)[-1]
    fallback = ascii_filename(filename, extension)
    response = HttpResponse(data, content_type=content_type)
    disposition = f'attachment; filename="{fallback}"'
    if fallback != filename:
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    response["Content-Disposition"] = disposition
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def report_docx(request, pk):
    report = _report_for(request, pk)
    data = documents.report_docx(report, documents.figures_of(report))
    return attachment(data, documents.report_filename(report, ".docx"), DOCX)


@require_GET
def report_pdf(request, pk):
    report = _report_for(request, pk)
    data = documents.report_pdf(report, documents.figures_of(report))
    return attachment(data, documents.report_filename(report, ".pdf"), "application/pdf")


@require_GET
def report_xlsx(request, pk):
    from relais.reports.tables import report_workbook

    report = _report_for(request, pk)
    figures = documents.figures_of(report)
    with translation.override(report.language):
        data = report_workbook(figures, title=report.title)
    return attachment(data, documents.report_filename(report, ".xlsx"), XLSX)
