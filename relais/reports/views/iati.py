"""A plan as an IATI 2.03 activity file, for whoever may read the plan."""

from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from relais.countries.rules import can_see_country_work, organisation_ids_of
from relais.plans.models import Plan
from relais.reports.iati import plan_iati as iati_file


@require_GET
def plan_iati(request, pk):
    plan = Plan.objects.select_related("country", "country__national_body").filter(pk=pk).first()
    # Another country's plan, or one the reader may not read, does not exist for them.
    if plan is None or not request.user.has_perm("reports.export_iati", plan):
        raise Http404
    # A partner representative reads their own organisations' funding only, as everywhere.
    own = None if can_see_country_work(request.user, plan) else organisation_ids_of(request.user)
    name = slugify(plan.title)[:60].strip("-") or f"plan-{plan.pk}"
    response = HttpResponse(iati_file(plan=plan, partners=own), content_type="application/xml")
    filename = f"iati-{plan.country.code.lower()}-{name}.xml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
