"""The four catalogues are complete, their placeholders match, and they are up to date with the
code (style.md, "Translations")."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po
from django.conf import settings

LANGUAGES = ["fr", "en", "pt", "ar"]
PLURALS = {"fr": 2, "en": 2, "pt": 2, "ar": 6}
LOCALE = Path(settings.LOCALE_PATHS[0])
# What makemessages is run with (the README's command; e2e/ and bench/ hold no interface text).
MAKEMESSAGES = ["--ignore=.venv", "--ignore=e2e", "--ignore=bench", "--no-obsolete"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
# A plural form may leave the count out: Arabic writes "عضو واحد" (one member) and "عضوان"
# (two members), not "1 عضو". `counter` is the name blocktranslate's `count` gives it.
COUNT_PLACEHOLDERS = {"counter", "count"}


def catalogue_path(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def read_catalogue(path):
    """The catalogue, with the language and plural forms its own header states."""
    with path.open("rb") as file:
        return read_po(file)


def placeholders(text):
    return set(PLACEHOLDER.findall(text))


def edges(text):
    """The whitespace a text starts and ends with (a msgstr keeps the msgid's)."""
    return re.match(r"\s*", text).group(), re.search(r"\s*$", text).group()


def entry_problems(message, nplurals):
    """What is wrong with one catalogue entry, as short sentences (none if it is right)."""
    problems = []
    if message.fuzzy:
        problems.append("fuzzy")
    ids = message.id if message.pluralizable else (message.id,)
    strings = message.string if message.pluralizable else (message.string,)
    strings = tuple(strings or ())
    if message.pluralizable and len(strings) != nplurals:
        problems.append(f"{len(strings)} plural forms instead of {nplurals}")
    if not strings or any(not string for string in strings):
        problems.append("untranslated")
        return problems
    expected = set().union(*(placeholders(msgid) for msgid in ids))
    required = expected - COUNT_PLACEHOLDERS if message.pluralizable else expected
    python_format = "python-format" in message.flags
    for index, string in enumerate(strings):
        found = placeholders(string)
        label = f"msgstr[{index}]" if message.pluralizable else "msgstr"
        if not required <= found <= expected:
            problems.append(
                f"{label} has placeholders {sorted(found)}, expected {sorted(expected)}"
            )
        elif python_format:
            try:
                string % dict.fromkeys(expected, 1)
            except (ValueError, TypeError, KeyError) as error:
                problems.append(f"{label} cannot be formatted: {error}")
        if edges(string) != edges(ids[min(index, len(ids) - 1)]):
            problems.append(f"{label} does not keep the msgid's leading and trailing whitespace")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_keeps_placeholders(language):
    catalogue = read_catalogue(catalogue_path(language))
    assert catalogue.locale_identifier == language, "the header's Language is wrong"
    assert not catalogue.fuzzy, "the header is marked fuzzy"
    assert catalogue.num_plurals == PLURALS[language], catalogue.plural_forms
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        for problem in entry_problems(message, catalogue.num_plurals):
            problems.append(f"{message.id!r}: {problem}")
    assert not problems, f"{len(problems)} problem(s) in {language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "pt", "ar"])
def test_catalogue_holds_the_same_strings_as_the_french_one(language):
    # The French catalogue is the one checked against the code, below.
    def keys(catalogue):
        return {(message.context, message.id) for message in catalogue if message.id}

    french = keys(read_catalogue(catalogue_path("fr")))
    other = keys(read_catalogue(catalogue_path(language)))
    assert not french - other, f"missing from {language}: {sorted(map(str, french - other))}"
    assert not other - french, f"only in {language}: {sorted(map(str, other - french))}"


def test_entry_problems_catches_what_the_catalogues_must_not_hold():
    def check(msgid, string, flags=("python-format",)):
        return entry_problems(Message(msgid, string, flags=flags), 6)

    assert check("%(name)s saved.", "%(name)s enregistré.") == []
    assert check("Saved.", "") == ["untranslated"]
    assert check("%(name)s saved.", "%(nom)s enregistré.") == [
        "msgstr has placeholders ['nom'], expected ['name']"
    ]
    assert check("%(rate)s per cent", "%(rate)s %") == [
        "msgstr cannot be formatted: incomplete format"
    ]
    assert "fuzzy" in entry_problems(Message("Saved.", "Enregistré.", flags=("fuzzy",)), 2)
    # Arabic: the forms for one and two may spell the number out, never drop another placeholder.
    plural = ("%(country)s: %(counter)s objective", "%(country)s: %(counter)s objectives")
    forms = ["%(country)s: لا أهداف", "%(country)s: هدف واحد", "%(country)s: هدفان"]
    forms += ["%(country)s: %(counter)s أهداف", "%(country)s: %(counter)s هدفًا", "هدف"]
    assert check(plural, tuple(forms)) == [
        "msgstr[5] has placeholders [], expected ['counter', 'country']"
    ]
    assert check(plural, tuple(forms[:2])) == ["2 plural forms instead of 6"]


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="makemessages needs GNU gettext (xgettext, msgmerge), which is not installed",
)
def test_catalogue_has_every_string_of_the_code():
    """Runs makemessages for French (about a second), which rewrites the real catalogue; the
    original is put back whatever happens. A string of the code missing from the catalogue
    fails the test: run the README's makemessages command and translate it."""
    path = catalogue_path("fr")
    original = path.read_bytes()
    try:
        run = subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "fr", "-v", "0", *MAKEMESSAGES],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )
        extracted = read_catalogue(path) if run.returncode == 0 else None
    finally:
        path.write_bytes(original)
    assert run.returncode == 0, run.stderr
    current = read_catalogue(path)
    missing = []
    for message in extracted:
        known = current.get(message.id, context=message.context) if message.id else message
        # Same key but another msgid_plural is a changed string too.
        if known is None or known.id != message.id:
            context = f" (context {message.context!r})" if message.context else ""
            missing.append(f"{message.id!r}{context}")
    assert not missing, (
        f"{len(missing)} string(s) of the code are not in the catalogues:\n" + "\n".join(missing)
    )
