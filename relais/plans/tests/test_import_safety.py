"""Workbooks that must not get in, or not as they are: too large, archives that expand beyond
reason, password-protected, damaged, a Word file renamed .xlsx, formulas (never evaluated: their
cached value is read), macros (ignored). Each is refused or handled with a clear message in the
person's language, through the browser and the command line, and nothing is written."""

import io
import json
import struct
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from relais.core.sheets import read_workbook
from relais.core.uploads import OLE_MAGIC
from relais.plans.models import Activity, Plan, PlanImport
from relais.plans.tests.workbooks import Layout, build, database_counts, sheet_bytes, upload

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def zipped(members, *, encrypted=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = bytearray(buffer.getvalue())
    if encrypted:
        # The flag a zip password sets on each member, in its local and its central header.
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.find(signature)
            while start != -1:
                data[start + offset] |= 0x1
                start = data.find(signature, start + 4)
    return bytes(data)


def too_large():
    data = sheet_bytes([["N°", "Activités", "Coût total"]])
    return data + bytes(10 * 1024 * 1024 + 1 - len(data))


def expands_a_thousand_times():
    """A real archive: 20 MB of sheet XML packed into some 20 kB."""
    row = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return zipped(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": row * (20 * 1024 * 1024 // len(row)),
        }
    )


def claims_to_expand_to_300_mb():
    """An archive whose directory says one member expands to 300 MB: it is refused on what it
    says, before anything is expanded."""
    data = bytearray(
        zipped({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"})
    )
    directory = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    struct.pack_into("<I", data, directory + 24, 300 * 1024 * 1024)
    return bytes(data)


def encrypted_xlsx():
    """What Excel writes for a workbook with a password: an OLE container whose stream is
    named EncryptedPackage."""
    return OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(2048)


def encrypted_zip():
    return zipped(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": b"<office:document-content/>",
        },
        encrypted=True,
    )


def truncated():
    return build(Layout())[0][:1500]


def damaged_inside():
    """The parts of an xlsx, but its workbook is not one."""
    return zipped(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b"<workbook><sheets><sheet name=",
            "xl/worksheets/sheet1.xml": b"\x00\x01garbage",
        }
    )


def docx():
    return zipped(
        {
            "[Content_Types].xml": CONTENT_TYPES.replace(b"/xl/workbook.xml", b"/word/doc.xml"),
            "word/document.xml": b"<w:document/>",
        }
    )


def pdf():
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def noise():
    return bytes((index * 7919) % 251 for index in range(4096)).replace(b"PK", b"pk")


