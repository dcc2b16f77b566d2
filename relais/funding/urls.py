from django.urls import path

from relais.funding.views import contributions, funding, partners, round_tables

app_name = "funding"
urlpatterns = [
    path("plans/<int:pk>/funding/", funding.plan_funding, name="plan"),
    path("plans/<int:pk>/contributions/", contributions.contribution_list, name="contributions"),
    path(
        "plans/<int:pk>/contributions/new/",
        contributions.contribution_create,
        name="contribution_create",
    ),
    path("contributions/<int:pk>/", contributions.contribution_detail, name="contribution"),
    path("contributions/<int:pk>/edit/", contributions.contribution_edit, name="contribution_edit"),
    path(
        "contributions/<int:pk>/confirm/",
        contributions.contribution_confirm,
        name="contribution_confirm",
    ),
    path(
        "contributions/<int:pk>/withdraw/",
        contributions.contribution_withdraw,
        name="contribution_withdraw",
    ),
    path(
        "contributions/<int:pk>/disbursements/new/",
        contributions.disbursement_create,
        name="disbursement_create",
    ),
    path(
        "disbursements/<int:pk>/correct/",
        contributions.disbursement_correct,
        name="disbursement_correct",
    ),
    path("plans/<int:pk>/round-tables/", round_tables.round_table_list, name="round_tables"),
    path(
        "plans/<int:pk>/round-tables/new/",
        round_tables.round_table_create,
        name="round_table_create",
    ),
    path("round-tables/<int:pk>/", round_tables.round_table_detail, name="round_table"),
    path("round-tables/<int:pk>/edit/", round_tables.round_table_edit, name="round_table_edit"),
    path(
        "round-tables/<int:pk>/summary/",
        round_tables.round_table_summary,
        name="round_table_summary",
    ),
    path(
        "round-tables/<int:pk>/summary.docx",
        round_tables.round_table_docx,
        name="round_table_docx",
    ),
    path("partners/", partners.partner_list, name="partners"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner"),
]
