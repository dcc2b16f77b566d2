"""Plan budgets at scale: a plan of 500 activities served as production does, against stack.md.

    .venv/bin/python bench/plans.py        (from anywhere; about two minutes)

It uses bench/pages.py's pieces: the throw-away site in a temporary folder (fresh SQLite
database with the demo data, collectstatic into whitenoise's compressed manifest storage,
compiled catalogues), gunicorn with DEBUG off, the sign-in through the real form and the CDP
recorder in Debian's Chromium. On that site it writes, through the services and as the Mali
coordinator, two draft plans for Mali: 500 activities over 10 objectives, and 50 over the same
10 objectives (to show that the number of queries does not grow with the plan). Titles and
descriptions are French sentences put together from lists of verbs, topics, audiences,
institutions and places of anti-trafficking advocacy, and no string repeats, so that the byte
figures are those of a real plan and not of a compressor's best case; responsible structures,
chronograms (1 to 6 months, some skipping quarters), costs and the one or two planned funding
sources vary as well.

For the plan page, its chronogram by quarter and by month, its print view and an htmx edit of
one activity (GET the form fragment, then POST a change with HX-Request and X-CSRFToken and
the form's fields, `revision` included, as htmx does), it prints:

- queries, in-process with Django's test client (CSRF checks on), for the 500-activity plan
  and for the 50-activity one;
- server time: median of 7 requests to gunicorn from 127.0.0.1, after one warm-up;
- requests and kB (1 kB = 1000 bytes) as transferred, compressed and headers included, on a
  first visit (empty cache) and a repeat visit, and for each htmx fragment;
- seconds until DOMContentLoaded / load on Chromium's "3G" (400 kbit/s, 2 s latency per
  request, CPU x4), cold and warm; for the htmx edit, the time from the click to the swapped
  row (form opened, then row saved), in Chromium with htmx, on the warm plan page;
- what the plan page's HTML is made of (activity rows, their action buttons, the objectives,
  the totals panel, the rest of the page): raw bytes and what each part adds compressed.

It then checks the budgets of stack.md and exits with status 1 if any fails. The print view is a
document, the whole plan by purpose: its HTML is held to the page's 60 kB, not to the 15 kB share
of HTML in a page that also loads htmx.
"""

import gzip
import http.client
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pages as serve  # bench/pages.py: the site, gunicorn, the browser and its recorder

SIZES = (500, 50)  # activities of the measured plan, and of the plan that shows queries constant
OBJECTIVES = 10
# The activity edited: objective 1, half-way down its activities (the page writes the rows of
# its first objectives; the others load as they scroll into view).
EDITED = (1, 0.5)


# Plan content --------------------------------------------------------------------------------

