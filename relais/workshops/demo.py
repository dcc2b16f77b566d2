"""Demo: the training workshop of 24-25 April 2018 at the Grand Hôtel in Bamako, where Mali's
committee trained the key actors to carry out its advocacy action plan (FMM West Africa,
funded by the European Union and ECOWAS), with its agenda by session."""

from datetime import date, time

from django.contrib.auth import get_user_model

from relais.countries.models import Country, Organisation
from relais.events.models import Event
from relais.workshops import services

TITLE = "Atelier de formation des acteurs clés sur la mise en œuvre du plan d'action de plaidoyer"
SESSIONS = [
    (date(2018, 4, 24), time(9, 0), time(10, 0), "Cérémonie d'ouverture", "CNLTP"),
    (date(2018, 4, 24), time(10, 30), time(13, 0),
     "La logique de la stratégie régionale et du plan d'action de plaidoyer", "ICMPD"),
    (date(2018, 4, 24), time(14, 30), time(17, 0),
     "Approches et outils de plaidoyer : cibles, messages, alliances", "ICMPD"),
    (date(2018, 4, 25), time(9, 0), time(12, 30),
     "Mobiliser les partenaires clés et les financements", "ICMPD"),
    (date(2018, 4, 25), time(14, 0), time(16, 0),
     "Travaux de groupes : choix des activités prioritaires", "CNLTP"),
    (date(2018, 4, 25), time(16, 0), time(17, 0), "Restitution et clôture", "CNLTP"),
]  # fmt: skip


def seed():
    mali = Country.objects.filter(code="ML").first()
    if mali is None or Event.objects.filter(country=mali, title=TITLE).exists():
        return []
    coordinator = get_user_model().objects.filter(email__startswith="coordinator.ml@").first()
    organisations = {o.acronym: o for o in Organisation.objects.exclude(acronym="")}
    event = services.workshop_create(
        country=mali,
        by=coordinator,
        kind=Event.Kind.TRAINING,
        title=TITLE,
        starts_on=date(2018, 4, 24),
        ends_on=date(2018, 4, 25),
        venue="Grand Hôtel",
        city="Bamako",
        chair="Boubacar Touré, président du CNLTP, représentant le ministère de la Justice",
        organiser=mali.national_body,
        funder=organisations.get("UE"),
        project="FMM Afrique de l'Ouest",
        facilitators="Bureau ICMPD pour l'Afrique de l'Ouest",
        objectives=(
            "Renforcer les capacités des acteurs clés chargés de la mise en œuvre du plan "
            "d'action national de plaidoyer : s'approprier la logique de la stratégie et du "
            "plan d'action pour faire des choix pertinents, maîtriser les approches et les "
            "outils pour mettre en œuvre les activités en mobilisant les partenaires clés."
        ),
    )
    for day, start, end, title, facilitator in SESSIONS:
        services.session_save(
            event=event,
            by=coordinator,
            day=day,
            starts_at=start,
            ends_at=end,
            title=title,
            facilitator=facilitator,
        )
    return []
