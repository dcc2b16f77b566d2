"""Who took part in a workshop: adding a person, changing them, removing them from the list,
importing a list from a spreadsheet or from rows pasted out of Excel, and exporting the list
with its contacts (recorded, since it is personal data).

Whoever is added is looked for among the people already trained (relais.workshops.matching):
the same person found again gets a second participation, not a second record.

Reading a list (`parse_participants`) only reads: the header row is found from its content,
columns are recognised by their titles in French, English, Portuguese or Arabic, and what cannot
be read becomes an error with its row and column. `participants_import` writes, all or nothing.
"""

import io
from dataclasses import dataclass, field

from babel import Locale
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.core.sheets import Problem, column_letter, title_match
from relais.core.text import name_key, normalise
from relais.countries.models import Country, Organisation
from relais.events.models import Event
from relais.plans.importing import MAX_HEADER_SCAN
from relais.workshops.matching import known_people, organisation_key, phone_key, same_person
from relais.workshops.models import (
    Merge,
    Participant,
    Participation,
    PersonalDataExport,
)

# What a person's record holds besides the name, as the services take it.
FIELDS = ("sex", "organisation", "organisation_kind", "function", "country", "phone", "email")
MAX_LENGTHS = {"full_name": 150, "organisation": 200, "function": 150, "phone": 40, "email": 254}
MAX_ROWS = 2000
IMPORT_SALT = "relais.workshops.participants_import"
IMPORT_MAX_AGE = 6 * 3600

# Column titles, normalised (relais.core.text.normalise), by field.
HEADERS = {
    "number": ["n", "no", "nº", "n°", "numero", "num", "ordre", "n d ordre", "رقم", "الرقم"],
    "full_name": [
        "nom et prenom", "nom et prenoms", "nom et prenom s", "noms et prenoms", "nom prenom",
        "nom prenoms", "nom prenom s", "prenom et nom", "prenoms et nom", "prenom s et nom",
        "nom complet", "participant", "participants", "full name", "name", "names",
        "name and surname", "first name and last name", "participant name", "participant s name",
        "nome", "nome completo", "nome e apelido", "nome do participante", "nomes",
        "الاسم", "الاسم الكامل", "الاسم واللقب", "الاسم و اللقب", "الاسم الثلاثي",
    ],
    "first_name": [
        "prenom", "prenoms", "prenom s", "first name", "first names", "given name", "forename",
        "primeiro nome", "prenome", "الاسم الاول",
    ],
    "last_name": [
        "nom", "noms", "nom de famille", "last name", "surname", "family name", "apelido",
        "sobrenome", "اللقب", "اسم العائله",
    ],
    "sex": [
        "sexe", "genre", "h f", "f h", "m f", "f m", "sex", "gender", "sexo", "genero",
        "الجنس", "النوع",
    ],
    "organisation": [
        "structure", "structures", "structure d origine", "organisation", "organisme",
        "institution", "service", "provenance", "structure service", "organization",
        "agency", "organizacao", "instituicao", "entidade", "estrutura", "orgao",
        "الهيئه", "المؤسسه", "الجهه", "المنظمه",
    ],
    "organisation_kind": [
        "type de structure", "type d organisation", "type d organisme", "categorie", "type",
        "type of organisation", "type of organization", "organisation type",
        "organization type", "category", "tipo de organizacao", "tipo de estrutura",
        "tipo de instituicao", "tipo", "categoria", "نوع الهيئه", "نوع المؤسسه", "نوع المنظمه",
        "الفئه",
    ],
    "function": [
        "fonction", "poste", "titre", "qualite", "fonction poste", "profession", "function",
        "position", "title", "job title", "job", "role", "cargo", "funcao", "profissao",
        "الوظيفه", "المنصب", "الصفه",
    ],
    "country": [
        "pays", "pays d origine", "country", "pais", "البلد", "الدوله",
    ],
    "phone": [
        "telephone", "tel", "tel portable", "contact", "contacts", "contact telephonique",
        "numero de telephone", "n de telephone", "portable", "cellulaire", "phone",
        "telephone number", "phone number", "mobile", "telefone", "telemovel", "contacto",
        "contato", "الهاتف", "رقم الهاتف", "الجوال",
    ],
    "email": [
        "email", "e mail", "emails", "courriel", "adresse email", "adresse e mail", "mail",
        "adresse electronique", "email address", "e mail address", "correio eletronico",
        "endereco de email", "endereco eletronico", "البريد الالكتروني", "البريد",
    ],
}  # fmt: skip
HEADERS = {name: [normalise(s) for s in synonyms] for name, synonyms in HEADERS.items()}
NAME_FIELDS = ("full_name", "last_name", "first_name")