# (statement, kind of change, change sought, targets, deadline, [results], indicator)
OBJECTIVE_DATA = [
    (
        "D'ici fin 2019, le décret d'application de la loi n°2012-023 relative à la traite des "
        "personnes est adopté en Conseil des ministres.",
        "law",
        "Un décret précisant l'assistance due aux victimes et le rôle de chaque ministère.",
        "Ministre de la Justice, Secrétariat général du Gouvernement, Conseil des ministres",
        date(2019, 12, 31),
        [
            "Le projet de décret est validé par le comité technique interministériel.",
            "Les membres du Gouvernement connaissent les enjeux du décret.",
        ],
        "Décret d'application publié au Journal officiel",
    ),
    (
        "Une ligne budgétaire dédiée à l'assistance aux victimes de traite est inscrite dans la "
        "loi de finances 2019.",
        "budget",
        "Au moins 150 millions FCFA par an pour l'hébergement, les soins et le retour des "
        "victimes.",
        "Ministre de l'Économie et des Finances, commission des finances de l'Assemblée nationale",
        date(2019, 6, 30),
        [
            "Le coût de l'assistance aux victimes est chiffré et documenté.",
            "Les députés de la commission des finances portent un amendement budgétaire.",
        ],
        "Montant inscrit dans la loi de finances pour l'assistance aux victimes",
    ),
    (
        "Les consulats du Mali au Maghreb et au Moyen-Orient disposent chacun d'un point focal "
        "formé à l'identification des victimes.",
        "agency",
        "Un arrêté désignant un point focal traite dans chaque consulat concerné.",
        "Ministre des Maliens de l'Extérieur, ambassadeurs et consuls généraux",
        date(2019, 3, 31),
        [
            "Un arrêté ministériel désigne les points focaux consulaires.",
            "Les points focaux consulaires appliquent une procédure d'identification commune.",
        ],
        "Nombre de consulats dotés d'un point focal formé",
    ),
    (
        "Le mécanisme national de référencement des victimes fonctionne dans les régions de "
        "Kayes, Sikasso et Mopti.",
        "policy",
        "Une procédure de référencement signée par les services régionaux et les ONG d'accueil.",
        "Gouverneurs de région, directions régionales de la promotion de l'enfant et de la famille",
        date(2019, 9, 30),
        [
            "Les acteurs régionaux ont signé la procédure de référencement.",
            "Chaque victime identifiée dans les trois régions est orientée sous 72 heures.",
        ],
        "Part des victimes identifiées orientées vers un service d'assistance",
    ),
    (
        "Les agences privées de recrutement pour l'étranger sont soumises à un agrément et à "
        "des contrôles réguliers.",
        "law",
        "Un arrêté fixant les conditions d'agrément et de contrôle des agences.",
        "Ministre du Travail et de la Fonction publique, Agence nationale pour l'emploi",
        date(2019, 10, 31),
        [
            "Les conditions d'agrément des agences sont rédigées avec les partenaires sociaux.",
            "L'inspection du travail dispose d'un plan de contrôle des agences.",
        ],
        "Nombre d'agences agréées et contrôlées dans l'année",
    ),
    (
        "Le Mali ratifie la convention n°189 de l'OIT sur les travailleuses et travailleurs "
        "domestiques.",
        "convention",
        "Le dépôt de l'instrument de ratification auprès du Bureau international du Travail.",
        "Assemblée nationale, Ministre des Affaires étrangères, Ministre du Travail",
        date(2019, 12, 31),
        [
            "Le projet de loi de ratification est transmis à l'Assemblée nationale.",
            "Les syndicats et les associations de travailleuses domestiques soutiennent la "
            "ratification.",
        ],
        "Loi autorisant la ratification votée",
    ),
    (
        "Les magistrats et les officiers de police judiciaire appliquent la loi n°2012-023 dans "
        "les affaires de traite.",
        "practice",
        "Des poursuites fondées sur la loi de 2012 plutôt que sur des qualifications voisines.",
        "Ministre de la Justice, Institut national de formation judiciaire, procureurs généraux",
        date(2019, 12, 31),
        [
            "Une circulaire de politique pénale rappelle les qualifications de la loi de 2012.",
            "Les magistrats des pôles spécialisés sont formés à la loi de 2012.",
        ],
        "Nombre de poursuites engagées sur le fondement de la loi n°2012-023",
    ),
    (
        "Un accord de coopération contre la traite est signé avec la Mauritanie et l'Algérie.",
        "convention",
        "Un accord bilatéral couvrant l'identification, le retour et l'entraide judiciaire.",
        "Ministres des Affaires étrangères et de la Sécurité, Commission de la CEDEAO",
        date(2019, 11, 30),
        [
            "Un projet d'accord est négocié avec chacun des deux pays.",
            "Les services frontaliers échangent leurs informations sur les cas.",
        ],
        "Accords signés",
    ),
    (
        "Les données sur la traite sont collectées chaque trimestre et publiées dans un rapport "
        "annuel.",
        "agency",
        "Une base de données nationale tenue par la Cellule de planification et de statistique.",
        "Cellule de planification et de statistique du secteur Justice, Comité national",
        date(2019, 8, 31),
        [
            "Les services remplissent une fiche de collecte commune chaque trimestre.",
            "Le rapport annuel sur la traite est publié et présenté au Gouvernement.",
        ],
        "Rapports trimestriels de collecte reçus",
    ),
    (
        "Les communautés de départ des régions de Kayes et Koulikoro connaissent les risques du "
        "recrutement frauduleux et les voies de migration sûres.",
        "practice",
        "Des comités villageois de vigilance qui alertent les autorités.",
        "Maires, chefs de village, leaders religieux, radios communautaires",
        date(2019, 12, 31),
        [
            "Des comités de vigilance sont installés dans les communes de départ.",
            "Les radios communautaires diffusent régulièrement des messages de prévention.",
        ],
        "Nombre de communes dotées d'un comité de vigilance actif",
    ),
]

