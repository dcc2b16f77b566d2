"""Progress and final reports of a plan: the narrative the committee writes, the figures Relais
drafts from the data, and, once submitted, those figures frozen as they were (with a checksum)
so that later changes to the data never alter a report sent to the government and funders.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.core.uploads import UploadValidator

LANGUAGES = [("fr", "Français"), ("en", "English"), ("pt", "Português"), ("ar", "العربيّة")]


class Report(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress report")
        FINAL = "final", _("Final report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fr")
    # The sections the committee writes; the figures and tables are drafted by Relais.
    summary = models.TextField(_("summary"), blank=True)
    results = models.JSONField(
        _("results per objective"), default=dict, blank=True
    )  # {objective key (uuid as str): text}
    difficulties = models.TextField(_("difficulties"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Addressed to: the government (a ministry) and chosen partners.
    addressees = models.ManyToManyField(
        "countries.Organisation",
        verbose_name=_("addressed to"),
        blank=True,
        related_name="reports_received",
    )
    # Frozen at submission: the figures as they were (relais.reports.figures, JSON), and the
    # SHA-256 of their canonical JSON, which the documents print.
    figures = models.JSONField(_("figures"), null=True, blank=True, editable=False)
    checksum = models.CharField(_("checksum"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[addressees])

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            )
        ]

    def __str__(self):
        return self.title


class Acknowledgement(models.Model):
    """A submitted report acknowledged by a regional coordinator or by the representative of a
    partner it is addressed to."""

    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "countries.Organisation",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("acknowledged on"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "by"], name="acknowledged_once_per_person")
        ]

    def __str__(self):
        return f"{self.report} — {self.by}"


def template_path(instance, filename):
    return f"report-templates/{instance.country_id}/{filename}"


class ReportTemplate(models.Model):
    """A country's own Word template for its reports (docxtpl): its letterhead, styles and
    wording, which the committee changes in Word. Without one, Relais's default is used."""

    country = models.OneToOneField(
        "countries.Country",
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        related_name="report_template",
    )
    file = models.FileField(
        _("Word template"),
        upload_to=template_path,
        validators=[UploadValidator({"docx"}, max_bytes=5 * 1024 * 1024)],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded on"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self):
        return str(self.country)
