"""A workshop's report: what it will contain, the recommendations the coordinator writes for it,
and the Word file.

Whoever reads the workshop reads its report and downloads it; the country's coordinator (or an
administrator) writes the recommendations, another member is refused (403), another country is
told the workshop does not exist (404). The page and the file read the database a fixed number
of times, however many people took part.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from relais.workshops.report import recommendations_save, workshop_docx, workshop_report
from relais.workshops.views.access import require_change, workshop_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGES = dict(settings.LANGUAGES)


class RecommendationsForm(forms.Form):
    recommendations = forms.CharField(
        label=gettext_lazy("Recommendations"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("One recommendation per line; the report prints them as written."),
    )


def _languages(event):
    """[(code, name)] the report can be downloaded in from the page: the reader's language
    first, then the country's working languages the platform speaks."""
    codes = [translation.get_language(), *event.country.languages]
    seen = []
    for code in codes:
        if code in LANGUAGES and code not in seen:
            seen.append(code)
    return [(code, translation.get_language_info(code)["name_local"]) for code in seen]


@require_http_methods(["GET", "POST"])
def report(request, pk):
    event = workshop_for(request, pk, sessions=True)
    can_change = request.user.has_perm("workshops.change_event", event)
    form = None
    if request.method == "POST":
        require_change(request, event)
        form = RecommendationsForm(request.POST)
        if form.is_valid():
            recommendations_save(
                event=event, by=request.user, recommendations=form.cleaned_data["recommendations"]
            )
            messages.success(request, _("The recommendations have been saved."))
            return redirect(reverse("workshops:report", args=[event.pk]) + "#recommendations")
    elif can_change:
        form = RecommendationsForm(initial={"recommendations": event.recommendations})
    context = {
        "country": event.country,
        "event": event,
        "report": workshop_report(event=event),
        "form": form,
        "can_change": can_change,
        "languages": _languages(event),
    }
    return render(request, "workshops/report.html", context)


@require_GET
def report_docx(request, pk):
    """The Word file, in the reader's language, or the one `?lang=` names (fr, en, pt, ar)."""
    event = workshop_for(request, pk, sessions=True)
    language = request.GET.get("lang")
    if language not in LANGUAGES:
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    content = workshop_docx(event=event, language=language)
    name = slugify(event.title)[:80] or str(event.pk)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="rapport-{name}.docx"'
    return response