# What is done|the unit it is counted in|unit cost range (FCFA)|quantity range.
ACTIONS = [
    (text, unit, int(low), int(high), int(q_low), int(q_high))
    for text, unit, low, high, q_low, q_high in (
        [cell.strip() for cell in line.split("|")]
        for line in """
Organiser un atelier de plaidoyer avec {aud} sur {topic}|atelier|1500000|6000000|1|3
Tenir une séance d'information sur {topic} avec {aud}|séance|150000|800000|2|12
Produire une note d'orientation sur {topic} pour {inst}|note|400000|2000000|1|2
Rencontrer {aud} pour leur présenter {doc}|rencontre|50000|350000|1|8
Former {aud} à {skill}|session|900000|4500000|1|4
Diffuser des messages radiophoniques sur {topic} en langues nationales|message|15000|60000|20|120
Réaliser une étude sur {topic}|étude|4000000|15000000|1|1
Mener une campagne de sensibilisation sur {topic} auprès {de_aud}|campagne|2000000|8000000|1|2
Plaider auprès {de_inst} pour {ask}|démarche|100000|600000|1|6
Organiser une table ronde sur {topic} avec {aud}|table ronde|1000000|4000000|1|2
Élaborer un guide pratique sur {topic} destiné {a_aud}|guide|1500000|5000000|1|1
Préparer un mémorandum sur {topic} à l'intention {de_inst}|mémorandum|300000|1200000|1|2
Conduire une mission de plaidoyer auprès {de_inst} sur {topic}|jour|150000|450000|2|10
Animer une émission interactive sur {topic} avec {aud}|émission|75000|250000|4|24
Organiser une visite d'échange avec {aud} sur {topic}|visite|2500000|7000000|1|1
Appuyer {inst} dans {process}|jour d'expertise|120000|350000|5|30
Faire signer une déclaration d'engagement sur {topic} par {aud}|cérémonie|500000|2000000|1|2
Présenter {doc} {a_inst}|réunion|100000|500000|1|3
Imprimer et distribuer des affiches sur {topic}|affiche|1500|5000|200|2000
Organiser un point de presse sur {topic} avec {aud}|point de presse|200000|700000|1|3
""".strip().splitlines()
    )
]
AUDIENCES = [
    "les députés de la commission des lois",
    "les magistrats du pôle judiciaire spécialisé",
    "les officiers de police judiciaire",
    "les agents de la police des frontières",
    "les chefs de village et les leaders coutumiers",
    "les leaders religieux",
    "les associations de migrants de retour",
    "les organisations de femmes",
    "les inspecteurs du travail",
    "les journalistes des radios communautaires",
    "les maires et les conseillers communaux",
    "les agents consulaires",
    "les travailleurs sociaux",
    "les transporteurs routiers",
    "les membres du Comité national",
    "les partenaires techniques et financiers",
    "les syndicats de travailleurs",
    "les agences privées de recrutement",
    "les jeunes candidats au départ",
    "les familles de migrants disparus",
    "les orpailleurs et les chefs de placers",
    "les maîtres coraniques",
    "les gendarmes des brigades frontalières",
    "les greffiers et les procureurs",
]
TOPICS = [
    "le travail forcé des migrants",
    "la traite des enfants dans les mines d'or artisanales",
    "l'exploitation des travailleuses domestiques au Moyen-Orient",
    "la mendicité forcée des enfants talibés",
    "le recrutement frauduleux vers le Maghreb",
    "la protection des victimes de traite",
    "la mise en œuvre de la loi n°2012-023",
    "l'identification des victimes aux frontières",
    "l'assistance consulaire aux Maliens de l'extérieur",
    "le mariage forcé et la servitude domestique",
    "les pratiques esclavagistes liées à l'ascendance",
    "la réinsertion des migrants de retour",
    "le financement de la lutte contre la traite",
    "la coopération judiciaire avec les pays de transit",
    "la collecte des données sur la traite",
    "le travail des enfants dans l'agriculture",
]
INSTITUTIONS = [
    "le Ministère des Maliens de l'Extérieur",
    "le Ministère de la Justice et des Droits de l'Homme",
    "la Direction nationale de la Promotion de l'Enfant et de la Famille",
    "l'Assemblée nationale",
    "le Ministère du Travail et de la Fonction publique",
    "le Ministère de la Sécurité et de la Protection civile",
    "les gouverneurs de région",
    "la Direction générale du Budget",
    "le Haut Conseil des Maliens de l'Extérieur",
    "la Commission nationale des droits de l'homme",
    "l'Agence nationale pour l'emploi",
    "la Cellule de planification et de statistique du secteur Justice",
    "les ambassades du Mali au Maghreb et au Moyen-Orient",
]
DOCUMENTS = [
    "les conclusions de l'étude nationale sur la traite",
    "le projet de décret d'application de la loi n°2012-023",
    "le rapport annuel du Comité national",
    "la cartographie des routes de la traite",
    "le plan d'action de plaidoyer 2018-2019",
    "les recommandations de l'Examen périodique universel",
    "le mécanisme national de référencement des victimes",
    "les statistiques judiciaires de l'année écoulée",
]
SKILLS = [
    "l'identification des victimes de traite",
    "l'application de la loi n°2012-023",
    "l'orientation des victimes vers les services d'assistance",
    "la conduite d'entretiens adaptés aux enfants",
    "la collecte de données désagrégées",
    "la rédaction de procès-verbaux d'enquête",
    "la médiation avec les familles",
    "l'usage de la fiche de référencement",
]
ASKS = [
    "l'inscription d'une ligne budgétaire pour l'assistance aux victimes",
    "l'adoption du décret d'application de la loi n°2012-023",
    "la création d'un fonds d'assistance aux victimes",
    "la ratification de la convention n°189 de l'OIT",
    "la désignation de points focaux traite dans chaque consulat",
    "l'encadrement des agences privées de recrutement",
    "la gratuité de l'aide juridictionnelle pour les victimes",
    "l'ouverture d'un centre d'accueil pour les victimes",
    "l'intégration de la traite dans la formation initiale des magistrats",
    "la signature d'un accord de coopération avec la Mauritanie",
]
PROCESSES = [
    "la révision du code pénal",
    "l'élaboration du budget-programme de la Justice",
    "la mise en place du mécanisme national de référencement",
    "la préparation du rapport national à l'ONUDC",
    "la négociation d'accords bilatéraux de main-d'œuvre",
    "la collecte trimestrielle des données judiciaires",
]
PLACES = [
    *(
        f"à {town}"
        for town in (
            "Kayes, Sikasso, Ségou, Mopti, Tombouctou, Gao, Koulikoro, Bamako, Kita, "
            "Nioro du Sahel, Diéma, Yélimané, Kéniéba, Bougouni, Koutiala, San, Douentza, Niono, "
            "Kadiolo, Kangaba, Nara, Bafoulabé, Sévaré"
        ).split(", ")
    ),
    "dans la région de Kayes",
    "dans le cercle de Kéniéba",
    "en commune IV du district de Bamako",
    "au poste frontière de Gogui",
    "à Diboli, à la frontière sénégalaise",
    "dans les sites d'orpaillage de Kéniéba",
]
PURPOSES = [
    "Obtenir des engagements écrits en faveur de {ask}",
    "Rallier les décideurs locaux à {ask}",
    "Faire connaître {doc} et recueillir des propositions",
    "Mieux faire connaître les risques liés {a_topic}",
    "Préparer une position commune sur {topic}",
    "Documenter des cas récents pour appuyer {ask}",
]
MEANS = [
    "Deux jours d'échanges à partir d'études de cas, avec le témoignage de survivants.",
    "Une présentation des données du Comité national, suivie d'un débat et d'une feuille de route.",
    "Des travaux en groupes animés par des juristes du Comité national et d'une association.",
    "Une rencontre d'une demi-journée en bambara et en français, avec interprétation en soninké.",
    "Un dossier de plaidoyer de quatre pages remis à chaque participant.",
    "Une visite de terrain suivie d'une séance de restitution.",
    "Des entretiens individuels préparés avec les points focaux régionaux.",
    "Un questionnaire préalable pour adapter le contenu aux attentes des participants.",
]
FOLLOW_UPS = [
    "Le compte rendu sera transmis au Comité national sous quinze jours.",
    "Les engagements pris seront suivis lors de la réunion trimestrielle du Comité.",
    "Les participants désigneront un point focal chargé du suivi.",
    "Les résultats alimenteront le rapport annuel au Gouvernement.",
    "Une fiche de suivi sera remplie dans Relais après l'activité.",
    "Une lettre de remerciement rappellera les engagements à chaque institution.",
]
FUNDERS = ["UE", "ICMPD", "OIM", "ONUDC", "CEDEAO", "NIYEL"]


