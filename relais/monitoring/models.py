"""What happened to a plan once adopted: updates on its activities (with evidence), what was
spent and from which contribution, the values its indicators reached, and the advocacy
milestones its objectives passed.

Every record names who entered it and when, and keeps its history (simple-history). A validated
expenditure is never edited: it is corrected by a new record that points at it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.core.money import CURRENCY_CHOICES
from relais.core.uploads import DOCUMENTS, IMAGES, UploadValidator

EVIDENCE = DOCUMENTS | IMAGES
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_path(instance, filename):
    return f"evidence/{timezone.now():%Y/%m}/{filename}"


class ActivityUpdate(models.Model):
    """Where an activity stands, said by its assigned contributor or a coordinator."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    percent_done = models.PositiveSmallIntegerField(
        _("percentage done"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    on = models.DateField(_("date"))
    narrative = models.TextField(_("what happened"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded on"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity update")
        verbose_name_plural = _("activity updates")
        ordering = ["-on", "-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_done__gte=0) & Q(percent_done__lte=100),
                name="update_percent_0_100",
            )
        ]

    def __str__(self):
        return f"{self.activity} — {self.get_status_display()} ({self.percent_done} %)"


class Evidence(models.Model):
    """A photo, a PDF, a signed attendance sheet…: proof of an update, an expenditure or a
    milestone (exactly one of them). Images get a small thumbnail for slow links."""

    update = models.ForeignKey(
        ActivityUpdate,
        verbose_name=_("update"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    expenditure = models.ForeignKey(
        "Expenditure",
        verbose_name=_("expenditure"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    milestone = models.ForeignKey(
        "Milestone",
        verbose_name=_("milestone"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    file = models.FileField(
        _("file"),
        upload_to=evidence_path,
        validators=[UploadValidator(EVIDENCE, max_bytes=EVIDENCE_MAX_BYTES)],
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    kind = models.CharField(_("type"), max_length=10)  # what relais.core.uploads sniffed
    thumbnail = models.ImageField(_("thumbnail"), upload_to=evidence_path, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("added on"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(update__isnull=False, expenditure__isnull=True, milestone__isnull=True)
                    | Q(update__isnull=True, expenditure__isnull=False, milestone__isnull=True)
                    | Q(update__isnull=True, expenditure__isnull=True, milestone__isnull=False)
                ),
                name="evidence_of_one_record",
            )
        ]

    def __str__(self):
        return self.original_name


class Expenditure(models.Model):
    """Money spent on an activity, from a contribution (the funding issue) or the state's own
    budget (no contribution). Entered as a draft; a coordinator validates it; a validated
    expenditure is changed only by a correction (a new expenditure whose `corrects` points at
    it and replaces it in every total)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("To validate")
        VALIDATED = "validated", _("Validated")
        CORRECTED = "corrected", _("Corrected")

    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    contribution = models.ForeignKey(
        "funding.Contribution",
        verbose_name=_("paid from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
        help_text=_("Empty when the state's own budget paid it."),
    )
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"), max_digits=20, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # Spending more than its contribution has disbursed is allowed once someone confirms it:
    # who did, and when, is kept.
    overrun_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overrun confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overrun_confirmed_at = models.DateTimeField(_("overrun confirmed on"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered on"), default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="expenditure_not_negative")
        ]

    def __str__(self):
        return f"{self.spent_on} {self.amount} {self.currency} — {self.description[:60]}"


class IndicatorValue(models.Model):
    """The value an indicator reached in a reporting period (a quarter by default), with its
    disaggregation where it applies ({"women": 12, "men": 30} or {"children": 4, "adults": 9})."""

    indicator = models.ForeignKey(
        "plans.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    disaggregation = models.JSONField(_("disaggregation"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Counted from the workshops (relais.workshops.IndicatorSource) rather than typed.
    from_workshops = models.BooleanField(_("counted from the workshops"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded on"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="indicator_value_once_a_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="indicator_value_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period_start}: {self.value}"


class Milestone(models.Model):
    """A step an objective's change sought has reached: what counts most in an advocacy plan."""

    class Step(models.TextChoices):
        TARGET_MET = "target_met", _("Decision-makers met")
        COMMITMENT = "commitment", _("Public commitment obtained")
        TEXT_DRAFTED = "text_drafted", _("Text drafted")
        TEXT_SUBMITTED = "text_submitted", _("Text submitted for adoption")
        TEXT_ADOPTED = "text_adopted", _("Text adopted")
        AGENCY_CREATED = "agency_created", _("Agency or institution created")
        BUDGET_ALLOCATED = "budget_allocated", _("Budget allocated")
        CONVENTION_SIGNED = "convention_signed", _("Convention or agreement signed")
        OTHER = "other", _("Other step")

    objective = models.ForeignKey(
        "plans.Objective",
        verbose_name=_("objective"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    step = models.CharField(_("step reached"), max_length=30, choices=Step.choices)
    reached_on = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded on"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advocacy milestone")
        verbose_name_plural = _("advocacy milestones")
        ordering = ["objective", "reached_on", "pk"]

    def __str__(self):
        return f"{self.objective} — {self.get_step_display()} ({self.reached_on})"
