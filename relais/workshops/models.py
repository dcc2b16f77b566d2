"""The people a workshop trained, and what they did there: who took part (a person counted once
however many workshops they attended), which days they were present, their pre-test and
post-test scores, their evaluation, and the merges of people entered twice.

The workshop itself is an Event (relais.events): workshops are events of a training kind.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.core.text import name_key
from relais.countries.models import Organisation
from relais.workshops.matching import phone_key


def evaluation_token():
    return secrets.token_urlsafe(12)


class Participant(models.Model):
    """A person trained: one record however many workshops they attended."""

    class Sex(models.TextChoices):
        WOMAN = "F", _("Woman")
        MAN = "M", _("Man")

    full_name = models.CharField(_("full name"), max_length=150)
    # Accents, case, spacing and word order ignored (relais.core.text.name_key): how a person
    # entered twice is found again.
    name_key = models.CharField(max_length=150, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    function = models.CharField(_("function"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_kind = models.CharField(
        _("type of organisation"), max_length=20, choices=Organisation.Kind.choices, blank=True
    )
    country = models.ForeignKey(
        "countries.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The last eight digits: "+223 76 12 34 56" and "76123456" are the same phone.
    phone_key = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("email address"), blank=True)
    # Set when a coordinator merged this record into another; undoing the merge clears it.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
    )
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["full_name", "pk"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.full_name)[:150]
        self.phone_key = phone_key(self.phone)
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Participation(models.Model):
    """One person at one workshop: their scores and the link of their evaluation."""

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    pre_score = models.DecimalField(
        _("pre-test score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    post_score = models.DecimalField(
        _("post-test score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # The participant's own evaluation link (and QR code): no account needed, one answer.
    token = models.CharField(max_length=24, unique=True, default=evaluation_token, editable=False)
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["participant__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"], name="participation_once_per_workshop"
            )
        ]

    def __str__(self):
        return f"{self.participant} — {self.event}"


class Attendance(models.Model):
    """A participant present on one day of the workshop."""

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    day = models.DateField(_("day"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "day"], name="attendance_once_a_day")
        ]

    def __str__(self):
        return f"{self.participation.participant} — {self.day}"


class Evaluation(models.Model):
    """A participant's evaluation of the workshop: a rating from 1 to 5 per criterion
    (relais.workshops.evaluations.CRITERIA) and comments. One per participant."""

    participation = models.OneToOneField(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    ratings = models.JSONField(_("ratings"), default=dict)
    comments = models.TextField(_("what was most useful"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    submitted_at = models.DateTimeField(_("submitted on"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return str(self.participation)


class Merge(models.Model):
    """A coordinator's decision that two participant records are one person: the merged
    record's participations were moved to the kept one. Undoing moves them back."""

    kept = models.ForeignKey(
        Participant, verbose_name=_("kept"), on_delete=models.CASCADE, related_name="+"
    )
    merged = models.ForeignKey(
        Participant, verbose_name=_("merged"), on_delete=models.CASCADE, related_name="+"
    )
    # The ids of the participations moved from `merged` to `kept`, so that undo moves exactly
    # those back.
    participations = models.JSONField(default=list)
    # The fields the kept record took from the merged one ({name: value}), emptied again by
    # undo unless someone changed them since.
    filled = models.JSONField(default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("merged on"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone on"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge of participants")
        verbose_name_plural = _("merges of participants")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.merged} → {self.kept}"


class DistinctPair(models.Model):
    """Two participant records a coordinator judged to be two people: not proposed again."""

    first = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="distinct_pair_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.first} ≠ {self.second}"


class PersonalDataExport(models.Model):
    """The audit trail of exports of personal data: who downloaded whose contacts, when."""

    country = models.ForeignKey(
        "countries.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("workshop"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("export"), max_length=200)
    rows = models.PositiveIntegerField(_("people"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("exported on"), auto_now_add=True)

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.what


class IndicatorSource(models.Model):
    """A plan indicator whose value is counted from the workshops ("number of key actors
    trained"): what is counted, among the workshops of the indicator's plan."""

    class Measure(models.TextChoices):
        PEOPLE = "people", _("People trained (each person once)")
        WOMEN = "women", _("Women trained")
        MEN = "men", _("Men trained")
        PARTICIPATIONS = "participations", _("Participations (a person trained twice counts twice)")
        WORKSHOPS = "workshops", _("Workshops held")

    indicator = models.OneToOneField(
        "plans.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="workshop_source",
    )
    measure = models.CharField(_("counts"), max_length=20, choices=Measure.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator counted from workshops")
        verbose_name_plural = _("indicators counted from workshops")

    def __str__(self):
        return f"{self.indicator} — {self.get_measure_display()}"
