"""Demo: the round table at which Mali's committee presented its 2018-2019 plan, the pledges
announced there in francs and in euros, one agreement with its first instalments, and the
state's allocation. Illustrative figures, not the real ones."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from relais.countries.models import Contact, Organisation
from relais.events.models import Event
from relais.funding import services
from relais.plans.models import Plan

ROUND_TABLE = "Table ronde des partenaires techniques et financiers du plan de plaidoyer"


def seed():
    plan = (
        Plan.objects.filter(country__code="ML", version=1, title__startswith="Plan d'action")
        .order_by("pk")
        .first()
    )
    if plan is None or Event.objects.filter(plan=plan, title=ROUND_TABLE).exists():
        return []
    coordinator = get_user_model().objects.filter(email__startswith="coordinator.ml@").first()
    partners = {o.acronym: o for o in Organisation.objects.exclude(acronym="")}
    objectives = {o.position: o for o in plan.objectives.all()}
    present = [partners[a] for a in ("ICMPD", "UE", "OIM", "ONUDC", "NIYEL") if a in partners]
    event = services.round_table_create(
        plan=plan,
        by=coordinator,
        title=ROUND_TABLE,
        starts_on=date(2018, 4, 26),
        venue="Hôtel de l'Amitié",
        city="Bamako",
        chair="Ministre de la Justice et des Droits de l'Homme",
        agenda=(
            "Ouverture officielle\n"
            "Présentation du plan d'action de plaidoyer 2018-2019\n"
            "Annonces de contributions des partenaires\n"
            "Recommandations et clôture"
        ),
        invited=present,
        present=present[:4],
        invited_people=Contact.objects.filter(country=plan.country)[:8],
        participants=Contact.objects.filter(country=plan.country)[:6],
    )

    def pledge(partner, amount, currency, **fields):
        return services.contribution_create(
            plan=plan,
            by=coordinator,
            partner=partner,
            currency=currency,
            amount=Decimal(amount) if amount else None,
            announced_on=date(2018, 4, 26),
            event=event,
            **fields,
        )

    icmpd = pledge(partners.get("ICMPD"), "60000", "EUR", objective=objectives.get(1))
    services.contribution_confirm(
        contribution=icmpd,
        by=coordinator,
        amount=Decimal("60000"),
        signed_on=date(2018, 6, 12),
        reference="ICMPD/FMM-WA/2018/014",
    )
    for paid_on, amount in ((date(2018, 7, 2), "30000"), (date(2018, 11, 15), "15000")):
        services.disbursement_create(
            contribution=icmpd, by=coordinator, paid_on=paid_on, amount=Decimal(amount)
        )
    pledge(
        partners.get("UE"), "100000", "EUR", description="Sous réserve de l'accord de Bruxelles."
    )
    pledge(partners.get("OIM"), "15000000", "XOF", objective=objectives.get(3))
    pledge(
        partners.get("ONUDC"),
        None,
        "XOF",
        kind="technical",
        description="Deux experts juristes pour l'avant-projet de loi (OS1).",
    )
    state = services.contribution_create(
        plan=plan,
        by=coordinator,
        partner=None,
        currency="XOF",
        amount=Decimal("25000000"),
        announced_on=date(2018, 1, 15),
        description="Allocation budgétaire 2018 du ministère de la Justice.",
    )
    services.contribution_confirm(
        contribution=state,
        by=coordinator,
        amount=Decimal("25000000"),
        signed_on=date(2018, 2, 1),
        reference="Loi de finances 2018",
    )
    services.disbursement_create(
        contribution=state, by=coordinator, paid_on=date(2018, 3, 30), amount=Decimal("10000000")
    )
    return []