SEXES = {
    Participant.Sex.WOMAN: [
        "f", "femme", "feminin", "fem", "mme", "mlle", "madame", "female", "woman", "w",
        "mulher", "feminino", "senhora", "انثى", "امراه",
    ],
    Participant.Sex.MAN: [
        "m", "h", "homme", "masculin", "masc", "monsieur", "mr", "male", "man", "homem",
        "masculino", "senhor", "ذكر", "رجل",
    ],
}  # fmt: skip
SEXES = {normalise(word): sex.value for sex, words in SEXES.items() for word in words}

KIND_WORDS = {
    Organisation.Kind.NATIONAL_BODY: ["organe national", "comite national", "cellule nationale"],
    Organisation.Kind.MINISTRY: ["ministere", "ministry", "ministerio", "وزاره"],
    Organisation.Kind.STATE: [
        "etat", "etatique", "structure etatique", "structure publique", "public", "publique",
        "administration", "gouvernement", "state", "government", "public sector", "estado",
        "estatal", "governo", "publico", "دوله", "حكومي", "حكوميه",
    ],
    Organisation.Kind.CSO: [
        "osc", "societe civile", "ong", "ong nationale", "association", "cso", "ngo",
        "civil society", "osc ong", "ong osc", "sociedade civil", "osc", "associacao",
        "مجتمع مدني", "المجتمع المدني", "جمعيه",
    ],
    Organisation.Kind.INGO: [
        "ong internationale", "ongi", "ingo", "international ngo", "ong internacional",
        "منظمه دوليه",
    ],
    Organisation.Kind.PARTNER: [
        "ptf", "partenaire", "partenaire technique et financier", "partner", "donor",
        "bailleur", "parceiro", "شريك",
    ],
    Organisation.Kind.UN: [
        "nations unies", "onu", "un", "un agency", "systeme des nations unies", "united nations",
        "nacoes unidas", "الامم المتحده",
    ],
    Organisation.Kind.REGIONAL: [
        "regional", "organisation regionale", "regional body", "organizacao regional", "اقليمي",
    ],
}  # fmt: skip
ALPHA3 = {"GM": "gmb", "GN": "gin", "GW": "gnb", "ML": "mli", "MR": "mrt", "SN": "sen"}


# Reading a list ------------------------------------------------------------------------------


@dataclass
class ParsedImport:
    """A list of participants read from a sheet: its rows (dicts, values as they will be
    recorded, `row` as Excel numbers it), and what was found wrong (Problems)."""

    sheet: str = ""
    header_row: int | None = None  # 1-based
    columns: dict = field(default_factory=dict)  # field → column letter
    rows: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def problem(self, message, row=None, name=None):
        return Problem(message=message, row=row, column=self.columns.get(name, ""))

    def error(self, message, row=None, name=None):
        self.errors.append(self.problem(message, row, name))

    def warn(self, message, row=None, name=None):
        self.warnings.append(self.problem(message, row, name))

    @property
    def name_column(self):
        return next((name for name in NAME_FIELDS if name in self.columns), "full_name")

    def sort(self):
        self.errors.sort(key=lambda p: (p.row or 0, p.column))
        self.warnings.sort(key=lambda p: (p.row or 0, p.column))