def _contract(phrase, preposition):
    """ "à" + "les députés" → "aux députés", "de" + "le Ministère" → "du Ministère", and each
    article after "et": "aux maires et aux conseillers"."""
    head, et, tail = phrase.partition(" et ")
    if et and tail.startswith(("le ", "la ", "les ", "l'")):
        return f"{_contract(head, preposition)} et {_contract(tail, preposition)}"
    contractions = {"les ": {"à": "aux ", "de": "des "}, "le ": {"à": "au ", "de": "du "}}
    for article, contracted in contractions.items():
        if phrase.startswith(article):
            return contracted[preposition] + phrase[len(article) :]
    return f"{preposition} {phrase}"


class Writer:
    """Titles, descriptions, chronograms, costs and funding, drawn at random, never twice."""

    def __init__(self, seed):
        self.random = random.Random(seed)
        self.seen = set()

    def _words(self):
        r = self.random
        aud, inst, topic = r.choice(AUDIENCES), r.choice(INSTITUTIONS), r.choice(TOPICS)
        return dict(
            aud=aud,
            a_aud=_contract(aud, "à"),
            de_aud=_contract(aud, "de"),
            inst=inst,
            a_inst=_contract(inst, "à"),
            de_inst=_contract(inst, "de"),
            topic=topic,
            a_topic=_contract(topic, "à"),
            doc=r.choice(DOCUMENTS),
            skill=r.choice(SKILLS),
            ask=r.choice(ASKS),
            process=r.choice(PROCESSES),
        )

    def _unique(self, make):
        for _ in range(1000):
            text = make()
            if text not in self.seen:
                self.seen.add(text)
                return text
        raise RuntimeError("the word lists are too short for this many activities")

    def activity(self):
        """Title, description, unit, unit cost, quantity."""
        r = self.random
        action, unit, low, high, q_low, q_high = r.choice(ACTIONS)
        title = self._unique(lambda: f"{action.format(**self._words())} {r.choice(PLACES)}")
        description = self._unique(
            lambda: (
                f"{r.choice(PURPOSES).format(**self._words())} {r.choice(PLACES)}. "
                f"{r.choice(MEANS)} {r.choice(FOLLOW_UPS)}"
            )
        )
        step = 500 if high < 100_000 else 5_000
        unit_cost = Decimal(r.randrange(low, high + 1, step) // step * step)
        quantity = Decimal(r.randint(q_low, q_high))
        if unit == "jour" and r.random() < 0.4:
            quantity += Decimal("0.5")  # half days: the total is rounded to the franc
        return title, description, unit, unit_cost, quantity

    def months(self):
        """1 to 6 months of 2018-2019: a run, one per quarter, or scattered (skipping quarters)."""
        r = self.random
        shape = r.random()
        if shape < 0.35:  # a run of consecutive months
            length = r.randint(1, 3)
            start = r.randint(0, 24 - length)
            indexes = range(start, start + length)
        elif shape < 0.6:  # the same month of 2 to 6 successive quarters
            count = r.randint(2, 6)
            start = r.randint(0, 23 - 3 * (count - 1))
            indexes = range(start, start + 3 * count, 3)
        elif shape < 0.8:  # twice a year: quarters skipped between the two
            start = r.randint(0, 17)
            indexes = [start, start + 6]
        else:  # scattered
            indexes = r.sample(range(24), r.randint(2, 6))
        return sorted(f"{2018 + i // 12}-{i % 12 + 1:02d}" for i in indexes)

    def funding(self, total, funders):
        """One or two planned sources (None for the state budget), not always the whole cost."""
        r = self.random
        sources = r.sample([None, *funders], r.choice((1, 1, 2)))
        if len(sources) == 1:
            share = Decimal(1) if r.random() < 0.7 else Decimal(r.randint(40, 90)) / 100
            return [(sources[0], _round(total * share))]
        first = _round(total * Decimal(r.randint(20, 70)) / 100)
        rest = total - first if r.random() < 0.8 else _round((total - first) / 2)
        return [(sources[0], first), (sources[1], rest)]


def _round(value):
    return max(Decimal(1), value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def build_plans():
    """The two draft plans: {number of activities: (plan pk, pk of the activity edited)}."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from relais.countries.models import Country, Organisation
    from relais.plans import services
    from relais.plans.models import Activity, RegionalStrategy

    mali = Country.objects.get(code="ML")
    coordinator = get_user_model().objects.get(email=serve.MALI)
    contributor = get_user_model().objects.get(
        email=serve.MALI.replace("coordinator", "contributor")
    )
    own = list(Organisation.objects.filter(country=mali).order_by("name"))
    regional = {o.short_name: o for o in Organisation.objects.filter(country__isnull=True)}
    funders = [regional[name] for name in FUNDERS]
    strategy = RegionalStrategy.objects.prefetch_related("axes").first()
    axes = list(strategy.axes.all()) if strategy else []
    writer = Writer(seed=2018)
    built = {}
    for size in SIZES:
        per_objective = size // OBJECTIVES
        with transaction.atomic():
            plan = services.plan_create(
                country=mali,
                by=coordinator,
                title="Plan d'action de plaidoyer contre la traite des personnes à des fins de "
                f"travail forcé (2018-2019) — banc d'essai, {size} activités",
                period_start=date(2018, 1, 1),
                period_end=date(2019, 12, 31),
                currency="XOF",
                language="fr",
                general_objective="Contribuer à réduire la traite des Maliens à des fins de "
                "travail forcé, au Mali et à l'extérieur, par un plaidoyer concerté auprès des "
                "décideurs.",
                strategy=strategy,
            )
            for number, data in enumerate(OBJECTIVE_DATA, start=1):
                statement, kind, change, targets, deadline, results, indicator = data
                objective = services.objective_create(
                    plan=plan,
                    by=coordinator,
                    statement=statement,
                    change_kind=kind,
                    change_sought=change,
                    targets=targets,
                    deadline=deadline,
                    axis=axes[number % len(axes)] if axes else None,
                )
                results = [
                    services.result_create(objective=objective, by=coordinator, statement=text)
                    for text in results
                ]
                services.indicator_create(
                    plan=plan, by=coordinator, objective=objective, name=indicator, unit="nombre"
                )
                for _ in range(per_objective):
                    title, description, unit, unit_cost, quantity = writer.activity()
                    total = _round(unit_cost * quantity)
                    responsible = writer.random.choice(own)
                    others = [o for o in [*own, *funders] if o != responsible]
                    services.activity_create(
                        objective=objective,
                        by=coordinator,
                        title=title,
                        description=description,
                        responsible=responsible,
                        partners=writer.random.sample(others, writer.random.randint(0, 2)),
                        assignees=[contributor] if writer.random.random() < 0.3 else [],
                        months=writer.months(),
                        unit_cost=unit_cost,
                        quantity=quantity,
                        unit=unit,
                        funding=writer.funding(total, funders),
                        result=writer.random.choice([*results, None]),
                    )
        objective_number, where = EDITED
        edited = Activity.objects.get(
            objective__plan=plan,
            objective__position=objective_number,
            position=max(1, round(per_objective * where)),
        )
        # The same partners, people, sources and result in both plans: saving it then runs the
        # same checks and writes (their history included), and any difference in queries is the
        # plan's size.
        services.activity_update(
            activity=edited,
            by=coordinator,
            revision=None,
            result=edited.objective.results.first(),
            partners=funders[:2],
            assignees=[contributor],
            funding=[(None, _round(edited.total / 2)), (funders[0], edited.total // 4)],
        )
        built[size] = (plan.pk, edited.pk)
    return built


# Pages ---------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str  # {plan} and {activity} are filled in for each plan
    kind: str = "page"  # "page", "htmx-get" (the edit form) or "htmx-post" (saving it)
    # A document holds the whole plan by purpose (the print view is what goes to paper, like the
    # .xlsx export): its HTML is its content, and is held to the page's whole 60 kB, not to the
    # 15 kB share of HTML in a page that also loads htmx.
    document: bool = False
    queries: dict = field(default_factory=dict)  # plan size → queries
    server_ms: float = 0.0
    first: dict = field(default_factory=dict)
    repeat: dict = field(default_factory=dict)
    htmx: dict = field(default_factory=dict)  # bytes and seconds of the htmx action
    problems: list = field(default_factory=list)

    def url(self, plan, activity):
        return self.path.format(plan=plan, activity=activity)

    @property
    def is_page(self):
        return self.kind == "page"


PAGES = [
    Page("plan page", "/plans/{plan}/"),
    Page("chronogram by quarter", "/plans/{plan}/chronogram/"),
    Page("chronogram by month", "/plans/{plan}/chronogram/?by=month"),
    Page("print view", "/plans/{plan}/print/", document=True),
    Page("htmx: open the edit form", "/activities/{activity}/edit/", kind="htmx-get"),
    Page("htmx: save the activity", "/activities/{activity}/edit/", kind="htmx-post"),
]
HTMX_HEADERS = {"HX-Request": "true"}


class FormFields(HTMLParser):
    """What a browser submits from the first form of some HTML: [(name, value)]."""

    def __init__(self, html):
        super().__init__()
        self.fields, self.inside, self.done = [], False, False
        self.textarea = self.select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done or (tag != "form" and not self.inside) or "disabled" in a:
            return
        if tag == "form":
            self.inside = True
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self.select = (a["name"], "multiple" in a, [])
        elif tag == "option" and self.select:
            self.select[2].append([a.get("value"), "selected" in a, ""])

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data
        elif self.select and self.select[2]:
            self.select[2][-1][2] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            name, value = self.textarea
            self.fields.append((name, value.removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple, options = self.select
            chosen = [o for o in options if o[1]] or ([] if multiple else options[:1])
            self.fields += [(name, o[2].strip() if o[0] is None else o[0]) for o in chosen]
            self.select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def edited_fields(html, title):
    """The edit form's fields as the browser would post them, with `title` as the new title."""
    fields = FormFields(html).fields
    names = {name for name, _ in fields}
    if not {"title", "revision", "csrfmiddlewaretoken"} <= names:
        raise ValueError(f"the edit form lacks fields: {sorted(names)}")
    return [(name, title if name == "title" else value) for name, value in fields]


def body_of(response_content, encoding):
    return gzip.decompress(response_content) if encoding == "gzip" else response_content


# In-process: queries, and what the page is made of ------------------------------------------


def count_queries(pages, plans):
    """Queries of each page for each plan, with the test client as the Mali coordinator; the
    HTML of the 500-activity plan page for `composition`."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(email=serve.MALI)
    html = {}
    for size, (plan, activity) in plans.items():
        client = Client(
            HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, br", enforce_csrf_checks=True
        )
        client.force_login(user)
        client.get("/")  # the first request of a process fills caches: not counted
        for number, page in enumerate(pages):
            path = page.url(plan, activity)
            try:
                if page.kind == "htmx-post":
                    form = client.get(path, headers=HTMX_HEADERS)
                    content = body_of(form.content, form.get("Content-Encoding"))
                    title = f"Activité révisée en cours de banc d'essai, plan {size}, {number}"
                    data = edited_fields(content.decode(), title)
                    token = client.cookies["csrftoken"].value
                    with CaptureQueriesContext(connection) as queries:
                        response = client.post(
                            path,
                            urlencode(data),
                            content_type="application/x-www-form-urlencoded",
                            headers={**HTMX_HEADERS, "X-CSRFToken": token},
                        )
                    body = body_of(response.content, response.get("Content-Encoding")).decode()
                    if response.status_code == 200 and escape(title) not in body:
                        page.problems.append(f"the saved row ({size}) lacks the new title")
                else:
                    headers = HTMX_HEADERS if page.kind == "htmx-get" else {}
                    client.get(path, headers=headers)
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(path, headers=headers)
            except Exception as error:  # a page that fails is reported, the others measured
                page.problems.append(f"{path} ({size}): {type(error).__name__}: {error}")
                continue
            if response.status_code != 200:
                page.problems.append(f"{path} ({size}) answered {response.status_code}")
            page.queries[size] = len(queries)
            if page.name == "plan page":
                html[size] = body_of(response.content, response.get("Content-Encoding")).decode()
    return html


def in_process_split(plan_pk, runs=5):
    """Median ms of selectors.plan_tree (queries, prefetch, totals) and of the whole view, in
    this process, for the 500-activity plan page."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from relais.plans import selectors
    from relais.plans.models import Plan

    plan = Plan.objects.get(pk=plan_pk)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=serve.MALI))
    tree, view = [], []
    for _ in range(runs + 1):
        start = time.perf_counter()
        selectors.plan_tree(plan=plan)
        tree.append(time.perf_counter() - start)
        start = time.perf_counter()
        client.get(f"/plans/{plan_pk}/")
        view.append(time.perf_counter() - start)
    return statistics.median(tree[1:]) * 1000, statistics.median(view[1:]) * 1000


