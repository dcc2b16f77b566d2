"""Workshop budgets at scale: a three-day workshop of 300 participants served as production does,
against stack.md, and the time to render its attendance sheet (PDF).

    .venv/bin/python bench/workshops.py        (from anywhere; two to three minutes)

It uses bench/pages.py's pieces (the throw-away site in a temporary folder: fresh SQLite database
with the demo data, collectstatic into whitenoise's compressed manifest storage, compiled
catalogues; gunicorn with DEBUG off; the sign-in through the real form and the CDP recorder in
Debian's Chromium). On that site it records, as the Mali coordinator and through the services
where they exist, two training workshops of three days: 300 participants and 30 (to show that
the number of queries does not grow with them). Participants have varied West African names,
both sexes, organisations of every type, functions, phones and emails (a few without); most
were present every day, some missed one; most have pre-test and post-test scores, and about
two thirds answered the evaluation.

For the participants page, the attendance page and the scores page of each workshop, it prints:

- queries, in-process with Django's test client, for 300 participants and for 30;
- server time: median of 7 requests to gunicorn from 127.0.0.1, after one warm-up;
- requests and kB (1 kB = 1000 bytes) as transferred, compressed and headers included, on a
  first visit (empty cache: the page and its static assets) and a repeat visit;
- seconds until DOMContentLoaded / load on Chromium's "3G" (400 kbit/s, 2 s latency per
  request, CPU x4), cold and warm;
- each page's HTML, raw and as GZipMiddleware compresses it.

A page that answers 404 (not written yet) is reported as missing, and the others measured.
For the attendance sheet of the 300-participant workshop: the time gunicorn takes to answer
(median of 3, after one warm-up), its size and its number of pages.

It then checks the budgets (first visit <= 60 kB and <= 4 requests, HTML <= 15 kB, repeat
visit <= 10 kB, 3G cold <= 5 s and warm <= 2.5 s, server time < 100 ms, queries constant, the
sheet in < 3 s) and exits with status 1 if any fails or a page is missing.
"""

import gzip
import random
import re
import statistics
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pages as serve  # bench/pages.py: the site, gunicorn, the browser and its recorder
import plans as plan_bench  # bench/plans.py: requests to gunicorn, gzip as served

SIZES = (300, 30)  # participants of the measured workshop, and of the one showing queries flat
FIRST_DAY = date(2018, 11, 12)
DAYS = 3
SHEET_RUNS = 3
SHEET_BUDGET_S = 3.0

FIRST_NAMES = {
    "F": "Awa Aminata Fatoumata Mariam Kadiatou Oumou Aïssata Djénéba Fanta Safiatou Ramatoulaye "
    "Ndèye Khadidiatou Coumba Bintou Hawa Salimata Maïmouna Rokia Assitan Mariama Nafissatou "
    "Adama Binta Kankou".split(),
    "M": "Moussa Mamadou Ibrahima Boubacar Oumar Seydou Abdoulaye Souleymane Amadou Cheick Bakary "
    "Modibo Lassana Issa Yacouba Daouda Sékou Mahamadou Alassane Ousmane Baba Aliou Tiémoko "
    "Moctar Idrissa".split(),
}
SURNAMES = (
    "Traoré Keïta Coulibaly Diarra Diallo Sidibé Touré Konaté Camara Sangaré Cissé Dembélé "
    "Kanté Sissoko Doumbia Maïga Ba Sow Ndiaye Fall Diop Sy Kouyaté Bagayoko Samaké Guindo "
    "Togola Dicko Bathily Fofana"
).split()
# (organisation, its type, functions found there)
ORGANISATIONS = [
    ("Ministère de la Justice et des Droits de l'Homme", "ministry", ["Conseiller technique",
     "Directeur national adjoint", "Chargé de mission"]),
    ("Tribunal de grande instance de la Commune III", "state", ["Juge d'instruction",
     "Substitut du procureur", "Greffier en chef"]),
    ("Direction générale de la Police nationale", "state", ["Commissaire divisionnaire",
     "Officier de police judiciaire", "Inspecteur"]),
    ("Gendarmerie nationale, brigade des mœurs", "state", ["Commandant de brigade",
     "Maréchal des logis-chef"]),
    ("Direction nationale de la promotion de l'enfant et de la famille", "state", [
     "Chef de division protection", "Assistante sociale"]),
    ("Direction générale des Douanes", "state", ["Inspecteur des douanes", "Contrôleur"]),
    ("Association malienne pour la protection et la promotion de la famille", "cso", [
     "Coordinatrice des programmes", "Animatrice", "Juriste"]),
    ("Réseau des journalistes contre la traite", "cso", ["Journaliste", "Rédacteur en chef"]),
    ("Organisation internationale pour les migrations", "un", ["Chargée de projet",
     "Assistant protection"]),
    ("Conseil national de la société civile", "cso", ["Secrétaire général", "Membre"]),
    ("Haut conseil islamique", "cso", ["Imam", "Secrétaire administratif"]),
    ("Mairie de la Commune IV", "state", ["Adjoint au maire", "Secrétaire général"]),
]  # fmt: skip
COMMENTS = [
    "Les travaux de groupes sur les cibles du plaidoyer étaient très utiles.",
    "Le module sur la loi n° 2012-023 m'a permis de mieux comprendre mon rôle.",
    "Formation riche ; il faudrait plus de temps pour les études de cas.",
    "Les supports remis sont clairs, je vais les partager avec mon service.",
    "",
]