def _header_match(text):
    return title_match(text, HEADERS)


def header_field(text):
    """The field a column title names, or None: "Nom et prénom(s)" → "full_name"."""
    match = _header_match(text)
    return match[0] if match else None


def _row_fields(sheet, row, *, ranks=False):
    """{field: column} of a header row; of two titles naming one field, the better wins.
    With `ranks`, also how well the titles matched (the sum of their synonyms' lengths)."""
    found = {}
    for column in range(len(sheet.rows[row])):
        match = _header_match(sheet.text(row, column))
        if match and (match[0] not in found or match[1] > found[match[0]][1]):
            found[match[0]] = (column, match[1])
    fields = {name: column for name, (column, _rank) in found.items()}
    if ranks:
        return fields, sum(rank[1] for _column, rank in found.values())
    return fields


def find_header(sheets):
    """(sheet, header row, {field: column}) of the best header among `sheets`: a row naming the
    people (a name, or first and last names) and more columns, or only the names. The row
    naming most columns wins, then the one whose titles are the most precise. None if no row
    names the people."""
    best = None
    for sheet in sheets:
        for row in range(min(len(sheet.rows), MAX_HEADER_SCAN)):
            fields, rank = _row_fields(sheet, row, ranks=True)
            if not set(NAME_FIELDS) & fields.keys():
                continue
            if len(fields) < 2 and (len(sheet.filled(row)) > 1 or "full_name" not in fields):
                continue  # a lone title is a header only when it is all the row says
            # The row naming most columns wins, then the one whose titles say most.
            if best is None or (len(fields), rank) > best[0]:
                best = ((len(fields), rank), sheet, row, fields)
    return best[1:] if best else None


def _lookup(words):
    return {normalise(word): value.value for value, synonyms in words.items() for word in synonyms}


def _kinds():
    """{normalised word or label: Organisation.Kind}: the kinds' names in every language and
    the words people use for them."""
    found = _lookup(KIND_WORDS)
    for language in ("fr", "en", "pt", "ar"):
        with translation.override(language):
            for kind in Organisation.Kind:
                found.setdefault(normalise(str(kind.label)), kind.value)
    for kind in Organisation.Kind:
        found.setdefault(normalise(kind.value), kind.value)
    return found


def _organisation_kinds(country):
    """{normalised name or acronym: kind} of the country's and the regional organisations."""
    found = {}
    for organisation in Organisation.objects.filter(
        Q(country=country) | Q(country__isnull=True)
    ).only("name", "acronym", "kind"):
        for key in (organisation.name, organisation.acronym):
            if key:
                found.setdefault(normalise(key), organisation.kind)
    return found


def _countries():
    """({normalised name or code: country id}, {id: Country}) of the network's countries, by
    their names in French, English, Portuguese and Arabic and their ISO codes."""
    index, by_id = {}, {}
    for country in Country.objects.all():
        by_id[country.pk] = country
        keys = [country.code, country.name, ALPHA3.get(country.code, "")]
        for language in ("fr", "en", "pt", "ar"):
            keys.append(Locale.parse(language).territories.get(country.code, ""))
        for key in keys:
            if key:
                index.setdefault(normalise(key), country.pk)
    return index, by_id


