"""Every upload is judged by its bytes: real files built here, not names."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from relais.core.uploads import (
    DOCUMENTS,
    IMAGES,
    OLE_MAGIC,
    SPREADSHEETS,
    UploadValidator,
    check_upload,
)

XLSX_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
DOCX_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


@pytest.fixture(autouse=True)
def english():
    """The messages are read in English, whatever language an earlier test left active (the
    test client's requests activate the signed-in person's)."""
    with translation.override("en"):
        yield


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (11, 90, 107)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (11, 90, 107)).save(buffer, format="JPEG")
    return buffer.getvalue()


def gif_bytes():
    buffer = io.BytesIO()
    Image.new("P", (4, 4)).save(buffer, format="GIF")
    return buffer.getvalue()


def pdf_bytes():
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": XLSX_CONTENT_TYPES,
            "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheets/></workbook>',
        }
    )


def docx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": DOCX_CONTENT_TYPES,
            "word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body/></w:document>',
        }
    )


@pytest.fixture(scope="module")
def zip_bomb():
    """An xlsx-looking archive whose one member expands to 300 MB of zeros (~300 KB packed)."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", XLSX_CONTENT_TYPES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def refusal(name, data, kinds, **kwargs):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data), kinds, **kwargs)
    (message,) = caught.value.messages
    # Every refusal names the file, so that a person uploading several knows which one.
    assert f"“{name}”" in message
    return caught.value


def test_png_built_with_pillow_is_an_image():
    assert check_upload(upload("logo.png", png_bytes()), IMAGES) == "png"


def test_jpeg_is_an_image_under_either_extension():
    assert check_upload(upload("logo.jpg", jpeg_bytes()), IMAGES) == "jpeg"
    assert check_upload(upload("logo.JPEG", jpeg_bytes()), IMAGES) == "jpeg"


def test_pdf_is_recognised_by_its_header():
    assert check_upload(upload("rapport final.pdf", pdf_bytes()), DOCUMENTS) == "pdf"


def test_xlsx_is_recognised_from_its_parts():
    assert check_upload(upload("plan 2018-2019.xlsx", xlsx_bytes()), SPREADSHEETS) == "xlsx"


def test_xlsx_with_macros_is_told_apart():
    data = zip_bytes(
        {
            "[Content_Types].xml": XLSX_CONTENT_TYPES.replace(
                b"sheet.main+xml", b"sheet.macroEnabled.main+xml"
            ),
            "xl/workbook.xml": b"<workbook/>",
        }
    )
    assert check_upload(upload("plan.xlsm", data), {"xlsm"}) == "xlsm"
    refusal("plan.xlsm", data, {"xlsx"})


def test_text_is_read_as_csv():
    data = "Activité;Coût\nAtelier de validation;4 250 000\n".encode()
    assert check_upload(upload("budget.csv", data), {"csv"}) == "csv"
    assert check_upload(upload("budget.txt", data), {"csv"}) == "csv"


def test_a_file_is_judged_by_its_content_not_its_name():
    error = refusal("photo.png", pdf_bytes(), IMAGES)
    assert error.code == "wrong_type"
    assert "PDF" in error.messages[0]


def test_docx_renamed_xlsx_is_refused():
    error = refusal("plan.xlsx", docx_bytes(), SPREADSHEETS)
    assert error.code == "wrong_type"
    assert "Word (.docx)" in error.messages[0]


def test_docx_renamed_xlsx_is_refused_where_both_are_accepted():
    error = refusal("plan.xlsx", docx_bytes(), DOCUMENTS)
    assert error.code == "misnamed"
    assert ".xlsx" in error.messages[0] and "Word (.docx)" in error.messages[0]


def test_zip_bomb_is_refused(zip_bomb):
    # Small on the wire, 300 MB once opened.
    assert len(zip_bomb) < 2 * 1024 * 1024
    error = refusal("plan.xlsx", zip_bomb, SPREADSHEETS)
    assert error.code == "zip_bomb"


def test_archive_expanding_over_a_hundred_times_is_refused():
    data = zip_bytes({"[Content_Types].xml": XLSX_CONTENT_TYPES, "xl/workbook.xml": bytes(10**6)})
    assert refusal("plan.xlsx", data, SPREADSHEETS).code == "zip_bomb"


