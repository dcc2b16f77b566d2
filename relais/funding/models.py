"""Contributions of partners and of the state to a plan, from the pledge to the last
instalment.

A contribution is announced (often at a round table), confirmed by an agreement, then
disbursed in instalments; or withdrawn, with a reason. It targets the whole plan, one
objective, or activities with a split, and is kept in its own currency: its figures in the
plan's currency are converted when shown, with the rate they used (relais.core.rates).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.core.money import CURRENCY_CHOICES
from relais.core.uploads import DOCUMENTS, UploadValidator


def agreement_path(instance, filename):
    return f"agreements/{instance.plan_id}/{filename}"


class Contribution(models.Model):
    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("Financial")
        TECHNICAL = "technical", _("Technical")
        IN_KIND = "in_kind", _("In kind")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    # None: the state's own budget (its annual allocation), as in a plan's funding sources.
    partner = models.ForeignKey(
        "countries.Organisation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FINANCIAL)
    description = models.TextField(_("description"), blank=True)
    # In the contribution's own currency. Technical and in-kind contributions may have no
    # value: they then count in no money figure.
    amount = models.DecimalField(
        _("amount announced"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    announced_on = models.DateField(_("announced on"), default=timezone.localdate)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("announced at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ANNOUNCED
    )
    # The agreement that confirms it.
    confirmed_amount = models.DecimalField(
        _("amount confirmed"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    agreement_reference = models.CharField(_("agreement reference"), max_length=120, blank=True)
    signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement = models.FileField(
        _("agreement"),
        upload_to=agreement_path,
        blank=True,
        validators=[UploadValidator(DOCUMENTS)],
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["announced_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="contribution_amount"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_amount__isnull=True) | Q(confirmed_amount__gt=0),
                name="contribution_confirmed_amount",
            ),
        ]

    def __str__(self):
        return f"{self.partner_name} — {self.plan}"

    def get_absolute_url(self):
        return reverse("funding:contribution", args=[self.pk])

    @property
    def partner_name(self):
        return self.partner.short_name if self.partner_id else _("State budget")

    @property
    def is_live(self):
        return self.status != self.Status.WITHDRAWN

    @property
    def committed(self):
        """What the partner stands for now, in its currency: the agreement's amount once
        confirmed, the pledge before; nothing once withdrawn."""
        if self.status == self.Status.WITHDRAWN:
            return None
        if self.status == self.Status.CONFIRMED:
            return self.confirmed_amount
        return self.amount

    @property
    def rate_date(self):
        """The date its amount is converted at: the agreement's, else the pledge's."""
        return self.signed_on or self.announced_on


class ContributionTarget(models.Model):
    """What a contribution pays for, when not the whole plan: one objective, or activities,
    each with its share (in the contribution's currency)."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="targets")
    objective = models.ForeignKey(
        "plans.Objective",
        verbose_name=_("objective"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contribution_targets",
    )
    share = models.DecimalField(_("share"), max_digits=20, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target of a contribution")
        verbose_name_plural = _("targets of contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(objective__isnull=True, activity__isnull=False)
                | Q(objective__isnull=False, activity__isnull=True),
                name="target_is_objective_or_activity",
            ),
            models.CheckConstraint(condition=Q(share__gt=0), name="target_share_positive"),
        ]

    def __str__(self):
        return str(self.activity or self.objective)


class Disbursement(models.Model):
    """An instalment paid. Corrected with a reason, never deleted: the audit trail keeps
    every version."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    paid_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    # Paying more than the agreement says is possible (a top-up signed later), but only said.
    override_reason = models.TextField(_("why more than the confirmed amount"), blank=True)
    correction_reason = models.TextField(_("reason for the last correction"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="disbursement_amount"),
        ]

    def __str__(self):
        return f"{self.paid_on} {self.amount} {self.contribution.currency}"
