"""Demo: the reports of Mali's 2018-2019 plan — the progress report on 2018, written in French,
submitted to the Ministry of Justice and to ICMPD (its figures frozen) and acknowledged by
ICMPD; and the draft of the report on the first half of 2019, only its summary written yet.
Illustrative texts."""

from datetime import date

from django.contrib.auth import get_user_model

from relais.countries.models import Organisation
from relais.plans.models import Plan
from relais.reports import services
from relais.reports.models import Report

TITLE_2018 = "Rapport d'étape — année 2018"
TITLE_2019 = "Rapport d'étape — premier semestre 2019"
SUMMARY_2018 = (
    "En 2018, le comité a mené l'essentiel des activités prévues pour la première année du "
    "plan : l'avant-projet de loi révisant la loi n° 2012-023 a été remis au ministère de la "
    "Justice, l'étude de faisabilité de l'agence nationale validée, et l'alliance entre la "
    "société civile et les groupes religieux constituée. Les dépenses validées restent en deçà "
    "du budget, faute de décaissements suffisants des partenaires."
)
# Objective number → what the committee says of its results in 2018.
RESULTS_2018 = {
    1: "L'atelier de relecture de la loi a réuni 32 participants ; l'avant-projet de loi a "
    "été remis au ministère en novembre 2018. Les rencontres avec les parlementaires "
    "commencent en 2019.",
    2: "L'étude de faisabilité de l'agence a été validée en juillet. Le voyage d'étude a été "
    "reporté faute de financement.",
    3: "La formation des organisations de la société civile a commencé ; la campagne radio "
    "est préparée avec les radios communautaires de Kayes.",
    4: "L'étude des itinéraires de la traite est terminée et quarante témoignages ont été "
    "recueillis pour le dossier de plaidoyer.",
    5: "La table ronde d'avril 2018 a lancé l'alliance, dont la charte a été adoptée en septembre.",
}
DIFFICULTIES_2018 = (
    "Les décaissements des partenaires sont arrivés tard dans l'année ; la situation "
    "sécuritaire a retardé les missions dans les régions du centre."
)
LESSONS_2018 = (
    "Associer les magistrats dès la rédaction du texte a facilité sa validation ; les "
    "leaders religieux sont des relais efficaces auprès des communautés."
)
NEXT_STEPS_2018 = (
    "Obtenir l'inscription de l'avant-projet de loi au conseil des ministres ; achever la "
    "formation des OSC ; diffuser la campagne radio dans trois régions."
)
RECOMMENDATIONS_2018 = (
    "Que le ministère de la Justice inscrive l'avant-projet de loi à l'ordre du jour du conseil "
    "des ministres du premier trimestre 2019 ; que les partenaires confirment leurs "
    "contributions pour 2019 avant la fin du premier trimestre."
)
SUMMARY_2019 = (
    "Au premier semestre 2019, les rencontres avec les parlementaires se poursuivent et la "
    "campagne radio a commencé à Kayes."
)


def seed():
    plan = (
        Plan.objects.filter(country__code="ML", version=1, title__startswith="Plan d'action")
        .select_related("country__national_body")
        .order_by("pk")
        .first()
    )
    if plan is None or Report.objects.filter(plan=plan).exists():
        return []
    users = get_user_model().objects
    coordinator = users.filter(email__startswith="coordinator.ml@").first()
    icmpd_user = users.filter(email__startswith="partner.icmpd@").first()
    if coordinator is None:
        return []
    objectives = {o.position: str(o.key) for o in plan.objectives.all()}

    report = services.report_create(
        plan=plan,
        by=coordinator,
        kind=Report.Kind.PROGRESS,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        language="fr",
        title=TITLE_2018,
    )
    services.report_update(
        report=report,
        by=coordinator,
        summary=SUMMARY_2018,
        results={objectives[n]: text for n, text in RESULTS_2018.items() if n in objectives},
        difficulties=DIFFICULTIES_2018,
        lessons=LESSONS_2018,
        next_steps=NEXT_STEPS_2018,
        recommendations=RECOMMENDATIONS_2018,
    )
    allowed = services.addressee_choices(plan)
    addressees = list(
        allowed.filter(acronym__in=["MJDH", "ICMPD"]).filter(
            kind__in=[Organisation.Kind.MINISTRY, Organisation.Kind.PARTNER]
        )
    )
    if addressees:
        report = services.report_submit(report=report, by=coordinator, addressees=addressees)
        if icmpd_user is not None and any(o.acronym == "ICMPD" for o in addressees):
            services.report_acknowledge(
                report=report,
                by=icmpd_user,
                comment="Bien reçu ; nous reviendrons vers le comité sur les décaissements.",
            )

    draft = services.report_create(
        plan=plan,
        by=coordinator,
        kind=Report.Kind.PROGRESS,
        period_start=date(2019, 1, 1),
        period_end=date(2019, 6, 30),
        language="fr",
        title=TITLE_2019,
    )
    services.report_update(report=draft, by=coordinator, summary=SUMMARY_2019)
    return []
