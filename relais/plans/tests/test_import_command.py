"""`python manage.py import_plan FILE --country ML [--dry-run] [--json]`."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from relais.plans.models import Activity, Objective, Plan, PlanEvent
from relais.plans.tests.workbooks import Layout, build, database_counts, sheet_bytes

pytestmark = pytest.mark.django_db

KEYS = {"objectives", "activities", "total", "currency", "warnings", "errors", "created"}


def run(path, *options, capsys):
    """(exit status, what was printed)."""
    with translation.override("en"):
        try:
            call_command("import_plan", str(path), "--country", "ML", *options)
            status = 0
        except SystemExit as exited:
            status = exited.code
    return status, capsys.readouterr()


@pytest.fixture
def workbook(tmp_path):
    def write(layout=None, name="plan.xlsx", data=None):
        expected = None
        if data is None:
            data, expected = build(layout or Layout())
        path = tmp_path / name
        path.write_bytes(data)
        return path, expected

    return write


def test_json_output_and_the_plan_created(workbook, mali, capsys):
    path, expected = workbook(Layout(stated_offset=Decimal(1000)))
    status, printed = run(path, "--json", capsys=capsys)
    assert status == 0
    result = json.loads(printed.out)
    assert set(result) == KEYS
    plan = Plan.objects.get()
    assert result["created"] == plan.pk
    assert result["objectives"] == 3 == Objective.objects.filter(plan=plan).count()
    assert result["activities"] == 6 == Activity.objects.filter(objective__plan=plan).count()
    assert result["total"] == f"{expected.total:f}" == "50910000"  # a plain decimal string
    assert result["currency"] == "XOF"
    assert result["errors"] == []
    (warning,) = [w for w in result["warnings"] if "grand total" in w["message"]]
    assert set(warning) == {"sheet", "row", "column", "message"}
    assert warning["sheet"] == "Plan" and isinstance(warning["row"], int)
    assert warning["column"] == "O"
    assert "50,911,000" in warning["message"] and "50,910,000" in warning["message"]
    assert plan.status == Plan.Status.DRAFT and plan.created_by is None
    assert PlanEvent.objects.get(plan=plan).action == PlanEvent.Action.IMPORT


def test_the_total_keeps_the_currencys_cents(workbook, mali, capsys):
    path, expected = workbook(Layout(language="en", currency="GMD", amounts="comma"))
    status, printed = run(path, "--json", capsys=capsys)
    result = json.loads(printed.out)
    assert status == 0 and result["currency"] == "GMD"
    assert result["total"] == f"{expected.total:f}" == "415016.00"


def test_dry_run_reads_and_checks_but_writes_nothing(workbook, mali, capsys):
    path, _expected = workbook()
    before = database_counts()
    status, printed = run(path, "--json", "--dry-run", capsys=capsys)
    assert status == 0
    result = json.loads(printed.out)
    assert result["created"] is None and result["activities"] == 6
    assert database_counts() == before


def test_errors_exit_with_status_1_name_their_place_and_write_nothing(workbook, mali, capsys):
    rows = [
        ["Plan d'action de plaidoyer (2018-2019)"],
        ["N°", "Activités", "Responsable", "T1 2018", "T2 2018", "Coût total (FCFA)"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "Structure inconnue", "X", "", "4 250 000"],
        ["1.2", "Plaidoyer", "CNLTP", "", "", "1 000 000"],
        ["1.3", "Étude", "CNLTP", "X", "", "4,25,0"],
    ]
    path, _expected = workbook(data=sheet_bytes(rows, name="Budget"))
    before = database_counts()
    status, printed = run(path, "--json", capsys=capsys)
    assert status == 1
    result = json.loads(printed.out)
    assert result["created"] is None
    assert result["errors"] == [
        {
            "sheet": "Budget",
            "row": 5,
            "column": "D",
            "message": "The activity has no mark in its chronogram.",
        },
        {"sheet": "Budget", "row": 6, "column": "F", "message": "“4,25,0” is not an amount."},
    ]
    assert database_counts() == before
    # the same with --dry-run
    status, _printed = run(path, "--json", "--dry-run", capsys=capsys)
    assert status == 1


def test_without_json_it_prints_sentences(workbook, mali, capsys):
    path, _expected = workbook()
    status, printed = run(path, capsys=capsys)
    assert status == 0
    plan = Plan.objects.get()
    assert printed.out.strip().endswith(
        f"3 objectives, 6 activities, total 50910000 XOF, plan #{plan.pk} created"
    )
    rows = [["N°", "Activités", "T1 2018", "Coût total"], ["1", "Atelier", "X", "beaucoup"]]
    path, _expected = workbook(data=sheet_bytes(rows), name="bad.xlsx")
    status, printed = run(path, "--dry-run", capsys=capsys)
    assert status == 1
    assert "error: Sheet Plan, row 2, column D: “beaucoup” is not an amount." in printed.err


def test_an_unknown_country_or_a_missing_file_is_a_command_error(workbook, mali, tmp_path):
    path, _expected = workbook()
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), "--country", "XX")
    with pytest.raises(CommandError):
        call_command("import_plan", str(tmp_path / "missing.xlsx"), "--country", "ML")
    assert Plan.objects.count() == 0
