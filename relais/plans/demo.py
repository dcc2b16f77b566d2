"""Demo data: the regional strategy and one advocacy action plan per country.

Mali's plan follows the one presented at the round table of the CNLTP (Bamako, 2018): its title,
its five objectives and its total, 206 850 000 FCFA, are those of the press article (see the
domain brief). Its activities, results, indicators, figures and funding sources are invented to
fit that total, and each description says so. The other five plans are smaller and wholly
illustrative, each in its country's currency and working language.

Plan text is data in the plan's own language, not interface strings: nothing here is translated.
Running it again creates nothing: the strategy is found by its title, a plan by its country,
title and version, and a plan that exists is left as it is.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum

from relais.core.money import round_amount, to_decimal
from relais.countries.demo import DEMO_DOMAIN
from relais.countries.models import Country, Organisation
from relais.plans import services
from relais.plans.models import Activity, Plan, RegionalStrategy, StrategicAxis, months_between


def chrono(*spans):
    """chrono("2018-04..2018-06", "2018-11") → ["2018-04", "2018-05", "2018-06", "2018-11"]."""
    months = []
    for span in spans:
        first, _, last = span.partition("..")
        start = date(int(first[:4]), int(first[5:7]), 1)
        end = date(int((last or first)[:4]), int((last or first)[5:7]), 1)
        months += months_between(start, end)
    return months


STATE = None  # a funding source without organisation: the state budget
REST = "rest"  # the part of the activity's cost the other sources listed do not carry

# Marks every activity as invented, in the plan's language.
ILLUSTRATIVE = {
    "fr": "(Illustratif) ",
    "en": "(Illustrative) ",
    "pt": "(Ilustrativo) ",
    "ar": "(توضيحي) ",
}

STRATEGY = {
    "title": "Stratégie régionale de plaidoyer contre la traite des personnes à des fins de "
    "travail forcé",
    "period": (date(2018, 1, 1), date(2020, 12, 31)),
    "summary": "Stratégie commune aux six États de la plateforme des points focaux (Gambie, "
    "Guinée-Bissau, Guinée, Mali, Mauritanie, Sénégal), élaborée avec l'appui de l'ICMPD et de "
    "NIYEL dans le cadre du projet « Appui à la libre circulation des personnes et à la "
    "migration en Afrique de l'Ouest » (FMM Afrique de l'Ouest), financé par l'Union européenne "
    "et la CEDEAO. Problème commun retenu : la traite des personnes à des fins de travail forcé, "
    "dont de nombreux ressortissants de la sous-région sont victimes à l'extérieur. Chaque pays "
    "la décline en un plan d'action national de plaidoyer.",
    "axes": [
        (
            "Cadre juridique",
            "Adoption, révision et application des lois nationales et de leurs textes "
            "d'application, conformément au Protocole de Palerme et aux engagements de la CEDEAO.",
        ),
        (
            "Institutions nationales",
            "Des organes nationaux de lutte contre la traite dotés d'un statut, d'un personnel et "
            "d'un budget propres ; la coordination entre ministères.",
        ),
        (
            "Société civile et mobilisation citoyenne",
            "Les organisations de la société civile, les mouvements citoyens, les leaders "
            "religieux et communautaires et les médias influencent les décideurs.",
        ),
        (
            "Connaissances et dossiers de plaidoyer",
            "Études, données agrégées et dossiers de plaidoyer sur la traite à des fins de "
            "travail forcé, en particulier dans les pays de destination à haut risque.",
        ),
        (
            "Coopération régionale et bilatérale",
            "La plateforme des points focaux, l'échange d'informations entre les six pays et des "
            "conventions bilatérales avec les pays de destination.",
        ),
    ],
}

# One plan per country. Organisations are named by acronym (or name): the country's own, from
# countries/demo.py, and the regional ones (ICMPD, UE, OIM, ONUDC, CEDEAO, NIYEL). "axis" is the
# position of the strategy's axis; "result" in an activity or indicator, the position of the
# objective's result; "cost" is (unit cost, quantity, unit); "assign" puts the country's
# contributor on the activity; "total" is checked against the activities once they are saved.
PLANS = [
    {
        "country": "ML",
        "title": "Plan d'action de plaidoyer pour la lutte contre la traite des personnes à des "
        "fins de travail forcé à l'extérieur (2018-2019)",
        "language": "fr",
        "currency": "XOF",
        "period": (date(2018, 1, 1), date(2019, 12, 31)),
        "general_objective": "Contribuer à réduire la traite des Maliens à des fins de travail "
        "forcé à l'extérieur par un plaidoyer concerté auprès des décideurs, en application de la "
        "loi n°2012-023 du 12 juillet 2012.",
        "status": "adopted",
        "total": 206_850_000,
        "objectives": [
            {
                "statement": "Renforcer le cadre juridique et institutionnel de lutte contre la "
                "traite des personnes et le trafic illicite de migrants d'ici 2019.",
                "deadline": date(2019, 12, 31),
                "change_kind": "law",
                "change_sought": "Une loi révisant la loi n°2012-023 du 12 juillet 2012 pour y "
                "intégrer le trafic illicite de migrants et la traite à des fins de travail forcé "
                "à l'extérieur, adoptée en Conseil des ministres et votée par l'Assemblée "
                "nationale.",
                "targets": "Ministère de la Justice et des Droits de l'Homme ; Secrétariat général "
                "du Gouvernement ; Primature ; Assemblée nationale (commission des lois).",
                "axis": 1,
                "results": [
                    "Un avant-projet de loi sur la traite des personnes et le trafic illicite de "
                    "migrants est rédigé et validé par les acteurs nationaux.",
                    "Les députés de la commission des lois portent le projet de loi.",
                ],
                "indicators": [
                    {
                        "name": "Loi sur la traite des personnes et le trafic illicite de "
                        "migrants adoptée",
                        "unit": "loi",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 12, 31),
                        "verification": "Journal officiel de la République du Mali ; communiqué "
                        "du Conseil des ministres",
                        "frequency": "once",
                    },
                    {
                        "result": 2,
                        "name": "Nombre de députés de la commission des lois rencontrés",
                        "unit": "députés",
                        "baseline": 0,
                        "target": 30,
                        "date": date(2019, 9, 30),
                        "verification": "Listes de présence ; comptes rendus des rencontres",
                        "frequency": "half_yearly",
                    },
                ],
                "activities": [
                    {
                        "title": "Réaliser une étude diagnostique du cadre juridique national au "
                        "regard du Protocole de Palerme",
                        "description": "Analyse de la loi n°2012-023, de ses lacunes sur le "
                        "travail forcé à l'extérieur et le trafic illicite de migrants, et "
                        "propositions de révision.",
                        "responsible": "CNLTP",
                        "partners": ["ICMPD", "ONUDC"],
                        "months": chrono("2018-04..2018-06"),
                        "cost": (9_500_000, 1, "étude"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Rédiger l'avant-projet de loi en atelier restreint de juristes",
                        "description": "Retraite de cinq jours d'un comité de rédaction "
                        "(magistrats, juristes du ministère, CNLTP) hors de Bamako.",
                        "responsible": "MJDH",
                        "partners": ["CNLTP", "ONUDC"],
                        "months": chrono("2018-08..2018-09"),
                        "cost": (2_300_000, 5, "jour"),
                        "funding": [(STATE, 3_500_000), ("ONUDC", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Tenir l'atelier national de validation de l'avant-projet de loi",
                        "description": "Un jour, 60 participants : structures de l'État, société "
                        "civile, PTF ; rapport d'atelier et liste de présence.",
                        "responsible": "CNLTP",
                        "partners": ["MJDH", "ICMPD", "AME"],
                        "months": chrono("2018-11"),
                        "cost": (6_750_000, 1, "atelier"),
                        "funding": [(STATE, 2_000_000), ("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Rencontrer les députés de la commission des lois de l'Assemblée "
                        "nationale",
                        "description": "Séances de plaidoyer avec remise d'une note de synthèse "
                        "sur le projet de loi, avant et pendant la session parlementaire.",
                        "responsible": "CNLTP",
                        "partners": ["AME", "NIYEL"],
                        "months": chrono("2019-01..2019-02", "2019-07..2019-08"),
                        "cost": (850_000, 6, "rencontre"),
                        "funding": [(STATE, REST)],
                        "result": 2,
                        "assign": True,
                    },
                ],
            },
            {
                "statement": "Créer une agence de lutte contre la traite des personnes et le "
                "trafic illicite de migrants avec toutes ses attributions.",
                "deadline": date(2019, 12, 31),
                "change_kind": "agency",
                "change_sought": "Un texte portant création d'une agence nationale dotée de "
                "l'autonomie administrative et financière, d'un personnel propre et d'une ligne "
                "dans la loi de finances, qui prenne la suite du comité national.",
                "targets": "Primature ; Ministère de la Justice et des Droits de l'Homme ; "
                "Ministère de l'Économie et des Finances ; Assemblée nationale.",
                "axis": 2,
                "results": [
                    "Le statut, l'organigramme et le coût de l'agence sont définis et validés.",
                    "Le projet de texte portant création de l'agence est soumis au Gouvernement.",
                ],
                "indicators": [
                    {
                        "name": "Texte portant création de l'agence adopté",
                        "unit": "texte",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 12, 31),
                        "verification": "Journal officiel ; communiqué du Conseil des ministres",
                        "frequency": "once",
                    },
                    {
                        "result": 1,
                        "name": "Étude de faisabilité de l'agence validée",
                        "unit": "étude",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 1, 31),
                        "verification": "Rapport de l'atelier de validation",
                        "frequency": "once",
                    },
                ],
                "activities": [
                    {
                        "title": "Réaliser une étude de faisabilité sur la création de l'agence",
                        "description": "Statut juridique, attributions, organigramme, budget de "
                        "fonctionnement et calendrier de mise en place.",
                        "responsible": "CNLTP",
                        "partners": ["ICMPD", "NIYEL"],
                        "months": chrono("2018-05..2018-07"),
                        "cost": (12_000_000, 1, "étude"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Organiser un voyage d'étude auprès d'une agence nationale de la "
                        "sous-région",
                        "description": "Six membres du comité et du ministère visitent une agence "
                        "de lutte contre la traite en fonctionnement ; rapport de mission.",
                        "responsible": "CNLTP",
                        "partners": ["ICMPD", "CEDEAO"],
                        "months": chrono("2018-10"),
                        "cost": (2_750_000, 6, "participant"),
                        "funding": [("ICMPD", 10_000_000), (STATE, 3_000_000)],
                        "result": 1,
                    },
                    {
                        "title": "Valider l'étude et l'avant-projet de texte portant création de "
                        "l'agence en atelier",
                        "description": "Un jour, 50 participants, dont les ministères de la "
                        "Justice, de l'Économie et des Finances et des Maliens de l'Extérieur.",
                        "responsible": "CNLTP",
                        "partners": ["MJDH", "ICMPD"],
                        "months": chrono("2019-01"),
                        "cost": (5_900_000, 1, "atelier"),
                        "funding": [(STATE, 2_000_000), ("ICMPD", REST)],
                        "result": 2,
                    },
                    {
                        "title": "Obtenir des audiences à la Primature et au Ministère de "
                        "l'Économie et des Finances",
                        "description": "Présenter le projet d'agence et son coût, et demander son "
                        "inscription au programme du Gouvernement et dans la loi de finances.",
                        "responsible": "CNLTP",
                        "partners": ["MJDH", "NIYEL"],
                        "months": chrono("2019-02..2019-03", "2019-09..2019-10"),
                        "cost": (450_000, 8, "audience"),
                        "funding": [(STATE, REST)],
                        "result": 2,
                        "assign": True,
                    },
                ],
            },
            {
                "statement": "Soutenir la société civile et les mouvements citoyens à influencer "
                "les décideurs dans la lutte contre la traite des personnes à des fins de travail "
                "forcé d'ici 2020.",
                "deadline": date(2020, 12, 31),
                "change_kind": "practice",
                "change_sought": "Des décideurs (députés, ministres, maires des zones de départ) "
                "qui prennent publiquement position et inscrivent la lutte contre le travail "
                "forcé à l'extérieur à leur agenda, sous l'influence d'une société civile formée "
                "et organisée.",
                "targets": "Assemblée nationale ; Haut Conseil des collectivités ; maires et "
                "conseils de cercle de Kayes, Sikasso, Ségou et Mopti ; leaders religieux et "
                "coutumiers.",
                "axis": 3,
                "results": [
                    "Les organisations de la société civile et les mouvements citoyens maîtrisent "
                    "les techniques de plaidoyer.",
                    "Les populations des zones de départ connaissent les risques du travail forcé "
                    "à l'extérieur.",
                ],
                "indicators": [
                    {
                        "result": 1,
                        "name": "Nombre d'organisations de la société civile formées au plaidoyer",
                        "unit": "OSC",
                        "baseline": 0,
                        "target": 40,
                        "date": date(2019, 6, 30),
                        "verification": "Listes de présence ; pré- et post-tests ; rapports "
                        "d'atelier",
                        "frequency": "quarterly",
                    },
                    {
                        "name": "Nombre de prises de position publiques de décideurs contre le "
                        "travail forcé",
                        "unit": "prises de position",
                        "baseline": 2,
                        "target": 15,
                        "date": date(2020, 12, 31),
                        "verification": "Revue de presse ; rapports d'étape",
                        "frequency": "half_yearly",
                    },
                ],
                "activities": [
                    {
                        "title": "Former les OSC et mouvements citoyens aux techniques de "
                        "plaidoyer (ateliers régionaux)",
                        "description": "Quatre ateliers de trois jours à Kayes, Sikasso, Ségou et "
                        "Mopti, 30 participants chacun, avec pré- et post-tests.",
                        "responsible": "CNLTP",
                        "partners": ["AME", "NIYEL", "OIM"],
                        "months": chrono("2018-06", "2018-11..2018-12", "2019-02"),
                        "cost": (5_250_000, 4, "atelier"),
                        "funding": [("OIM", 12_000_000), ("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Mener une campagne médiatique sur les risques du travail forcé "
                        "à l'extérieur",
                        "description": "Spots et émissions interactives sur les radios "
                        "communautaires en bambara, soninké et peul, débats télévisés, réseaux "
                        "sociaux.",
                        "responsible": "CNLTP",
                        "partners": ["AME", "OIM", "UE"],
                        "months": chrono("2018-09..2018-12", "2019-04..2019-06"),
                        "cost": (3_500_000, 7, "mois"),
                        "funding": [("UE", 15_000_000), (STATE, 4_500_000)],
                        "result": 2,
                    },
                    {
                        "title": "Accorder des petites subventions aux initiatives de plaidoyer "
                        "des OSC",
                        "description": "Huit subventions attribuées sur appel à propositions ; "
                        "chaque bénéficiaire remet un rapport final.",
                        "responsible": "CNLTP",
                        "partners": ["AME", "UE", "ICMPD"],
                        "months": chrono("2019-01..2019-03", "2019-10"),
                        "cost": (2_000_000, 8, "subvention"),
                        "funding": [("UE", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Organiser une caravane de sensibilisation dans les zones de "
                        "départ",
                        "description": "Six étapes dans la région de Kayes (Kayes, Nioro du Sahel, "
                        "Diéma, Yélimané…) avec les associations de migrants de retour.",
                        "responsible": "AME",
                        "partners": ["OIM", "MME"],
                        "months": chrono("2019-03..2019-04"),
                        "cost": (1_850_000, 6, "étape"),
                        "funding": [("OIM", REST)],
                        "result": 2,
                        "assign": True,
                    },
                ],
            },
            {
                "statement": "Développer un dossier de plaidoyer sur la traite des personnes dans "
                "les pays à haut risque.",
                "deadline": date(2019, 12, 31),
                "change_kind": "policy",
                "change_sought": "Un dossier de plaidoyer documenté, remis au Gouvernement et aux "
                "PTF, qui fonde des mesures de protection consulaire des Maliens dans les pays "
                "de destination à haut risque.",
                "targets": "Ministère des Maliens de l'Extérieur ; Ministère des Affaires "
                "étrangères et de la Coopération internationale ; ambassades et consulats du "
                "Mali ; PTF.",
                "axis": 4,
                "results": [
                    "Les données sur les Maliens victimes de travail forcé dans les pays à haut "
                    "risque sont collectées et analysées.",
                    "Le dossier de plaidoyer est validé et remis aux décideurs.",
                ],
                "indicators": [
                    {
                        "result": 2,
                        "name": "Dossier de plaidoyer validé et diffusé",
                        "unit": "dossier",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 6, 30),
                        "verification": "Rapport de l'atelier de validation ; bordereaux de "
                        "transmission",
                        "frequency": "once",
                    },
                ],
                "activities": [
                    {
                        "title": "Réaliser une étude sur les itinéraires et les conditions de "
                        "travail forcé des Maliens dans les pays à haut risque",
                        "description": "Revue documentaire et entretiens avec les services "
                        "consulaires ; données agrégées uniquement.",
                        "responsible": "CNLTP",
                        "partners": ["OIM", "ICMPD", "MME"],
                        "months": chrono("2018-07..2018-10"),
                        "cost": (14_500_000, 1, "étude"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Recueillir les témoignages de Maliens rapatriés",
                        "description": "Entretiens anonymes auprès des migrants de retour "
                        "accueillis à l'aéroport de Bamako et à Gao, avec leur consentement.",
                        "responsible": "MME",
                        "partners": ["AME", "OIM"],
                        "months": chrono("2018-08..2018-09", "2018-12"),
                        "cost": (225_000, 30, "jour d'enquête"),
                        "funding": [("OIM", REST)],
                        "result": 1,
                        "assign": True,
                    },
                    {
                        "title": "Valider le dossier de plaidoyer en atelier",
                        "description": "Un jour, 40 participants : ministères, OSC, PTF.",
                        "responsible": "CNLTP",
                        "partners": ["NIYEL", "MME"],
                        "months": chrono("2019-03"),
                        "cost": (4_850_000, 1, "atelier"),
                        "funding": [(STATE, REST)],
                        "result": 2,
                    },
                    {
                        "title": "Imprimer et diffuser le dossier de plaidoyer",
                        "description": "500 exemplaires remis aux ministères, aux députés, aux "
                        "ambassades et aux PTF ; version numérique.",
                        "responsible": "CNLTP",
                        "partners": ["ICMPD"],
                        "months": chrono("2019-05..2019-06"),
                        "cost": (15_000, 500, "exemplaire"),
                        "funding": [(STATE, 2_500_000), ("ICMPD", REST)],
                        "result": 2,
                    },
                ],
            },
            {
                "statement": "Créer une alliance entre la société civile malienne et des groupes "
                "de pression (ONG internationales, partenaires techniques et financiers) pour "
                "favoriser la signature de conventions bilatérales en matière de traite des "
                "personnes à des fins de travail forcé.",
                "deadline": date(2019, 12, 31),
                "change_kind": "convention",
                "change_sought": "Des conventions bilatérales avec les pays de destination qui "
                "protègent les travailleurs maliens et organisent le retour des victimes.",
                "targets": "Ministère des Affaires étrangères et de la Coopération "
                "internationale ; Ministère des Maliens de l'Extérieur ; Ministère de la Justice "
                "et des Droits de l'Homme ; ambassades des pays de destination ; PTF (UE, OIM, "
                "ICMPD).",
                "axis": 5,
                "results": [
                    "Une alliance entre OSC maliennes, ONG internationales et PTF est formée.",
                    "Des projets de conventions bilatérales sont soumis aux pays de destination.",
                ],
                "indicators": [
                    {
                        "result": 1,
                        "name": "Charte de l'alliance signée",
                        "unit": "charte",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2018, 12, 31),
                        "verification": "Charte signée ; rapport de l'atelier constitutif",
                        "frequency": "once",
                    },
                    {
                        "name": "Nombre de projets de conventions bilatérales soumis",
                        "unit": "projets",
                        "baseline": 0,
                        "target": 2,
                        "date": date(2019, 12, 31),
                        "verification": "Notes verbales ; comptes rendus de négociation",
                        "frequency": "yearly",
                    },
                ],
                "activities": [
                    {
                        "title": "Tenir la table ronde des partenaires techniques et financiers "
                        "pour la mise en œuvre du plan",
                        "description": "Présentation du plan aux PTF, aux ministères et à la "
                        "société civile ; recueil des annonces de contribution.",
                        "responsible": "CNLTP",
                        "partners": ["MJDH", "ICMPD", "UE", "OIM"],
                        "months": chrono("2018-06"),
                        "cost": (8_500_000, 1, "table ronde"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Constituer l'alliance en atelier et adopter sa charte",
                        "description": "Un jour, 45 participants : OSC maliennes, ONG "
                        "internationales, PTF.",
                        "responsible": "CNLTP",
                        "partners": ["AME", "NIYEL", "OIM"],
                        "months": chrono("2018-09"),
                        "cost": (4_600_000, 1, "atelier"),
                        "funding": [(STATE, 1_600_000), ("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Conduire des missions de plaidoyer dans les pays de destination",
                        "description": "Trois missions conjointes État–société civile pour "
                        "proposer des projets de conventions bilatérales.",
                        "responsible": "MME",
                        "partners": ["MJDH", "OIM", "CEDEAO"],
                        "months": chrono("2019-04..2019-05", "2019-10"),
                        "cost": (4_200_000, 3, "mission"),
                        "funding": [(STATE, 6_600_000), ("OIM", REST)],
                        "result": 2,
                    },
                    {
                        "title": "Réunir l'alliance chaque trimestre",
                        "description": "Suivi des démarches de plaidoyer et des négociations ; "
                        "compte rendu diffusé aux membres.",
                        "responsible": "AME",
                        "partners": ["CNLTP"],
                        "months": chrono("2018-12", "2019-03", "2019-06", "2019-09", "2019-12"),
                        "cost": (820_000, 5, "réunion"),
                        "funding": [("UE", REST)],
                        "result": 2,
                    },
                ],
            },
        ],
    },
    {
        "country": "GM",
        "title": "Advocacy Action Plan against Trafficking in Persons for Forced Labour "
        "(2018-2019)",
        "language": "en",
        "currency": "GMD",
        "period": (date(2018, 1, 1), date(2019, 12, 31)),
        "general_objective": "Contribute to ending the trafficking of Gambians for forced labour "
        "abroad through concerted advocacy, in application of the Trafficking in Persons Act "
        "2007.",
        "status": "adopted",
        "total": "704050.00",
        "objectives": [
            {
                "statement": "By 2019, have the National Assembly amend the Trafficking in "
                "Persons Act 2007 to regulate the agencies recruiting workers for jobs abroad.",
                "deadline": date(2019, 12, 31),
                "change_kind": "law",
                "change_sought": "An amendment to the Trafficking in Persons Act 2007 requiring "
                "recruitment agencies to be licensed and monitored, and protecting victims who "
                "return from abroad.",
                "targets": "Attorney General and Minister of Justice; Cabinet; National Assembly "
                "Select Committee on Human Rights.",
                "axis": 1,
                "results": ["A draft amendment is prepared and validated by stakeholders."],
                "indicators": [
                    {
                        "name": "Amendment to the Trafficking in Persons Act passed",
                        "unit": "act",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 12, 31),
                        "verification": "Gambia Gazette; National Assembly Hansard",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "Review the Trafficking in Persons Act 2007 against the Palermo "
                        "Protocol and ECOWAS standards",
                        "description": "Legal review by a consultant, with recommendations on "
                        "recruitment agencies and victim protection.",
                        "responsible": "NAATIP",
                        "partners": ["MoJ", "ICMPD"],
                        "months": chrono("2018-04..2018-06"),
                        "cost": ("185000.00", 1, "study"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Hold a stakeholder workshop to validate the draft amendment",
                        "description": "One day in Banjul, 40 participants from government, "
                        "civil society and partners.",
                        "responsible": "NAATIP",
                        "partners": ["MoJ", "CPA"],
                        "months": chrono("2018-09"),
                        "cost": ("1875.50", 40, "participant"),
                        "funding": [(STATE, "25020.00"), ("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Meet the members of the National Assembly Select Committee",
                        "description": "Advocacy meetings with a two-page brief on the amendment.",
                        "responsible": "NAATIP",
                        "partners": ["CPA"],
                        "months": chrono("2018-11", "2019-02..2019-03", "2019-07"),
                        "cost": ("12500.00", 6, "meeting"),
                        "funding": [(STATE, REST)],
                        "result": 1,
                        "assign": True,
                    },
                ],
            },
            {
                "statement": "Secure a budget line for the assistance of trafficking victims in "
                "the 2019 national budget.",
                "deadline": date(2018, 12, 31),
                "change_kind": "budget",
                "change_sought": "A dedicated line in the 2019 Appropriation Act for NAATIP's "
                "shelter and the reintegration of victims of forced labour.",
                "targets": "Minister of Finance and Economic Affairs; National Assembly Finance "
                "and Public Accounts Committee.",
                "axis": 2,
                "results": ["Decision-makers know what assisting returned victims costs."],
                "indicators": [
                    {
                        "name": "Budget line for victim assistance in the Appropriation Act",
                        "unit": "budget line",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2018, 12, 31),
                        "verification": "Appropriation Act 2019",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "Cost the assistance and reintegration of victims",
                        "description": "Costing study of the shelter, medical care and "
                        "reintegration services.",
                        "responsible": "DSW",
                        "partners": ["NAATIP", "OIM"],
                        "months": chrono("2018-05..2018-06"),
                        "cost": ("120000.00", 1, "study"),
                        "funding": [("OIM", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Present a policy brief to the Finance and Public Accounts "
                        "Committee",
                        "description": "Two breakfast meetings with committee members during "
                        "the budget session.",
                        "responsible": "NAATIP",
                        "partners": ["CPA"],
                        "months": chrono("2018-10..2018-11"),
                        "cost": ("45750.00", 2, "meeting"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Broadcast radio and television spots on the risks of the "
                        "'back way' and forced labour abroad",
                        "description": "Spots in Mandinka, Wolof, Fula and English on community "
                        "radios and GRTS.",
                        "responsible": "CPA",
                        "partners": ["NAATIP", "OIM"],
                        "months": chrono("2018-07..2018-09", "2019-01..2019-03"),
                        "cost": ("1312.75", 120, "spot"),
                        "funding": [("UE", "100000.00"), (STATE, "30000.00")],
                        "result": 1,
                    },
                ],
            },
        ],
    },
    {
        "country": "GW",
        "title": "Plano de ação de advocacia para a luta contra o tráfico de pessoas para fins "
        "de trabalho forçado (2018-2019)",
        "language": "pt",
        "currency": "XOF",
        "period": (date(2018, 1, 1), date(2019, 12, 31)),
        "general_objective": "Contribuir para a prevenção e a repressão do tráfico de pessoas "
        "para fins de trabalho forçado, em particular das crianças enviadas para a mendicidade "
        "forçada, em aplicação da Lei n.º 12/2011.",
        "status": "draft",
        "total": 18_950_000,
        "objectives": [
            {
                "statement": "Obter, até 2019, a aprovação do decreto de regulamentação da Lei "
                "n.º 12/2011 que previne e combate o tráfico de pessoas.",
                "deadline": date(2019, 12, 31),
                "change_kind": "law",
                "change_sought": "Um decreto de regulamentação que defina a proteção e a "
                "assistência às vítimas e o papel de cada ministério.",
                "targets": "Ministro da Justiça; Conselho de Ministros; Assembleia Nacional "
                "Popular.",
                "axis": 1,
                "results": ["Um projeto de decreto é elaborado e validado pelos atores."],
                "indicators": [
                    {
                        "name": "Decreto de regulamentação publicado",
                        "unit": "decreto",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 12, 31),
                        "verification": "Boletim Oficial",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "Elaborar o projeto de decreto de regulamentação",
                        "description": "Consultoria jurídica de dois meses com o Ministério da "
                        "Justiça.",
                        "responsible": "CITSH",
                        "partners": ["MJ", "ONUDC"],
                        "months": chrono("2018-06..2018-08"),
                        "cost": (3_500_000, 1, "consultoria"),
                        "funding": [("ONUDC", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Realizar o ateliê de validação do projeto de decreto",
                        "description": "Um dia em Bissau, 40 participantes do Estado e da "
                        "sociedade civil.",
                        "responsible": "CITSH",
                        "partners": ["MJ", "IMC", "AMIC"],
                        "months": chrono("2018-11"),
                        "cost": (4_250_000, 1, "ateliê"),
                        "funding": [("ICMPD", 3_000_000), (STATE, REST)],
                        "result": 1,
                    },
                    {
                        "title": "Realizar encontros de advocacia com o Ministro da Justiça e os "
                        "deputados",
                        "description": "Cinco encontros com entrega de uma nota de síntese.",
                        "responsible": "CITSH",
                        "partners": ["AMIC"],
                        "months": chrono("2019-01..2019-02", "2019-07"),
                        "cost": (300_000, 5, "encontro"),
                        "funding": [(STATE, REST)],
                        "result": 1,
                        "assign": True,
                    },
                ],
            },
            {
                "statement": "Obter a inscrição de uma dotação para o Comité interministerial "
                "no Orçamento Geral do Estado de 2019.",
                "deadline": date(2018, 12, 31),
                "change_kind": "budget",
                "change_sought": "Uma linha orçamental própria para o funcionamento do Comité e "
                "a assistência às vítimas.",
                "targets": "Ministro da Economia e Finanças; Assembleia Nacional Popular.",
                "axis": 2,
                "results": ["Os decisores conhecem as necessidades de funcionamento do Comité."],
                "indicators": [
                    {
                        "name": "Linha orçamental do Comité inscrita no OGE",
                        "unit": "linha orçamental",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2018, 12, 31),
                        "verification": "Orçamento Geral do Estado 2019",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "Redigir uma nota de advocacia sobre o custo de funcionamento "
                        "do Comité",
                        "description": "Nota de quatro páginas com orçamento detalhado.",
                        "responsible": "CITSH",
                        "partners": ["ICMPD"],
                        "months": chrono("2018-07"),
                        "cost": (1_200_000, 1, "nota"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Obter audiências no Ministério da Economia e Finanças e na "
                        "comissão especializada da ANP",
                        "description": "Quatro audiências antes da votação do orçamento.",
                        "responsible": "CITSH",
                        "partners": ["MJ"],
                        "months": chrono("2018-09..2018-10"),
                        "cost": (250_000, 4, "audiência"),
                        "funding": [(STATE, REST)],
                        "result": 1,
                    },
                ],
            },
            {
                "statement": "Mobilizar, até 2019, os líderes religiosos e comunitários contra o "
                "envio de crianças para a mendicidade forçada.",
                "deadline": date(2019, 12, 31),
                "change_kind": "practice",
                "change_sought": "Compromissos públicos dos mestres corânicos e dos régulos de "
                "não confiar crianças a redes de mendicidade forçada.",
                "targets": "Mestres corânicos; régulos e comités de tabanca das regiões de Bafatá "
                "e Gabú.",
                "axis": 3,
                "results": ["Os líderes de Bafatá e Gabú assumem compromissos públicos."],
                "indicators": [
                    {
                        "result": 1,
                        "name": "Número de líderes que assinam a declaração de compromisso",
                        "unit": "líderes",
                        "baseline": 0,
                        "target": 60,
                        "date": date(2019, 12, 31),
                        "verification": "Declarações assinadas; relatórios de missão",
                        "frequency": "half_yearly",
                    }
                ],
                "activities": [
                    {
                        "title": "Realizar encontros comunitários com mestres corânicos e régulos "
                        "em Bafatá e Gabú",
                        "description": "Seis encontros de um dia com as associações locais.",
                        "responsible": "AMIC",
                        "partners": ["IMC", "OIM"],
                        "months": chrono("2019-03..2019-04", "2019-10"),
                        "cost": (650_000, 6, "encontro"),
                        "funding": [("OIM", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Difundir uma campanha radiofónica em crioulo, fula e mandinga",
                        "description": "Spots nas rádios comunitárias das regiões de partida.",
                        "responsible": "IMC",
                        "partners": ["AMIC", "UE"],
                        "months": chrono("2019-05..2019-06", "2019-11..2019-12"),
                        "cost": (45_000, 80, "spot"),
                        "funding": [("UE", 2_500_000)],
                        "result": 1,
                    },
                ],
            },
        ],
    },
    {
        "country": "GN",
        "title": "Plan d'action de plaidoyer contre la traite des personnes à des fins de "
        "travail forcé (2018-2019)",
        "language": "fr",
        "currency": "GNF",
        "period": (date(2018, 1, 1), date(2019, 12, 31)),
        "general_objective": "Doter la Guinée des textes et des moyens nécessaires à la lutte "
        "contre la traite des personnes à des fins de travail forcé, en complément du Code "
        "pénal.",
        "status": "submitted",
        "total": 371_750_000,
        "objectives": [
            {
                "statement": "Obtenir d'ici 2019 un décret donnant au CNLTPPA un secrétariat "
                "permanent et un budget propre.",
                "deadline": date(2019, 6, 30),
                "change_kind": "agency",
                "change_sought": "Un décret portant attributions, organisation et fonctionnement "
                "du comité créé en 2017, avec une ligne dans la loi de finances.",
                "targets": "Ministère de la Justice ; Primature ; Ministère de l'Économie et des "
                "Finances.",
                "axis": 2,
                "results": ["Un projet de décret sur le fonctionnement du CNLTPPA est validé."],
                "indicators": [
                    {
                        "name": "Décret portant organisation et fonctionnement du CNLTPPA signé",
                        "unit": "décret",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 6, 30),
                        "verification": "Journal officiel de la République de Guinée",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "Élaborer le projet de décret en atelier",
                        "description": "Trois jours à Conakry avec les 17 membres du comité et "
                        "les juristes du ministère.",
                        "responsible": "CNLTPPA",
                        "partners": ["MJ", "ICMPD"],
                        "months": chrono("2018-07"),
                        "cost": (1_250_000, 30, "participant"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Obtenir des audiences auprès du Premier ministre et du ministre "
                        "de l'Économie et des Finances",
                        "description": "Présenter le projet de décret et le budget du secrétariat "
                        "permanent.",
                        "responsible": "CNLTPPA",
                        "partners": ["MJ"],
                        "months": chrono("2018-10..2018-11", "2019-02"),
                        "cost": (4_500_000, 6, "audience"),
                        "funding": [(STATE, REST)],
                        "result": 1,
                        "assign": True,
                    },
                    {
                        "title": "Organiser un voyage d'étude auprès de la NAATIP (Gambie)",
                        "description": "Cinq membres du comité étudient le fonctionnement d'une "
                        "agence nationale.",
                        "responsible": "CNLTPPA",
                        "partners": ["ICMPD", "CEDEAO"],
                        "months": chrono("2019-03"),
                        "cost": (18_750_000, 5, "participant"),
                        "funding": [("ICMPD", 60_000_000)],
                        "result": 1,
                    },
                ],
            },
            {
                "statement": "Obtenir d'ici 2019 l'adoption d'une loi spécifique sur la traite "
                "des personnes qui protège et assiste les victimes.",
                "deadline": date(2019, 12, 31),
                "change_kind": "law",
                "change_sought": "Une loi complétant les dispositions du Code pénal par la "
                "protection, l'assistance et le retour des victimes.",
                "targets": "Ministère de la Justice ; Secrétariat général du Gouvernement ; "
                "Assemblée nationale.",
                "axis": 1,
                "results": ["Les députés connaissent les lacunes du cadre juridique actuel."],
                "indicators": [
                    {
                        "result": 1,
                        "name": "Nombre de députés sensibilisés",
                        "unit": "députés",
                        "baseline": 0,
                        "target": 40,
                        "date": date(2019, 6, 30),
                        "verification": "Listes de présence ; rapport de la journée parlementaire",
                        "frequency": "half_yearly",
                    }
                ],
                "activities": [
                    {
                        "title": "Réaliser une étude comparative des lois de la sous-région sur "
                        "la traite des personnes",
                        "description": "Comparaison avec les lois du Mali, du Sénégal et de la "
                        "Gambie ; recommandations.",
                        "responsible": "CNLTPPA",
                        "partners": ["AGDH", "OIM"],
                        "months": chrono("2018-08..2018-10"),
                        "cost": (85_000_000, 1, "étude"),
                        "funding": [("OIM", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Organiser une journée parlementaire sur la traite à des fins de "
                        "travail forcé",
                        "description": "Une journée à l'Assemblée nationale avec présentation de "
                        "l'étude comparative.",
                        "responsible": "CNLTPPA",
                        "partners": ["AGDH", "OPROGEM", "UE"],
                        "months": chrono("2019-04"),
                        "cost": (62_500_000, 1, "journée"),
                        "funding": [("UE", 50_000_000), (STATE, REST)],
                        "result": 1,
                    },
                    {
                        "title": "Diffuser des émissions radiophoniques en soussou, poular et "
                        "malinké",
                        "description": "Émissions interactives sur les radios rurales et "
                        "communautaires.",
                        "responsible": "AGDH",
                        "partners": ["OPROGEM", "OIM"],
                        "months": chrono("2018-11..2018-12", "2019-05..2019-06"),
                        "cost": (2_750_000, 24, "émission"),
                        "funding": [("OIM", 40_000_000), (STATE, 10_000_000)],
                        "result": 1,
                    },
                ],
            },
        ],
    },
    {
        "country": "MR",
        "title": "خطة عمل المناصرة لمكافحة الاتجار بالأشخاص لأغراض العمل القسري (2018-2019)",
        "language": "ar",
        "currency": "MRU",
        "period": (date(2018, 1, 1), date(2019, 12, 31)),
        "general_objective": "المساهمة في الوقاية من الاتجار بالأشخاص لأغراض العمل القسري "
        "وقمعه وحماية ضحاياه في موريتانيا.",
        "status": "adopted",
        "total": "486817.50",
        "objectives": [
            {
                "statement": "الحصول على اعتماد قانون خاص بالوقاية من الاتجار بالأشخاص وقمعه "
                "وحماية الضحايا بحلول عام 2020.",
                "deadline": date(2020, 12, 31),
                "change_kind": "law",
                "change_sought": "قانون جديد يحل محل القانون رقم 2003-025 ويجرّم جميع أشكال "
                "الاتجار بالأشخاص ويكفل حماية الضحايا ومساعدتهم.",
                "targets": "وزارة العدل؛ الوزارة الأولى؛ الجمعية الوطنية.",
                "axis": 1,
                "results": ["إعداد مشروع قانون والمصادقة عليه في ورشة وطنية."],
                "indicators": [
                    {
                        "name": "نشر قانون الاتجار بالأشخاص في الجريدة الرسمية",
                        "unit": "قانون",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2020, 12, 31),
                        "verification": "الجريدة الرسمية للجمهورية الإسلامية الموريتانية",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "إعداد دراسة تحليلية للإطار القانوني الوطني مقارنة ببروتوكول "
                        "باليرمو",
                        "description": "تحليل الثغرات في النصوص الحالية واقتراح مشروع قانون.",
                        "responsible": "CNLTPTIM",
                        "partners": ["MJ", "ONUDC"],
                        "months": chrono("2018-05..2018-07"),
                        "cost": ("95000.00", 1, "دراسة"),
                        "funding": [("ONUDC", REST)],
                        "result": 1,
                    },
                    {
                        "title": "تنظيم ورشة وطنية للمصادقة على مشروع القانون",
                        "description": "يوم واحد في نواكشوط بمشاركة 45 من ممثلي الدولة والمجتمع "
                        "المدني.",
                        "responsible": "CNLTPTIM",
                        "partners": ["MJ", "CNDH", "AFCF"],
                        "months": chrono("2018-11"),
                        "cost": ("1850.50", 45, "مشارك"),
                        "funding": [("ICMPD", "60000.00"), (STATE, REST)],
                        "result": 1,
                    },
                    {
                        "title": "عقد لقاءات مناصرة مع النواب",
                        "description": "ستة لقاءات مع تسليم مذكرة موجزة حول مشروع القانون.",
                        "responsible": "CNLTPTIM",
                        "partners": ["AFCF"],
                        "months": chrono("2019-01..2019-02", "2019-07"),
                        "cost": ("7500.00", 6, "لقاء"),
                        "funding": [(STATE, REST)],
                        "result": 1,
                        "assign": True,
                    },
                ],
            },
            {
                "statement": "تحويل اللجنة الوطنية إلى هيئة وطنية لمكافحة الاتجار بالأشخاص "
                "وتهريب المهاجرين تتمتع بالاستقلال الإداري والمالي.",
                "deadline": date(2019, 12, 31),
                "change_kind": "agency",
                "change_sought": "مرسوم بإنشاء هيئة وطنية لها ميزانية خاصة وطاقم دائم.",
                "targets": "الوزارة الأولى؛ وزارة العدل؛ وزارة الاقتصاد والمالية.",
                "axis": 2,
                "results": ["إعداد دراسة جدوى حول إنشاء الهيئة الوطنية والمصادقة عليها."],
                "indicators": [
                    {
                        "name": "صدور مرسوم إنشاء الهيئة الوطنية",
                        "unit": "مرسوم",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 12, 31),
                        "verification": "الجريدة الرسمية",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "تنظيم طاولة مستديرة مع الشركاء الفنيين والماليين لتعبئة الموارد",
                        "description": "عرض الخطة على الشركاء وجمع التعهدات بالمساهمة.",
                        "responsible": "CNLTPTIM",
                        "partners": ["UE", "ICMPD", "OIM"],
                        "months": chrono("2018-06"),
                        "cost": ("68500.00", 1, "طاولة مستديرة"),
                        "funding": [(STATE, "18500.00"), ("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "إعداد دراسة جدوى حول النظام الأساسي للهيئة وهيكلها وميزانيتها",
                        "description": "دراسة يعدها خبير وطني بالتعاون مع وزارة العدل.",
                        "responsible": "CNLTPTIM",
                        "partners": ["ICMPD"],
                        "months": chrono("2018-09..2018-10"),
                        "cost": ("120000.00", 1, "دراسة"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "تنفيذ حملة إعلامية عبر الإذاعة والتلفزيون بالعربية والبولارية "
                        "والسوننكية والولفية",
                        "description": "ومضات وبرامج حوارية حول مخاطر العمل القسري.",
                        "responsible": "AFCF",
                        "partners": ["CNDH", "OIM"],
                        "months": chrono("2019-03..2019-04", "2019-10..2019-11"),
                        "cost": ("1250.75", 60, "ومضة"),
                        "funding": [("OIM", "50000.00")],
                        "result": 1,
                    },
                ],
            },
        ],
    },
    {
        "country": "SN",
        "title": "Plan d'action de plaidoyer contre la traite des personnes à des fins de "
        "travail forcé (2018-2019)",
        "language": "fr",
        "currency": "XOF",
        "period": (date(2018, 1, 1), date(2019, 12, 31)),
        "general_objective": "Renforcer l'application de la loi n°2005-06 du 10 mai 2005 contre "
        "la traite des personnes à des fins de travail forcé, au Sénégal et à l'extérieur.",
        "status": "validated",
        "total": 44_500_000,
        "objectives": [
            {
                "statement": "Obtenir d'ici 2019 l'adoption d'un décret encadrant les agences "
                "privées de placement de travailleurs à l'étranger.",
                "deadline": date(2019, 12, 31),
                "change_kind": "law",
                "change_sought": "Un décret soumettant les agences de placement à un agrément et "
                "à des contrôles, et sanctionnant le recrutement frauduleux.",
                "targets": "Ministère du Travail ; Ministère de la Justice ; Ministère des "
                "Affaires étrangères et des Sénégalais de l'extérieur.",
                "axis": 1,
                "results": ["Un projet de décret est validé par les acteurs."],
                "indicators": [
                    {
                        "name": "Décret sur les agences de placement signé",
                        "unit": "décret",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2019, 12, 31),
                        "verification": "Journal officiel de la République du Sénégal",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "Réaliser une étude sur le recrutement de travailleurs "
                        "sénégalais vers les pays du Golfe et le Liban",
                        "description": "Pratiques des agences de placement, contrats, cas "
                        "signalés ; données agrégées.",
                        "responsible": "CNLTP",
                        "partners": ["OIM", "MJ"],
                        "months": chrono("2018-06..2018-08"),
                        "cost": (12_500_000, 1, "étude"),
                        "funding": [("OIM", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Valider le projet de décret en atelier",
                        "description": "Un jour à Dakar, 45 participants.",
                        "responsible": "CNLTP",
                        "partners": ["MJ", "ICMPD"],
                        "months": chrono("2018-12"),
                        "cost": (5_400_000, 1, "atelier"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Rencontrer le ministre du Travail et les organisations "
                        "patronales",
                        "description": "Cinq rencontres de plaidoyer sur le projet de décret.",
                        "responsible": "CNLTP",
                        "partners": ["MJ"],
                        "months": chrono("2019-01", "2019-03", "2019-09"),
                        "cost": (500_000, 5, "rencontre"),
                        "funding": [(STATE, REST)],
                        "result": 1,
                        "assign": True,
                    },
                ],
            },
            {
                "statement": "Obtenir l'inscription dans la loi de finances 2019 d'une ligne "
                "budgétaire pour la prise en charge des victimes de traite.",
                "deadline": date(2018, 12, 31),
                "change_kind": "budget",
                "change_sought": "Une ligne budgétaire pour l'accueil, l'assistance et le retour "
                "des victimes.",
                "targets": "Ministère de l'Économie, des Finances et du Plan ; Assemblée "
                "nationale (commission des finances).",
                "axis": 2,
                "results": ["Le coût de la prise en charge des victimes est connu."],
                "indicators": [
                    {
                        "name": "Ligne budgétaire inscrite dans la loi de finances 2019",
                        "unit": "ligne",
                        "baseline": 0,
                        "target": 1,
                        "date": date(2018, 12, 31),
                        "verification": "Loi de finances 2019",
                        "frequency": "once",
                    }
                ],
                "activities": [
                    {
                        "title": "Rédiger une note de plaidoyer chiffrée sur la prise en charge "
                        "des victimes",
                        "description": "Coût de l'accueil, des soins et de la réinsertion.",
                        "responsible": "DDPEGV",
                        "partners": ["MFS", "ICMPD"],
                        "months": chrono("2018-07..2018-08"),
                        "cost": (3_750_000, 1, "note"),
                        "funding": [("ICMPD", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Obtenir des audiences avec la commission des finances de "
                        "l'Assemblée nationale",
                        "description": "Quatre audiences pendant la session budgétaire.",
                        "responsible": "CNLTP",
                        "partners": ["MFS"],
                        "months": chrono("2018-10..2018-11"),
                        "cost": (400_000, 4, "audience"),
                        "funding": [(STATE, REST)],
                        "result": 1,
                    },
                ],
            },
            {
                "statement": "Amener d'ici 2019 les maîtres coraniques et les chefs religieux à "
                "s'engager contre la mendicité forcée des enfants, en application de la loi "
                "n°2005-06.",
                "deadline": date(2019, 12, 31),
                "change_kind": "practice",
                "change_sought": "Des engagements publics des associations de maîtres coraniques "
                "et des chefs religieux contre la mendicité forcée.",
                "targets": "Chefs religieux ; associations de maîtres coraniques ; gouverneurs et "
                "maires de Dakar, Thiès et Saint-Louis.",
                "axis": 3,
                "results": ["Les associations de maîtres coraniques prennent des engagements."],
                "indicators": [
                    {
                        "result": 1,
                        "name": "Nombre d'associations de maîtres coraniques engagées",
                        "unit": "associations",
                        "baseline": 0,
                        "target": 12,
                        "date": date(2019, 12, 31),
                        "verification": "Déclarations signées ; rapports d'atelier",
                        "frequency": "half_yearly",
                    }
                ],
                "activities": [
                    {
                        "title": "Animer des ateliers de dialogue avec les associations de "
                        "maîtres coraniques",
                        "description": "Trois ateliers à Dakar, Thiès et Saint-Louis.",
                        "responsible": "Tostan",
                        "partners": ["DDPEGV", "ONUDC"],
                        "months": chrono("2019-02", "2019-05", "2019-11"),
                        "cost": (3_250_000, 3, "atelier"),
                        "funding": [("UE", REST)],
                        "result": 1,
                    },
                    {
                        "title": "Diffuser une campagne de sensibilisation en wolof et en pulaar "
                        "sur les radios communautaires",
                        "description": "150 diffusions de spots et d'émissions interactives.",
                        "responsible": "MFS",
                        "partners": ["Tostan", "OIM"],
                        "months": chrono("2019-04..2019-06"),
                        "cost": (60_000, 150, "diffusion"),
                        "funding": [("OIM", 6_000_000), (STATE, 1_000_000)],
                        "result": 1,
                    },
                ],
            },
        ],
    },
]

# The workflow steps that lead from draft to each status.
STATUS_STEPS = {
    "draft": [],
    "submitted": ["submit"],
    "validated": ["submit", "validate"],
    "adopted": ["submit", "validate", "adopt"],
}


def _user(local):
    return get_user_model().objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _organisations(country):
    """Acronym or name → organisation: the regional ones, then the country's own, which win."""
    found = {}
    regional = Organisation.objects.filter(country__isnull=True)
    own = Organisation.objects.filter(country=country)
    for organisation in [*regional, *own]:
        found[organisation.name] = organisation
        found[organisation.short_name] = organisation
    body = country.national_body
    found[body.short_name] = body
    return found