def parse_participants(sheets, *, event):
    """A ParsedImport of the list in `sheets` (relais.core.sheets), for `event`: header found,
    every row read and checked. Reads the organisations and countries once each."""
    parsed = ParsedImport()
    found = find_header(sheets)
    if found is None:
        parsed.error(
            _(
                "No column of names was found. The first row of the list should name its "
                "columns, e.g. “Name”, “Sex”, “Organisation”, “Function”, “Phone”, “Email”."
            )
        )
        return parsed
    sheet, header, columns = found
    parsed.sheet, parsed.header_row = sheet.name, header + 1
    parsed.columns = {name: column_letter(column) for name, column in columns.items()}
    if "full_name" not in columns and "first_name" not in columns:
        # A lone "Nom" column holds the whole name.
        columns["full_name"] = columns.pop("last_name")
        parsed.columns["full_name"] = parsed.columns.pop("last_name")
    kinds, known_kinds = _kinds(), _organisation_kinds(event.country)
    countries, _by_id = _countries()
    for row in range(header + 1, len(sheet.rows)):
        values = {name: sheet.text(row, column) for name, column in columns.items()}
        if not any(value for name, value in values.items() if name != "number"):
            continue
        if len(_row_fields(sheet, row)) >= 2:
            continue  # the header again (pasted twice, or printed on every page)
        if len(parsed.rows) >= MAX_ROWS:
            parsed.error(_("The list is too long: import at most %(count)s people at a time.")
                         % {"count": MAX_ROWS})  # fmt: skip
            break
        parsed.rows.append(_read_row(parsed, row + 1, values, event, kinds, known_kinds, countries))
    if not parsed.rows and not parsed.errors:
        parsed.error(_("The list has no participant under its header."), parsed.header_row)
    check_rows(parsed)
    return parsed


def _read_row(parsed, number, values, event, kinds, known_kinds, countries):
    full_name = values.get("full_name") or " ".join(
        value for value in (values.get("first_name"), values.get("last_name")) if value
    )
    record = {"row": number, "full_name": " ".join(full_name.split())}
    sex = values.get("sex", "")
    record["sex"] = SEXES.get(normalise(sex), "") if sex else ""
    if sex and not record["sex"]:
        parsed.error(
            _("“%(value)s” is not a sex Relais can read: write F or M (H for homme).")
            % {"value": sex},
            number,
            "sex",
        )
    organisation = " ".join(values.get("organisation", "").split())
    record["organisation"] = organisation
    kind_text = values.get("organisation_kind", "")
    kind = kinds.get(normalise(kind_text), "") if kind_text else ""
    if kind_text and not kind:
        parsed.warn(
            _("“%(value)s” is not a known type of organisation: it is left empty.")
            % {"value": kind_text},
            number,
            "organisation_kind",
        )
    record["organisation_kind"] = kind or known_kinds.get(normalise(organisation), "")
    record["function"] = " ".join(values.get("function", "").split())
    country_text = values.get("country", "")
    record["country"] = countries.get(normalise(country_text)) if country_text else None
    if not country_text:
        record["country"] = event.country_id
    elif record["country"] is None:
        parsed.warn(
            _("“%(value)s” is not one of the network's countries: the country is left empty.")
            % {"value": country_text},
            number,
            "country",
        )
    record["phone"] = values.get("phone", "")
    record["email"] = values.get("email", "").strip().lower()
    return record


def check_rows(parsed):
    """What every row must be to be recorded, said with its row and column: a name, a valid
    email, values that fit, a known sex, type and country; nobody twice."""
    countries = set(Country.objects.values_list("pk", flat=True))
    first_rows = {}
    for record in parsed.rows:
        number = record["row"]
        if not record["full_name"]:
            parsed.error(_("The participant has no name."), number, parsed.name_column)
        for name, limit in MAX_LENGTHS.items():
            if len(record.get(name) or "") > limit:
                column = parsed.name_column if name == "full_name" else name
                parsed.error(
                    _("Too long: at most %(count)s characters.") % {"count": limit},
                    number,
                    column,
                )
        if record["email"]:
            try:
                validate_email(record["email"])
            except ValidationError:
                parsed.error(
                    _("“%(value)s” is not a valid email address.") % {"value": record["email"]},
                    number,
                    "email",
                )
        if record["sex"] not in ("", *Participant.Sex.values):
            parsed.error(_("Unknown sex."), number, "sex")
        if record["organisation_kind"] not in ("", *Organisation.Kind.values):
            parsed.error(_("Unknown type of organisation."), number, "organisation_kind")
        if record["country"] is not None and record["country"] not in countries:
            parsed.error(_("Unknown country."), number, "country")
        if not record["full_name"]:
            continue
        key = name_key(record["full_name"])
        for earlier in first_rows.get(key, []):
            if not conflicts(earlier, record):
                parsed.error(
                    _("The same person as row %(row)s.") % {"row": earlier["row"]},
                    number,
                    parsed.name_column,
                )
                break
        first_rows.setdefault(key, []).append(record)
    parsed.sort()


