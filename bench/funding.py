"""Funding budgets at scale: the funding pages of a 500-activity plan with 300 contributions,
served as production does, against stack.md.

    .venv/bin/python bench/funding.py        (from anywhere; about a minute)

It uses bench/pages.py's pieces (the throw-away site in a temporary folder: fresh SQLite database
with the demo data, collectstatic into whitenoise's compressed manifest storage, compiled
catalogues; gunicorn with DEBUG off; the sign-in through the real form and the CDP recorder in
Debian's Chromium) and bench/plans.py's plans: written through the services as the Mali
coordinator, 500 activities over 10 objectives and 50 over the same 10, with varied French text.

On them it records, through relais.funding.services and as the Mali coordinator, 300
contributions to the 500-activity plan and 30 to the 50-activity one (to show that the number of
queries does not grow with the rows), from thirteen partners (the state budget, the demo's
regional and Malian organisations and five created here), in XOF, EUR and USD (with dated USD
rates), each to the whole plan, to one objective, or to 1 to 4 activities with shares that add
up to its amount; some announced at a round table. About a third are confirmed by an agreement
(the amount it says sometimes differs from the pledge), a quarter of those have 1 to 3
instalments, a few are withdrawn and a few are technical, without value. The first contribution
of each plan has the same shape (ICMPD, EUR, three activities, confirmed, two instalments): it
is the one whose page is measured.

For the funding page (unfiltered, and filtered by the partner with the most contributions), the
htmx fragment of an objective the page defers (its rows, loaded when revealed), the list of
contributions and that one contribution's page, it prints:

- queries, in-process with Django's test client (CSRF checks on), for the 500-activity plan
  with 300 contributions and for the 50-activity one with 30;
- server time: median of 7 requests to gunicorn from 127.0.0.1, after one warm-up;
- requests and kB (1 kB = 1000 bytes) as transferred, compressed and headers included, on a
  first visit (empty cache) and a repeat visit (the funding page and the list answer 304 Not
  Modified when nothing changed: it also says what a repeat visit costs after a change); for
  the htmx fragment, its request;
- seconds until DOMContentLoaded / load on Chromium's "3G" (400 kbit/s, 2 s latency per
  request, CPU x4), cold and warm; for the fragment, the time from scrolling its objective into
  view (its bottom at the bottom of the window, as a reader reaches it) to its rows in the page,
  on the warm funding page;
- each page's HTML, raw and as GZipMiddleware compresses it, with the rows it holds and, for the
  list, what one row adds compressed and how many rows 15 kB of HTML would hold;
- in this process: the funding picture alone and the whole view, for the funding page and the
  list (the rest is rendering).

It then checks the budgets of stack.md and DEVELOPERS.md (first visit <= 60 kB and <= 4
requests, HTML <= 15 kB, repeat visit and htmx fragment <= 10 kB, 3G cold <= 5 s, warm and htmx
<= 2.5 s, server time < 100 ms, queries constant) and exits with status 1 if any fails.
"""

import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pages as serve  # bench/pages.py: the site, gunicorn, the browser and its recorder
import plans as plan_bench  # bench/plans.py: the two plans, htmx requests, gzip as served

SIZES = plan_bench.SIZES  # (500, 50) activities
CONTRIBUTIONS = {500: 300, 50: 30}
DEFERRED = 2  # the objective (position) whose fragment is measured: the first the page defers
FILTERED = "UE"  # the partner of the filtered funding page: the one with the most contributions

