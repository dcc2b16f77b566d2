"""Report budgets at scale: the figures, the Word file, the PDF, the Excel tables and the IATI
file of a year's progress report on a 500-activity plan, built in this process.

    .venv/bin/python bench/reports.py        (from anywhere; one to two minutes)

It uses bench/pages.py's throw-away site (a temporary folder: fresh SQLite database with the
demo data, collectstatic, compiled catalogues; no server is started: everything runs in this
process). On that site it writes with bulk_create, for Mali, an adopted plan of 2018-2019 in
FCFA: 10 objectives, 500 activities with varied costs and chronograms, ten contributions (a
third in euros, one the state's budget) pledged, confirmed and paid in two instalments, and a
year (2018) of monitoring: 2 000 activity updates, 3 000 expenditures (most validated, some
drafts, some corrected with their correction, a tenth in euros), 25 indicators with their
quarterly values split by sex, advocacy milestones, and 12 training workshops of 40
participants each carrying out activities of the plan. A progress report for 2018, its
narrative written, is then drawn up.

For each step it prints the time (median of 3 runs after a warm-up), the peak of Python's
allocations while it runs (tracemalloc: what C libraries such as Pango allocate is not
counted), its queries and the size of what it produced:

- the figures (relais.reports.figures.report_figures);
- the .docx (relais.reports.documents.report_docx), from the figures, and for a draft
  (figures and document: what a reader waits for);
- the PDF (relais.reports.documents.report_pdf), likewise;
- the .xlsx (relais.reports.tables.report_workbook);
- the IATI file (relais.reports.iati.plan_iati), which is also validated against the schema,
  and whose spent and disbursed totals are compared with the figures'.

A part not written yet (its module or function missing) is reported as such and the others are
measured. It then checks the budgets (.docx under 2 s, PDF under 5 s, the IATI file valid and
agreeing with the figures) and exits with status 1 if any fails or a part is missing.
"""

import inspect
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pages as serve  # bench/pages.py: the throw-away site

ACTIVITIES = 500
OBJECTIVES = 10
CONTRIBUTIONS = 10
UPDATES = 2000
EXPENDITURES = 3000
INDICATORS = 25
WORKSHOPS = 12
PARTICIPANTS = 40  # per workshop
PLAN_START, PLAN_END = date(2018, 1, 1), date(2019, 12, 31)
YEAR_START, YEAR_END = date(2018, 1, 1), date(2018, 12, 31)  # the year monitored and reported
RUNS = 3
DOCX_BUDGET_S, PDF_BUDGET_S = 2.0, 5.0
XSD = serve.ROOT / "relais" / "reports" / "tests" / "iati-2.03" / "iati-activities-schema.xsd"

VERBS = (
    "Organiser Tenir Conduire Produire Diffuser Former Sensibiliser Réaliser Appuyer Élaborer "
    "Valider Documenter Rencontrer Mobiliser Évaluer"
).split()
THINGS = [
    "un atelier de validation du projet de décret",
    "une mission de plaidoyer auprès des députés",
    "une étude sur les itinéraires de la traite",
    "des émissions radio en langues nationales",
    "les magistrats et officiers de police judiciaire",
    "les leaders religieux et coutumiers",
    "une table ronde des partenaires techniques et financiers",
    "la collecte des données sur les victimes identifiées",
    "une rencontre avec la commission des lois",
    "le guide national de référencement des victimes",
]
PLACES = ["à Bamako", "à Kayes", "à Sikasso", "à Mopti", "à Ségou", "à Gao", "à Tombouctou"]
STATUSES = [  # (status, weight, % done range)
    ("not_started", 2, (0, 0)),
    ("ongoing", 5, (10, 90)),
    ("done", 4, (100, 100)),
    ("postponed", 1, (0, 30)),
    ("cancelled", 1, (0, 20)),
]
STEPS = ["target_met", "commitment", "text_drafted", "text_submitted", "text_adopted"]
FIRST_NAMES = {
    "F": "Awa Aminata Fatoumata Mariam Kadiatou Oumou Aïssata Djénéba Fanta Rokia".split(),
    "M": "Moussa Mamadou Ibrahim Seydou Oumar Boubacar Souleymane Adama Bakary Modibo".split(),
}
LAST_NAMES = "Traoré Keïta Coulibaly Diarra Koné Touré Sidibé Diallo Sangaré Maïga Cissé".split()
KINDS = ["state", "ministry", "cso", "ingo", "un", "partner"]
PARAGRAPH = (
    "Au cours de la période, le comité a poursuivi la mise en œuvre du plan d'action : les "
    "ateliers prévus se sont tenus, les partenaires ont été réunis et les textes en préparation "
    "ont progressé. Les difficultés tiennent surtout aux retards de décaissement et à la "
    "mobilité des points focaux dans les ministères. "
)