def gz(text):
    return len(gzip.compress(text.encode(), compresslevel=6, mtime=0))  # as GZipMiddleware


def _spans(pattern, text, within=None):
    spans = [m.span() for m in re.finditer(pattern, text, re.S)]
    if within is not None:
        spans = [s for s in spans if any(a <= s[0] and s[1] <= b for a, b in within)]
    return spans


def _without(text, spans):
    kept, last = [], 0
    for start, end in sorted(spans):
        kept.append(text[last:start])
        last = end
    return "".join(kept) + text[last:]


def composition(html):
    """[(part, how many, raw bytes, compressed bytes it adds)] for the plan page's HTML.

    "Adds" is what the compressed page loses when the part is taken out: gzip shares repeated
    strings across the page, so a part's own compressed size would overstate it."""
    rows = _spans(r'<tr id="activity-\d+">.*?</tr>', html)
    actions = _spans(r'<td><a href="/activities/\d+/edit/".*?</td>', html, within=rows)
    objectives = _spans(r'<section class="objective card".*?</section>', html)
    totals = _spans(r'<aside class="card totals".*?</aside>', html)
    whole = gz(html)
    no_actions, no_rows = gz(_without(html, actions)), gz(_without(html, rows))
    no_objectives = gz(_without(html, objectives))
    raw = len(html.encode())

    def size(spans):
        return sum(len(html[a:b].encode()) for a, b in spans)

    indentation = len(html.encode()) - len(re.sub(r"\n[ \t]+", "\n", html).encode())
    return (
        raw,
        whole,
        [
            ("activity rows", len(rows), size(rows), whole - no_rows),
            ("  their action cells (Edit)", len(actions), size(actions), whole - no_actions),
            ("  their other cells", len(rows), size(rows) - size(actions), no_actions - no_rows),
            (
                "objective heads, results, links",
                len(objectives),
                size(objectives) - size(rows),
                no_rows - no_objectives,
            ),
            ("totals panel", len(totals), size(totals), whole - gz(_without(html, totals))),
            (
                "rest: head, nav, plan facts, footer",
                1,
                raw - size(objectives) - size(totals),
                gz(_without(html, objectives + totals)),
            ),
            (
                "(indentation, across the parts)",
                html.count("\n"),
                indentation,
                whole - gz(re.sub(r"\n[ \t]+", "\n", html)),
            ),
        ],
    )