# Partners: (acronym, currency it usually pledges in, weight). None: the state budget.
PARTNERS = [
    (None, "XOF", 3),
    ("UE", "EUR", 5),
    ("ICMPD", "EUR", 3),
    ("OIM", "USD", 3),
    ("ONUDC", "USD", 2),
    ("CEDEAO", "XOF", 1),
    ("NIYEL", "XOF", 1),
    ("AME", "XOF", 1),
    ("GIZ", "EUR", 2),
    ("DDC", "EUR", 2),
    ("UNICEF", "USD", 2),
    ("J/TIP", "USD", 2),
    ("Ambassade du Royaume des Pays-Bas", "EUR", 1),
]
CREATED = [  # (name, acronym, kind), created for the bench
    ("Deutsche Gesellschaft für Internationale Zusammenarbeit", "GIZ", "partner"),
    ("Direction du développement et de la coopération (Suisse)", "DDC", "partner"),
    ("Fonds des Nations unies pour l'enfance", "UNICEF", "un"),
    (
        "Bureau de surveillance et de lutte contre la traite (Département d'État)",
        "J/TIP",
        "partner",
    ),
    ("Ambassade du Royaume des Pays-Bas", "", "partner"),
]
# USD for one euro, first of each quarter (approximately the ECB reference rates of the time).
USD_RATES = [
    (date(2017, 12, 1), "1.1849"),
    (date(2018, 1, 2), "1.2065"),
    (date(2018, 4, 3), "1.2276"),
    (date(2018, 7, 2), "1.1646"),
    (date(2018, 10, 1), "1.1576"),
    (date(2019, 1, 2), "1.1397"),
    (date(2019, 4, 1), "1.1236"),
    (date(2019, 7, 1), "1.1349"),
    (date(2019, 10, 1), "1.0889"),
]
XOF_PER_EUR = Decimal("655.957")
SUPPORTS = [
    "Appui {a_topic} {place}.",
    "Financement des ateliers sur {topic} avec {aud}.",
    "Contribution au plaidoyer pour {ask}.",
    "Prise en charge des déplacements et de la restauration des participants {place}.",
    "Mise à disposition d'un consultant pour {process}.",
    "Soutien à la production des supports de communication sur {topic}.",
    "Appui logistique aux missions de plaidoyer {place}.",
]
CONDITIONS = [
    "",
    "",
    " Sous réserve de l'approbation du comité de pilotage du programme.",
    " Versement en deux tranches, la seconde sur rapport d'étape.",
    " Rapport financier attendu trois mois après la fin des activités.",
    " Dans le cadre du programme régional de lutte contre la traite.",
]
TECHNICAL = [
    "Deux experts juristes pour la relecture de l'avant-projet de {doc_short}.",
    "Un formateur pour les sessions sur {skill}.",
    "Mise à disposition d'une salle de réunion et du matériel de sonorisation {place}.",
    "Accompagnement méthodologique pour {process}.",
    "Impression des outils de sensibilisation sur {topic}.",
]
WITHDRAWALS = [
    "Le programme du partenaire a été réorienté vers la réponse humanitaire.",
    "Fonds non reconduits dans le budget du partenaire pour l'exercice suivant.",
    "L'activité est financée par un autre partenaire.",
    "Report de l'appui au prochain cycle de programmation.",
]


# Contributions -------------------------------------------------------------------------------


def _rounded(value, step):
    return max(step, (value / step).to_integral_value(ROUND_FLOOR) * step)


