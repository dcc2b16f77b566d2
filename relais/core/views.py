from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from relais.core.history import history_entries


@require_GET
def record_history(request, app_label, model_name, pk):
    """The audit trail of one record: who changed what, and when.

    Seeing the record at all takes `<app>.view_<model>` (404 otherwise, like any record one
    may not see); its history takes `<app>.view_history` on it (403 otherwise).
    """
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    if not hasattr(model, "history"):
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    if not request.user.has_perm(f"{app_label}.view_{model_name}", obj):
        raise Http404
    if not request.user.has_perm(f"{app_label}.view_history", obj):
        raise PermissionDenied
    return render(
        request,
        "core/history.html",
        {"object": obj, "entries": history_entries(obj), "verbose_name": model._meta.verbose_name},
    )
