from django.urls import path

from relais.plans.views import chronogram, content, plans, regional, workbooks

app_name = "plans"
urlpatterns = [
    path("countries/<str:code>/plans/", plans.plan_list, name="list"),
    path("countries/<str:code>/plans/new/", plans.plan_create, name="create"),
    path("countries/<str:code>/plans/import/", workbooks.import_upload, name="import_upload"),
    path("imports/<int:pk>/", workbooks.import_review, name="import_review"),
    path("imports/<int:pk>/confirm/", workbooks.import_confirm, name="import_confirm"),
    path("plans/template/<str:language>.xlsx", workbooks.blank_template_download, name="template"),
    path("plans/<int:pk>/", plans.plan_detail, name="detail"),
    path("plans/<int:pk>/export.<str:fmt>", workbooks.plan_export, name="export"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="edit"),
    path("plans/<int:pk>/transition/", plans.plan_transition, name="transition"),
    path("plans/<int:pk>/revise/", plans.plan_revise, name="revise"),
    path("plans/<int:pk>/copy/", plans.plan_copy, name="copy"),
    path("plans/<int:pk>/compare/", plans.plan_diff_view, name="diff"),
    path("plans/<int:pk>/chronogram/", chronogram.chronogram, name="chronogram"),
    path("plans/<int:pk>/print/", chronogram.plan_print, name="print"),
    path("plans/<int:plan_pk>/objectives/new/", content.objective_create, name="objective_create"),
    path("objectives/<int:pk>/edit/", content.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/delete/", content.objective_delete, name="objective_delete"),
    path("objectives/<int:pk>/move/", content.objective_move, name="objective_move"),
    path(
        "objectives/<int:objective_pk>/activities/new/",
        content.activity_create,
        name="activity_create",
    ),
    path("objectives/<int:objective_pk>/results/new/", content.result_create, name="result_create"),
    path(
        "objectives/<int:objective_pk>/indicators/new/",
        content.indicator_create,
        name="indicator_create",
    ),
    path("results/<int:pk>/", content.result_edit, name="result_edit"),
    path("indicators/<int:pk>/", content.indicator_edit, name="indicator_edit"),
    path("activities/<int:pk>/", content.activity_row, name="activity_row"),
    path("activities/<int:pk>/edit/", content.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", content.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/move/", content.activity_move, name="activity_move"),
    path("strategy/", regional.strategy, name="strategy"),
    path("rates/", regional.rates, name="rates"),
    path("regional/plans/", regional.rollup, name="rollup"),
]