@dataclass
class Page:
    name: str
    route: str  # the workshops: URL name, given the workshop's pk
    queries: dict = field(default_factory=dict)  # participants → queries
    status: dict = field(default_factory=dict)  # participants → status code in-process
    html: str = ""
    path: str = ""  # of the 300-participant workshop
    server_ms: float = 0.0
    first: dict = field(default_factory=dict)
    repeat: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def missing(self):
        return any(status == 404 for status in self.status.values())


PAGES = [
    Page("participants", "workshops:participants"),
    Page("attendance", "workshops:attendance"),
    Page("scores (tests)", "workshops:scores"),
]


@dataclass
class SheetFigures:
    seconds: list = field(default_factory=list)
    in_process_s: float = 0.0
    bytes: int = 0
    pages: int = 0
    problems: list = field(default_factory=list)


SHEET = SheetFigures()


# The workshops --------------------------------------------------------------------------------


def build_workshops():
    """The two workshops: {participants: workshop pk}."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from relais.countries.models import Country, Organisation
    from relais.events.models import Event
    from relais.workshops import services
    from relais.workshops.attendance import attendance_save
    from relais.workshops.evaluations import CRITERIA
    from relais.workshops.models import Evaluation, Participant, Participation

    mali = Country.objects.get(code="ML")
    coordinator = get_user_model().objects.get(email=serve.MALI)
    funder = Organisation.objects.filter(acronym="UE").first()
    random_ = random.Random(2018)
    days = [FIRST_DAY + timedelta(days=n) for n in range(DAYS)]
    built = {}
    for size in SIZES:
        with transaction.atomic():
            event = services.workshop_create(
                country=mali,
                by=coordinator,
                kind=Event.Kind.TRAINING,
                title="Atelier de renforcement des capacités des acteurs de la chaîne pénale sur "
                f"la loi n° 2012-023 — banc d'essai, {size} participants",
                starts_on=days[0],
                ends_on=days[-1],
                venue="Centre international de conférences de Bamako",
                city="Bamako",
                funder=funder,
                project="FMM West Africa",
                objectives="Maîtriser la loi n° 2012-023 et les procédures d'identification et "
                "d'orientation des victimes.",
            )
            marks = set()
            for n in range(size):
                sex = "F" if random_.random() < 0.42 else "M"
                first = random_.choice(FIRST_NAMES[sex])
                surname = random_.choice(SURNAMES)
                organisation, kind, functions = random_.choice(ORGANISATIONS)
                person = Participant(
                    full_name=f"{first} {surname}" + (f" {n}" if size == SIZES[1] else ""),
                    sex=sex,
                    organisation=organisation,
                    organisation_kind=kind,
                    function=random_.choice(functions),
                    country=mali,
                    phone=""
                    if n % 17 == 0
                    else f"+223 {random_.randint(60, 99)} "
                    f"{random_.randint(10, 99)} {random_.randint(10, 99)} {n % 100:02d}",
                    email="" if n % 5 == 0 else f"{first}.{surname}{n}@example.ml".lower(),
                )
                person._history_user = coordinator
                person.save()
                participation = Participation(event=event, participant=person)
                if random_.random() < 0.9:
                    pre = Decimal(random_.randint(10, 70)) / 4  # out of 20, by quarter points
                    post = min(Decimal(20), pre + Decimal(random_.randint(-4, 28)) / 4)
                    participation.pre_score, participation.post_score = pre, post
                participation._history_user = coordinator
                participation.save()
                missed = random_.choice(days) if random_.random() < 0.25 else None
                marks |= {(participation.pk, day) for day in days if day != missed}
                if random_.random() < 0.65:
                    Evaluation.objects.create(
                        participation=participation,
                        ratings={key: random_.randint(2, 5) for key, _label in CRITERIA},
                        comments=random_.choice(COMMENTS),
                    )
            attendance_save(event=event, by=coordinator, marks=marks)
        built[size] = event.pk
    return built


# In-process: queries and HTML ----------------------------------------------------------------


def count_queries(pages, workshops):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    user = get_user_model().objects.get(email=serve.MALI)
    for size, pk in workshops.items():
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, br")
        client.force_login(user)
        client.get("/")  # the first request of a process fills caches: not counted
        for page in pages:
            path = reverse(page.route, args=[pk])
            if size == SIZES[0]:
                page.path = path
            try:
                client.get(path)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
            except Exception as error:  # a page that fails is reported, the others measured
                page.problems.append(f"{path} ({size}): {type(error).__name__}: {error}")
                page.status[size] = 500
                continue
            page.status[size] = response.status_code
            if response.status_code != 200:
                if response.status_code != 404:
                    page.problems.append(f"{path} ({size}) answered {response.status_code}")
                continue
            page.queries[size] = len(queries)
            if size == SIZES[0]:
                html = plan_bench.body_of(response.content, response.get("Content-Encoding"))
                page.html = html.decode()


def pdf_pages(data):
    """The pages of a PDF (its objects may sit in compressed streams)."""
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", chunk)) for chunk in chunks)


def sheet_in_process(pk):
    """Seconds to render the 300-participant sheet in this process (the view's work alone)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=serve.MALI))
    path = reverse("workshops:attendance_sheet", args=[pk])
    client.get(path)  # loads WeasyPrint and the fonts
    start = time.perf_counter()
    response = client.get(path)
    SHEET.in_process_s = time.perf_counter() - start
    if response.status_code != 200:
        SHEET.problems.append(f"{path} answered {response.status_code} in-process")
    return path


# Against gunicorn, in Chromium ---------------------------------------------------------------


def measure_in_browser(pages, base):
    """First and repeat visits of each page on 3G; the signed-in cookies."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=serve.CHROMIUM, args=serve.CHROMIUM_ARGS
        )
        try:
            state = serve.sign_in(browser, base, serve.MALI, "fr")
            for page in pages:
                context, tab, recorder = serve.throttled(browser, state)
                url = base + page.path
                try:
                    page.first = serve.visit(tab, recorder, url)
                    page.repeat = serve.visit(tab, recorder, url)
                except Exception as error:  # reported; the other pages are still measured
                    page.problems.append(f"in Chromium: {type(error).__name__}: {error}")
                else:
                    page.problems += sorted(set(page.first["problems"] + page.repeat["problems"]))
                context.close()
            return state["cookies"]
        finally:
            browser.close()


def server_times(pages, base, cookies):
    for page in pages:
        page.server_ms, status = serve.server_ms(base, page.path, cookies)
        if status != 200:
            page.problems.append(f"{page.path} answered {status} to gunicorn")


def sheet_from_gunicorn(base, cookies, path):
    for run in range(SHEET_RUNS + 1):
        ms, status, content, encoding = plan_bench._request(base, "GET", path, cookies)
        if status != 200:
            SHEET.problems.append(f"{path} answered {status} to gunicorn")
            return
        if run:  # the first loads WeasyPrint and the fonts in that worker
            SHEET.seconds.append(ms / 1000)
    SHEET.bytes = len(content)  # as sent (GZipMiddleware compresses PDFs a little too)
    content = plan_bench.body_of(content, encoding)
    SHEET.pages = pdf_pages(content)
    if not content.startswith(b"%PDF-"):
        SHEET.problems.append("the attendance sheet is not a PDF")


# Report --------------------------------------------------------------------------------------


kb = serve.kb


def report(pages):
    big, small = SIZES
    measured = [p for p in pages if not p.missing and p.first]
    dash = "—"

    visits, timing = serve.visit_figure, serve.visit_timing

    def queries(p):
        return "/".join(str(p.queries.get(size, p.status.get(size, "?"))) for size in SIZES)

    print()
    print(
        f"Two workshops of {DAYS} days, {big} and {small} participants (attendance, scores, "
        "evaluations); pages of the first, as the Mali coordinator."
    )
    columns = [
        (f"page ({big} participants)", 24, lambda p: p.name),
        (f"queries {big}/{small}", 14, queries),
        ("srv ms", 6, lambda p: f"{p.server_ms:.1f}" if p.first else dash),
        ("req 1st", 7, lambda p: visits(p, "first", "requests")),
        ("kB 1st", 6, lambda p: visits(p, "first", "bytes")),
        ("req rep", 7, lambda p: visits(p, "repeat", "requests")),
        ("kB rep", 6, lambda p: visits(p, "repeat", "bytes")),
        ("3G cold s dcl/load", 18, lambda p: timing(p, "first")),
        ("3G warm s dcl/load", 18, lambda p: timing(p, "repeat")),
    ]
    serve.print_table(columns, pages)

    print(f"\nHTML of the {big}-participant workshop's pages (raw, and gzip as GZipMiddleware):")
    for page in pages:
        if page.missing:
            print(f"  {page.name:24} missing: {page.path} answered 404 (not written yet?)")
        elif page.html:
            raw = len(page.html.encode())
            zipped = len(gzip.compress(page.html.encode(), compresslevel=6, mtime=0))
            print(f"  {page.name:24} {kb(raw):6.1f} kB raw {kb(zipped):5.1f} kB gzip")

    assets = {n: r for p in measured for n, r in p.first["assets"].items()}
    print("\nAssets of the first visits:")
    for name, request in sorted(assets.items()):
        print(f"  {name}  {kb(request['bytes']):.1f} kB  Cache-Control: {request['cache_control']}")

    print(f"\nAttendance sheet of the {big}-participant workshop ({DAYS} days):")
    if SHEET.seconds:
        print(
            f"  from gunicorn: median {statistics.median(SHEET.seconds):.2f} s "
            f"({', '.join(f'{s:.2f}' for s in SHEET.seconds)}); in this process "
            f"{SHEET.in_process_s:.2f} s; {kb(SHEET.bytes):.0f} kB, {SHEET.pages} pages A4"
        )

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
    counted = [p for p in pages if len(p.queries) == len(SIZES)]
    grows = [p for p in counted if len(set(p.queries.values())) != 1]
    failed |= bool(grows) or not counted
    detail = ", ".join(f"{p.name} {p.queries}" for p in grows) or (
        f"same for {big} participants and {small}: " + ", ".join(p.name for p in counted)
    )
    print(f"{'FAIL' if grows or not counted else 'PASS'}  {'queries constant':32} {detail}")
    if SHEET.seconds:
        median = statistics.median(SHEET.seconds)
        ok = median < SHEET_BUDGET_S
        failed |= not ok
        print(
            f"{'PASS' if ok else 'FAIL'}  {'attendance sheet < 3 s':32} median {median:.2f} s "
            f"({SHEET.pages} pages)"
        )
    else:
        failed = True
        print(f"FAIL  {'attendance sheet < 3 s':32} not measured")
    missing = [p for p in pages if p.missing]
    failed |= bool(missing)
    for page in missing:
        print(f"MISSING  {page.name}: {page.path} answers 404 (not written yet?)")
    wrong = [(page.name, problem) for page in pages for problem in page.problems]
    wrong += [("attendance sheet", problem) for problem in SHEET.problems]
    failed |= serve.check_problems(wrong)
    return failed


def main():
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        env = serve.use_site(Path(tmp))
        from django.db import connections

        print(f"» recording workshops of {' and '.join(map(str, SIZES))} participants", flush=True)
        start = time.monotonic()
        workshops = build_workshops()
        print(f"  in {time.monotonic() - start:.0f} s", flush=True)
        count_queries(PAGES, workshops)
        sheet_path = sheet_in_process(workshops[SIZES[0]])
        connections.close_all()
        server, base = serve.start_gunicorn(env, Path(tmp) / "gunicorn.log")
        try:
            print(f"» gunicorn on {base}; Chromium on 3G, CPU x{serve.CPU_SLOWDOWN}", flush=True)
            present = [p for p in PAGES if not p.missing]
            cookies = measure_in_browser(present, base)
            server_times([p for p in present if p.first], base, cookies)
            print("» the attendance sheet", flush=True)
            sheet_from_gunicorn(base, cookies, sheet_path)
        finally:
            serve.stop(server)
    sys.exit(1 if report(PAGES) else 0)


if __name__ == "__main__":
    main()