# Against gunicorn, in Chromium ---------------------------------------------------------------


def _request(base, method, path, cookies, headers=(), body=None):
    """(ms to the last byte, status, body as sent, Content-Encoding) from gunicorn."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    all_headers = {
        "Accept-Encoding": "gzip, deflate, br",
        "Cookie": "; ".join(f"{c['name']}={c['value']}" for c in cookies),
        **dict(headers),
    }
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    content = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed * 1000, response.status, content, response.getheader("Content-Encoding")


def server_times(pages, base, cookies, plan, activity):
    """Median time of each page from gunicorn; for the htmx save, each run opens the form
    first (not timed) for its `revision` and CSRF token, then posts a new title."""
    token = next(c["value"] for c in cookies if c["name"] == "csrftoken")
    for page in pages:
        path = page.url(plan, activity)
        if page.kind == "page":
            page.server_ms, status = serve.server_ms(base, path, cookies)
        elif page.kind == "htmx-get":
            times = []
            for _ in range(serve.SERVER_RUNS + 1):
                ms, status, _content, _encoding = _request(base, "GET", path, cookies, HTMX_HEADERS)
                times.append(ms)
            page.server_ms = statistics.median(times[1:])
        else:
            times = []
            for run in range(serve.SERVER_RUNS + 1):
                _ms, _status, content, encoding = _request(base, "GET", path, cookies, HTMX_HEADERS)
                title = f"Activité révisée par le banc d'essai, passage {run}"
                fields = edited_fields(body_of(content, encoding).decode(), title)
                headers = {
                    **HTMX_HEADERS,
                    "X-CSRFToken": token,
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                ms, status, content, encoding = _request(
                    base, "POST", path, cookies, headers, urlencode(fields)
                )
                times.append(ms)
                if status == 200 and escape(title) not in body_of(content, encoding).decode():
                    page.problems.append("the row saved through gunicorn lacks the new title")
            page.server_ms = statistics.median(times[1:])
        if status != 200:
            page.problems.append(f"{path} answered {status} to gunicorn")


# Clicks `trigger`, resolves with the ms until an element matching `done` (with `text`, if
# given) is in the page, at the next frame: the swapped row as the reader sees it. Attributes
# are watched too: htmx inserts a swapped element with its predecessor's attributes and gives
# it its own (class="editing"…) when it settles, 20 ms later.
CLICK_UNTIL = """([trigger, done, text]) => new Promise((resolve, reject) => {
  const ready = () => {
    const element = document.querySelector(done);
    return element && (!text || element.textContent.includes(text));
  };
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (ready()) {
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    }
  });
  const watch = {childList: true, subtree: true, characterData: true, attributes: true};
  observer.observe(document.body, watch);
  setTimeout(() => { observer.disconnect(); reject(new Error("not swapped after 60 s")); }, 60000);
  document.querySelector(trigger).click();
})"""


def htmx_action(tab, recorder, trigger, done, text=None):
    """(seconds from the click to the swapped element, [requests]) on the 3G link."""
    recorder.reset()
    ms = tab.evaluate(CLICK_UNTIL, [trigger, done, text])
    deadline = time.monotonic() + 5
    while not all(r["done"] for r in recorder.requests.values()) and time.monotonic() < deadline:
        tab.wait_for_timeout(50)
    requests = [r for r in recorder.requests.values() if r["type"] in {"XHR", "Fetch"}]
    return ms / 1000, requests


def edit_in_place(tab, recorder, activity, get, post):
    """Open the activity's edit form and save a new title, as a person does, on 3G."""
    row = f"#activity-{activity}"
    seconds, requests = htmx_action(tab, recorder, f"{row} a[hx-get]", f"{row}.editing form")
    get.htmx = dict(seconds=seconds, requests=requests)
    title = "Organiser un atelier de restitution avec les députés à Kayes (modifié)"
    tab.fill(f"{row} input[name=title]", title)
    saved = f"{row}:not(.editing)"
    seconds, requests = htmx_action(tab, recorder, f"{row} form button[type=submit]", saved, title)
    post.htmx = dict(seconds=seconds, requests=requests)
    for action in (get, post):
        for request in action.htmx["requests"]:
            if "failed" in request or request.get("status", 200) >= 400:
                status = request.get("failed", request.get("status"))
                action.problems.append(f"in Chromium: {request['url']} {status}")