class Pledges:
    """Contributions drawn at random for one plan: partner, currency, amount, targets, status."""

    def __init__(self, seed, plan, partners, coordinator, event):
        from relais.plans.models import Activity, Objective

        self.random = random.Random(seed)
        self.plan, self.partners, self.by, self.event = plan, partners, coordinator, event
        self.objectives = list(Objective.objects.filter(plan=plan).order_by("position"))
        self.activities = list(
            Activity.objects.filter(objective__plan=plan)
            .select_related("objective")
            .order_by("objective__position", "position")
        )
        self.budget = {o.pk: Decimal(0) for o in self.objectives}
        for activity in self.activities:
            self.budget[activity.objective_id] += activity.total
        self.plan_budget = sum(self.budget.values(), Decimal(0))
        self.references = 0

    def _currency(self, usual):
        return usual if self.random.random() < 0.8 else self.random.choice(["XOF", "EUR", "USD"])

    def _in(self, xof, currency, on):
        """`xof` francs in `currency`, rounded as a partner writes an amount."""
        if currency == "XOF":
            return _rounded(xof, Decimal(5000) if xof > 2_000_000 else Decimal(500))
        value = xof / XOF_PER_EUR
        if currency == "USD":
            value *= Decimal(next(r for d, r in reversed(USD_RATES) if d <= on))
        if self.random.random() < 0.15:  # an agreement's figure, to the cent
            return value.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
        return _rounded(value, Decimal(50) if value > 5000 else Decimal(10))

    def _words(self):
        r = self.random
        aud, topic = r.choice(plan_bench.AUDIENCES), r.choice(plan_bench.TOPICS)
        return dict(
            aud=aud,
            topic=topic,
            a_topic=plan_bench._contract(topic, "à"),
            place=r.choice(plan_bench.PLACES),
            ask=r.choice(plan_bench.ASKS),
            process=r.choice(plan_bench.PROCESSES),
            skill=r.choice(plan_bench.SKILLS),
            doc_short=r.choice(["décret d'application", "code pénal révisé", "arrêté"]),
        )

    def _shares(self, amount, activities, unit):
        """`amount` split over `activities`, roughly as their costs, adding up exactly."""
        weights = [a.total * Decimal(self.random.uniform(0.5, 1.0)) for a in activities]
        whole = sum(weights, Decimal(0))
        shares = [_rounded(amount * w / whole, unit) for w in weights[:-1]]
        shares.append(amount - sum(shares, Decimal(0)))
        if shares[-1] <= 0:  # tiny amounts: equal parts
            shares = [_rounded(amount / len(activities), unit) for _ in activities[:-1]]
            shares.append(amount - sum(shares, Decimal(0)))
        return list(zip(activities, shares, strict=True))

    def one(self):
        """Record one contribution drawn at random; confirm it (and pay instalments), withdraw
        it, or leave it announced."""
        from relais.funding import services

        r = self.random
        acronym, usual, _weight = r.choices(PARTNERS, weights=[w for *_, w in PARTNERS])[0]
        partner = self.partners[acronym] if acronym else None
        currency = self._currency(usual)
        at_event = r.random() < 0.2
        announced_on = (
            self.event.starts_on
            if at_event
            else date(2018, 1, 10) + timedelta(days=r.randint(0, 560))
        )
        kind = "financial"
        shape = r.random()
        valued = True
        if shape < 0.04:
            kind, valued = "technical", False
        elif shape < 0.08:
            kind = "in_kind"
        target = r.random()
        objective, activities = None, []
        if target < 0.2:  # the whole plan
            xof = self.plan_budget * Decimal(r.uniform(0.003, 0.02))
        elif target < 0.45:  # one objective
            objective = r.choice(self.objectives)
            xof = self.budget[objective.pk] * Decimal(r.uniform(0.03, 0.25))
        else:  # 1 to 4 activities, most often of the same objective
            first = r.choice(self.activities)
            pool = [a for a in self.activities if a.objective_id == first.objective_id]
            if r.random() < 0.3:
                pool = self.activities
            chosen = [first, *r.sample([a for a in pool if a != first], r.randint(0, 3))]
            xof = sum((a.total for a in chosen), Decimal(0)) * Decimal(r.uniform(0.25, 1.0))
            activities = chosen
        amount = self._in(max(xof, Decimal(100_000)), currency, announced_on) if valued else None
        unit = Decimal(500) if currency == "XOF" else Decimal(1)
        if activities and amount is not None:
            activities = self._shares(amount, activities, min(unit, amount / 10))
        else:
            activities = [(a, None) for a in activities]
        words = self._words()
        template = r.choice(TECHNICAL) if not valued else r.choice(SUPPORTS)
        description = ""
        if not valued or r.random() < 0.6:
            description = template.format(**words) + r.choice(CONDITIONS)
        contribution = services.contribution_create(
            plan=self.plan,
            by=self.by,
            partner=partner,
            currency=currency,
            amount=amount,
            kind=kind,
            announced_on=announced_on,
            event=self.event if at_event else None,
            description=description,
            objective=objective,
            activities=activities,
        )
        if amount is not None and r.random() < 0.36:
            confirmed = amount
            if r.random() < 0.3:  # the agreement says another amount than the pledge
                step = Decimal(5000) if currency == "XOF" else Decimal(10)
                confirmed = _rounded(amount * Decimal(r.uniform(0.8, 1.1)), step)
            self.confirm(contribution, partner, confirmed, announced_on)
            if r.random() < 0.25:
                self.disburse(contribution, confirmed, r.randint(1, 3))
        elif r.random() < 0.04:
            services.contribution_withdraw(
                contribution=contribution,
                by=self.by,
                reason=r.choice(WITHDRAWALS),
                on=announced_on + timedelta(days=r.randint(30, 200)),
            )

    def confirm(self, contribution, partner, amount, announced_on):
        from relais.funding import services

        self.references += 1
        who = (partner.acronym or "NL") if partner else "LF"
        signed_on = announced_on + timedelta(days=self.random.randint(15, 120))
        services.contribution_confirm(
            contribution=contribution,
            by=self.by,
            amount=amount,
            signed_on=signed_on,
            reference=f"{who}/MLI/{signed_on.year}/{self.references:03d}",
        )

    def disburse(self, contribution, confirmed, count):
        from relais.funding import services

        contribution.refresh_from_db()
        unit = Decimal(1) if contribution.currency == "XOF" else Decimal("0.01")
        paid = confirmed * Decimal(self.random.uniform(0.3, 1.0))
        on = contribution.signed_on
        for number in range(count):
            on += timedelta(days=self.random.randint(20, 150))
            part = _rounded(paid / count, unit)
            services.disbursement_create(
                contribution=contribution,
                by=self.by,
                paid_on=on,
                amount=part,
                reference=f"VIR-{on:%Y%m%d}-{number + 1}",
            )

    def measured(self):
        """The contribution whose page is measured, of the same shape in every plan; its pk."""
        from relais.funding import services

        activities = self.activities[:3]
        shares = [Decimal(20000), Decimal(18000), Decimal(10000)]
        contribution = services.contribution_create(
            plan=self.plan,
            by=self.by,
            partner=self.partners["ICMPD"],
            currency="EUR",
            amount=sum(shares),
            announced_on=self.event.starts_on,
            event=self.event,
            description="Appui aux ateliers de plaidoyer du premier objectif. Versement en deux "
            "tranches, la seconde sur rapport d'étape.",
            activities=list(zip(activities, shares, strict=True)),
        )
        self.confirm(contribution, self.partners["ICMPD"], Decimal(45000), self.event.starts_on)
        self.disburse(contribution, Decimal(30000), 2)
        return contribution.pk