def days(rnd, start=YEAR_START, end=YEAR_END):
    return start + timedelta(days=rnd.randrange((end - start).days + 1))


def money(rnd, low, high):
    return Decimal(rnd.randrange(low, high))


def build(rnd):
    """Mali's large adopted plan with a year of monitoring; returns (plan, coordinator)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from relais.core.money import round_amount
    from relais.core.text import name_key
    from relais.countries.models import Country, Organisation
    from relais.events.models import Event
    from relais.funding.models import Contribution, Disbursement
    from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue, Milestone
    from relais.plans.models import Activity, Indicator, Objective, Plan
    from relais.workshops.models import Participant, Participation

    country = Country.objects.select_related("national_body").get(code="ML")
    by = get_user_model().objects.get(email=serve.MALI)
    partners = list(Organisation.objects.filter(country=None).order_by("pk"))
    currency = country.currency
    with transaction.atomic():
        plan = Plan.objects.create(
            country=country,
            title="Plan d'action national de plaidoyer contre la traite 2018-2019 (banc d'essai)",
            period_start=PLAN_START,
            period_end=PLAN_END,
            currency=currency,
            status=Plan.Status.ADOPTED,
            general_objective="Renforcer le cadre de lutte contre la traite des personnes.",
            created_by=by,
        )
        objectives = Objective.objects.bulk_create(
            Objective(
                plan=plan,
                position=n + 1,
                statement=f"{rnd.choice(VERBS)} {rnd.choice(THINGS)} {rnd.choice(PLACES)} "
                f"(objectif {n + 1}).",
                change_sought="Un décret d'application adopté et publié.",
            )
            for n in range(OBJECTIVES)
        )
        activities = []
        for n in range(ACTIVITIES):
            unit_cost = money(rnd, 100_000, 5_000_000)
            quantity = Decimal(rnd.randint(1, 4))
            first = rnd.randrange(20)
            months = [f"{2018 + (m // 12)}-{m % 12 + 1:02d}" for m in range(first, first + 3)]
            activities.append(
                Activity(
                    objective=objectives[n % OBJECTIVES],
                    position=n // OBJECTIVES + 1,
                    title=f"{rnd.choice(VERBS)} {rnd.choice(THINGS)} {rnd.choice(PLACES)} "
                    f"({n + 1})",
                    months=months,
                    unit_cost=unit_cost,
                    quantity=quantity,
                    total=round_amount(unit_cost * quantity, currency),
                )
            )
        activities = Activity.objects.bulk_create(activities)

        contributions = []
        for n in range(CONTRIBUTIONS):
            euros = n % 3 == 1
            amount = money(rnd, 10_000, 80_000) if euros else money(rnd, 5_000_000, 60_000_000)
            contributions.append(
                Contribution(
                    plan=plan,
                    partner=rnd.choice(partners) if n else None,
                    currency="EUR" if euros else currency,
                    amount=amount,
                    announced_on=days(rnd, YEAR_START, date(2018, 4, 30)),
                    status=Contribution.Status.CONFIRMED,
                    confirmed_amount=amount,
                    agreement_reference=f"CONV-2018-{n + 1:03d}",
                    signed_on=date(2018, 5, 15),
                    created_by=by,
                )
            )
        contributions = Contribution.objects.bulk_create(contributions)
        Disbursement.objects.bulk_create(
            Disbursement(
                contribution=c,
                paid_on=paid_on,
                amount=(c.amount * share).quantize(Decimal(1)),
                reference=f"VIR-{c.pk}-{i}",
                recorded_by=by,
            )
            for c in contributions
            for i, (paid_on, share) in enumerate(
                ((date(2018, 6, 1), Decimal("0.4")), (date(2018, 10, 1), Decimal("0.3")))
            )
        )

        weights = [w for _s, w, _r in STATUSES]
        ActivityUpdate.objects.bulk_create(
            ActivityUpdate(
                activity=activities[n % ACTIVITIES],
                status=(state := rnd.choices(STATUSES, weights)[0])[0],
                percent_done=rnd.randint(*state[2]),
                on=days(rnd),
                narrative="Compte rendu transmis au point focal.",
                by=by,
            )
            for n in range(UPDATES)
        )

        expenditures = []
        for n in range(EXPENDITURES):
            in_euros = n % 10 == 0
            expenditures.append(
                Expenditure(
                    activity=rnd.choice(activities),
                    contribution=rnd.choice(contributions) if n % 4 else None,
                    spent_on=days(rnd),
                    amount=money(rnd, 100, 2000) if in_euros else money(rnd, 50_000, 900_000),
                    currency="EUR" if in_euros else currency,
                    description="Frais de salle, restauration et transport des participants.",
                    status=rnd.choices(["validated", "draft", "corrected"], [85, 10, 5])[0],
                    entered_by=by,
                )
            )
        expenditures = Expenditure.objects.bulk_create(expenditures)
        Expenditure.objects.bulk_create(
            Expenditure(
                activity=e.activity,
                contribution=e.contribution,
                spent_on=e.spent_on,
                amount=(e.amount * Decimal("0.9")).quantize(Decimal(1)),
                currency=e.currency,
                description=e.description,
                status="validated",
                corrects=e,
                correction_reason="Montant corrigé d'après la facture.",
                entered_by=by,
            )
            for e in expenditures
            if e.status == "corrected"
        )

        indicators = Indicator.objects.bulk_create(
            Indicator(
                objective=objectives[n % OBJECTIVES],
                position=n // OBJECTIVES + 1,
                name=f"Nombre de personnes touchées par {rnd.choice(THINGS)} ({n + 1})",
                unit="personnes",
                baseline=Decimal(rnd.randint(0, 5)),
                target=Decimal(rnd.randint(100, 400)),
                target_date=PLAN_END,
            )
            for n in range(INDICATORS)
        )
        values = []
        for indicator in indicators:
            reached = 0
            for quarter in range(4):
                start = date(2018, 3 * quarter + 1, 1)
                end = date(2018, 12, 31) if quarter == 3 else date(2018, 3 * quarter + 4, 1)
                end -= timedelta(days=0 if quarter == 3 else 1)
                reached += rnd.randint(5, 40)
                women = rnd.randint(0, reached)
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        period_start=start,
                        period_end=end,
                        value=Decimal(reached),
                        disaggregation={"women": women, "men": reached - women},
                        by=by,
                    )
                )
        IndicatorValue.objects.bulk_create(values)
        Milestone.objects.bulk_create(
            Milestone(objective=o, step=step, reached_on=days(rnd), by=by, description="Étape.")
            for o in objectives[:6]
            for step in STEPS[: rnd.randint(1, 4)]
        )

        events = Event.objects.bulk_create(
            Event(
                kind=Event.Kind.TRAINING,
                country=country,
                plan=plan,
                activity=rnd.choice(activities),
                title=f"Formation des acteurs de la chaîne pénale {rnd.choice(PLACES)} ({n + 1})",
                starts_on=(start := days(rnd, YEAR_START, date(2018, 12, 20))),
                ends_on=start + timedelta(days=2),
                city=rnd.choice(PLACES)[2:],
                organiser=country.national_body,
            )
            for n in range(WORKSHOPS)
        )
        people = []
        for n in range(WORKSHOPS * PARTICIPANTS * 3 // 4):  # some attend several workshops
            sex = rnd.choice("FM")
            full_name = f"{rnd.choice(FIRST_NAMES[sex])} {rnd.choice(LAST_NAMES)} {n}"
            people.append(
                Participant(
                    full_name=full_name,
                    name_key=name_key(full_name)[:150],
                    sex=sex,
                    organisation="Structure",
                    organisation_kind=rnd.choice(KINDS),
                    country=country,
                )
            )
        people = Participant.objects.bulk_create(people)
        Participation.objects.bulk_create(
            Participation(
                event=event,
                participant=person,
                pre_score=Decimal(rnd.randint(4, 12)),
                post_score=Decimal(rnd.randint(10, 19)),
            )
            for event in events
            for person in rnd.sample(people, PARTICIPANTS)
        )
    return plan, by


def draw_up(plan, by):
    """The progress report of 2018, its narrative written."""
    from relais.reports.models import Report

    return Report.objects.create(
        plan=plan,
        kind=Report.Kind.PROGRESS,
        title="Rapport d'étape 2018 du plan d'action national de plaidoyer",
        period_start=YEAR_START,
        period_end=YEAR_END,
        language="fr",
        summary=PARAGRAPH * 3,
        results={str(o.key): PARAGRAPH * 2 for o in plan.objectives.all()},
        difficulties=PARAGRAPH,
        lessons=PARAGRAPH,
        next_steps=PARAGRAPH,
        recommendations=PARAGRAPH,
        created_by=by,
    )


# Measuring -----------------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    budget_s: float | None = None
    seconds: list = field(default_factory=list)
    peak_mb: float = 0.0
    queries: int = 0
    size: int = 0
    missing: str = ""
    error: str = ""
    output: object = None

    @property
    def median(self):
        return statistics.median(self.seconds) if self.seconds else None


def measure(step, make):
    """Runs `make()` once to warm up (counting its queries), RUNS times timed, once under
    tracemalloc; keeps the output's size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        with CaptureQueriesContext(connection) as captured:
            step.output = make()
        step.queries = len(captured)
        for _ in range(RUNS):
            start = time.perf_counter()
            make()
            step.seconds.append(time.perf_counter() - start)
        tracemalloc.start()
        make()
        step.peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    except Exception as error:  # reported; the other steps are still measured
        if tracemalloc.is_tracing():
            tracemalloc.stop()
        step.error = f"{type(error).__name__}: {error}"
        return
    if isinstance(step.output, bytes | str):
        step.size = len(step.output)


