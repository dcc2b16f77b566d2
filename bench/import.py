"""Import budget: a committee's workbook of 2,000 activities, read, checked and written as the
browser's import does it, against the budget of issue 5 (under 5 s, under 200 MB).

    .venv/bin/python bench/import.py        (from anywhere; about half a minute)

It writes the workbook as a committee keeps it (XlsxWriter): four letterhead rows, a merged
title, a two-row header with a merged "Chronogramme" over the eight quarters of 2018-2019,
10 objectives as merged "OS1 : …" rows, each with 200 activities, a "Sous-total" row, then
"TOTAL GÉNÉRAL" and the total in words. Titles and descriptions are French sentences put
together from bench/plans.py's word lists (no two alike, so that the sizes are those of a real
sheet); responsible structures, partners, chronograms, costs and funding sources vary; unit costs
are written as numbers or as text (`4 250 000`, `15.000.000 F CFA`, with ordinary, no-break and
narrow no-break spaces), totals as formulas with their cached values.

It then migrates a throw-away SQLite database in a temporary folder (RELAIS_VAR_DIR), creates
Mali, its national body and a coordinator, and runs, in this process:

- read + check: relais.core.sheets.read_workbook (the upload check included), then
  plans.importing.parse_workbook and match_organisations — what the review page does;
- write: plans.services.plan_import — what the confirm button does, in one transaction, with
  the audit trail.

It prints the workbook's size, the median time of each step over 3 runs (each run writes a new
plan), and the peak memory: the process's maximum resident set (ru_maxrss, which counts
calamine's own allocations too), its growth during the import, and the peak of Python's
allocations (tracemalloc, in a separate run since tracing slows everything down). It checks the
budgets — read + check + write under 5 s, peak resident memory under 200 MB — and exits with
status 1 if either fails.
"""

import io
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"

ACTIVITIES = 2_000
OBJECTIVES = 10
RUNS = 3
BUDGET_SECONDS = 5.0
BUDGET_MB = 200
NBSP, NNBSP = "\xa0", "\u202f"
STRUCTURES = [
    "CNLTP",
    "Ministère de la Justice et des Droits de l'Homme",
    "Ministère des Maliens de l'Extérieur",
    "Direction nationale de la Promotion de l'Enfant et de la Famille",
    "Ministère du Travail et de la Fonction publique",
    "ONG Enda Mali",
    "Association malienne des expulsés",
    "Maison de la presse",
]
PARTNERS = ["ICMPD", "OIM", "UE", "ONUDC", "CEDEAO", "NIYEL", "UNICEF", "BIT"]


def written(amount, style):
    """An amount as a person types it: `4 250 000`, `15.000.000 F CFA`, `4 250 000 FCFA`…"""
    digits = f"{amount:,.0f}"
    if style == 0:
        return digits.replace(",", " ")
    if style == 1:
        return digits.replace(",", NBSP) + NBSP + "FCFA"
    if style == 2:
        return digits.replace(",", NNBSP)
    return digits.replace(",", ".") + " F CFA"


