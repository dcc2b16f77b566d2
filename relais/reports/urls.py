from django.urls import path

from relais.reports.views import documents, iati, reports, templates

app_name = "reports"
urlpatterns = [
    # A plan's reports: the list, a new one, its page, its narrative, its submission
    # (relais.reports.views.reports)
    path("plans/<int:pk>/reports/", reports.report_list, name="list"),
    path("plans/<int:pk>/reports/new/", reports.report_create, name="create"),
    path("reports/<int:pk>/", reports.report_detail, name="detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="edit"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="submit"),
    path("reports/<int:pk>/acknowledge/", reports.report_acknowledge, name="acknowledge"),
    # The report as documents (relais.reports.views.documents)
    path("reports/<int:pk>/report.docx", documents.report_docx, name="docx"),
    path("reports/<int:pk>/report.pdf", documents.report_pdf, name="pdf"),
    path("reports/<int:pk>/tables.xlsx", documents.report_xlsx, name="xlsx"),
    # A plan as an IATI 2.03 activity file (relais.reports.views.iati)
    path("plans/<int:pk>/iati.xml", iati.plan_iati, name="iati"),
    # A country's Word template (relais.reports.views.templates)
    path("countries/<str:code>/report-template/", templates.report_template, name="template"),
]
