"""Writes for countries and people: one function per action, each in one transaction."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.countries.models import Invitation, Role
from relais.countries.rules import forget_roles
from relais.countries.tasks import send_invitation_email


@transaction.atomic
def invitation_create(*, country, email, kind, by, full_name="", language="fr", accept_url):
    """Invite `email` to `country` with a country role; the email leaves once committed.

    `accept_url` turns the new invitation's token into the link the email carries.
    Refuses (ValidationError on `email`) a person who already holds a role in the country or
    has an invitation there still open.
    """
    email = email.strip().lower()
    if kind not in Role.COUNTRY_KINDS:
        raise ValidationError({"kind": _("Choose coordinator, contributor or observer.")})
    if Role.objects.filter(user__email__iexact=email, country=country).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this country.") % {"email": email}}
        )
    open_invitations = Invitation.objects.filter(
        email__iexact=email, country=country, accepted_at__isnull=True, revoked_at__isnull=True
    )
    # An expired invitation no longer counts: close it so that a new one can be sent.
    for expired in open_invitations.filter(expires_at__lte=timezone.now()):
        expired.revoked_at = timezone.now()
        expired.save(update_fields=["revoked_at"])
    if open_invitations.filter(expires_at__gt=timezone.now()).exists():
        raise ValidationError(
            {
                "email": _("An invitation to %(email)s is already waiting for an answer.")
                % {"email": email}
            }
        )
    invitation = Invitation.objects.create(
        country=country,
        email=email,
        kind=kind,
        full_name=full_name,
        language=language,
        invited_by=by,
    )
    url = accept_url(invitation.token)
    transaction.on_commit(
        lambda: send_invitation_email.enqueue(invitation_id=invitation.pk, accept_url=url)
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user=None, full_name="", password=None):
    """Give the invited person their role; create their account first if they have none.

    Returns the user. Refuses an invitation that is no longer open, or a signed-in person
    whose address is not the invited one.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer valid."))
    if user is None:
        User = get_user_model()
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account already uses this address: sign in to accept."))
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name or invitation.full_name,
            language=invitation.language,
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s; sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    Role.objects.get_or_create(user=user, kind=invitation.kind, country=invitation.country)
    forget_roles(user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def invitation_revoke(*, invitation):
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
