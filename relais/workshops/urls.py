from django.urls import path

from relais.workshops import views

app_name = "workshops"
urlpatterns = [
    path("countries/<str:code>/workshops/", views.workshop_list, name="list"),
    path("countries/<str:code>/workshops/new/", views.workshop_create, name="create"),
    path("workshops/<int:pk>/", views.workshop_detail, name="detail"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("workshops/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
]