def measure_in_browser(pages, base, plan, activity):
    """First and repeat visits of each page on 3G; on the warm plan page, the htmx edit."""
    from playwright.sync_api import sync_playwright

    get = next(p for p in pages if p.kind == "htmx-get")
    post = next(p for p in pages if p.kind == "htmx-post")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=serve.CHROMIUM, args=serve.CHROMIUM_ARGS
        )
        try:
            state = serve.sign_in(browser, base, serve.MALI, "fr")
            for page in (p for p in pages if p.is_page):
                context, tab, recorder = serve.throttled(browser, state)
                url = base + page.url(plan, activity)
                page.first = serve.visit(tab, recorder, url)
                page.repeat = serve.visit(tab, recorder, url)
                page.problems += sorted(set(page.first["problems"] + page.repeat["problems"]))
                if page.name == "plan page":
                    try:
                        edit_in_place(tab, recorder, activity, get, post)
                    except Exception as error:  # reported; the other pages are still measured
                        post.problems.append(f"in Chromium: {type(error).__name__}: {error}")
                context.close()
            return state["cookies"]
        finally:
            browser.close()


# Report --------------------------------------------------------------------------------------


kb = serve.kb


def _htmx_bytes(page):
    return sum(r["bytes"] for r in page.htmx.get("requests", ()))


