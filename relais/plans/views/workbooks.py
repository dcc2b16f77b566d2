"""Excel in and out: import a committee's workbook (upload → check the columns → preview →
confirm), export a plan to .xlsx or CSV, download a blank template."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.core.sheets import column_letter, read_workbook
from relais.countries.models import Country
from relais.plans import selectors, services
from relais.plans.exporting import blank_template, plan_csv, plan_workbook
from relais.plans.importing import MAPPABLE, match_organisations, parse_workbook
from relais.plans.models import PlanImport
from relais.plans.views.plans import _country

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELD_LABELS = {
    "number": gettext_lazy("No."),
    "label": gettext_lazy("Objectives / activities"),
    "description": gettext_lazy("Description"),
    "responsible": gettext_lazy("Responsible structure"),
    "partners": gettext_lazy("Partners"),
    "unit_cost": gettext_lazy("Unit cost"),
    "quantity": gettext_lazy("Quantity"),
    "unit": gettext_lazy("Unit"),
    "total": gettext_lazy("Total cost"),
    "source": gettext_lazy("Funding source"),
    "period_text": gettext_lazy("Period"),  # a chronogram written as text in one column
}


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Workbook"),
        help_text=gettext_lazy("Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods), at most 10 MB."),
    )


class MappingForm(forms.Form):
    """One select per field: which column holds it (or none); and the header's row."""

    header_row = forms.IntegerField(label=gettext_lazy("Header row"), min_value=1, required=False)

    def __init__(self, *args, sheet, parsed, **kwargs):
        super().__init__(*args, **kwargs)
        header_rows = parsed.header_rows or ()
        choices = [("", _("— none —"))]
        for column in range(sheet.width if sheet else 0):
            title = " / ".join(filter(None, (sheet.text(r, column) for r in header_rows)))
            choices.append((str(column), f"{column_letter(column)} — {title[:40]}"))
        for name in MAPPABLE:
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS[name],
                choices=choices,
                required=False,
                initial=str(parsed.columns[name]) if name in parsed.columns else "",
            )
        if parsed.header_row is not None:
            self.fields["header_row"].initial = parsed.header_row + 1

    def mapping(self):
        return {
            name: int(self.cleaned_data[name]) if self.cleaned_data.get(name) else None
            for name in MAPPABLE
        }


def _import_for(request, pk):
    plan_import = get_object_or_404(PlanImport.objects.select_related("country"), pk=pk)
    if not request.user.has_perm("countries.view_members", plan_import.country):
        raise Http404
    if not request.user.has_perm("plans.add_plan", plan_import.country):
        raise PermissionDenied
    return plan_import


def _parse(plan_import):
    """The stored workbook, read with the person's corrections."""
    with plan_import.file.open("rb") as handle:
        data = handle.read()
    # Read under the name the person gave it (its extension is checked against its content),
    # without renaming the stored file: the storage knows it only by its own name.
    sheets = read_workbook(ContentFile(data, name=plan_import.original_name))
    parsed = parse_workbook(
        sheets,
        default_currency=plan_import.country.currency,
        mapping={k: v for k, v in plan_import.mapping.items()} or None,
        header_row=plan_import.header_row,
    )
    sheet = next((s for s in sheets if s.name == parsed.sheet), sheets[0] if sheets else None)
    return sheet, parsed


@require_http_methods(["GET", "POST"])
def import_upload(request, code):
    country = _country(request, code)
    if not request.user.has_perm("plans.add_plan", country):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        try:
            read_workbook(upload)
        except ValidationError as error:
            form.add_error("workbook", error)
        else:
            upload.seek(0)
            plan_import = PlanImport.objects.create(
                country=country,
                file=upload,
                original_name=upload.name[:255],
                uploaded_by=request.user,
            )
            return redirect("plans:import_review", pk=plan_import.pk)
    return render(request, "plans/import_upload.html", {"country": country, "form": form})


@require_http_methods(["GET", "POST"])
def import_review(request, pk):
    plan_import = _import_for(request, pk)
    if plan_import.plan_id:
        return redirect(plan_import.plan)
    sheet, parsed = _parse(plan_import)
    form = MappingForm(request.POST or None, sheet=sheet, parsed=parsed)
    if request.method == "POST" and form.is_valid():
        plan_import.mapping = form.mapping()
        row = form.cleaned_data.get("header_row")
        plan_import.header_row = row - 1 if row else None
        plan_import.save(update_fields=["mapping", "header_row"])
        return redirect("plans:import_review", pk=plan_import.pk)
    organisations = match_organisations(parsed, plan_import.country) if not parsed.errors else {}
    return render(
        request,
        "plans/import_review.html",
        {
            "plan_import": plan_import,
            "country": plan_import.country,
            "parsed": parsed,
            "form": form,
            "new_organisations": [name for name, org in organisations.items() if org is None],
        },
    )


@require_POST
def import_confirm(request, pk):
    plan_import = _import_for(request, pk)
    if plan_import.plan_id:
        return redirect(plan_import.plan)
    _sheet, parsed = _parse(plan_import)
    organisations = match_organisations(parsed, plan_import.country)
    try:
        plan = services.plan_import(
            parsed=parsed,
            country=plan_import.country,
            by=request.user,
            organisations=organisations,
            title=request.POST.get("title") or None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:import_review", pk=plan_import.pk)
    plan_import.plan = plan
    plan_import.save(update_fields=["plan"])
    counts = {
        "objectives": ngettext(
            "%(count)s objective", "%(count)s objectives", len(parsed.objectives)
        )
        % {"count": len(parsed.objectives)},
        "activities": ngettext("%(count)s activity", "%(count)s activities", parsed.activity_count)
        % {"count": parsed.activity_count},
    }
    messages.success(
        request,
        _("The plan has been imported as a draft: %(objectives)s, %(activities)s.") % counts,
    )
    return redirect(plan)


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def plan_export(request, pk, fmt):
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    plan = selectors.plan_get(user=request.user, pk=pk)
    objectives, totals = selectors.plan_tree(plan=plan, detail=True)
    name = slugify(plan.title)[:60] or "plan"
    if fmt == "xlsx":
        return _download(plan_workbook(plan, objectives, totals), f"{name}.xlsx", XLSX)
    return _download(plan_csv(plan, objectives), f"{name}.csv", "text/csv; charset=utf-8")


@require_GET
def blank_template_download(request, language):
    if language not in dict(settings.LANGUAGES):
        raise Http404
    code = request.GET.get("country", "ML").upper()
    country = Country.objects.select_related("national_body").filter(code=code).first()
    if country is None:
        raise Http404
    return _download(
        blank_template(country, language), f"relais-plan-template-{language}.xlsx", XLSX
    )