def build_funding(plans):
    """Contributions on both plans: {size: {plan, partner, contribution, objective}} for the
    pages' paths."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Q

    from relais.core.models import ExchangeRate
    from relais.countries.models import Contact, Organisation
    from relais.funding import services
    from relais.plans.models import Objective, Plan

    coordinator = get_user_model().objects.get(email=serve.MALI)
    for day, units in USD_RATES:
        ExchangeRate.objects.get_or_create(
            currency="USD",
            date=day,
            defaults=dict(units_per_euro=Decimal(units), source="BCE, banc d'essai"),
        )
    for name, acronym, kind in CREATED:
        Organisation.objects.get_or_create(
            name=name, country=None, defaults=dict(acronym=acronym, kind=kind)
        )
    by_acronym = {}
    for organisation in Organisation.objects.filter(Q(country__code="ML") | Q(country=None)):
        by_acronym.setdefault(organisation.short_name, organisation)
    missing = [a for a, _c, _w in PARTNERS if a and a not in by_acronym]
    if missing:
        sys.exit(f"partners missing from the demo: {missing}")
    paths = {}
    for size, (plan_pk, _activity) in plans.items():
        plan = Plan.objects.get(pk=plan_pk)
        with transaction.atomic():
            present = [by_acronym[a] for a in ("ICMPD", "UE", "OIM", "ONUDC", "GIZ", "UNICEF")]
            event = services.round_table_create(
                plan=plan,
                by=coordinator,
                title="Table ronde des partenaires techniques et financiers — banc d'essai",
                starts_on=date(2018, 4, 26),
                venue="Hôtel de l'Amitié",
                city="Bamako",
                chair="Ministre de la Justice et des Droits de l'Homme",
                invited=present,
                present=present[:4],
                participants=Contact.objects.filter(country=plan.country)[:6],
            )
            pledges = Pledges(2019 + size, plan, by_acronym, coordinator, event)
            measured = pledges.measured()
            for _ in range(CONTRIBUTIONS[size] - 1):
                pledges.one()
        deferred = Objective.objects.get(plan=plan, position=DEFERRED)
        paths[size] = dict(
            plan=plan_pk,
            partner=by_acronym[FILTERED].pk,
            contribution=measured,
            objective=deferred.pk,
        )
    return paths


def describe(paths):
    """{size: what was recorded on that plan}, read back from the database."""
    from collections import Counter

    from relais.funding.models import Contribution, ContributionTarget, Disbursement

    said = {}
    for size, values in paths.items():
        contributions = Contribution.objects.filter(plan=values["plan"])
        status = Counter(contributions.values_list("status", flat=True))
        currency = Counter(contributions.values_list("currency", flat=True))
        partners = len(set(contributions.values_list("partner", flat=True)))
        unvalued = contributions.filter(amount=None).count()
        instalments = Disbursement.objects.filter(contribution__plan=values["plan"])
        paid = len(set(instalments.values_list("contribution", flat=True)))
        targets = ContributionTarget.objects.filter(contribution__plan=values["plan"])
        to_objective = targets.filter(activity=None).count()
        to_activities = Counter(
            Counter(targets.exclude(activity=None).values_list("contribution", flat=True)).values()
        )
        whole = len(contributions) - to_objective - sum(to_activities.values())
        said[size] = (
            f"{len(contributions)} contributions on the {size}-activity plan, from {partners} "
            f"partners: {status['announced']} announced, {status['confirmed']} confirmed ({paid} "
            f"with {len(instalments)} instalments), {status['withdrawn']} withdrawn; {unvalued} "
            "technical without value; "
            + ", ".join(f"{n} in {code}" for code, n in sorted(currency.items()))
            + f"; {whole} to the whole plan, {to_objective} to one objective, "
            + ", ".join(f"{to_activities[n]} to {n}" for n in sorted(to_activities))
            + " activities"
        )
    return said


# Pages ---------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str  # {plan}, {partner}, {contribution} and {objective}, filled in for each plan
    htmx: bool = False  # the fragment of a deferred objective (HX-Request), not a page
    rows: str = ""  # what a row of the page is, to count them in its HTML
    queries: dict = field(default_factory=dict)  # plan size → queries
    server_ms: float = 0.0
    html: str = ""  # of the 500-activity plan, decompressed
    first: dict = field(default_factory=dict)
    repeat: dict = field(default_factory=dict)
    reveal: dict = field(default_factory=dict)  # the fragment in Chromium: bytes, seconds
    problems: list = field(default_factory=list)

    def url(self, values):
        return self.path.format(**values)


PAGES = [
    Page("funding page", "/plans/{plan}/funding/", rows="activity rows"),
    Page(
        "funding page, one partner",
        "/plans/{plan}/funding/?partner={partner}",
        rows="activity rows",
    ),
    Page(
        "htmx: a deferred objective",
        "/plans/{plan}/funding/?objective={objective}",
        htmx=True,
        rows="activity rows",
    ),
    Page("contributions list", "/plans/{plan}/contributions/", rows="contributions"),
    Page("one contribution", "/contributions/{contribution}/", rows="instalments"),
]
FUNDING = PAGES[0]
FRAGMENT = PAGES[2]
LIST = PAGES[3]


def _rows(page, html):
    if page.rows == "activity rows":
        return len(re.findall(r'<tr><th scope="row"><span class="code">', html))
    if page.rows == "contributions":
        return len(re.findall(r'<tr>\s*<th scope="row"><a href="/contributions/', html))
    return len(re.findall(r"/disbursements/\d+/correct/", html))


def count_queries(pages, paths):
    """Queries of each page for each plan, with the test client as the Mali coordinator; the
    HTML of the 500-activity plan's pages."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(email=serve.MALI)
    for size, values in paths.items():
        client = Client(
            HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, br", enforce_csrf_checks=True
        )
        client.force_login(user)
        client.get("/")  # the first request of a process fills caches: not counted
        for page in pages:
            path = page.url(values)
            headers = plan_bench.HTMX_HEADERS if page.htmx else {}
            try:
                client.get(path, headers=headers)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path, headers=headers)
            except Exception as error:  # a page that fails is reported, the others measured
                page.problems.append(f"{path} ({size}): {type(error).__name__}: {error}")
                continue
            if response.status_code != 200:
                page.problems.append(f"{path} ({size}) answered {response.status_code}")
                continue
            page.queries[size] = len(queries)
            html = plan_bench.body_of(response.content, response.get("Content-Encoding")).decode()
            if size == SIZES[0]:
                page.html = html
            if page.htmx and not html.lstrip().startswith(
                f'<tbody id="funding-{values["objective"]}"'
            ):
                page.problems.append(f"the fragment ({size}) is not the objective's <tbody>")
    deferred = f'hx-get="?objective={paths[SIZES[0]]["objective"]}"'
    if deferred not in FUNDING.html:
        FUNDING.problems.append(f"objective {DEFERRED} is not deferred on the 500-activity page")