def conflicts(first, second):
    """Whether two people bearing one name differ on a phone, email or organisation both give:
    then they are two people (homonyms), otherwise they may be one."""
    pairs = (
        (phone_key(_value(first, "phone")), phone_key(_value(second, "phone"))),
        (_value(first, "email").lower(), _value(second, "email").lower()),
        (
            organisation_key(_value(first, "organisation")),
            organisation_key(_value(second, "organisation")),
        ),
    )
    return any(a and b and a != b for a, b in pairs)


def _value(record, name):
    return (record.get(name) if isinstance(record, dict) else getattr(record, name)) or ""


def _as_person(record):
    return {
        "phone_key": phone_key(record.get("phone")),
        "email": record.get("email") or "",
        "organisation": record.get("organisation") or "",
    }


def recognise(parsed, *, event):
    """Mark each row with who it is among the people already trained: `known` (a Participant,
    with `workshops`, their earlier workshops) or None, and `on_list` when they are already on
    `event`'s list (those rows are skipped, with a warning). Three queries."""
    keys = {name_key(record["full_name"]) for record in parsed.rows if record["full_name"]}
    listed = {}
    for participation in Participation.objects.filter(
        event=event, participant__name_key__in=keys
    ).select_related("participant"):
        person = participation.participant
        listed.setdefault(person.name_key, []).append(person)
    known = known_people(keys)
    for record in parsed.rows:
        key = name_key(record["full_name"])
        record["known"], record["on_list"] = None, False
        on_list = [p for p in listed.get(key, []) if not conflicts(p, record)]
        if on_list:
            record["on_list"] = True
            parsed.warn(
                _("%(name)s is already on this workshop's list: the row is skipped.")
                % {"name": on_list[0].full_name},
                record["row"],
                parsed.name_column,
            )
            continue
        record["known"] = same_person(known.get(key, []), _as_person(record))
    _attach_workshops([record["known"] for record in parsed.rows if record.get("known")])
    for record in parsed.rows:
        if record["known"] is not None:
            record["note"] = recognised_text(record["known"], event=event)
    parsed.sort()
    return parsed


def _attach_workshops(people):
    """Give each of `people` `workshops`: the events they took part in, oldest first."""
    by_pk = {person.pk: person for person in people}
    for person in by_pk.values():
        person.workshops = []
    if not by_pk:
        return
    for participation in (
        Participation.objects.filter(participant_id__in=by_pk)
        .select_related("event")
        .order_by("event__starts_on", "pk")
    ):
        by_pk[participation.participant_id].workshops.append(participation.event)
    for person in people:
        person.workshops = by_pk[person.pk].workshops


def workshops_text(events):
    """“Atelier A” (14 May 2018), “Atelier B” (3 June 2019)"""
    return ", ".join(
        _("“%(title)s” (%(date)s)")
        % {"title": event.title, "date": date_format(event.starts_on, "DATE_FORMAT")}
        for event in events
    )


def recognised_text(known, *, event=None):
    """What to say of a person found again: where they were trained before `event`."""
    earlier = [w for w in getattr(known, "workshops", []) if event is None or w.pk != event.pk]
    if not earlier:
        return _("Recognised: %(name)s was already recorded.") % {"name": known.full_name}
    return _("Recognised: %(name)s was already trained at %(workshops)s.") % {
        "name": known.full_name,
        "workshops": workshops_text(earlier),
    }


# Keeping the rows between the review and the confirmation ----------------------------------


