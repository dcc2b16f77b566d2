"""Importing a list of participants: from a workbook, a CSV or rows pasted from Excel, columns
recognised in four languages, reviewed before anything is saved, then all or nothing."""

import io
from datetime import date
from html import unescape

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from relais.countries.models import Organisation
from relais.countries.tests.factories import CountryFactory, OrganisationFactory
from relais.events.models import Event
from relais.workshops import participants, services
from relais.workshops.models import Participant, Participation

pytestmark = pytest.mark.django_db

FIRST_NAMES = ["Fatoumata", "Moussa", "Aminata", "Oumar", "Kadiatou", "Bakary", "Mariam", "Seydou"]
LAST_NAMES = ["Diarra", "Keïta", "Traoré", "Coulibaly", "Sangaré"]


def state():
    return {
        "participants": list(Participant.objects.order_by("pk").values_list("pk", "full_name")),
        "participations": list(
            Participation.objects.order_by("pk").values_list("pk", "event_id", "participant_id")
        ),
    }


@pytest.fixture
def coordinator(make_user, mali):
    # Reads the pages in English, so that messages can be compared as written.
    return make_user("coordinator", mali, language="en")


@pytest.fixture
def workshop(mali):
    return services.workshop_create(
        country=mali,
        by=None,
        kind=Event.Kind.TRAINING,
        title="Formation des acteurs de la chaîne pénale",
        starts_on=date(2018, 4, 24),
        ends_on=date(2018, 4, 25),
    )


