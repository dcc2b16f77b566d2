from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.core.money import format_rate


class ExchangeRate(models.Model):
    """How many units of a floating currency make one euro, from a date on.

    XOF needs none: it is pegged (relais.core.money.XOF_PER_EUR). A conversion uses the latest
    rate on or before the date in question, and says which.
    """

    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=[("GMD", "GMD"), ("GNF", "GNF"), ("MRU", "MRU"), ("USD", "USD")],
    )
    date = models.DateField(_("date"))
    units_per_euro = models.DecimalField(
        _("units for one euro"),
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(units_per_euro__gt=0), name="exchange_rate_positive"
            ),
        ]

    def __str__(self):
        # In the active language's way of writing numbers: `1 EUR = 55,5 GMD (2018-01-01)`.
        return f"1 EUR = {format_rate(self.units_per_euro)} {self.currency} ({self.date})"
