from django.urls import path

from relais.workshops.views import (
    attendance,
    duplicates,
    evaluations,
    participants,
    reports,
    scores,
    trained,
    workshops,
)

app_name = "workshops"
urlpatterns = [
    # The workshop, its agenda (relais.workshops.views.workshops)
    path("countries/<str:code>/workshops/", workshops.workshop_list, name="list"),
    path("countries/<str:code>/workshops/new/", workshops.workshop_create, name="create"),
    path("workshops/<int:pk>/", workshops.workshop_detail, name="detail"),
    path("workshops/<int:pk>/edit/", workshops.workshop_edit, name="edit"),
    path("workshops/<int:pk>/sessions/new/", workshops.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", workshops.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", workshops.session_delete, name="session_delete"),
    # Who took part: one by one, pasted or imported; exported (recorded)
    path("workshops/<int:pk>/participants/", participants.participant_list, name="participants"),
    path(
        "workshops/<int:pk>/participants/import/",
        participants.participant_import,
        name="participants_import",
    ),
    path(
        "workshops/<int:pk>/participants.xlsx",
        participants.participant_export,
        name="participants_export",
    ),
    path(
        "participations/<int:pk>/edit/", participants.participation_edit, name="participation_edit"
    ),
    path(
        "participations/<int:pk>/remove/",
        participants.participation_remove,
        name="participation_remove",
    ),
    # People entered twice: proposals, merges and their undoing
    path("countries/<str:code>/duplicates/", duplicates.duplicate_list, name="duplicates"),
    path("countries/<str:code>/duplicates/merge/", duplicates.merge, name="merge"),
    path("countries/<str:code>/duplicates/distinct/", duplicates.distinct, name="distinct"),
    path("merges/<int:pk>/undo/", duplicates.merge_undo, name="merge_undo"),
    # Presence per day, and the sheet they sign
    path("workshops/<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path("workshops/<int:pk>/attendance.pdf", attendance.attendance_sheet, name="attendance_sheet"),
    # What they learned: pre-test and post-test
    path("workshops/<int:pk>/scores/", scores.scores, name="scores"),
    path("workshops/<int:pk>/scores/import/", scores.scores_import, name="scores_import"),
    # What they thought of it: the evaluation, filled in without an account
    path("workshops/<int:pk>/evaluation/", evaluations.results, name="evaluation"),
    path("workshops/<int:pk>/evaluation/cards/", evaluations.cards, name="evaluation_cards"),
    path("workshops/<int:pk>/evaluation/close/", evaluations.close, name="evaluation_close"),
    path("e/<str:token>/", evaluations.evaluate, name="evaluate"),
    # The workshop report (Word), and its recommendations
    path("workshops/<int:pk>/report/", reports.report, name="report"),
    path("workshops/<int:pk>/report.docx", reports.report_docx, name="report_docx"),
    # The people trained, per country and in the region; indicators counted from them
    path("countries/<str:code>/trained/", trained.country_trained, name="trained"),
    path("trained/", trained.regional_trained, name="trained_regional"),
    path("indicators/<int:pk>/source/", trained.indicator_source, name="indicator_source"),
]
