from django.urls import path

from relais.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("language/", views.set_language, name="set_language"),
]