def test_damaged_archive_is_refused():
    data = xlsx_bytes()[:60]
    assert refusal("plan.xlsx", data, SPREADSHEETS).code == "corrupt"


def test_password_protected_office_file_is_refused():
    # What Excel writes for a password-protected xlsx: an OLE container holding an
    # "EncryptedPackage" stream, its name in UTF-16-LE.
    data = OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    error = refusal("budget protégé.xlsx", data, SPREADSHEETS)
    assert error.code == "encrypted"
    assert "password" in error.messages[0]


def test_encrypted_zip_is_refused():
    data = bytearray(xlsx_bytes())
    # Set the "encrypted" flag of the first member's local header and central directory entry.
    data[6] |= 0x1
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert refusal("plan.xlsx", bytes(data), SPREADSHEETS).code == "encrypted"


def test_legacy_excel_file_is_recognised():
    data = OLE_MAGIC + bytes(504) + "Workbook".encode("utf-16-le") + bytes(512)
    assert check_upload(upload("plan.xls", data), SPREADSHEETS) == "xls"


def test_file_over_the_size_limit_is_refused():
    error = refusal("logo.png", png_bytes() + bytes(2048), IMAGES, max_bytes=1024)
    assert error.code == "too_large"
    assert "1.0\xa0KB" in error.messages[0]


def test_limit_comes_from_the_settings(settings):
    settings.RELAIS_UPLOAD_MAX_BYTES = 50
    assert refusal("rapport.pdf", pdf_bytes(), DOCUMENTS).code == "too_large"
    settings.RELAIS_UPLOAD_MAX_BYTES = 10_000
    assert check_upload(upload("rapport.pdf", pdf_bytes()), DOCUMENTS) == "pdf"


def test_stream_without_a_size_is_cut_at_the_limit():
    class Stream(io.BytesIO):
        name = "liste.csv"

    with pytest.raises(ValidationError) as caught:
        check_upload(Stream(b"a;b\n" * 1000), {"csv"}, max_bytes=100)
    assert caught.value.code == "too_large"
    assert "“liste.csv”" in caught.value.messages[0]


def test_empty_file_is_refused():
    assert refusal("liste de présence.pdf", b"", DOCUMENTS).code == "empty"


def test_unknown_binary_is_refused():
    assert refusal("data.bin", bytes(range(256)) * 4, DOCUMENTS).code == "wrong_type"


def test_check_leaves_the_file_ready_to_be_read():
    data = png_bytes()
    file = upload("logo.png", data)
    check_upload(file, IMAGES)
    assert file.read() == data


def test_model_validator_checks_a_new_logo_and_names_it(mali):
    body = mali.national_body
    body.logo = upload("logo.png", gif_bytes())
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        body.full_clean()
    (message,) = caught.value.message_dict["logo"]
    assert message == "“logo.png” is named .png but its content is GIF."


def test_model_validator_does_not_reopen_a_stored_file(mali):
    body = mali.national_body
    # Not on disk: opening it would fail. It was checked when it arrived.
    body.logo.name = "logos/stored.png"
    body.full_clean()
    assert UploadValidator(IMAGES, max_bytes=1) == UploadValidator(IMAGES, max_bytes=1)
    assert UploadValidator(IMAGES) != UploadValidator(IMAGES, max_bytes=1)


def body_form(mali, logo):
    return {"name": mali.national_body.name, "acronym": "CNLTP", "logo": logo}


def test_logo_of_another_kind_than_its_name_is_refused_by_the_body_form(client, make_user, mali):
    client.force_login(make_user("coordinator", mali, language="en"))
    response = client.post(
        reverse("countries:body_edit", args=["ML"]),
        body_form(mali, upload("logo.png", gif_bytes())),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [
        "“logo.png” is named .png but its content is GIF."
    ]
    mali.national_body.refresh_from_db()
    assert not mali.national_body.logo


def test_logo_over_one_megabyte_is_refused_by_the_body_form(client, make_user, mali):
    client.force_login(make_user("coordinator", mali, language="en"))
    # A valid PNG that Pillow opens, padded after its end to 1.5 MB.
    big = png_bytes() + bytes(1536 * 1024)
    response = client.post(
        reverse("countries:body_edit", args=["ML"]), body_form(mali, upload("logo.png", big))
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["logo"]
    assert error.startswith("“logo.png” is 1.5")
    assert error.endswith("the limit is 1.0\xa0MB.")