def find(module, name):
    """The function `name` of `module`, or (None, why it is missing)."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name), ""
    except ImportError as error:
        return None, f"{module} not written yet ({error})"
    except AttributeError:
        return None, f"{module}.{name} not written yet"


def call(function, **available):
    """`function` called with what it asks for among `available` (report, figures, plan…),
    positionally for those without defaults."""
    parameters = inspect.signature(function).parameters
    args, kwargs = [], {}
    for name, parameter in parameters.items():
        if name not in available:
            continue
        if parameter.kind == parameter.KEYWORD_ONLY:
            kwargs[name] = available[name]
        else:
            args.append(available[name])
    return function(*args, **kwargs)


def run(plan, report):
    steps = []
    figures_of, missing = find("relais.reports.figures", "report_figures")
    figures = None
    step = Step("figures (report_figures)", missing=missing)
    steps.append(step)
    if figures_of:

        def make_figures():
            return figures_of(
                plan=plan, start=report.period_start, end=report.period_end, kind=report.kind,
                language=report.language,
            )  # fmt: skip

        measure(step, make_figures)
        figures = step.output
        if figures is not None:
            import json

            step.size = len(json.dumps(figures, ensure_ascii=False).encode())

    for module, name, label, budget in (
        ("relais.reports.documents", "report_docx", ".docx", DOCX_BUDGET_S),
        ("relais.reports.documents", "report_pdf", "PDF", PDF_BUDGET_S),
        ("relais.reports.tables", "report_workbook", ".xlsx", None),
    ):
        function, missing = find(module, name)
        alone = Step(f"{label} from the figures ({name})", budget, missing=missing)
        steps.append(alone)
        if function is None:
            continue
        if figures is None:
            alone.missing = "no figures to write it from"
            continue
        measure(
            alone,
            lambda f=function: call(
                f, report=report, figures=figures, plan=plan, title=report.title
            ),
        )
        if budget is not None and figures_of:
            draft = Step(f"{label} of a draft (figures + {label})", budget)
            steps.append(draft)
            measure(
                draft,
                lambda f=function: call(
                    f, report=report, plan=plan, title=report.title, figures=figures_of(
                        plan=plan, start=report.period_start, end=report.period_end,
                        kind=report.kind, language=report.language,
                    ),
                ),
            )  # fmt: skip

    from relais.reports.iati import plan_iati

    iati = Step("IATI file (plan_iati)")
    steps.append(iati)
    measure(iati, lambda: plan_iati(plan=plan))
    return steps, figures


def pdf_pages(data):
    """The PDF's number of pages, as Debian's pdfinfo (poppler-utils) reads it."""
    import re
    import subprocess

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else "?"


def check_iati(content, figures, plan):
    """[(title, ok, detail)]: the file validates, and its totals are the figures'."""
    from lxml import etree

    from relais.core.rates import RateTable

    checks = []
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    tree = etree.fromstring(content)
    valid = schema.validate(tree)
    first_error = str(schema.error_log[0]) if not valid and schema.error_log else ""
    checks.append(("IATI file validates (2.03 XSD)", valid, first_error or "valid"))
    rates = RateTable.load()
    totals = {"1": Decimal(0), "4": Decimal(0)}
    count = {}
    for transaction in tree.iter("transaction"):
        code = transaction.find("transaction-type").get("code")
        count[code] = count.get(code, 0) + 1
        if code in totals:
            value = transaction.find("value")
            on = date.fromisoformat(value.get("value-date"))
            totals[code] += rates.convert(
                Decimal(value.text), value.get("currency"), plan.currency, on
            ).amount
    detail = ", ".join(
        f"type {code}: {n}" for code, n in sorted(count.items(), key=lambda i: int(i[0]))
    )
    checks.append(
        ("IATI transactions 13, 11, 1, 4 present", set(count) >= {"1", "4", "11", "13"}, detail)
    )
    if figures is not None:
        # All the monitoring is dated in the year reported: spent up to its end is everything.
        spent = Decimal(figures["budget"]["total"]["spent"])
        disbursed = Decimal(figures["funding"]["total"]["disbursed"])
        checks.append(
            ("IATI spent (type 4) = report's spent", totals["4"] == spent,
             f"{totals['4']} / {spent} {plan.currency}")
        )  # fmt: skip
        # The report converts each contribution's instalments together; the file's converted
        # one by one may differ by a franc per instalment in euros.
        close = abs(totals["1"] - disbursed) <= 2 * CONTRIBUTIONS
        checks.append(
            ("IATI disbursed (type 1) ~ report's", close,
             f"{totals['1']} / {disbursed} {plan.currency}")
        )  # fmt: skip
    return checks


