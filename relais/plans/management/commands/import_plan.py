"""Import a plan workbook from the command line, as the browser's import does.

    python manage.py import_plan FILE --country ML [--dry-run] [--json]

With --json, prints one JSON object: objectives, activities, total (a plain decimal string,
exact to the currency's unit), currency, warnings and errors (each with sheet, row — as Excel
numbers it —, column — its letter — and message) and created (the plan's id, or null).
Exits with 0 when the plan was (or, with --dry-run, would be) created, 1 on errors.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from relais.core.money import decimals
from relais.core.sheets import Problem, read_workbook
from relais.countries.models import Country
from relais.plans import services
from relais.plans.importing import ParsedPlan, match_organisations, parse_workbook


class Command(BaseCommand):
    help = "Import a plan workbook (.xlsx, .xlsm, .xls, .ods) as a draft plan of a country."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--country", required=True, help="ISO code, e.g. ML")
        parser.add_argument("--dry-run", action="store_true", help="Read and check only.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, file, country, dry_run, **options):
        as_json = options["json"]
        try:
            target = Country.objects.get(code=country.upper())
        except Country.DoesNotExist as exc:
            raise CommandError(f"Unknown country: {country}") from exc
        path = Path(file)
        if not path.exists():
            raise CommandError(f"No such file: {file}")
        parsed, created = self._import(path, target, dry_run)
        places = decimals(parsed.currency) if parsed.currency else 0
        result = {
            "objectives": len(parsed.objectives),
            "activities": parsed.activity_count,
            "total": f"{parsed.total.quantize(Decimal(1).scaleb(-places)):f}",
            "currency": parsed.currency or target.currency,
            "warnings": [p.as_dict() for p in parsed.warnings],
            "errors": [p.as_dict() for p in parsed.errors],
            "created": created,
        }
        if as_json:
            self.stdout.write(json_dumps(result))
        else:
            for problem in parsed.errors:
                self.stderr.write(f"error: {problem}")
            for problem in parsed.warnings:
                self.stdout.write(f"warning: {problem}")
            self.stdout.write(
                f"{result['objectives']} objectives, {result['activities']} activities, "
                f"total {result['total']} {result['currency']}"
                + (f", plan #{created} created" if created else "")
            )
        if parsed.errors:
            raise SystemExit(1)

    def _import(self, path, country, dry_run):
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                sheets = read_workbook(upload)
            except ValidationError as error:
                parsed = ParsedPlan(sheet="")
                parsed.errors.append(Problem(message=" ".join(error.messages)))
                return parsed, None
        parsed = parse_workbook(sheets, default_currency=country.currency)
        if parsed.errors:
            return parsed, None
        organisations = match_organisations(parsed, country)
        if dry_run:
            return parsed, None
        plan = services.plan_import(
            parsed=parsed, country=country, by=None, organisations=organisations
        )
        return parsed, plan.pk


def json_dumps(value):
    return json.dumps(value, ensure_ascii=False, indent=2)
