from django.urls import path

from relais.monitoring.views import dashboards, expenditures, indicators, monitoring, updates

app_name = "monitoring"
urlpatterns = [
    # The plan's monitoring: alerts, where each activity stands (views.monitoring)
    path("plans/<int:pk>/monitoring/", monitoring.plan_monitoring, name="plan"),
    # Updates on an activity, with their evidence (views.updates)
    path("activities/<int:pk>/updates/", updates.activity_updates, name="activity"),
    path("evidence/<int:pk>/", updates.evidence_file, name="evidence"),
    path("evidence/<int:pk>/thumbnail/", updates.evidence_thumbnail, name="evidence_thumbnail"),
    # What was spent (views.expenditures)
    path("plans/<int:pk>/expenditures/", expenditures.expenditure_list, name="expenditures"),
    path(
        "plans/<int:pk>/expenditures/new/",
        expenditures.expenditure_create,
        name="expenditure_create",
    ),
    path("expenditures/<int:pk>/", expenditures.expenditure_detail, name="expenditure"),
    path("expenditures/<int:pk>/edit/", expenditures.expenditure_edit, name="expenditure_edit"),
    path(
        "expenditures/<int:pk>/validate/",
        expenditures.expenditure_validate,
        name="expenditure_validate",
    ),
    path(
        "expenditures/<int:pk>/correct/",
        expenditures.expenditure_correct,
        name="expenditure_correct",
    ),
    # Indicator values and advocacy milestones (views.indicators)
    path("plans/<int:pk>/indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/<int:pk>/values/", indicators.indicator_values, name="indicator_values"),
    path("plans/<int:pk>/milestones/", indicators.milestones, name="milestones"),
    # Dashboards (views.dashboards)
    path("plans/<int:pk>/dashboard/", dashboards.plan_dashboard, name="dashboard"),
    path("regional/dashboard/", dashboards.regional_dashboard, name="regional"),
]
