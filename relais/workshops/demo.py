"""Demo: the training workshop of 24-25 April 2018 at the Grand Hôtel in Bamako, where Mali's
committee trained the key actors to carry out its advocacy action plan (FMM West Africa,
funded by the European Union and ECOWAS), with its agenda by session, its 40 participants,
their attendance, their pre-test and post-test scores and 31 evaluations; and the validation
workshop of Ségou a year later, where nine of them came back (one of them entered under a
shorter name: a doubt for the coordinator to settle on the duplicates page)."""

import random
from datetime import date, time
from decimal import Decimal

from django.contrib.auth import get_user_model

from relais.countries.models import Country, Organisation
from relais.events.models import Event
from relais.workshops import services
from relais.workshops.evaluations import CRITERIA
from relais.workshops.models import Attendance, Evaluation, Participant, Participation

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

# (name, sex, organisation, type, function): as the sheet passed round the room was filled in.
PEOPLE = [
    ("Aïssata Diallo", "F", "CNLTP", "national_body", "Secrétaire permanente"),
    ("Boubacar Sidibé", "M", "CNLTP", "national_body", "Chargé de programme"),
    ("Fatoumata Diarra", "F", "MJDH", "ministry", "Conseillère technique"),
    ("Mamadou Konaté", "M", "MJDH", "ministry", "Magistrat"),
    ("Kadiatou Sangaré", "F", "MME", "ministry", "Chef de division"),
    ("Ibrahim Maïga", "M", "MME", "ministry", "Chargé de mission"),
    ("Mariam Coulibaly", "F", "DNPEF", "state", "Directrice adjointe"),
    ("Seydou Traoré", "M", "DNPEF", "state", "Chef de section protection"),
    ("Hawa Keïta", "F", "Police nationale", "state", "Commissaire"),
    ("Adama Dembélé", "M", "Police nationale", "state", "Inspecteur"),
    ("Oumou Sow", "F", "Gendarmerie nationale", "state", "Capitaine"),
    ("Souleymane Cissé", "M", "Gendarmerie nationale", "state", "Adjudant-chef"),
    ("Rokia Doumbia", "F", "AME", "cso", "Présidente"),
    ("Moussa Camara", "M", "AME", "cso", "Animateur"),
    ("Assétou Touré", "F", "Caritas Mali", "cso", "Chargée de projet"),
    ("Yacouba Diakité", "M", "Caritas Mali", "cso", "Coordinateur"),
    ("Nana Haïdara", "F", "ENDA Mali", "cso", "Assistante sociale"),
    ("Bakary Samaké", "M", "ENDA Mali", "cso", "Juriste"),
    ("Djénéba Bagayoko", "F", "Association des juristes maliennes", "cso", "Avocate"),
    ("Abdoulaye Kanté", "M", "Association des juristes maliennes", "cso", "Juriste"),
    ("Salimata Togola", "F", "Direction nationale du travail", "state", "Inspectrice du travail"),
    ("Modibo Fofana", "M", "Direction nationale du travail", "state", "Contrôleur"),
    ("Awa Ballo", "F", "Direction nationale de la santé", "state", "Médecin"),
    ("Cheick Oumar Koné", "M", "Direction nationale de la santé", "state", "Point focal"),
    ("Fanta Kouyaté", "F", "Ministère de la Promotion de la Femme", "ministry", "Conseillère"),
    ("Lassana Dicko", "M", "Ministère de la Sécurité", "ministry", "Chargé de mission"),
    ("Aminata Sissoko", "F", "Tribunal de grande instance de la commune III", "state", "Juge"),
    ("Drissa Coulibaly", "M", "Tribunal de grande instance de la commune III", "state", "Greffier"),
    ("Bintou Tangara", "F", "OIM", "un", "Assistante de programme"),
    ("Karim Ouattara", "M", "OIM", "un", "Chargé de protection"),
    ("Mariétou Diawara", "F", "UNICEF", "un", "Spécialiste protection de l'enfance"),
    ("Amadou Guindo", "M", "Conseil national de la société civile", "cso", "Secrétaire général"),
    ("Safiatou Berthé", "F", "Réseau des journalistes contre la traite", "cso", "Journaliste"),
    ("Issa Tounkara", "M", "Réseau des journalistes contre la traite", "cso", "Journaliste"),
    ("Kadidia Sylla", "F", "Haut Conseil islamique", "cso", "Membre"),
    ("Hamadoun Dicko", "M", "Haut Conseil islamique", "cso", "Imam"),
    ("Maïmouna Dembélé", "F", "Direction régionale de Kayes", "state", "Chef de service"),
    ("Oumar Traoré", "M", "Direction régionale de Sikasso", "state", "Chef de service"),
    ("Nènè Kanouté", "F", "Mairie de la commune IV", "state", "Adjointe au maire"),
    ("Sidiki Diabaté", "M", "Mairie de la commune IV", "state", "Secrétaire général"),
]  # fmt: skip
SEGOU = "Atelier de validation du rapport d'étape du plan d'action de plaidoyer"
COMMENTS = ["Les outils de plaidoyer et l'analyse des cibles.",
            "La cartographie des partenaires.", "Les travaux de groupes.", ""]  # fmt: skip