# (name, bytes, code, what the English message says)
REFUSED = [
    ("too-large.xlsx", too_large, "too_large", "the limit is 10.0\xa0MB"),
    ("bomb.xlsx", expands_a_thousand_times, "zip_bomb", "would expand to an unreasonable size"),
    ("claims.xlsx", claims_to_expand_to_300_mb, "zip_bomb", "would expand to an unreasonable"),
    ("secret.xlsx", encrypted_xlsx, "encrypted", "is protected by a password"),
    ("secret.ods", encrypted_zip, "encrypted", "is protected by a password"),
    ("truncated.xlsx", truncated, "corrupt", "is damaged and cannot be read"),
    ("damaged.xlsx", damaged_inside, "corrupt", "cannot be read as a spreadsheet"),
    ("letter.xlsx", docx, "wrong_type", "is Word (.docx); expected:"),
    ("report.xlsx", pdf, "wrong_type", "is PDF; expected:"),
    ("noise.xlsx", noise, "wrong_type", "is an unknown kind of file; expected:"),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(("name", "make", "code", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_each_bad_file_is_refused_by_the_reader_with_a_translated_message(name, make, code, says):
    data = make()
    messages = {}
    for language in ("en", "fr", "ar"):
        with translation.override(language):
            with pytest.raises(ValidationError) as caught:
                read_workbook(upload(data, name))
            assert caught.value.code == code
            (messages[language],) = caught.value.messages
        assert name in messages[language]  # it names the file
    assert says in messages["en"]
    assert messages["fr"] != messages["en"] != messages["ar"]  # translated


@pytest.mark.parametrize(("name", "make", "code", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_each_bad_file_is_refused_in_the_browser_and_nothing_is_written(
    name, make, code, says, client, make_user, mali, media
):
    client.force_login(make_user("coordinator", mali, language="en"))
    before = database_counts()
    response = client.post(
        reverse("plans:import_upload", args=[mali.code]), {"workbook": upload(make(), name)}
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["workbook"]
    assert says in error and f"“{name}”" in error
    assert says in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert database_counts() == before
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(("name", "make", "code", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_each_bad_file_is_refused_by_the_command_and_nothing_is_written(
    name, make, code, says, mali, tmp_path, capsys
):
    path = tmp_path / name
    path.write_bytes(make())
    before = database_counts()
    with translation.override("en"), pytest.raises(SystemExit) as exited:
        call_command("import_plan", str(path), "--country", "ML", "--json")
    assert exited.value.code == 1
    result = json.loads(capsys.readouterr().out)
    (error,) = result["errors"]
    assert says in error["message"] and result["created"] is None
    assert database_counts() == before


def test_a_docx_renamed_xlsx_is_refused_even_where_documents_are_accepted():
    from relais.core.uploads import DOCUMENTS, check_upload

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check_upload(upload(docx(), "plan.xlsx"), DOCUMENTS | {"docx"})
    assert caught.value.code == "misnamed"
    assert caught.value.messages == ["“plan.xlsx” is named .xlsx but its content is Word (.docx)."]


def test_the_size_limit_is_the_settings_one(settings):
    settings.RELAIS_UPLOAD_MAX_BYTES = 1000
    data, _expected = build(Layout())
    with pytest.raises(ValidationError) as caught:
        read_workbook(upload(data))
    assert caught.value.code == "too_large"


# Formulas and macros: read, never run ----------------------------------------------------------


def formulas_workbook():
    rows = [
        ["Plan d'action de plaidoyer (2018-2019)"],
        ["N°", "Activités", "T1 2018", "C.U.", "Qté", "Montant"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", 4250000, 2, None],
        ["1.2", "Plaidoyer", "X", None, 1, None],
        ["TOTAL GÉNÉRAL", None, None, None, None, None],
    ]
    formulas = {
        (3, 5): ("=ROUND(D4*E4,0)", 8500000),
        # calls that would reach out if evaluated: only their stored values are read
        (4, 3): ('=WEBSERVICE("http://example.org/cost")', 1500000),
        (4, 5): ('=D5*E5+CALL("kernel32","WinExec","JCJ","calc.exe",0)', 1500000),
        (5, 5): ("=SUM(F4:F5)", 10000000),
    }
    return sheet_bytes(rows, merged=[(2, 0, 2, 5)], formulas=formulas)


def test_formulas_are_read_by_their_cached_value_never_evaluated(client, make_user, mali):
    client.force_login(make_user("coordinator", mali, language="en"))
    response = client.post(
        reverse("plans:import_upload", args=[mali.code]),
        {"workbook": upload(formulas_workbook())},
    )
    review = client.get(response["Location"])
    parsed = review.context["parsed"]
    assert parsed.errors == [] and parsed.warnings == []
    assert parsed.total == Decimal("10000000") == parsed.stated_total
    client.post(reverse("plans:import_confirm", args=[PlanImport.objects.get().pk]))
    assert sorted(Activity.objects.values_list("total", flat=True)) == [
        Decimal("1500000"),
        Decimal("8500000"),
    ]


def macro_workbook():
    """An .xlsm with a VBA project (an OLE stream, as Excel stores one)."""
    import xlsxwriter

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Plan")
    data, _expected = build(Layout(letterhead=0, title=True))
    for r, row in enumerate(read_workbook(upload(data))[0].rows):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.add_vba_project(io.BytesIO(OLE_MAGIC + b"Attribute VB_Name AutoOpen" * 40), True)
    book.close()
    return output.getvalue()


def test_macros_are_ignored_and_the_plan_imported(client, make_user, mali, tmp_path, capsys):
    data = macro_workbook()
    assert "xl/vbaProject.bin" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    path = tmp_path / "plan.xlsm"
    path.write_bytes(data)
    with translation.override("en"):
        call_command("import_plan", str(path), "--country", "ML", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["errors"] == [] and result["activities"] == 6
    assert Plan.objects.get().pk == result["created"]


def test_a_macro_workbook_renamed_xlsx_is_refused_for_what_it_is(client, make_user, mali):
    client.force_login(make_user("coordinator", mali, language="en"))
    response = client.post(
        reverse("plans:import_upload", args=[mali.code]),
        {"workbook": upload(macro_workbook(), "plan.xlsx")},
    )
    (error,) = response.context["form"].errors["workbook"]
    assert error == "“plan.xlsx” is named .xlsx but its content is Excel (.xlsm)."
    assert PlanImport.objects.count() == 0
