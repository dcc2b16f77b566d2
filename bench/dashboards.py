"""Dashboard budgets at scale: the plan dashboard and the regional dashboard over six countries'
large plans, served as production does, against stack.md and DEVELOPERS.md.

    .venv/bin/python bench/dashboards.py        (from anywhere; two to three minutes)

It uses bench/pages.py's pieces (the throw-away site in a temporary folder: fresh SQLite database
with the demo data, collectstatic into whitenoise's compressed manifest storage, compiled
catalogues; gunicorn with DEBUG off; the sign-in through the real form and the CDP recorder in
Debian's Chromium). On that site it writes with bulk_create (no history: fast), for each of the
six countries, an adopted plan of 2018-2019 in its currency: 10 objectives, 500 activities with
varied costs and chronograms, 2 000 activity updates (every status, several per activity), 3 000
expenditures (most validated, some drafts, some corrected with their correction, a tenth in
euros and the rest in the plan's currency, from ten confirmed and partly disbursed contributions
or the state's own budget), 25 indicators with 200 quarterly values, and milestones. The dated
rates of the dalasi, the Guinean franc and the ouguiya are entered so that everything converts.

To show that the number of queries does not grow with the rows, it first writes the same for
plans ten times smaller (50 activities, 200 updates, 300 expenditures, 20 values), counts the
queries of both dashboards over them, closes those plans, then writes the large ones and counts
again.

For the plan dashboard of Mali's large plan (as Mali's coordinator) and the regional dashboard
in euros and in FCFA (as the regional coordinator), it prints:

- queries, in-process with Django's test client, over the small plans and over the large ones;
- server time: median of 7 requests to gunicorn from 127.0.0.1, after one warm-up;
- in this process: the figures alone (relais.monitoring.figures), median of 5;
- requests and kB (1 kB = 1000 bytes) as transferred, compressed and headers included, on a
  first visit (empty cache) and a repeat visit (the dashboards answer 304 when nothing changed);
- seconds until DOMContentLoaded / load on Chromium's "3G" (400 kbit/s, 2 s latency per
  request, CPU x4), cold and warm;
- each page's HTML, raw and as GZipMiddleware compresses it.

It then checks the budgets (first visit <= 60 kB and <= 4 requests, HTML <= 15 kB, repeat visit
<= 10 kB, 3G cold <= 5 s and warm <= 2.5 s, server time < 100 ms, queries constant) and exits
with status 1 if any fails.
"""

import gzip
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pages as serve  # bench/pages.py: the site, gunicorn, the browser and its recorder
import plans as plan_bench  # bench/plans.py: gzip as served

LARGE = dict(activities=500, updates=2000, expenditures=3000, values=200)
SMALL = dict(activities=50, updates=200, expenditures=300, values=20)
OBJECTIVES = 10
QUARTERS = 8  # of 2018-2019: an indicator's values
CONTRIBUTIONS = 10
FIRST, LAST = date(2018, 1, 1), date(2019, 12, 31)
RATES = {"GMD": "55.5", "GNF": "10450", "MRU": "41.5"}  # for one euro, end of 2017
IN_PROCESS_RUNS = 5

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
    "les agents consulaires et les inspecteurs du travail",
    "une campagne d'affichage aux postes frontières",
]
PLACES = (
    "à Bamako, à Kayes, à Sikasso, à Mopti, à Dakar, à Banjul, à Conakry, à Bissau, à Nouakchott"
)
PLACES = PLACES.split(", ")
STATUSES = [  # (status, weight, % done range)
    ("not_started", 2, (0, 0)),
    ("ongoing", 5, (10, 90)),
    ("done", 4, (100, 100)),
    ("postponed", 1, (0, 30)),
    ("cancelled", 1, (0, 20)),
]
STEPS = ["target_met", "commitment", "text_drafted", "text_submitted", "text_adopted"]


def quantum_amount(rnd, currency, low, high):
    value = Decimal(rnd.randrange(low, high))
    return value if currency in {"XOF", "GNF"} else value / 100


def days(rnd, start=FIRST, end=LAST):
    return start + timedelta(days=rnd.randrange((end - start).days + 1))