def report(steps, checks, described):
    print()
    print(described)
    print()
    header = (
        f"{'step':44} | {'median s':>8} | {'runs s':>20} | {'peak MB':>7} | {'queries':>7} | "
        f"{'size':>10}"
    )
    print(header)
    print("-" * len(header))
    for step in steps:
        if step.missing or step.error:
            print(f"{step.name:44} | {'— ' + (step.missing or step.error)}")
            continue
        runs = " ".join(f"{s:.2f}" for s in step.seconds)
        size = f"{step.size / 1000:.1f} kB" if step.size else "—"
        print(
            f"{step.name:44} | {step.median:8.3f} | {runs:>20} | {step.peak_mb:7.1f} | "
            f"{step.queries:7} | {size:>10}"
        )
    pdf = next((s for s in steps if s.name.startswith("PDF from") and s.output), None)
    if pdf is not None:
        print(f"\nThe PDF has {pdf_pages(pdf.output)} pages.")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(f"Peak resident memory of the whole process (data writing included): {rss:.0f} MB")

    print()
    failed = False
    for step in steps:
        if step.budget_s is None:
            continue
        title = f"{step.name} < {step.budget_s:g} s"
        if step.missing or step.error:
            failed = True
            print(f"FAIL  {title:60} {step.missing or step.error}")
            continue
        ok = step.median < step.budget_s
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'}  {title:60} {step.median:.2f} s")
    for title, ok, detail in checks:
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'}  {title:60} {detail}")
    missing = [s for s in steps if s.missing or s.error]
    for step in missing:
        failed = True
        print(f"FAIL  {'part ready: ' + step.name:60} {step.missing or step.error}")
    return failed