def sign(parsed, *, event):
    """The rows read, signed for the confirmation form: nothing is kept on the server between
    the review and the confirmation, and nothing can be changed on the way."""
    rows = [{key: record[key] for key in ("row", "full_name", *FIELDS)} for record in parsed.rows]
    payload = {"event": event.pk, "sheet": parsed.sheet, "columns": parsed.columns, "rows": rows}
    return signing.dumps(payload, salt=IMPORT_SALT, compress=True)


def unsign(value, *, event):
    """The ParsedImport signed by `sign` for `event`, or ValidationError if it was altered, is
    for another workshop or older than six hours."""
    try:
        payload = signing.loads(value or "", salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(
            _("The reviewed list has expired or was altered: import the list again.")
        ) from exc
    if payload.get("event") != event.pk:
        raise ValidationError(_("The reviewed list is for another workshop: import it again."))
    return ParsedImport(
        sheet=payload["sheet"], columns=payload["columns"], rows=list(payload["rows"])
    )


# Writes -----------------------------------------------------------------------------------------


def _check_event(event):
    if event.kind == Event.Kind.ROUND_TABLE:
        raise ValueError("A round table's participants are recorded by relais.funding.")


def _clean(full_name, fields):
    """The values as recorded, or ValidationError naming the field."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Give the participant's name.")})
    values = {name: fields.get(name) for name in FIELDS}
    for name in ("sex", "organisation", "organisation_kind", "function", "phone", "email"):
        values[name] = " ".join((values[name] or "").split())
    values["email"] = values["email"].lower()
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError as exc:
            raise ValidationError({"email": _("Enter a valid email address.")}) from exc
    if values["sex"] not in ("", *Participant.Sex.values):
        raise ValidationError({"sex": _("Choose woman or man, or leave it empty.")})
    if values["organisation_kind"] not in ("", *Organisation.Kind.values):
        raise ValidationError({"organisation_kind": _("Choose a type of organisation.")})
    for name, limit in MAX_LENGTHS.items():
        value = full_name if name == "full_name" else values[name]
        if len(value) > limit:
            raise ValidationError(
                {name: _("Too long: at most %(count)s characters.") % {"count": limit}}
            )
    return full_name, values


def _fill(person, values):
    """Give `person` what they lack from `values`; True if anything changed."""
    changed = False
    for name, value in values.items():
        attribute = "country_id" if name == "country" else name
        value = value.pk if name == "country" and value is not None else value
        if value and not getattr(person, attribute):
            setattr(person, attribute, value)
            changed = True
    return changed


def _attend(event, person, full_name, values, by):
    """`person` (a recorded Participant, or None for a new one named `full_name`) on `event`'s
    list, given what they lack from `values`."""
    if person is None:
        person = Participant(full_name=full_name)
        _fill(person, values)
        person._history_user = by
        person.save()
    elif _fill(person, values):
        person._history_user = by
        person.save()
    participation = Participation(event=event, participant=person)
    participation._history_user = by
    participation.save()
    return participation


@transaction.atomic
def participant_add(*, event, by, full_name, **fields):
    """`full_name` on `event`'s list: the person already trained if they are found again (the
    same name and phone, email or organisation), a new record otherwise. Returns
    (participation, known): `known` is the recognised Participant, with `workshops`, their
    earlier workshops; None for a new person."""
    _check_event(event)
    full_name, values = _clean(full_name, fields)
    key = name_key(full_name)
    record = {**values, "full_name": full_name}
    for participation in Participation.objects.select_related("participant").filter(
        event=event, participant__name_key=key
    ):
        if not conflicts(participation.participant, record):
            raise ValidationError(
                {
                    "full_name": _("%(name)s is already on this workshop's list.")
                    % {"name": participation.participant.full_name}
                }
            )
    known = same_person(known_people([key]).get(key, []), _as_person(record))
    if known is not None:
        _attach_workshops([known])
    return _attend(event, known, full_name, values, by), known


@transaction.atomic
def participant_update(*, participant, by, full_name, **fields):
    """A participant's name, sex, organisation, function, country and contacts, as typed."""
    full_name, values = _clean(full_name, fields)
    person = Participant.objects.select_for_update().get(pk=participant.pk)
    person.full_name = full_name
    for name, value in values.items():
        setattr(person, name, value)
    person._history_user = by
    person.save()
    return person