def report(pages, plans, html, split):
    big, small = SIZES
    dash = "—"

    def visits(p, key, what):
        if not p.is_page:
            return dash if key == "repeat" or what == "requests" else f"{kb(_htmx_bytes(p)):.1f}"
        if not getattr(p, key):
            return "?"
        v = getattr(p, key)[what]
        return f"{kb(v):.1f}" if what == "bytes" else str(v)

    def timing(p, key):
        if not p.is_page:
            return f"{p.htmx['seconds']:.2f}" if key == "repeat" and p.htmx else dash
        v = getattr(p, key)
        return f"{v['dcl']:.2f} / {v['load']:.2f}" if v else "?"

    def queries(p):
        return "/".join(str(p.queries.get(size, "?")) for size in SIZES)

    columns = [
        ("page (500 activities)", 26, lambda p: p.name),
        (f"queries {big}/{small}", 14, queries),
        ("srv ms", 6, lambda p: f"{p.server_ms:.1f}"),
        ("req 1st", 7, lambda p: visits(p, "first", "requests")),
        ("kB 1st", 6, lambda p: visits(p, "first", "bytes")),
        ("req rep", 7, lambda p: visits(p, "repeat", "requests")),
        ("kB rep", 6, lambda p: visits(p, "repeat", "bytes")),
        ("3G cold s dcl/load", 18, lambda p: timing(p, "first")),
        ("3G warm s dcl/load", 18, lambda p: timing(p, "repeat")),
    ]
    serve.print_table(columns, pages)
    print(
        "htmx rows: kB 1st is the fragment as transferred (compressed, headers included); "
        "3G warm is the time from the click to the swapped row, on the warm plan page."
    )

    if big in html:
        raw, whole, parts = composition(html[big])
        sizes = f"{kb(raw):.1f} kB raw, {kb(whole):.1f} kB gzip"
        print(f"\nThe plan page's HTML ({big} activities): {sizes}")
        print(f"  {'part':36} {'count':>5} {'raw kB':>7} {'raw %':>6} {'gzip kB':>8} {'gzip %':>7}")
        for name, count, size, adds in parts:
            print(
                f"  {name:36} {count:>5} {kb(size):>7.1f} {100 * size / raw:>5.0f}% "
                f"{kb(adds):>8.1f} {100 * adds / whole:>6.0f}%"
            )
        rows = parts[0]
        print(
            f"  per activity row: {rows[2] / rows[1]:.0f} B raw, {rows[3] / rows[1]:.0f} B gzip "
            f"({parts[1][2] / rows[1]:.0f} B raw and {parts[1][3] / rows[1]:.0f} B gzip of it "
            "in the action cell)"
        )
        import brotli  # whitenoise's: the static files are served brotli-compressed

        start = time.perf_counter()
        size = len(brotli.compress(html[big].encode(), quality=5))
        print(
            f"  the same HTML with brotli (quality 5: {(time.perf_counter() - start) * 1000:.0f} "
            f"ms here, like gzip 6): {kb(size):.1f} kB"
        )
        if small in html:
            print(f"  the {small}-activity plan page: {kb(gz(html[small])):.1f} kB gzip")
    tree_ms, view_ms = split
    print(
        f"  server time in this process: plan_tree (queries + totals) {tree_ms:.0f} ms, "
        f"whole view {view_ms:.0f} ms, so rendering the template ≈ {view_ms - tree_ms:.0f} ms"
    )

    assets = {n: r for p in pages if p.first for n, r in p.first["assets"].items()}
    print("\nAssets of the first visits:")
    for name, request in sorted(assets.items()):
        print(f"  {name}  {kb(request['bytes']):.1f} kB  Cache-Control: {request['cache_control']}")

    visited = [p for p in pages if p.is_page and p.first]
    htmx = [p for p in pages if not p.is_page]
    budgets = [
        ("first visit <= 60 kB", visited, 60, lambda p: kb(p.first["bytes"]), "{:.1f} kB"),
        ("first visit <= 4 requests", visited, 4, lambda p: p.first["requests"], "{} requests"),
        (
            "HTML <= 15 kB (but documents)",
            [p for p in visited if not p.document],
            15,
            lambda p: kb(p.first["html"]),
            "{:.1f} kB",
        ),
        ("repeat visit <= 10 kB", visited, 10, lambda p: kb(p.repeat["bytes"]), "{:.1f} kB"),
        ("htmx fragment <= 10 kB", htmx, 10, lambda p: kb(_htmx_bytes(p)), "{:.1f} kB"),
        ("3G cold visit (load) <= 5 s", visited, 5, lambda p: p.first["load"], "{:.2f} s"),
        ("3G warm visit (load) <= 2.5 s", visited, 2.5, lambda p: p.repeat["load"], "{:.2f} s"),
        (
            "3G htmx click to row <= 2.5 s",
            [p for p in htmx if p.htmx],
            2.5,
            lambda p: p.htmx["seconds"],
            "{:.2f} s",
        ),
        ("server time < 100 ms", pages, 99.99, lambda p: p.server_ms, "{:.1f} ms"),
    ]
    failed = serve.check_budgets(budgets)
    grows = [p for p in pages if len(set(p.queries.get(s) for s in SIZES)) != 1]
    failed |= bool(grows)
    detail = ", ".join(f"{p.name} {p.queries}" for p in grows) or "same for 500 and 50 activities"
    print(f"{'FAIL' if grows else 'PASS'}  {'queries constant':32} {detail}")
    wrong = [(page.name, problem) for page in pages for problem in page.problems]
    failed |= serve.check_problems(wrong)
    return failed


def main():
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        env = serve.use_site(Path(tmp))
        from django.db import connections

        print(f"» writing plans of {' and '.join(map(str, SIZES))} activities", flush=True)
        start = time.monotonic()
        plans = build_plans()
        print(f"  in {time.monotonic() - start:.0f} s", flush=True)
        html = count_queries(PAGES, plans)
        plan, activity = plans[SIZES[0]]
        split = in_process_split(plan)
        connections.close_all()
        server, base = serve.start_gunicorn(env, Path(tmp) / "gunicorn.log")
        try:
            print(f"» gunicorn on {base}; Chromium on 3G, CPU x{serve.CPU_SLOWDOWN}", flush=True)
            cookies = measure_in_browser(PAGES, base, plan, activity)
            server_times(PAGES, base, cookies, plan, activity)
        finally:
            serve.stop(server)
    sys.exit(1 if report(PAGES, plans, html, split) else 0)


if __name__ == "__main__":
    main()