SUGGESTIONS = ["Prévoir plus de temps pour les travaux de groupes.",
               "Associer les régions.", ""]  # fmt: skip


def _phone(index):
    return (
        f"+223 7{index % 10} {10 + index:02d} {index * 37 % 90 + 10:02d} {index * 53 % 90 + 10:02d}"
    )


def _participants(event, mali, people, rng, *, days, evaluations):
    """Each of `people` ((index, name), …) on `event`'s list, present on most days, with their
    scores and, for the first `evaluations` of them, an evaluation."""
    for count, (index, name) in enumerate(people):
        usual, sex, organisation, kind, function = PEOPLE[index]
        same = name == usual
        # Recognised by their phone when they come back under the same name.
        person = Participant.objects.filter(phone=_phone(index)).first() if same else None
        if person is None:
            person = Participant.objects.create(
                full_name=name,
                sex=sex,
                organisation=organisation,
                organisation_kind=kind,
                function=function,
                country=mali,
                phone=_phone(index) if same else "",
                email=f"{usual.split()[0].lower()}.{index}@example.ml" if same else "",
            )
        pre = Decimal(rng.randint(12, 28)) / 2
        participation = Participation.objects.create(
            event=event,
            participant=person,
            pre_score=pre,
            post_score=min(Decimal(20), pre + Decimal(rng.randint(2, 14)) / 2),
        )
        present = [day for day in days if rng.random() < 0.93]
        Attendance.objects.bulk_create(
            Attendance(participation=participation, day=day) for day in present
        )
        if count < evaluations:
            Evaluation.objects.create(
                participation=participation,
                ratings={key: rng.choice([3, 4, 4, 4, 5, 5]) for key, _label in CRITERIA},
                comments=rng.choice(COMMENTS),
                suggestions=rng.choice(SUGGESTIONS),
            )


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
    rng = random.Random(2018)
    _participants(
        event,
        mali,
        [(i, person[0]) for i, person in enumerate(PEOPLE)],
        rng,
        days=[date(2018, 4, 24), date(2018, 4, 25)],
        evaluations=31,
    )
    event.recommendations = (
        "Restituer la formation dans les régions de Kayes, Sikasso et Mopti.\n"
        "Mettre en place un groupe de travail sur la mobilisation des partenaires.\n"
        "Organiser un atelier de suivi six mois après."
    )
    event.save(update_fields=["recommendations"])
    segou = services.workshop_create(
        country=mali,
        by=coordinator,
        kind=Event.Kind.VALIDATION,
        title=SEGOU,
        starts_on=date(2019, 5, 14),
        ends_on=date(2019, 5, 14),
        venue="Centre Culturel Kôrè",
        city="Ségou",
        organiser=mali.national_body,
        funder=organisations.get("UE"),
        project="FMM Afrique de l'Ouest",
    )
    # Nine come back; the ninth is entered as "Fatoumata B. Diarra" with no phone: a doubt.
    returning = [(i, PEOPLE[i][0]) for i in (0, 1, 3, 6, 8, 12, 14, 20)]
    returning.append((2, "Fatoumata B. Diarra"))
    _participants(segou, mali, returning, rng, days=[date(2019, 5, 14)], evaluations=0)
    return []