def xlsx(rows, *, above=(), name="liste.xlsx"):
    """A workbook whose first sheet holds `above` (title rows) then `rows`."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Participants")
    for index, row in enumerate([*above, *rows]):
        for column, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(index, column, value)
            elif value not in ("", None):
                sheet.write_string(index, column, value)
    book.close()
    return SimpleUploadedFile(name, output.getvalue())


def upload(client, workshop, **data):
    return client.post(reverse("workshops:participants_import", args=[workshop.pk]), data)


def confirm(client, workshop, response):
    return client.post(
        reverse("workshops:participants_import", args=[workshop.pk]),
        {"confirm": "1", "data": response.context["data"]},
    )


def problems(response):
    return [unescape(str(p)) for p in response.context.get("problems") or []]


# Workbooks, CSV and pasted rows ---------------------------------------------------------------


def test_a_40_row_workbook_is_reviewed_then_saved(client, coordinator, mali, workshop):
    earlier = services.workshop_create(
        country=mali,
        by=None,
        kind=Event.Kind.TRAINING,
        title="Atelier de Bamako",
        starts_on=date(2017, 11, 6),
    )
    known = participants.participant_add(
        event=earlier, by=None, full_name="Diarra Fatoumata", phone="+223 76 00 00 00"
    )[0].participant
    OrganisationFactory(
        name="Ministère de la Justice", acronym="MJ", kind=Organisation.Kind.MINISTRY, country=mali
    )
    header = ["N°", "Nom", "Prénom(s)", "Sexe", "Structure", "Fonction", "Pays", "Téléphone",
              "E-mail", "Signature"]  # fmt: skip
    rows = []
    for index in range(40):
        first, last = FIRST_NAMES[index % 8], LAST_NAMES[index % 5]
        rows.append(
            [
                index + 1,
                last.upper(),
                f"{first} {index}" if index else first,
                ["F", "H", "Femme", "Homme"][index % 4] if index % 2 == 0 else "H",
                "MJ" if index % 3 == 0 else "Association Kanuya",
                "Magistrat" if index % 3 == 0 else "Animatrice",
                ["Mali", "", "ML", "Sénégal"][index % 4],
                76000000 + index,
                f"p{index}@example.ml" if index % 5 else "",
            ]
        )
    CountryFactory(code="SN", name="Sénégal")
    title = [["Liste de présence — Atelier de formation, Bamako, 24-25 avril 2018"], []]
    client.force_login(coordinator)
    before = state()
    review = upload(client, workshop, workbook=xlsx([header, *rows], above=title))
    assert review.status_code == 200, problems(review)
    assert not problems(review)
    parsed = review.context["parsed"]
    assert (parsed.header_row, len(parsed.rows)) == (3, 40)
    assert parsed.rows[0]["row"] == 4
    assert review.context["adding"] == 40 and review.context["recognised"] == 1
    html = unescape(review.content.decode())
    assert "Recognised: Diarra Fatoumata was already trained at “Atelier de Bamako”" in html
    assert parsed.rows[0]["full_name"] == "Fatoumata DIARRA"
    assert state() == before  # the review saves nothing

    response = confirm(client, workshop, review)
    assert response.status_code == 302
    assert response["Location"].endswith("#participants")
    assert workshop.participations.count() == 40
    assert Participant.objects.count() == 40  # one of the 40 was known
    assert workshop.participations.filter(participant=known).exists()
    seydou = Participant.objects.get(full_name="Seydou 7 TRAORÉ")
    assert (seydou.sex, seydou.phone, seydou.email) == ("M", "76000007", "p7@example.ml")
    assert (seydou.organisation, seydou.organisation_kind) == ("Association Kanuya", "")
    oumar = Participant.objects.get(full_name="Oumar 3 COULIBALY")
    assert (oumar.organisation, oumar.organisation_kind) == ("MJ", "ministry")
    assert oumar.country.code == "SN"
    assert Participant.objects.get(full_name="Moussa 1 KEÏTA").country == mali  # the workshop's
    known.refresh_from_db()
    assert (known.full_name, known.sex, known.organisation) == ("Diarra Fatoumata", "F", "MJ")
    assert workshop.participations.filter(participant__sex="F").count() == 20
    page = client.get(response["Location"])
    assert "40 participants have been added to the list." in unescape(page.content.decode())


def test_a_csv_with_english_headers(client, coordinator, mali, workshop):
    CountryFactory(code="SN", name="Sénégal")
    OrganisationFactory(
        name="Ministry of Justice", acronym="MoJ", kind=Organisation.Kind.MINISTRY, country=mali
    )
    text = (
        "Full name,Sex,Organization,Type of organisation,Position,Country,Phone,Email\n"
        "Awa Ndiaye,Female,Ministry of Justice,,Judge,Senegal,+221 77 123 45 67,awa@example.sn\n"
        "John Mendy,Male,Plan International,International NGO,Officer,SN,,\n"
        "Mariama Bah,female,MoJ,,Clerk,,,\n"
    )
    client.force_login(coordinator)
    review = upload(client, workshop, workbook=SimpleUploadedFile("list.csv", text.encode("utf-8")))
    assert not problems(review)
    rows = review.context["parsed"].rows
    assert [row["sex"] for row in rows] == ["F", "M", "F"]
    assert [row["organisation_kind"] for row in rows] == ["ministry", "ingo", "ministry"]
    assert confirm(client, workshop, review).status_code == 302
    awa = Participant.objects.get(full_name="Awa Ndiaye")
    assert (awa.country.code, awa.phone_key, awa.function) == ("SN", "71234567", "Judge")
    assert Participant.objects.get(full_name="Mariama Bah").country == mali


def test_rows_pasted_from_excel(client, coordinator, workshop):
    text = (
        "Nom et prénom(s)\tH/F\tStructure\tType de structure\tFonction\tContact\n"
        "Fatoumata Diarra\tF\tCNLTP\tOrgane national\tSecrétaire permanente\t76 12 34 56\n"
        "Moussa Keïta\tH\tAMDH\tOSC\tJuriste\t66 12 34 56\n"
        "\t\t\t\t\t\n"
        "Oumar Sangaré\tH\tGendarmerie nationale\tÉtat\tCommandant\t\n"
    )
    client.force_login(coordinator)
    review = upload(client, workshop, text=text)
    assert not problems(review)
    rows = review.context["parsed"].rows
    assert [row["full_name"] for row in rows] == [
        "Fatoumata Diarra",
        "Moussa Keïta",
        "Oumar Sangaré",
    ]
    assert [row["organisation_kind"] for row in rows] == ["national_body", "cso", "state"]
    assert [row["row"] for row in rows] == [2, 3, 5]
    assert confirm(client, workshop, review).status_code == 302
    assert sorted(Participant.objects.values_list("sex", flat=True)) == ["F", "M", "M"]


def test_a_list_with_arabic_headers(client, coordinator, workshop):
    CountryFactory(code="MR", name="Mauritanie")
    header = ["الرقم", "الاسم الكامل", "الجنس", "الهيئة", "الوظيفة", "البلد", "الهاتف",
              "البريد الإلكتروني"]  # fmt: skip
    rows = [
        [1, "فاطمة بنت محمد", "أنثى", "وزارة العدل", "قاضية", "موريتانيا", "+222 22 11 22 33", ""],
        [2, "محمد ولد أحمد", "ذكر", "جمعية", "محام", "مالي", "", "m.ahmed@example.mr"],
    ]
    client.force_login(coordinator)
    review = upload(client, workshop, workbook=xlsx([header, *rows], name="قائمة.xlsx"))
    assert not problems(review)
    assert confirm(client, workshop, review).status_code == 302
    fatima = Participant.objects.get(full_name="فاطمة بنت محمد")
    assert (fatima.sex, fatima.country.code, fatima.phone_key) == ("F", "MR", "22112233")
    mohamed = Participant.objects.get(full_name="محمد ولد أحمد")
    assert (mohamed.sex, mohamed.country.code, mohamed.email) == ("M", "ML", "m.ahmed@example.mr")


def test_someone_already_on_the_list_is_skipped(client, coordinator, workshop):
    participants.participant_add(event=workshop, by=None, full_name="Fatoumata Diarra")
    client.force_login(coordinator)
    review = upload(client, workshop, text="Nom\tSexe\nDIARRA Fatoumata\tF\nMoussa Keïta\tH\n")
    assert not problems(review)
    warnings = [str(w) for w in review.context["parsed"].warnings]
    assert warnings == [
        "Row 2, column A: Fatoumata Diarra is already on this workshop's list: the row is skipped."
    ]
    assert review.context["adding"] == 1
    assert confirm(client, workshop, review).status_code == 302
    assert workshop.participations.count() == 2


# Bad input: every problem said with its row and column, nothing saved --------------------------


def test_a_row_with_no_name_is_said_and_nothing_is_saved(client, coordinator, workshop):
    header = ["N°", "Nom", "Prénom", "Sexe", "Structure"]
    rows = [
        [1, "Diarra", "Fatoumata", "F", "CNLTP"],
        [2, "", "", "F", "AMDH"],
        [3, "Keïta", "Moussa", "H", "AMDH"],
    ]
    client.force_login(coordinator)
    before = state()
    response = upload(
        client, workshop, workbook=xlsx([header, *rows], above=[["Liste des participants"]])
    )
    assert response.status_code == 200
    assert problems(response) == ["Row 4, column B: The participant has no name."]
    html = unescape(response.content.decode())
    assert "Row 4, column B: The participant has no name." in html
    assert "Nothing has been saved" in html
    assert "data" not in response.context
    assert state() == before


def test_every_problem_is_listed_with_its_row_and_column(client, coordinator, workshop):
    text = (
        "Nom et prénoms;Sexe;Structure;Téléphone;Email\n"
        "Fatoumata Diarra;F;CNLTP;76 12 34 56;f.diarra@example.ml\n"
        "Moussa Keïta;X;AMDH;;moussa@\n"
        "DIARRA Fatoumata;F;CNLTP;;\n"
        ";;AMDH;;\n"
    )
    client.force_login(coordinator)
    before = state()
    response = upload(client, workshop, text=text)
    assert problems(response) == [
        "Row 3, column B: “X” is not a sex Relais can read: write F or M (H for homme).",
        "Row 3, column E: “moussa@” is not a valid email address.",
        "Row 4, column A: The same person as row 2.",
        "Row 5, column A: The participant has no name.",
    ]
    assert state() == before


def test_a_file_that_is_not_a_spreadsheet(client, coordinator, workshop):
    client.force_login(coordinator)
    before = state()
    fake = SimpleUploadedFile("liste.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    response = upload(client, workshop, workbook=fake)
    assert response.status_code == 200
    errors = response.context["form"].errors["workbook"]
    assert len(errors) == 1 and errors[0].startswith("“liste.xlsx” is PDF; expected: ")
    assert "liste.xlsx" in unescape(response.content.decode())
    assert state() == before


def test_a_sheet_without_a_header_row(client, coordinator, workshop):
    client.force_login(coordinator)
    response = upload(client, workshop, text="Fatoumata Diarra\tF\nMoussa Keïta\tH\n")
    assert problems(response)[0].startswith("No column of names was found.")
    response = upload(client, workshop)
    assert response.context["form"].non_field_errors() == [
        "Choose a spreadsheet or paste the rows of the list."
    ]
    assert not Participant.objects.exists()


def test_an_altered_review_saves_nothing(client, coordinator, workshop):
    client.force_login(coordinator)
    review = upload(client, workshop, text="Nom\tSexe\nFatoumata Diarra\tF\n")
    data = review.context["data"]
    url = reverse("workshops:participants_import", args=[workshop.pk])
    response = client.post(url, {"confirm": "1", "data": data[:-3] + "abc"})
    assert response.status_code == 200
    assert problems(response) == [
        "The reviewed list has expired or was altered: import the list again."
    ]
    other = services.workshop_create(
        country=workshop.country,
        by=None,
        kind=Event.Kind.TRAINING,
        title="Autre",
        starts_on=date(2018, 6, 1),
    )
    response = client.post(
        reverse("workshops:participants_import", args=[other.pk]), {"confirm": "1", "data": data}
    )
    assert problems(response) == ["The reviewed list is for another workshop: import it again."]
    assert not Participant.objects.exists()


def test_the_import_is_all_or_nothing(coordinator, workshop):
    """The service checks the rows again when it saves them: one bad row, nothing saved."""
    parsed = participants.ParsedImport(
        columns={"full_name": "B", "email": "C"},
        rows=[
            {"row": 2, "full_name": "Fatoumata Diarra", "sex": "F", "organisation": "",
             "organisation_kind": "", "function": "", "country": None, "phone": "",
             "email": ""},
            {"row": 3, "full_name": "Moussa Keïta", "sex": "M", "organisation": "",
             "organisation_kind": "", "function": "", "country": None, "phone": "",
             "email": "not an email"},
        ],
    )  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        participants.participants_import(event=workshop, by=coordinator, parsed=parsed)
    assert refused.value.messages == [
        "Row 3, column C: “not an email” is not a valid email address."
    ]
    assert not Participant.objects.exists() and not Participation.objects.exists()


def test_a_single_column_of_names(client, coordinator, workshop):
    client.force_login(coordinator)
    review = upload(client, workshop, text="Participants\nNoms et prénoms\nAwa Traoré\nOumar Sow\n")
    assert not problems(review)
    assert [row["full_name"] for row in review.context["parsed"].rows] == [
        "Awa Traoré",
        "Oumar Sow",
    ]
    assert review.context["parsed"].header_row == 2
