import secrets
from datetime import timedelta

from babel import Locale
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from relais.core.money import CURRENCY_CHOICES
from relais.core.uploads import IMAGES, UploadValidator

LANGUAGE_NAMES = {
    "fr": _("French"),
    "en": _("English"),
    "pt": _("Portuguese"),
    "ar": _("Arabic"),
    "bm": _("Bambara"),
    "wo": _("Wolof"),
}


class Country(models.Model):
    """One of the six states of the focal-point network."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166 code."))
    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    languages = models.JSONField(
        _("working languages"),
        default=list,
        help_text=_('Language codes, the main one first, e.g. ["ar", "fr"].'),
    )
    legal_references = models.TextField(
        _("legal references"), blank=True, help_text=_("One law or decree per line.")
    )
    national_body = models.OneToOneField(
        "Organisation",
        verbose_name=_("national body"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_of",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("countries:detail", args=[self.code])

    @property
    def display_name(self):
        """The country's name in the reader's language (CLDR), the stored name otherwise."""
        try:
            return Locale.parse(get_language() or "fr").territories.get(self.code, self.name)
        except (ValueError, TypeError):
            return self.name

    @property
    def language_names(self):
        return [str(LANGUAGE_NAMES.get(code, code)) for code in self.languages]

    @property
    def legal_reference_list(self):
        return [line.strip() for line in self.legal_references.splitlines() if line.strip()]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NATIONAL_BODY = "national_body", _("National anti-trafficking body")
        MINISTRY = "ministry", _("Ministry")
        STATE = "state", _("Other state structure")
        CSO = "cso", _("Civil-society organisation")
        INGO = "ingo", _("International NGO")
        PARTNER = "partner", _("Technical and financial partner")
        UN = "un", _("United Nations agency")
        REGIONAL = "regional", _("Regional body")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Empty for regional and international organisations."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    interests = models.TextField(_("areas of interest"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[UploadValidator(IMAGES, max_bytes=1024 * 1024)],
        help_text=_("PNG or JPEG, at most 1 MB; printed on every Word and PDF document."),
    )
    letterhead = models.TextField(
        _("letterhead"),
        blank=True,
        help_text=_(
            "The lines printed above every document, one per line "
            "(e.g. REPUBLIQUE DU MALI / Un Peuple – Un But – Une Foi / ministry)."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="organisation_unique_name_per_country"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def letterhead_lines(self):
        return [line.strip() for line in self.letterhead.splitlines() if line.strip()]


class Role(models.Model):
    """What one person may do, and where. A person can hold several roles."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        CONTRIBUTOR = "contributor", _("Contributor")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner representative")
        REGIONAL = "regional", _("Regional coordinator")

    COUNTRY_KINDS = {Kind.COORDINATOR, Kind.CONTRIBUTOR, Kind.OBSERVER}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["country__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "country", "organisation"], name="role_unique"
            ),
            # Country roles name a country, partner roles an organisation, regional neither.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["coordinator", "contributor", "observer"], country__isnull=False)
                    & Q(organisation__isnull=True)
                )
                | Q(kind="partner", organisation__isnull=False, country__isnull=True)
                | Q(kind="regional", country__isnull=True, organisation__isnull=True),
                name="role_scope_matches_kind",
            ),
        ]

    def __str__(self):
        scope = self.country or self.organisation
        return f"{self.get_kind_display()} — {scope}" if scope else self.get_kind_display()


class Contact(models.Model):
    """A name in the directory: a focal point, a partner's officer. Not an account."""

    full_name = models.CharField(_("full name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="contacts"
    )
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_focal_point = models.BooleanField(_("focal point"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_focal_point", "full_name"]

    def __str__(self):
        return self.full_name


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A coordinator asks a person to join their country's work with a role."""

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    kind = models.CharField(_("role"), max_length=20, choices=Role.Kind.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="invitations"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token"])
    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "country"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email_and_country",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.country.code} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("invitation_accept", args=[self.token])

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()
