"""Evidence files: thumbnails small enough for a slow link, turned the right way and stripped
of what the camera wrote; files refused by their content; and the files served, with their
type, name and length, only to those who read the plan."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from PIL import Image

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.monitoring import evidence as evidence_files
from relais.monitoring import updates
from relais.monitoring.models import ActivityUpdate, Evidence
from relais.plans.models import Plan
from relais.plans.tests.factories import plan_with_content

pytestmark = pytest.mark.django_db

ORIENTATION = 0x0112
GPS_INFO = 0x8825


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plan(mali):
    return plan_with_content(mali, status=Plan.Status.ADOPTED)


@pytest.fixture
def activity(plan):
    return plan.objectives.get(position=1).activities.get(position=1)


@pytest.fixture
def contributor(make_user, mali, activity):
    user = make_user("contributor", mali)
    activity.assignees.add(user)
    return user


def camera_photo(size=(2000, 1500), *, exif=None, quality=92):
    """A photo as a phone takes it: large, detailed, with its EXIF."""
    width, height = size
    image = Image.effect_mandelbrot(size, (-2.2, -1.2, 1.0, 1.2), 60).convert("RGB")
    noise = Image.effect_noise(size, 24).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif or Image.Exif())
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def post(activity, by, *files):
    return updates.update_create(
        activity=activity,
        by=by,
        status="ongoing",
        percent_done=40,
        on=date(2019, 3, 15),
        files=list(files),
    )


# Thumbnails ----------------------------------------------------------------------------------


def test_a_phone_photo_gets_a_thumbnail_of_a_few_kb():
    original = camera_photo()
    assert len(original) > 300_000
    small = evidence_files.thumbnail(original)
    assert len(small) < 20_000
    with Image.open(io.BytesIO(small)) as image:
        assert image.format == "JPEG"
        assert image.size == (320, 240)


def test_the_thumbnail_is_turned_as_the_camera_said_and_keeps_no_exif():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # taken holding the phone upright: turn 90° clockwise
    exif[0x010F] = "PhoneMaker"  # the camera's make
    exif[GPS_INFO] = {1: "N", 2: (12.0, 39.0, 0.0)}  # where it was taken
    small = evidence_files.thumbnail(camera_photo((1600, 1200), exif=exif))
    with Image.open(io.BytesIO(small)) as image:
        assert image.size == (240, 320)  # portrait now
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info


def test_a_png_with_transparency_gets_a_jpeg_thumbnail():
    image = Image.new("RGBA", (640, 480), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (100, 100, 300, 300))
    out = io.BytesIO()
    image.save(out, "PNG")
    with Image.open(io.BytesIO(evidence_files.thumbnail(out.getvalue()))) as small:
        assert (small.format, small.mode, small.size) == ("JPEG", "RGB", (320, 240))
        assert small.getpixel((5, 5)) == (255, 255, 255)  # transparent became white


def test_a_posted_photo_keeps_its_size_kind_and_name(contributor, activity):
    content = camera_photo()
    update = post(activity, contributor, upload("IMG_2041.JPG", content))
    evidence = update.evidence.get()
    assert (evidence.original_name, evidence.kind, evidence.size) == (
        "IMG_2041.JPG",
        "jpeg",
        len(content),
    )
    assert evidence.file.read() == content
    assert evidence.thumbnail.size < 20_000
    assert evidence.thumbnail.name.endswith(".jpg")


# Refused -------------------------------------------------------------------------------------


def _nothing_saved(media):
    assert not ActivityUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("photo.jpg", b"Rapport de mission, texte brut.\n" * 10, "photo.jpg"),
        ("rapport.pdf", camera_photo((64, 48)), "rapport.pdf"),  # a JPEG named .pdf
        ("vide.pdf", b"", "vide.pdf"),
        ("programme.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 50, "programme.exe"),
        ("abimee.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50, "abimee.jpg"),
    ],
)
def test_a_file_is_refused_by_its_content_and_named(
    contributor, activity, media, name, content, says
):
    with pytest.raises(ValidationError) as refused:
        post(activity, contributor, upload("bon.pdf", b"%PDF-1.4\n%%EOF\n"), upload(name, content))
    assert list(refused.value.message_dict) == ["files"]
    assert says in " ".join(refused.value.message_dict["files"])
    _nothing_saved(media)


def test_an_image_too_large_to_decode_is_refused(contributor, activity, media, monkeypatch):
    monkeypatch.setattr(evidence_files, "MAX_PIXELS", 100 * 100)
    out = io.BytesIO()
    Image.new("RGB", (200, 150), "white").save(out, "PNG")
    with pytest.raises(ValidationError) as refused:
        post(activity, contributor, upload("scan.png", out.getvalue()))
    assert "scan.png" in refused.value.message_dict["files"][0]
    _nothing_saved(media)


def test_a_file_over_the_limit_is_refused(contributor, activity, media, monkeypatch):
    monkeypatch.setattr(evidence_files, "EVIDENCE_MAX_BYTES", 1000)
    with pytest.raises(ValidationError) as refused:
        post(activity, contributor, upload("grande.jpg", camera_photo((200, 150))))
    assert "grande.jpg" in refused.value.message_dict["files"][0]
    _nothing_saved(media)


def test_files_written_are_removed_when_saving_fails(contributor, activity, media, monkeypatch):
    original_save = Evidence.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "save", failing_save)
    with pytest.raises(RuntimeError):
        post(
            activity,
            contributor,
            upload("a.jpg", camera_photo((64, 48))),
            upload("b.jpg", camera_photo((64, 48))),
        )
    _nothing_saved(media)


# Served --------------------------------------------------------------------------------------


def test_files_are_served_with_type_name_and_length(client, contributor, activity):
    photo = camera_photo((400, 300))
    docx = _docx()
    update = post(
        activity,
        contributor,
        upload("Atelier Ségou.jpg", photo),
        upload("compte-rendu.pdf", b"%PDF-1.4\n%%EOF\n"),
        upload("liste.docx", docx),
    )
    image, document, sheet = update.evidence.order_by("pk")
    client.force_login(contributor)

    # A browser that takes gzip still gets the length: the files are compressed already.
    response = client.get(
        reverse("monitoring:evidence", args=[image.pk]), headers={"accept-encoding": "gzip, br"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Length"] == str(len(photo))
    assert "Content-Encoding" not in response
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''Atelier%20S%C3%A9gou.jpg" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == photo

    response = client.get(reverse("monitoring:evidence", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="compte-rendu.pdf"'

    response = client.get(reverse("monitoring:evidence", args=[sheet.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="liste.docx"'
    assert response["Content-Length"] == str(len(docx))

    response = client.get(reverse("monitoring:evidence_thumbnail", args=[image.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert int(response["Content-Length"]) == image.thumbnail.size
    assert (
        client.get(reverse("monitoring:evidence_thumbnail", args=[document.pk])).status_code == 404
    )


def test_the_page_says_each_files_size_before_download(client, contributor, activity):
    content = camera_photo((400, 300))
    update = post(activity, contributor, upload("photo.jpg", content))
    client.force_login(contributor)
    html = client.get(reverse("monitoring:activity", args=[activity.pk])).content.decode()
    assert filesizeformat(len(content)).replace("\xa0", "&nbsp;") in html or (
        filesizeformat(len(content)) in html
    )
    assert reverse("monitoring:evidence", args=[update.evidence.get().pk]) in html


def test_evidence_is_served_only_to_readers_of_the_plan(
    client, make_user, mali, senegal, contributor, activity, plan
):
    update = post(activity, contributor, upload("photo.jpg", camera_photo((400, 300))))
    evidence = update.evidence.get()
    urls = [
        reverse("monitoring:evidence", args=[evidence.pk]),
        reverse("monitoring:evidence_thumbnail", args=[evidence.pk]),
    ]
    # Members of the country read it, whatever their role; so does the regional coordinator.
    for reader in (make_user("observer", mali), make_user("regional")):
        client.force_login(reader)
        assert all(client.get(u).status_code == 200 for u in urls)
    # Another country, a partner not party to the plan: as if it did not exist.
    stranger = OrganisationFactory(kind=Organisation.Kind.PARTNER, country=None)
    for outsider in (make_user("coordinator", senegal), make_user("partner", stranger)):
        client.force_login(outsider)
        assert all(client.get(u).status_code == 404 for u in urls)
    assert client.get(reverse("monitoring:evidence", args=[evidence.pk + 1000])).status_code == 404
    client.logout()
    assert all(client.get(u).status_code == 302 for u in urls)  # to the sign-in page


def _docx():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()