def build(spec, label, rnd):
    """An adopted plan per country as `spec` says; {country code: plan pk}."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from relais.core.money import round_amount
    from relais.countries.models import Country, Organisation
    from relais.funding.models import Contribution, Disbursement
    from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue, Milestone
    from relais.plans.models import Activity, Indicator, Objective, Plan

    users = get_user_model().objects
    partners = list(Organisation.objects.filter(country=None).order_by("pk"))
    built = {}
    for country in Country.objects.order_by("code"):
        by = users.get(email=f"coordinator.{country.code.lower()}@demo.relais.africa")
        currency = country.currency
        with transaction.atomic():
            plan = Plan.objects.create(
                country=country,
                title=f"Plan d'action de plaidoyer {country.name} 2018-2019 ({label})",
                period_start=FIRST,
                period_end=LAST,
                currency=currency,
                status=Plan.Status.ADOPTED,
                created_by=by,
            )
            objectives = Objective.objects.bulk_create(
                Objective(
                    plan=plan,
                    position=n + 1,
                    statement=f"{rnd.choice(VERBS)} {rnd.choice(THINGS)} {rnd.choice(PLACES)}, "
                    f"objectif {n + 1} du plan {label}.",
                )
                for n in range(OBJECTIVES)
            )
            activities = []
            for n in range(spec["activities"]):
                unit_cost = quantum_amount(rnd, currency, 100_000, 5_000_000)
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
            contributions = Contribution.objects.bulk_create(
                Contribution(
                    plan=plan,
                    partner=rnd.choice(partners) if n else None,
                    currency="EUR" if n % 3 == 1 else currency,
                    amount=quantum_amount(rnd, currency, 5_000_000, 60_000_000)
                    if n % 3 != 1
                    else Decimal(rnd.randrange(10_000, 80_000)),
                    announced_on=days(rnd, FIRST, date(2018, 6, 30)),
                    status=Contribution.Status.CONFIRMED,
                    signed_on=date(2018, 7, 1),
                    created_by=by,
                )
                for n in range(CONTRIBUTIONS)
            )
            for contribution in contributions:
                contribution.confirmed_amount = contribution.amount
            Contribution.objects.bulk_update(contributions, ["confirmed_amount"])
            Disbursement.objects.bulk_create(
                Disbursement(
                    contribution=c,
                    paid_on=date(2018, 9, 1),
                    amount=(c.amount / 2).quantize(Decimal("0.01")),
                    recorded_by=by,
                )
                for c in contributions
            )
            weights = [w for _s, w, _r in STATUSES]
            ActivityUpdate.objects.bulk_create(
                ActivityUpdate(
                    activity=activities[n % len(activities)],
                    status=(state := rnd.choices(STATUSES, weights)[0])[0],
                    percent_done=rnd.randint(*state[2]),
                    on=days(rnd),
                    narrative="Compte rendu transmis au point focal.",
                    by=by,
                )
                for n in range(spec["updates"])
            )
            expenditures = []
            for n in range(spec["expenditures"]):
                in_euros = n % 10 == 0
                expenditures.append(
                    Expenditure(
                        activity=rnd.choice(activities),
                        contribution=rnd.choice(contributions) if n % 4 else None,
                        spent_on=days(rnd),
                        amount=Decimal(rnd.randrange(100, 2000))
                        if in_euros
                        else quantum_amount(rnd, currency, 50_000, 900_000),
                        currency="EUR" if in_euros else currency,
                        description="Frais de salle, restauration et transport des participants.",
                        status=rnd.choices(["validated", "draft", "corrected"], [85, 10, 5])[0],
                        entered_by=by,
                    )
                )
            expenditures = Expenditure.objects.bulk_create(expenditures)
            corrections = [
                Expenditure(
                    activity=e.activity,
                    contribution=e.contribution,
                    spent_on=e.spent_on,
                    amount=e.amount * Decimal("0.9"),
                    currency=e.currency,
                    description=e.description,
                    status="validated",
                    corrects=e,
                    correction_reason="Montant corrigé d'après la facture.",
                    entered_by=by,
                )
                for e in expenditures
                if e.status == "corrected"
            ]
            Expenditure.objects.bulk_create(corrections)
            indicators = Indicator.objects.bulk_create(
                Indicator(
                    objective=objectives[n % OBJECTIVES],
                    position=n // OBJECTIVES + 1,
                    name=f"Nombre de {rnd.choice(THINGS)} ({n + 1})",
                    baseline=Decimal(rnd.randint(0, 5)),
                    target=Decimal(rnd.randint(10, 60)),
                )
                for n in range(-(-spec["values"] // QUARTERS))
            )
            values = []
            for n in range(spec["values"]):
                quarter = n // len(indicators)
                start = date(2018 + quarter // 4, 3 * (quarter % 4) + 1, 1)
                end = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
                values.append(
                    IndicatorValue(
                        indicator=indicators[n % len(indicators)],
                        period_start=start,
                        period_end=end - timedelta(days=1),
                        value=Decimal(rnd.randint(0, 40)),
                        by=by,
                    )
                )
            IndicatorValue.objects.bulk_create(values)
            Milestone.objects.bulk_create(
                Milestone(objective=o, step=step, reached_on=days(rnd), by=by)
                for o in objectives[:4]
                for step in STEPS[: rnd.randint(1, 4)]
            )
        built[country.code] = plan.pk
    return built


# Pages ---------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    route: str  # {plan}: Mali's plan
    user: str
    path: str = ""
    queries: dict = field(default_factory=dict)  # "small"/"large" → queries
    in_process_ms: float = 0.0
    server_ms: float = 0.0
    html: str = ""
    first: dict = field(default_factory=dict)
    repeat: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


PAGES = [
    Page("plan dashboard (Mali)", "/plans/{plan}/dashboard/", serve.MALI),
    Page("regional dashboard, EUR", "/regional/dashboard/", serve.REGIONAL),
    Page("regional dashboard, XOF", "/regional/dashboard/?currency=XOF", serve.REGIONAL),
    Page("monitoring, alerts (Mali)", "/plans/{plan}/monitoring/", serve.MALI),
    Page("expenditures (Mali)", "/plans/{plan}/expenditures/", serve.MALI),
    Page("indicators (Mali)", "/plans/{plan}/indicators/", serve.MALI),
]


def count_queries(pages, plan, label):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = get_user_model().objects
    for page in pages:
        page.path = path = page.route.format(plan=plan)
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(users.get(email=page.user))
        client.get("/")  # the first request of a process fills caches: not counted
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            page.problems.append(f"{path} ({label}) answered {response.status_code}")
            continue
        page.queries[label] = len(queries)
        if label == "large":
            body = plan_bench.body_of(response.content, response.get("Content-Encoding"))
            page.html = body.decode()


def in_process(plan_pk):
    """Median ms of plan_figures and regional_figures over the large plans, in this process."""
    from django.utils import timezone

    from relais.monitoring.figures import plan_figures, regional_figures
    from relais.plans.models import Plan

    plan = Plan.objects.select_related("country").get(pk=plan_pk)
    times = {"plan": [], "regional": []}
    for _ in range(IN_PROCESS_RUNS + 1):
        start = time.perf_counter()
        plan_figures(plan)
        times["plan"].append(time.perf_counter() - start)
        start = time.perf_counter()
        regional_figures(today=timezone.localdate())
        times["regional"].append(time.perf_counter() - start)
    return {name: statistics.median(values[1:]) * 1000 for name, values in times.items()}


def measure_in_browser(pages, base):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=serve.CHROMIUM, args=serve.CHROMIUM_ARGS
        )
        try:
            states = {}
            for page in pages:
                if page.user not in states:
                    states[page.user] = serve.sign_in(browser, base, page.user, "fr")
                context, tab, recorder = serve.throttled(browser, states[page.user])
                url = base + page.path
                try:
                    page.first = serve.visit(tab, recorder, url)
                    page.repeat = serve.visit(tab, recorder, url)
                except Exception as error:  # reported; the other pages are still measured
                    page.problems.append(f"in Chromium: {type(error).__name__}: {error}")
                else:
                    page.problems += sorted(set(page.first["problems"] + page.repeat["problems"]))
                page.server_ms, status = serve.server_ms(base, page.path, context.cookies())
                if status != 200:
                    page.problems.append(f"{page.path} answered {status} to gunicorn")
                context.close()
        finally:
            browser.close()


# Report --------------------------------------------------------------------------------------


kb = serve.kb


def report(pages, split, described):
    visits, timing = serve.visit_figure, serve.visit_timing

    print()
    print(described)
    columns = [
        ("page", 24, lambda p: p.name),
        (
            "queries small/large",
            19,
            lambda p: "/".join(str(p.queries.get(k, "?")) for k in ("small", "large")),
        ),  # fmt: skip
        ("srv ms", 6, lambda p: f"{p.server_ms:.1f}"),
        ("req 1st", 7, lambda p: visits(p, "first", "requests")),
        ("kB 1st", 6, lambda p: visits(p, "first", "bytes")),
        ("req rep", 7, lambda p: visits(p, "repeat", "requests")),
        ("kB rep", 6, lambda p: visits(p, "repeat", "bytes")),
        ("3G cold s dcl/load", 18, lambda p: timing(p, "first")),
        ("3G warm s dcl/load", 18, lambda p: timing(p, "repeat")),
    ]
    serve.print_table(columns, pages)

    print("\nHTML of the pages over the large plans (raw, and gzip as GZipMiddleware):")
    for page in pages:
        if page.html:
            raw = page.html.encode()
            zipped = len(gzip.compress(raw, compresslevel=6, mtime=0))
            charts = page.html.count('<svg class="chart')
            print(f"  {page.name:24} {kb(len(raw)):6.1f} kB raw {kb(zipped):5.1f} kB gzip, "
                  f"{charts} charts")  # fmt: skip
    print(
        f"\nIn this process, the figures alone (median of {IN_PROCESS_RUNS}): plan_figures "
        f"{split['plan']:.1f} ms, regional_figures {split['regional']:.1f} ms"
    )
    measured = [p for p in pages if p.first]
    budgets = [
        ("first visit <= 60 kB", measured, 60, lambda p: kb(p.first["bytes"]), "{:.1f} kB"),
        ("first visit <= 4 requests", measured, 4, lambda p: p.first["requests"], "{} requests"),
        ("HTML <= 15 kB", measured, 15, lambda p: kb(p.first["html"]), "{:.1f} kB"),
        ("repeat visit <= 10 kB", measured, 10, lambda p: kb(p.repeat["bytes"]), "{:.1f} kB"),
        ("3G cold visit (load) <= 5 s", measured, 5, lambda p: p.first["load"], "{:.2f} s"),
        ("3G warm visit (load) <= 2.5 s", measured, 2.5, lambda p: p.repeat["load"], "{:.2f} s"),
        ("server time < 100 ms", measured, 99.99, lambda p: p.server_ms, "{:.1f} ms"),
    ]
    failed = serve.check_budgets(budgets)
    counted = [p for p in pages if len(p.queries) == 2]
    grows = [p for p in counted if len(set(p.queries.values())) != 1]
    bad = bool(grows) or len(counted) != len(pages)
    failed |= bad
    detail = ", ".join(f"{p.name} {p.queries}" for p in grows) or (
        "same over plans of 50 and 500 activities: " + ", ".join(p.name for p in counted)
    )
    print(f"{'FAIL' if bad else 'PASS'}  {'queries constant':32} {detail}")
    wrong = [(page.name, problem) for page in pages for problem in page.problems]
    failed |= serve.check_problems(wrong)
    return failed


def describe(plans):
    from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue
    from relais.plans.models import Activity

    pks = list(plans.values())
    counts = [
        Activity.objects.filter(objective__plan__in=pks).count(),
        ActivityUpdate.objects.filter(activity__objective__plan__in=pks).count(),
        Expenditure.objects.filter(activity__objective__plan__in=pks).count(),
        IndicatorValue.objects.filter(indicator__objective__plan__in=pks).count(),
    ]
    activities, updates, expenditures, values = (n // len(pks) for n in counts)
    return (
        f"Six adopted plans, one per country, each with {activities} activities, {updates} "
        f"updates, {expenditures} expenditures (corrections included) and {values} indicator "
        "values; and the demo's plans."
    )


def main():
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        env = serve.use_site(Path(tmp))
        from django.db import connections

        from relais.core.models import ExchangeRate
        from relais.plans.models import Plan

        for currency, units in RATES.items():
            ExchangeRate.objects.get_or_create(
                currency=currency, date=date(2017, 12, 1), defaults={"units_per_euro": units}
            )
        rnd = random.Random(2019)
        start = time.monotonic()
        print("» small plans (50 activities each)", flush=True)
        small = build(SMALL, "petit", rnd)
        count_queries(PAGES, small["ML"], "small")
        Plan.objects.filter(pk__in=small.values()).update(status=Plan.Status.CLOSED)
        print("» large plans (500 activities each)", flush=True)
        large = build(LARGE, "grand", rnd)
        print(f"  written in {time.monotonic() - start:.0f} s", flush=True)
        count_queries(PAGES, large["ML"], "large")
        split = in_process(large["ML"])
        described = describe(large)
        connections.close_all()
        server, base = serve.start_gunicorn(env, Path(tmp) / "gunicorn.log")
        try:
            print(f"» gunicorn on {base}; Chromium on 3G, CPU x{serve.CPU_SLOWDOWN}", flush=True)
            measure_in_browser(PAGES, base)
        finally:
            serve.stop(server)
    sys.exit(1 if report(PAGES, split, described) else 0)


if __name__ == "__main__":
    main()
