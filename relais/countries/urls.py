from django.urls import path

from relais.countries import views

app_name = "countries"
urlpatterns = [
    path("<str:code>/", views.country_detail, name="detail"),
    path("<str:code>/body/", views.body_edit, name="body_edit"),
    path("<str:code>/members/", views.members, name="members"),
    path(
        "<str:code>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("<str:code>/organisations/new/", views.organisation_create, name="organisation_create"),
    path("<str:code>/contacts/new/", views.contact_create, name="contact_create"),
]
