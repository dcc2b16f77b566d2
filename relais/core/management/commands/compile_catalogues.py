"""Compile the .po catalogues to .mo with Babel, so that no system gettext is needed.

Skips a catalogue whose .mo is newer than its .po; fuzzy entries are left out, like msgfmt.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po of the project to .mo (with Babel)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even if up to date.")

    def handle(self, *args, force=False, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if (
                    not force
                    and mo_path.exists()
                    and mo_path.stat().st_mtime >= po_path.stat().st_mtime
                ):
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=po_path.parent.parent.name)
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                compiled += 1
        if compiled and options["verbosity"]:
            self.stdout.write(f"Compiled {compiled} catalogue(s).")
