from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from relais.core.views import record_history
from relais.countries.views import home, invitation_accept

admin.site.site_header = _("Relais administration")
admin.site.site_title = _("Relais")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("", include("relais.plans.urls")),
    path("", include("relais.funding.urls")),
    path("", include("relais.workshops.urls")),
    path("", include("relais.monitoring.urls")),
    path("", include("relais.reports.urls")),
    path("", include("relais.exchange.urls")),
    path("countries/", include("relais.countries.urls")),
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", record_history, name="history"),
    path("accounts/", include("relais.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
