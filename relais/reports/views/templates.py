"""A country's Word template for its reports: download the one in use (the country's own, or
Relais's default for its main language's direction), upload a new one, go back to the default.

Whoever reads the country's work sees the page and downloads the templates (another country
answers 404); only its coordinator (or an administrator) uploads or resets one (403). An
upload must be a .docx whose tags render with sample figures: a broken tag is refused with the
paragraph and the reason, and nothing is saved.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from relais.core.forms import add_errors
from relais.countries.selectors import country_get
from relais.reports import documents
from relais.reports.models import ReportTemplate
from relais.reports.views.documents import DOCX, attachment


class TemplateForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Word template (.docx)"),
        help_text=gettext_lazy(
            "Start from the template in use, change it in Word and keep its {{ … }} and "
            "{% … %} tags where the figures go. At most 5 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            }
        ),
    )


def _download(country, custom, which):
    if which == "current" and custom is not None:
        with custom.file.open("rb") as file:
            data = file.read()
        return attachment(data, f"modele-rapport-{country.code.lower()}.docx", DOCX)
    if which == "rtl":
        path = documents.default_template_path("ar")
    elif which == "ltr":
        path = documents.default_template_path("fr")
    else:
        path = documents.default_template_for(country)
    return attachment(path.read_bytes(), path.name, DOCX)


@require_http_methods(["GET", "POST"])
def report_template(request, code):
    country = country_get(code=code)
    if not request.user.has_perm("countries.view_members", country):
        raise Http404
    can_change = request.user.has_perm("reports.change_template", country)
    custom = ReportTemplate.objects.select_related("uploaded_by").filter(country=country).first()
    which = request.GET.get("download")
    if request.method == "GET" and which in ("current", "ltr", "rtl"):
        return _download(country, custom, which)
    form = TemplateForm()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if request.POST.get("action") == "reset":
            documents.report_template_reset(country=country, by=request.user)
            messages.success(request, _("Reports will use Relais's default template again."))
            return redirect(request.path)
        form = TemplateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                documents.report_template_save(
                    country=country, upload=form.cleaned_data["file"], by=request.user
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The template has been saved: reports use it now."))
                return redirect(request.path)
    return render(
        request,
        "reports/report_template.html",
        {
            "country": country,
            "custom": custom,
            "default_name": documents.default_template_for(country).name,
            "can_change": can_change,
            "form": form,
        },
    )