@transaction.atomic
def participation_remove(*, participation, by):
    """Take a person off a workshop's list (their attendance, scores and evaluation there
    go too). Their record stays if they took part in anything else or a merge names it."""
    participation = Participation.objects.select_related("participant").get(pk=participation.pk)
    person = participation.participant
    participation._history_user = by
    participation.delete()
    if (
        Participation.objects.filter(participant=person).exists()
        or Participant.objects.filter(merged_into=person).exists()
        or Merge.objects.filter(Q(kept=person) | Q(merged=person)).exists()
    ):
        return False
    person._history_user = by
    person.delete()
    return True


@transaction.atomic
def participants_import(*, event, by, parsed):
    """Every row of `parsed` (a ParsedImport, from parse_participants or unsign) on `event`'s
    list, or nothing: any error raises ValidationError listing each with its row and column.
    Returns the counts {"added", "recognised", "skipped"}."""
    _check_event(event)
    Event.objects.select_for_update().filter(pk=event.pk).first()  # one import at a time
    parsed.errors, parsed.warnings = [], []
    check_rows(parsed)
    if not parsed.errors:
        recognise(parsed, event=event)
    seen = set()
    for record in parsed.rows:
        known = record.get("known")
        if known is not None and known.pk in seen:
            parsed.error(
                _("The same person as another row of the list."),
                record["row"],
                parsed.name_column,
            )
        if known is not None:
            seen.add(known.pk)
    if parsed.errors:
        raise ValidationError([str(problem) for problem in parsed.errors])
    countries = {country.pk: country for country in Country.objects.all()}
    counts = {"added": 0, "recognised": 0, "skipped": 0}
    for record in parsed.rows:
        if record["on_list"]:
            counts["skipped"] += 1
            continue
        values = {name: record[name] for name in FIELDS if name != "country"}
        values["country"] = countries.get(record["country"])
        _attend(event, record["known"], record["full_name"], values, by)
        counts["added"] += 1
        counts["recognised"] += record["known"] is not None
    return counts


# Export ----------------------------------------------------------------------------------------


def export_columns():
    return [
        _("No."),
        _("Full name"),
        _("Sex"),
        _("Organisation"),
        _("Type of organisation"),
        _("Function"),
        _("Country"),
        _("Phone"),
        _("Email"),
    ]


@transaction.atomic
def participants_export(*, event, by):
    """The workshop's participants with their contacts as an .xlsx (headers in the current
    language), recorded as a PersonalDataExport. Returns (file name, bytes)."""
    import xlsxwriter

    people = list(
        Participant.objects.filter(participations__event=event)
        .select_related("country")
        .order_by("full_name", "pk")
    )
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("Participants")[:31])
    if translation.get_language_bidi():
        sheet.right_to_left()
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, export_columns(), bold)
    kinds = dict(Organisation.Kind.choices)
    for number, person in enumerate(people, start=1):
        sheet.write_number(number, 0, number)
        sheet.write_row(
            number,
            1,
            [
                person.full_name,
                person.get_sex_display(),
                person.organisation,
                str(kinds.get(person.organisation_kind, "")),
                person.function,
                person.country.display_name if person.country else "",
                person.phone,
                person.email,
            ],
        )
    sheet.set_column(1, 1, 30)
    sheet.set_column(3, 3, 30)
    sheet.set_column(4, 8, 18)
    sheet.freeze_panes(1, 0)
    book.close()
    PersonalDataExport.objects.create(
        country=event.country,
        event=event,
        what=(_("Participants of “%(title)s”, with their contacts") % {"title": event.title})[:200],
        rows=len(people),
        by=by,
    )
    name = f"participants-{event.starts_on:%Y-%m-%d}-{event.pk}.xlsx"
    return name, output.getvalue()