def _strategy():
    regional = _user("regional")
    start, end = STRATEGY["period"]
    strategy = RegionalStrategy.objects.filter(title=STRATEGY["title"]).first()
    if strategy is None:
        strategy = RegionalStrategy(
            title=STRATEGY["title"],
            period_start=start,
            period_end=end,
            summary=STRATEGY["summary"],
        )
        # Written by the regional coordinator: their name goes into the history.
        strategy._history_user = regional
        strategy.save()
    axes = {}
    for position, (title, description) in enumerate(STRATEGY["axes"], start=1):
        axis = StrategicAxis.objects.filter(strategy=strategy, position=position).first()
        if axis is None:
            axis = StrategicAxis(
                strategy=strategy, position=position, title=title, description=description
            )
            axis._history_user = regional
            axis.save()
        axes[position] = axis
    return strategy, axes


def _funding(parts, total, organisations):
    """[(acronym or STATE, amount or REST)] → [(organisation or None, Decimal)]."""
    given = sum((to_decimal(a) for _o, a in parts if a != REST), Decimal(0))
    return [
        (
            organisations[key] if key is not STATE else None,
            total - given if amount == REST else to_decimal(amount),
        )
        for key, amount in parts
    ]


def _plan(data, country, strategy, axes):
    code = country.code.lower()
    coordinator = _user(f"coordinator.{code}")
    contributor = _user(f"contributor.{code}")
    organisations = _organisations(country)
    start, end = data["period"]
    plan = services.plan_create(
        country=country,
        by=coordinator,
        title=data["title"],
        period_start=start,
        period_end=end,
        currency=data["currency"],
        language=data["language"],
        general_objective=data["general_objective"],
        strategy=strategy,
    )
    for item in data["objectives"]:
        objective = services.objective_create(
            plan=plan,
            by=coordinator,
            statement=item["statement"],
            deadline=item["deadline"],
            change_kind=item["change_kind"],
            change_sought=item["change_sought"],
            targets=item["targets"],
            axis=axes[item["axis"]],
        )
        results = {}
        for position, statement in enumerate(item["results"], start=1):
            results[position] = services.result_create(
                objective=objective, by=coordinator, statement=statement
            )
        for indicator in item["indicators"]:
            result = results.get(indicator.get("result"))
            services.indicator_create(
                plan=plan,
                by=coordinator,
                objective=None if result else objective,
                result=result,
                name=indicator["name"],
                unit=indicator["unit"],
                baseline=to_decimal(indicator["baseline"]),
                target=to_decimal(indicator["target"]),
                target_date=indicator["date"],
                means_of_verification=indicator["verification"],
                frequency=indicator["frequency"],
            )
        for activity in item["activities"]:
            unit_cost, quantity, unit = activity["cost"]
            unit_cost, quantity = to_decimal(unit_cost), to_decimal(quantity)
            total = round_amount(unit_cost * quantity, plan.currency)
            services.activity_create(
                objective=objective,
                by=coordinator,
                title=activity["title"],
                description=ILLUSTRATIVE[plan.language] + activity["description"],
                responsible=organisations[activity["responsible"]],
                partners=[organisations[key] for key in activity["partners"]],
                assignees=[contributor] if activity.get("assign") else [],
                months=activity["months"],
                unit_cost=unit_cost,
                quantity=quantity,
                unit=unit,
                funding=_funding(activity["funding"], total, organisations),
                result=results[activity["result"]],
            )
    for action in STATUS_STEPS[data["status"]]:
        plan = services.plan_transition(plan=plan, action=action, by=coordinator)
    return plan


@transaction.atomic
def seed():
    """Load the regional strategy and the six national plans; nothing to log in with."""
    strategy, axes = _strategy()
    for data in PLANS:
        country = Country.objects.get(code=data["country"])
        plan = Plan.objects.filter(country=country, title=data["title"], version=1).first()
        if plan is None:
            plan = _plan(data, country, strategy, axes)
        # The figures above are chosen to add up to the announced total (for Mali, the
        # 206 850 000 FCFA of the round table): a typo in one of them must not go unnoticed.
        total = Activity.objects.filter(objective__plan=plan).aggregate(total=Sum("total"))
        if total["total"] != to_decimal(data["total"]):
            raise ValueError(
                f"{country.code}: the activities of {plan.title!r} add up to {total['total']}, "
                f"not {data['total']}."
            )
    return []