def describe(plan):
    from relais.events.models import Event
    from relais.funding.models import Contribution, Disbursement
    from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue
    from relais.plans.models import Activity
    from relais.workshops.models import Participation

    counts = {
        "activities": Activity.objects.filter(objective__plan=plan).count(),
        "updates": ActivityUpdate.objects.filter(activity__objective__plan=plan).count(),
        "expenditures (corrections included)": Expenditure.objects.filter(
            activity__objective__plan=plan
        ).count(),
        "contributions": Contribution.objects.filter(plan=plan).count(),
        "disbursements": Disbursement.objects.filter(contribution__plan=plan).count(),
        "indicator values": IndicatorValue.objects.filter(indicator__objective__plan=plan).count(),
        "workshops": Event.objects.filter(plan=plan).count(),
        "participations": Participation.objects.filter(event__plan=plan).count(),
    }
    listed = ", ".join(f"{n} {what}" for what, n in counts.items())
    return f"Mali's adopted plan of 2018-2019 with {listed}; the progress report of 2018."


PAGE_BUDGET_MS = 100
HTML_BUDGET_KB = 15


def measure_pages(plan, document):
    """The report's page and the plan's list of reports as the coordinator gets them (in this
    process, through every middleware, gzip included): median server time of 7, queries, and
    the compressed HTML. PASS or FAIL against the budgets of every page."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(get_user_model().objects.get(email=serve.MALI))
    failed = False
    print()
    for name, url in [
        ("report page (500 activities)", reverse("reports:detail", args=[document.pk])),
        ("reports of the plan", reverse("reports:list", args=[plan.pk])),
    ]:
        client.get(url)
        seconds = []
        for _ in range(7):
            start = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        ms = statistics.median(seconds) * 1000
        kb = len(response.content) / 1000
        ok = response.status_code == 200 and ms < PAGE_BUDGET_MS and kb <= HTML_BUDGET_KB
        failed |= not ok
        print(
            f"{'PASS' if ok else 'FAIL'}  {name:30} {response.status_code}, {ms:.1f} ms, "
            f"{len(queries)} queries, {kb:.1f} kB of gzipped HTML "
            f"(budgets: {PAGE_BUDGET_MS} ms, {HTML_BUDGET_KB} kB)"
        )
    return failed


def main():
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        serve.use_site(Path(tmp))
        rnd = random.Random(2018)
        start = time.monotonic()
        print("» a plan of 500 activities and a year of monitoring", flush=True)
        plan, by = build(rnd)
        print(f"  written in {time.monotonic() - start:.0f} s", flush=True)
        from relais.plans.models import Plan

        plan = Plan.objects.select_related("country__national_body").get(pk=plan.pk)
        document = draw_up(plan, by)
        print("» measuring", flush=True)
        steps, figures = run(plan, document)
        iati = next(s for s in steps if s.name.startswith("IATI"))
        checks = check_iati(iati.output, figures, plan) if iati.output else []
        failed = report(steps, checks, describe(plan))
        failed |= measure_pages(plan, document)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
