"""Page budgets: serve Relais as production does and measure every page of the foundation.

    .venv/bin/python bench/pages.py        (from anywhere; about two minutes)

It builds a throw-away site in a temporary folder (fresh SQLite database with the demo data,
collectstatic into whitenoise's compressed manifest storage, compiled catalogues), starts
gunicorn with DEBUG off, signs in through the real form in Debian's Chromium (Playwright) and,
for each page, prints:

- requests and kB (1 kB = 1000 bytes) as transferred, so compressed and headers included
  (CDP `Network.loadingFinished` encodedDataLength), on a first visit (a new browser context:
  empty cache, same session cookie) and on a repeat visit in that context (only requests that
  reached the network count);
- database queries, in-process with Django's test client on the same settings and database;
- server time: median of 7 requests to gunicorn from 127.0.0.1, after one warm-up;
- seconds until DOMContentLoaded / load on Chromium's "3G" (400 kbit/s each way, 2 s latency
  per request, CPU x4), cold (the first visit) and warm (the repeat visit).

It then checks the budgets of stack.md ("Budgets behind the choices"), naming the worst page,
and exits with status 1 if any fails. Everything it starts is stopped at the end.
"""

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    " --no-first-run --disable-sync --disable-quic"
).split()
PASSWORD = "relais-demo"  # relais.countries.demo.DEMO_PASSWORD
MALI = "coordinator.ml@demo.relais.africa"
REGIONAL = "regional@demo.relais.africa"
# Chromium's "3G" as stack.md defines it: bytes per second, milliseconds added per request.
THREE_G = dict(offline=False, latency=2000, downloadThroughput=50_000, uploadThroughput=50_000)
CPU_SLOWDOWN = 4
LOCALE = "fr-FR"  # the browser's Accept-Language: what an anonymous visitor reads
SERVER_RUNS = 7


@dataclass
class Page:
    name: str
    path: str
    user: str | None = MALI
    language: str = "fr"
    queries: int = 0
    server_ms: float = 0.0
    first: dict = field(default_factory=dict)
    repeat: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


PAGES = [
    Page("sign-in (anonymous)", "/accounts/login/", user=None),
    Page("home, Mali coordinator", "/"),
    Page("home, regional coordinator", "/", user=REGIONAL),
    Page("country page ML", "/countries/ML/"),
    Page("members ML", "/countries/ML/members/"),
    Page("body edit ML", "/countries/ML/body/"),
    Page("add contact", "/countries/ML/contacts/new/"),
    Page("add organisation", "/countries/ML/organisations/new/"),
    Page("profile", "/accounts/profile/"),
    Page("history of the ML body", "/history/countries/organisation/{body}/"),
    Page("password change", "/accounts/password/change/"),
    # Last: the language switch also changes the profile, so every later page would be Arabic.
    Page("home in Arabic", "/", language="ar"),
]


def build_site(tmp):
    """The environment of a production server on a fresh site in `tmp`, set up like deploy.md."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RELAIS_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        RELAIS_VAR_DIR=str(tmp / "var"),
        RELAIS_STATIC_ROOT=str(tmp / "static"),
        RELAIS_SECRET_KEY=secrets.token_urlsafe(50),
        RELAIS_ALLOWED_HOSTS="127.0.0.1",
        RELAIS_DEBUG="0",
        RELAIS_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="relais.settings",
    )
    for command in ("compile_catalogues", "migrate", "seed_demo", "collectstatic --no-input"):
        print(f"» manage.py {command}", flush=True)
        manage = [BIN / "python", "manage.py", *command.split(), "-v", "0"]
        subprocess.run(manage, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def use_site(tmp):
    """A fresh site in `tmp` (build_site), made this process's environment, Django set up: the
    benches then write their data with the ORM. Returns the environment for gunicorn."""
    env = build_site(tmp)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    return env


def check_problems(problems, title="no failure, redirect, other origin or asset from an asset"):
    """PASS, or FAIL and each (page name, problem) of `problems`; True if any."""
    print(f"{'FAIL' if problems else 'PASS'}  {title}")
    for name, problem in problems:
        print(f"        {name}: {problem}")
    return bool(problems)


def count_queries(pages):
    """Queries per page, in this process on the same settings and database."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from relais.countries.models import Country

    body = Country.objects.get(code="ML").national_body_id
    users = get_user_model().objects
    for page in pages:
        page.path = page.path.format(body=body)
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, br")
        if page.user:
            users.filter(email=page.user).update(language=page.language)
            client.force_login(users.get(email=page.user))
        client.get(page.path)  # the first request of a process fills caches: not counted
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        if response.status_code != 200:
            sys.exit(f"{page.name}: {page.path} answered {response.status_code}")
        page.queries = len(queries)
    users.update(language="fr")
    connections.close_all()


