from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from relais.countries.models import Invitation


@task()
def send_invitation_email(*, invitation_id, accept_url):
    """The invitation email, in the language chosen for the invited person: short, no images."""
    invitation = Invitation.objects.select_related("country", "invited_by").get(pk=invitation_id)
    with translation.override(invitation.language):
        context = {"invitation": invitation, "accept_url": accept_url}
        subject = render_to_string("countries/email/invitation_subject.txt", context).strip()
        body = render_to_string("countries/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
