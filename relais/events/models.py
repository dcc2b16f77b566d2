"""Events of the network: round tables (partner mobilisation), training and validation
workshops, campaign events and missions (capacity building): one model with a kind, so that one
regional calendar lists them all."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.core.uploads import DOCUMENTS, UploadValidator


def minutes_path(instance, filename):
    return f"events/{instance.country_id}/{filename}"


class Event(models.Model):
    class Kind(models.TextChoices):
        ROUND_TABLE = "round_table", _("Round table")
        TRAINING = "training", _("Training workshop")
        VALIDATION = "validation", _("Validation workshop")
        CAMPAIGN = "campaign", _("Campaign event")
        MISSION = "mission", _("Mission")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        "countries.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_events",
    )
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    # Workshops and missions: what they were for, who ran and paid for them, what they carry out.
    objectives = models.TextField(_("objectives"), blank=True)
    organiser = models.ForeignKey(
        "countries.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    funder = models.ForeignKey(
        "countries.Organisation",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.CharField(_("project"), max_length=200, blank=True)
    facilitators = models.TextField(_("facilitators"), blank=True)
    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("plan activity it carries out"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    # Workshops: what their tests are marked out of, the recommendations their report carries,
    # and when their evaluation closed (no answer is taken after).
    score_max = models.DecimalField(
        _("tests marked out of"), max_digits=6, decimal_places=2, default=20
    )
    recommendations = models.TextField(_("recommendations"), blank=True)
    evaluation_closed_at = models.DateTimeField(_("evaluation closed on"), null=True, blank=True)
    minutes = models.FileField(
        _("minutes"),
        upload_to=minutes_path,
        blank=True,
        validators=[UploadValidator(DOCUMENTS)],
    )
    invited = models.ManyToManyField(
        "countries.Organisation",
        verbose_name=_("organisations invited"),
        blank=True,
        related_name="+",
    )
    present = models.ManyToManyField(
        "countries.Organisation",
        verbose_name=_("organisations present"),
        blank=True,
        related_name="events_attended",
    )
    invited_people = models.ManyToManyField(
        "countries.Contact",
        verbose_name=_("people invited"),
        blank=True,
        related_name="+",
    )
    participants = models.ManyToManyField(
        "countries.Contact",
        verbose_name=_("people present"),
        blank=True,
        related_name="events_attended",
    )

    history = HistoricalRecords(m2m_fields=[invited, present, invited_people, participants])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="event_dates_ordered",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.kind == self.Kind.ROUND_TABLE:
            return reverse("funding:round_table", args=[self.pk])
        return reverse("workshops:detail", args=[self.pk])


class Session(models.Model):
    """One slot of an event's agenda: a day, a time, a subject and who leads it."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("to"), null=True, blank=True)
    title = models.CharField(_("session"), max_length=300)
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["day", "starts_at", "pk"]

    def __str__(self):
        return self.title