def in_process_split(paths, runs=5):
    """Median ms of funding_picture alone and of the whole view (funding page, list), for the
    500-activity plan, in this process."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from relais.funding.picture import funding_picture
    from relais.plans.models import Plan

    values = paths[SIZES[0]]
    plan = Plan.objects.get(pk=values["plan"])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=serve.MALI))
    times = {"picture": [], FUNDING.name: [], LIST.name: []}
    for _ in range(runs + 1):
        start = time.perf_counter()
        funding_picture(plan=plan)
        times["picture"].append(time.perf_counter() - start)
        for page in (FUNDING, LIST):
            start = time.perf_counter()
            client.get(page.url(values))
            times[page.name].append(time.perf_counter() - start)
    return {name: statistics.median(values[1:]) * 1000 for name, values in times.items()}


# Against gunicorn, in Chromium ---------------------------------------------------------------


def server_times(pages, base, cookies, values):
    for page in pages:
        path = page.url(values)
        if page.htmx:
            times = []
            for _ in range(serve.SERVER_RUNS + 1):
                ms, status, _content, _encoding = plan_bench._request(
                    base, "GET", path, cookies, plan_bench.HTMX_HEADERS
                )
                times.append(ms)
            page.server_ms = statistics.median(times[1:])
        else:
            page.server_ms, status = serve.server_ms(base, path, cookies)
        if status != 200:
            page.problems.append(f"{path} answered {status} to gunicorn")


# Scrolls the element into view, its bottom at the bottom of the window (as a reader reaches
# it), and resolves with the ms until it holds more than its two placeholder rows, at the next
# frame: the objective's rows as the reader sees them.
REVEAL_UNTIL = """([selector]) => new Promise((resolve, reject) => {
  const ready = () => {
    const element = document.querySelector(selector);
    return element && element.rows.length > 2;
  };
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (ready()) {
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    }
  });
  observer.observe(document.body, {childList: true, subtree: true});
  setTimeout(() => { observer.disconnect(); reject(new Error("not loaded after 60 s")); }, 60000);
  document.querySelector(selector).scrollIntoView({block: "end"});
})"""


def reveal(tab, recorder, objective):
    """Scroll the deferred objective into view on the 3G link: seconds to its rows, and the
    fragments' requests (those of any other objective that came into view too)."""
    recorder.reset()
    ms = tab.evaluate(REVEAL_UNTIL, [f"#funding-{objective}"])
    deadline = time.monotonic() + 10
    while not all(r["done"] for r in recorder.requests.values()) and time.monotonic() < deadline:
        tab.wait_for_timeout(50)
    requests = [r for r in recorder.requests.values() if r["type"] in {"XHR", "Fetch"}]
    own = [r for r in requests if f"objective={objective}" in r["url"]]
    return dict(
        seconds=ms / 1000,
        bytes=sum(r["bytes"] for r in own),
        others=len(requests) - len(own),
        largest=max((r["bytes"] for r in requests), default=0),
        requests=requests,
    )


