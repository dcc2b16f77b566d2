import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.core.money import CURRENCY_CHOICES, round_amount, to_decimal


def month_key(year, month):
    return f"{year:04d}-{month:02d}"


def months_between(start, end):
    """["2018-01", …, "2019-12"]: every month from the month of `start` to that of `end`."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(month_key(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class RegionalStrategy(models.Model):
    """The strategy the six countries share, written once by a regional coordinator."""

    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("start"))
    period_end = models.DateField(_("end"))
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regional strategy")
        verbose_name_plural = _("regional strategies")
        ordering = ["-period_start"]

    def __str__(self):
        return self.title


class StrategicAxis(models.Model):
    strategy = models.ForeignKey(
        RegionalStrategy,
        verbose_name=_("regional strategy"),
        on_delete=models.CASCADE,
        related_name="axes",
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        ordering = ["strategy", "position"]

    def __str__(self):
        return _("Axis %(number)s: %(title)s") % {"number": self.position, "title": self.title}


class Plan(models.Model):
    """A national advocacy action plan, one version of it.

    A revision of an adopted plan is a new Plan (version + 1, `previous` pointing back) with its
    own workflow; adopting it supersedes the old one. Amounts are in the plan's currency.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        ADOPTED = "adopted", _("Adopted")
        CLOSED = "closed", _("Closed")
        SUPERSEDED = "superseded", _("Replaced by a revision")

    country = models.ForeignKey(
        "countries.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=500)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    language = models.CharField(
        _("language of the plan"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    general_objective = models.TextField(_("general objective"), blank=True)
    strategy = models.ForeignKey(
        RegionalStrategy,
        verbose_name=_("regional strategy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advocacy action plan")
        verbose_name_plural = _("advocacy action plans")
        ordering = ["-period_start", "title", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def is_editable(self):
        """Only a draft's content can change; adoption freezes it for good."""
        return self.status == self.Status.DRAFT

    @property
    def months(self):
        return months_between(self.period_start, self.period_end)

    @property
    def years(self):
        return list(range(self.period_start.year, self.period_end.year + 1))


class PlanEvent(models.Model):
    """One step of a plan's life: created, submitted, returned to draft (with a reason)…"""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        SUBMIT = "submit", _("submitted")
        VALIDATE = "validate", _("validated")
        ADOPT = "adopt", _("adopted")
        RETURN = "return", _("returned to draft")
        CLOSE = "close", _("closed")
        SUPERSEDE = "supersede", _("replaced by a revision")
        REVISE = "revise", _("revision started")
        COPY = "copy", _("copied from another plan")
        IMPORT = "import", _("imported from a workbook")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.plan} — {self.get_action_display()}"


class Objective(models.Model):
    """A specific objective (OS1, OS2…): the change sought from decision-makers."""

    class ChangeKind(models.TextChoices):
        LAW = "law", _("A law or a decree")
        AGENCY = "agency", _("An agency or an institution")
        CONVENTION = "convention", _("A convention or an agreement")
        BUDGET = "budget", _("A budget line")
        POLICY = "policy", _("A policy or a procedure")
        PRACTICE = "practice", _("A practice or a behaviour")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="objectives"
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    statement = models.TextField(_("statement"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    change_kind = models.CharField(
        _("kind of change"), max_length=20, choices=ChangeKind.choices, blank=True
    )
    change_sought = models.TextField(_("change sought"), blank=True)
    targets = models.TextField(
        _("advocacy targets"),
        blank=True,
        help_text=_("The decision-makers and institutions who can make the change."),
    )
    axis = models.ForeignKey(
        StrategicAxis,
        verbose_name=_("axis of the regional strategy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
    )
    # The same objective across a plan's versions shares its key (see plans.diff).
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("specific objective")
        verbose_name_plural = _("specific objectives")
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return f"{self.code} : {self.statement[:80]}"

    @property
    def code(self):
        return f"OS{self.position}"


class Result(models.Model):
    """An expected result of an objective; activities may name the result they serve."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="results"
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    statement = models.TextField(_("statement"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["objective", "position", "pk"]

    def __str__(self):
        return f"{self.code} {self.statement[:80]}"

    @property
    def code(self):
        return f"R{self.objective.position}.{self.position}"


class Activity(models.Model):
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("activity"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        "countries.Organisation",
        verbose_name=_("responsible structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned people"),
        blank=True,
        related_name="assigned_activities",
        help_text=_("The contributors who will report on this activity."),
    )
    partners = models.ManyToManyField(
        "countries.Organisation",
        verbose_name=_("partners"),
        blank=True,
        related_name="partner_in_activities",
    )
    months = models.JSONField(
        _("chronogram"), default=list, help_text=_("The months in which it takes place.")
    )
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    total = models.DecimalField(_("total cost"), max_digits=20, decimal_places=2, editable=False)
    result = models.ForeignKey(
        Result,
        verbose_name=_("result served"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[assignees, partners])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["objective", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0), name="activity_unit_cost_positive"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="activity_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def compute_total(self, currency):
        """Unit cost × quantity, rounded once, half up, to the currency's unit."""
        return round_amount(to_decimal(self.unit_cost) * to_decimal(self.quantity), currency)

    @property
    def code(self):
        return f"{self.objective.position}.{self.position}"

    @property
    def first_month(self):
        return min(self.months) if self.months else None

    @property
    def last_month(self):
        return max(self.months) if self.months else None

    def starts_on(self):
        first = self.first_month
        return date(int(first[:4]), int(first[5:7]), 1) if first else None


class FundingSource(models.Model):
    """Who is expected to carry part of an activity's cost: the state budget or a partner.

    The funding issue turns these expectations into contributions.
    """

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="funding_sources",
    )
    organisation = models.ForeignKey(
        "countries.Organisation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_funding",
        help_text=_("Empty for the state budget."),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=20, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned funding source")
        verbose_name_plural = _("planned funding sources")
        ordering = ["activity", "pk"]

    def __str__(self):
        return str(self.organisation or _("State budget"))


class Indicator(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every six months")
        YEARLY = "yearly", _("Yearly")
        ONCE = "once", _("Once, at the end")

    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    result = models.ForeignKey(
        Result,
        verbose_name=_("expected result"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    name = models.CharField(_("indicator"), max_length=500)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(objective__isnull=False, result__isnull=True)
                | Q(objective__isnull=True, result__isnull=False),
                name="indicator_on_objective_or_result",
            )
        ]

    def __str__(self):
        return self.name


class PlanImport(models.Model):
    """A workbook on its way to becoming a plan: uploaded, its columns checked and corrected
    by a person, then confirmed (or abandoned)."""

    country = models.ForeignKey(
        "countries.Country", verbose_name=_("country"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("workbook"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name