def start_gunicorn(env, log_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # a free port
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    command = [BIN / "gunicorn", "relais.wsgi", "-b", base.removeprefix("http://"), "-w", "2"]
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urlopen(f"{base}/accounts/login/", timeout=2):
                return server, base
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop(server)
                sys.exit(f"gunicorn did not answer on {base}:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.2)


def stop(server):
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def server_ms(base, path, cookies):
    """Median time to the last byte of a page from gunicorn, and its status (gunicorn's sync
    workers close every connection, so each request opens one: 0.1 ms on the loopback)."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    headers = {
        "Accept-Encoding": "gzip, deflate, br",
        "Cookie": "; ".join(f"{c['name']}={c['value']}" for c in cookies),
    }
    times = []
    for _ in range(SERVER_RUNS + 1):
        conn = http.client.HTTPConnection(host, port, timeout=10)
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - start)
        conn.close()
    return statistics.median(times[1:]) * 1000, response.status


class Recorder:
    """Every request of a tab as CDP reports it; `reset()` before each visit."""

    EVENTS = (
        "requestWillBeSent requestServedFromCache responseReceived loadingFinished loadingFailed"
    )

    def __init__(self, cdp):
        self.requests = {}
        for name in self.EVENTS.split():
            cdp.on(f"Network.{name}", lambda event, name=name: self.record(name, event))

    def reset(self):
        self.requests = {}

    def record(self, name, event):
        if name == "requestWillBeSent":
            url = event["request"]["url"]
            if not url.startswith("data:"):
                new = dict(type=event.get("type"), initiator=event["initiator"], redirects=[])
                request = self.requests.setdefault(event["requestId"], new)
                request.update(url=url, done=False, cached=False, bytes=0)
                if "redirectResponse" in event:
                    old = event["redirectResponse"]
                    request["redirects"].append(f"{old['url']} answered {old['status']} to {url}")
            return
        request = self.requests.get(event["requestId"])
        if request is None:
            return
        if name == "requestServedFromCache":
            request["cached"] = True
        elif name == "responseReceived":
            response = event["response"]
            headers = {key.lower(): value for key, value in response["headers"].items()}
            request["status"] = response["status"]
            request["cache_control"] = headers.get("cache-control", "")
            request["cached"] |= response.get("fromDiskCache", False)
        elif name == "loadingFinished":
            request.update(bytes=event["encodedDataLength"], done=True)
        else:
            request.update(failed=event["errorText"], done=True)


def visit(tab, recorder, url):
    """Load `url`; what went over the network, the timings and what is wrong on the way."""
    recorder.reset()
    tab.goto(url, wait_until="load")
    dcl, load = tab.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [n.domContentLoadedEventEnd, n.loadEventEnd]; }"
    )
    deadline = time.monotonic() + 5
    while not all(r["done"] for r in recorder.requests.values()) and time.monotonic() < deadline:
        tab.wait_for_timeout(50)
    requests = list(recorder.requests.values())
    problems = []
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    for request in requests:
        name = request["url"].removeprefix(origin)
        for redirect in request["redirects"]:
            problems.append(f"redirect: {redirect.replace(origin, '')}")
        if "failed" in request or request.get("status", 200) >= 400:
            problems.append(f"failed: {name} ({request.get('failed', request.get('status'))})")
        if not request["url"].startswith(origin):
            problems.append(f"another origin: {request['url']}")
        if request["type"] != "Document":
            initiator = request["initiator"]
            if initiator.get("type") != "parser" or initiator.get("url") != tab.url:
                by = initiator.get("url") or initiator.get("type")
                problems.append(f"asset loaded by another asset: {name} by {by}")
    if tab.url != url:
        problems.append(f"ended on {tab.url}")
    network = [r for r in requests if not r["cached"] and r["bytes"] > 0]
    return {
        "requests": len(network),
        "bytes": sum(r["bytes"] for r in network),
        "html": sum(r["bytes"] for r in network if r["type"] == "Document"),
        "assets": {r["url"].removeprefix(origin): r for r in requests if r["type"] != "Document"},
        "dcl": dcl / 1000,
        "load": load / 1000,
        "problems": problems,
    }


def sign_in(browser, base, email, language):
    """Sign in through the form, press the language switch if `language` is not French;
    the cookies that make a new context signed in."""
    context = browser.new_context(locale=LOCALE)
    tab = context.new_page()
    tab.goto(f"{base}/accounts/login/")
    tab.fill("input[name=login]", email)
    tab.fill("input[name=password]", PASSWORD)
    with tab.expect_navigation():
        tab.click("main form button[type=submit]")
    if urlsplit(tab.url).path != "/":
        sys.exit(f"signing in as {email} ended on {tab.url}")
    if language != "fr":
        with tab.expect_navigation():
            tab.click(f"form.langs button[value={language}]")
    state = context.storage_state()
    context.close()
    return state


def throttled(browser, state):
    """(context, tab, recorder): a new browser context signed in with `state` (None: anonymous),
    on Chromium's "3G" with the CPU slowed CPU_SLOWDOWN times, recording what goes over the
    network."""
    context = browser.new_context(storage_state=state, locale=LOCALE)
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    recorder = Recorder(cdp)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THREE_G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return context, tab, recorder


def measure_in_browser(pages, base):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            states = {}
            for page in pages:
                key = (page.user, page.language)
                if page.user and key not in states:
                    states[key] = sign_in(browser, base, page.user, page.language)
                context, tab, recorder = throttled(browser, states.get(key))
                url = base + page.path
                page.first = visit(tab, recorder, url)
                page.repeat = visit(tab, recorder, url)
                page.problems = sorted(set(page.first["problems"] + page.repeat["problems"]))
                lang = tab.evaluate("document.documentElement.lang")
                if lang != page.language:
                    page.problems.append(f"page in {lang!r}, not {page.language!r}")
                page.server_ms, status = server_ms(base, page.path, context.cookies())
                if status != 200:
                    page.problems.append(f"{page.path} answered {status} to a plain GET")
                context.close()
        finally:
            browser.close()


def kb(n):
    return n / 1000


def print_table(columns, rows):
    """`rows` as a table: `columns` are (title, width, the value of a row); the first column
    aligned to the start, the others to the end."""
    line = " | ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, (_, w, _) in enumerate(columns))
    print()
    print(line.format(*(title for title, _, _ in columns)))
    print("-|-".join("-" * width for _, width, _ in columns))
    for row in rows:
        print(line.format(*(str(value(row)) for _, _, value in columns)))


def visit_figure(page, key, what, missing="—"):
    """The requests or the kB of `page`'s first or repeat visit (`key`), or `missing`."""
    visit = getattr(page, key)
    if not visit:
        return missing
    return f"{kb(visit[what]):.1f}" if what == "bytes" else str(visit[what])


def visit_timing(page, key, missing="—"):
    """ "DOMContentLoaded / load" in seconds of `page`'s first or repeat visit, or `missing`."""
    visit = getattr(page, key)
    return f"{visit['dcl']:.2f} / {visit['load']:.2f}" if visit else missing


def report(pages):
    columns = [
        ("page", 28, lambda p: p.name),
        ("req 1st", 7, lambda p: p.first["requests"]),
        ("kB 1st", 6, lambda p: f"{kb(p.first['bytes']):.1f}"),
        ("req rep", 7, lambda p: p.repeat["requests"]),
        ("kB rep", 6, lambda p: f"{kb(p.repeat['bytes']):.1f}"),
        ("queries", 7, lambda p: p.queries),
        ("srv ms", 6, lambda p: f"{p.server_ms:.1f}"),
        ("3G cold s dcl/load", 18, lambda p: f"{p.first['dcl']:.2f} / {p.first['load']:.2f}"),
        ("3G warm s dcl/load", 18, lambda p: f"{p.repeat['dcl']:.2f} / {p.repeat['load']:.2f}"),
    ]
    print_table(columns, pages)

    print("\nAssets of the first visits:")
    assets = {name: request for page in pages for name, request in page.first["assets"].items()}
    for name, request in sorted(assets.items()):
        print(f"  {name}  {kb(request['bytes']):.1f} kB  Cache-Control: {request['cache_control']}")

    budgets = [
        ("first visit <= 60 kB", 60, lambda p: kb(p.first["bytes"]), "{:.1f} kB"),
        ("first visit <= 4 requests", 4, lambda p: p.first["requests"], "{} requests"),
        ("HTML <= 15 kB", 15, lambda p: kb(p.first["html"]), "{:.1f} kB"),
        ("repeat visit <= 10 kB", 10, lambda p: kb(p.repeat["bytes"]), "{:.1f} kB"),
        ("3G cold visit (load) <= 5 s", 5, lambda p: p.first["load"], "{:.2f} s"),
        ("3G warm visit (load) <= 2.5 s", 2.5, lambda p: p.repeat["load"], "{:.2f} s"),
    ]
    failed = False
    print()
    for title, limit, value, unit in budgets:
        worst = max(pages, key=value)
        ok = value(worst) <= limit
        failed |= not ok
        verdict = "PASS" if ok else "FAIL"
        print(f"{verdict}  {title:32} worst: {unit.format(value(worst))} ({worst.name})")
    wrong = [(page.name, problem) for page in pages for problem in page.problems]
    failed |= check_problems(wrong, "no redirect, one origin, assets from the page only")
    return failed


def main():
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as tmp:
        env = build_site(Path(tmp))
        os.environ.clear()
        os.environ.update(env)
        count_queries(PAGES)
        server, base = start_gunicorn(env, Path(tmp) / "gunicorn.log")
        try:
            print(f"» gunicorn on {base}; Chromium on 3G, CPU x{CPU_SLOWDOWN}", flush=True)
            measure_in_browser(PAGES, base)
        finally:
            stop(server)
    sys.exit(1 if report(PAGES) else 0)


def check_budgets(budgets):
    """Print PASS or FAIL for each budget (title, pages measured, limit, value of a page, unit
    format), with the worst page and the others over the limit; True if any failed."""
    failed = False
    print()
    for title, measured, limit, value, unit in budgets:
        if not measured:
            failed = True
            print(f"FAIL  {title:32} nothing measured")
            continue
        worst = max(measured, key=value)
        over = [p for p in measured if value(p) > limit and p is not worst]
        ok = value(worst) <= limit
        failed |= not ok
        also = "; also " + ", ".join(f"{p.name} {unit.format(value(p))}" for p in over)
        print(
            f"{'PASS' if ok else 'FAIL'}  {title:32} worst: {unit.format(value(worst))} "
            f"({worst.name}){also if over else ''}"
        )
    return failed


if __name__ == "__main__":
    main()