def measure_in_browser(pages, base, values):
    """First and repeat visits of each page on 3G; on the warm funding page, the fragment."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=serve.CHROMIUM, args=serve.CHROMIUM_ARGS
        )
        try:
            state = serve.sign_in(browser, base, serve.MALI, "fr")
            for page in (p for p in pages if not p.htmx):
                context, tab, recorder = serve.throttled(browser, state)
                url = base + page.url(values)
                page.first = serve.visit(tab, recorder, url)
                page.repeat = serve.visit(tab, recorder, url)
                page.problems += sorted(set(page.first["problems"] + page.repeat["problems"]))
                if page is FUNDING:
                    try:
                        FRAGMENT.reveal = reveal(tab, recorder, values["objective"])
                    except Exception as error:  # reported; the other pages are still measured
                        FRAGMENT.problems.append(f"in Chromium: {type(error).__name__}: {error}")
                    for request in FRAGMENT.reveal.get("requests", ()):
                        if "failed" in request or request.get("status", 200) >= 400:
                            status = request.get("failed", request.get("status"))
                            FRAGMENT.problems.append(f"in Chromium: {request['url']} {status}")
                context.close()
            return state["cookies"]
        finally:
            browser.close()


# Report --------------------------------------------------------------------------------------


kb = serve.kb


def report(pages, said, split):
    big, small = SIZES
    dash = "—"

    def visits(p, key, what):
        if p.htmx:
            if key == "first" and what == "bytes" and p.reveal:
                return f"{kb(p.reveal['bytes']):.1f}"
            if key == "first" and what == "requests" and p.reveal:
                return "1"
            return dash
        v = getattr(p, key)
        if not v:
            return "?"
        return f"{kb(v[what]):.1f}" if what == "bytes" else str(v[what])

    def timing(p, key):
        if p.htmx:
            return f"{p.reveal['seconds']:.2f}" if key == "repeat" and p.reveal else dash
        v = getattr(p, key)
        return f"{v['dcl']:.2f} / {v['load']:.2f}" if v else "?"

    def queries(p):
        return "/".join(str(p.queries.get(size, "?")) for size in SIZES)

    print()
    for size in SIZES:
        print(said[size])
    columns = [
        (f"page ({big} act., {CONTRIBUTIONS[big]} contr.)", 30, lambda p: p.name),
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
    others = FRAGMENT.reveal.get("others", 0) if FRAGMENT.reveal else 0
    print(
        "htmx row: kB 1st is the fragment as transferred (compressed, headers included); 3G warm "
        "is the time from scrolling its objective into view to its rows, on the warm funding "
        f"page ({others} other objective(s) loaded by the same scroll)."
    )

    revalidated = [p for p in pages if p.repeat and p.repeat["bytes"] < 1000 < p.first["html"]]
    if revalidated:
        print(
            "Repeat visits answered 304 Not Modified (nothing changed); after a change, the "
            "repeat visit downloads the HTML again, as the first did: "
            + ", ".join(f"{p.name} {kb(p.first['html']):.1f} kB" for p in revalidated)
            + "."
        )

    print(f"\nHTML of the {big}-activity plan's pages (raw, and gzip as GZipMiddleware):")
    for page in pages:
        if not page.html:
            continue
        raw, zipped, rows = (
            len(page.html.encode()),
            plan_bench.gz(page.html),
            _rows(page, page.html),
        )
        print(
            f"  {page.name:30} {kb(raw):6.1f} kB raw {kb(zipped):5.1f} kB gzip  {rows} {page.rows}"
        )
    if LIST.html:
        body = re.search(r"<tbody>.*</tbody>", LIST.html, re.S)
        rows = _rows(LIST, LIST.html)
        if body and rows:
            without = plan_bench.gz(LIST.html[: body.start()] + LIST.html[body.end() :])
            per_row = (plan_bench.gz(LIST.html) - without) / rows
            fits = int((15_000 - without - 300) / per_row)  # 300 B: the response's headers
            print(
                f"  a row of the contributions list adds {per_row:.0f} B gzip "
                f"({len(body.group().encode()) / rows:.0f} B raw): 15 kB of HTML holds about "
                f"{fits} rows"
            )
    print(
        f"  in this process: funding_picture {split['picture']:.0f} ms; whole views: funding "
        f"page {split[FUNDING.name]:.0f} ms, contributions list {split[LIST.name]:.0f} ms"
    )

    assets = {n: r for p in pages if p.first for n, r in p.first["assets"].items()}
    print("\nAssets of the first visits:")
    for name, request in sorted(assets.items()):
        print(f"  {name}  {kb(request['bytes']):.1f} kB  Cache-Control: {request['cache_control']}")

    visited = [p for p in pages if not p.htmx and p.first]
    revealed = [p for p in pages if p.htmx and p.reveal]
    budgets = [
        ("first visit <= 60 kB", visited, 60, lambda p: kb(p.first["bytes"]), "{:.1f} kB"),
        ("first visit <= 4 requests", visited, 4, lambda p: p.first["requests"], "{} requests"),
        ("HTML <= 15 kB", visited, 15, lambda p: kb(p.first["html"]), "{:.1f} kB"),
        ("repeat visit <= 10 kB", visited, 10, lambda p: kb(p.repeat["bytes"]), "{:.1f} kB"),
        ("htmx fragment <= 10 kB", revealed, 10, lambda p: kb(p.reveal["largest"]), "{:.1f} kB"),
        ("3G cold visit (load) <= 5 s", visited, 5, lambda p: p.first["load"], "{:.2f} s"),
        ("3G warm visit (load) <= 2.5 s", visited, 2.5, lambda p: p.repeat["load"], "{:.2f} s"),
        (
            "3G htmx rows revealed <= 2.5 s",
            revealed,
            2.5,
            lambda p: p.reveal["seconds"],
            "{:.2f} s",
        ),
        ("server time < 100 ms", pages, 99.99, lambda p: p.server_ms, "{:.1f} ms"),
    ]
    failed = serve.check_budgets(budgets)
    grows = [p for p in pages if len(set(p.queries.get(s) for s in SIZES)) != 1]
    failed |= bool(grows)
    detail = ", ".join(f"{p.name} {p.queries}" for p in grows) or (
        f"same for {big} activities / {CONTRIBUTIONS[big]} contributions and "
        f"{small} / {CONTRIBUTIONS[small]}"
    )
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
        plans = plan_bench.build_plans()
        print(f"  in {time.monotonic() - start:.0f} s", flush=True)
        print(
            f"» recording {' and '.join(str(CONTRIBUTIONS[s]) for s in SIZES)} contributions",
            flush=True,
        )
        start = time.monotonic()
        paths = build_funding(plans)
        said = describe(paths)
        print(f"  in {time.monotonic() - start:.0f} s", flush=True)
        count_queries(PAGES, paths)
        split = in_process_split(paths)
        connections.close_all()
        values = paths[SIZES[0]]
        server, base = serve.start_gunicorn(env, Path(tmp) / "gunicorn.log")
        try:
            print(f"» gunicorn on {base}; Chromium on 3G, CPU x{serve.CPU_SLOWDOWN}", flush=True)
            cookies = measure_in_browser(PAGES, base, values)
            server_times(PAGES, base, cookies, values)
        finally:
            serve.stop(server)
    sys.exit(1 if report(PAGES, said, split) else 0)


if __name__ == "__main__":
    main()