def workbook():
    """(xlsx bytes, expected total) of the 2,000-activity plan."""
    import plans as content  # bench/plans.py: the word lists and the French sentences
    import xlsxwriter

    writer = content.Writer(seed=2018)
    rng = random.Random(5)
    quarters = [f"T{q} {y}" for y in (2018, 2019) for q in range(1, 5)]
    columns = ["N°", "Objectifs spécifiques / Activités", "Description", "Responsable"]
    columns += ["Partenaires", *quarters, "Coût unitaire (FCFA)", "Qté", "Unité"]
    columns += ["Coût total (FCFA)", "Source de financement"]
    first_quarter, uc, qty, total_col = 5, 13, 14, 16
    width = len(columns)

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "constant_memory": False})
    sheet = book.add_worksheet("Plan 2018-2019")
    bold = book.add_format({"bold": True})
    letterhead = [
        "RÉPUBLIQUE DU MALI",
        "Un Peuple – Un But – Une Foi",
        "MINISTÈRE DE LA JUSTICE ET DES DROITS DE L'HOMME",
        "Comité national de lutte contre la traite des personnes et les pratiques assimilées",
    ]
    for row, line in enumerate(letterhead):
        sheet.write_string(row, 0, line, bold)
    sheet.merge_range(
        5,
        0,
        5,
        width - 1,
        "Plan d'action de plaidoyer pour la lutte contre la traite des personnes à des fins de "
        "travail forcé à l'extérieur (2018-2019)",
        bold,
    )
    head = 7
    for column, title in enumerate(columns):
        if first_quarter <= column < first_quarter + 8:
            sheet.write_string(head + 1, column, title, bold)
        else:
            sheet.merge_range(head, column, head + 1, column, title, bold)
    sheet.merge_range(head, first_quarter, head, first_quarter + 7, "Chronogramme", bold)
    row = head + 2
    grand = Decimal(0)
    subtotal_cells = []
    for number, data in enumerate(content.OBJECTIVE_DATA[:OBJECTIVES], start=1):
        sheet.merge_range(row, 0, row, width - 1, f"OS{number} : {data[0]}", bold)
        row += 1
        first_line = row
        for position in range(1, ACTIVITIES // OBJECTIVES + 1):
            title, description, unit, unit_cost, quantity = writer.activity()
            line_total = content._round(unit_cost * quantity)
            grand += line_total
            months = writer.months()
            responsible = rng.choice(STRUCTURES)
            sheet.write_string(row, 0, f"{number}.{position}")
            sheet.write_string(row, 1, title)
            sheet.write_string(row, 2, description)
            sheet.write_string(row, 3, responsible)
            sheet.write_string(row, 4, ", ".join(rng.sample(PARTNERS, rng.randint(0, 2))))
            marked = {(int(m[:4]) - 2018) * 4 + (int(m[5:]) - 1) // 3 for m in months}
            for quarter in sorted(marked):
                sheet.write_string(row, first_quarter + quarter, rng.choice(["X", "x", "X"]))
            style = rng.randrange(5)
            if style == 4:
                sheet.write_number(row, uc, float(unit_cost))
            else:
                sheet.write_string(row, uc, written(unit_cost, style))
            sheet.write_number(row, qty, float(quantity))
            sheet.write_string(row, qty + 1, unit)
            sheet.write_formula(
                row, total_col, f"=ROUND(N{row + 1}*O{row + 1},0)", None, int(line_total)
            )
            funders = rng.sample(["État", *PARTNERS[:4]], rng.choice((1, 1, 2)))
            sheet.write_string(row, total_col + 1, " / ".join(funders))
            row += 1
        sheet.merge_range(row, 0, row, total_col - 1, f"Sous-total OS{number}", bold)
        subtotal = f"SUM(Q{first_line + 1}:Q{row})"
        sheet.write_formula(row, total_col, f"={subtotal}", bold, 0)
        subtotal_cells.append(f"Q{row + 1}")
        row += 1
    sheet.merge_range(row, 0, row, total_col - 1, "TOTAL GÉNÉRAL", bold)
    sheet.write_formula(row, total_col, "=" + "+".join(subtotal_cells), bold, int(grand))
    sheet.merge_range(
        row + 2,
        0,
        row + 2,
        width - 1,
        f"Arrêté le présent plan à la somme de {written(grand, 0)} francs CFA.",
    )
    book.close()
    return output.getvalue(), grand


def setup_database(tmp):
    """A migrated throw-away SQLite database, and Django set up on it in this process."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        RELAIS_VAR_DIR=str(tmp / "var"),
        RELAIS_MEDIA_ROOT=str(tmp / "media"),
        RELAIS_DEBUG="0",
        DJANGO_SETTINGS_MODULE="relais.settings",
    )
    print("» manage.py migrate (in a temporary folder)", flush=True)
    subprocess.run(
        [BIN / "python", "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=os.environ,
        check=True,
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from relais.countries.models import Country, Organisation, Role

    mali = Country.objects.create(code="ML", name="Mali", currency="XOF", languages=["fr"])
    mali.national_body = Organisation.objects.create(
        name="Comité national de lutte contre la traite des personnes",
        acronym="CNLTP",
        kind=Organisation.Kind.NATIONAL_BODY,
        country=mali,
    )
    mali.save()
    for name in PARTNERS[:4]:
        Organisation.objects.create(name=name, kind=Organisation.Kind.PARTNER, country=None)
    user = get_user_model().objects.create_user(
        email="coordinator.ml@bench.relais.africa", password="bench-import"
    )
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, country=mali)
    return mali, user


def read_and_check(data, country):
    """What the review page does with the stored workbook."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from relais.core.sheets import read_workbook
    from relais.plans.importing import match_organisations, parse_workbook

    sheets = read_workbook(SimpleUploadedFile("plan-2018-2019.xlsx", data))
    parsed = parse_workbook(sheets, default_currency=country.currency)
    organisations = match_organisations(parsed, country) if not parsed.errors else {}
    return parsed, organisations


def write(parsed, organisations, country, user):
    """What the confirm button does."""
    from relais.plans import services

    return services.plan_import(
        parsed=parsed, country=country, by=user, organisations=organisations
    )


def max_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main():
    with tempfile.TemporaryDirectory(prefix="relais-bench-import-") as folder:
        tmp = Path(folder)
        mali, user = setup_database(tmp)
        from relais.plans.models import Activity

        started = time.perf_counter()
        data, expected_total = workbook()
        print(
            f"» workbook: {ACTIVITIES} activities, {len(data) / 1e6:.2f} MB, "
            f"written in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        rss_before = max_rss_mb()

        reads, writes = [], []
        for _run in range(RUNS):
            started = time.perf_counter()
            parsed, organisations = read_and_check(data, mali)
            reads.append(time.perf_counter() - started)
            if parsed.errors:
                sys.exit(f"the workbook has errors: {[str(e) for e in parsed.errors[:5]]}")
            started = time.perf_counter()
            plan = write(parsed, organisations, mali, user)
            writes.append(time.perf_counter() - started)
        rss_peak = max_rss_mb()

        imported = Activity.objects.filter(objective__plan=plan)
        assert imported.count() == ACTIVITIES, imported.count()
        assert parsed.total == expected_total, (parsed.total, expected_total)
        assert plan.history.count() == 1
        assert Activity.history.filter(objective_id__in=plan.objectives.values("pk")).count() == (
            ACTIVITIES
        )

        tracemalloc.start()
        parsed, organisations = read_and_check(data, mali)
        _size, python_read = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        write(parsed, organisations, mali, user)
        _size, python_write = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    read_s, write_s = statistics.median(reads), statistics.median(writes)
    total_s = statistics.median(r + w for r, w in zip(reads, writes, strict=True))
    print()
    print(f"{'step':<34}{'median':>10}{'runs':>26}")
    print(f"{'read + check (review page)':<34}{read_s:>9.2f}s{_runs(reads):>26}")
    print(f"{'write (confirm), with history':<34}{write_s:>9.2f}s{_runs(writes):>26}")
    print(f"{'together':<34}{total_s:>9.2f}s")
    print()
    print(f"peak resident memory of the process (ru_maxrss): {rss_peak:.0f} MB")
    print(f"  of which before the first import (Python, Django, the workbook): {rss_before:.0f} MB")
    print(f"peak of Python's allocations, read + check (tracemalloc): {python_read / 1e6:.0f} MB")
    print(f"peak of Python's allocations, write (tracemalloc): {python_write / 1e6:.0f} MB")
    print(f"total read: {parsed.total} FCFA, {parsed.activity_count} activities, all checked")
    print()
    failed = False
    for name, value, limit, unit in [
        ("read + check + write", total_s, BUDGET_SECONDS, "s"),
        ("peak resident memory", rss_peak, BUDGET_MB, "MB"),
    ]:
        ok = value < limit
        failed |= not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {value:.2f} {unit} (budget < {limit} {unit})")
    sys.exit(1 if failed else 0)


def _runs(values):
    return " ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
