"""Evidence files: checked by their content, stored under a name of our own, and, for a photo,
a thumbnail small enough for a slow link (a few KB where the photo is a few MB).

Updates, expenditures and milestones all keep their proofs as Evidence; `prepare` checks and
reads the uploads before anything is written, `store` writes them once the record they prove
exists, and `discard` removes the files written when the transaction fails after all.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from relais.core.uploads import IMAGES, check_upload
from relais.monitoring.models import EVIDENCE, EVIDENCE_MAX_BYTES, Evidence

MAX_FILES = 5
THUMBNAIL_SIZE = 320  # pixels on the long side
THUMBNAIL_QUALITY = 70
# Beyond this, a PNG, GIF or WebP would take hundreds of MB to decode (a 50 Mpx PNG is 200 MB).
MAX_PIXELS = 50_000_000

# The name a stored file gets from its content, and the type it is served with.
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpeg": "jpg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "doc": "doc",
    "odt": "odt",
    "xlsx": "xlsx",
    "xlsm": "xlsm",
    "xls": "xls",
    "ods": "ods",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# What a browser shows in place (inline); anything else is downloaded (attachment).
SHOWN_INLINE = IMAGES | {"pdf"}
# What the file input offers on a phone: the camera roll and documents, the camera itself
# left to the person (no `capture`: it would hide the gallery and the files).
ACCEPT = "image/*,application/pdf," + ",".join(
    f".{ext}" for ext in ("pdf", "jpg", "jpeg", "png", "doc", "docx", "odt", "xls", "xlsx", "ods")
)


@dataclass
class Prepared:
    """An upload checked and read, ready to be stored."""

    upload: object
    name: str  # as the person's device named it
    size: int
    kind: str
    thumbnail: bytes | None  # JPEG, for images


class TooManyPixels(ValueError):
    pass


def thumbnail(data):
    """A JPEG of at most THUMBNAIL_SIZE pixels on its long side, turned as the camera said
    (EXIF orientation) and stripped of its EXIF (a phone's photo carries where it was taken).
    Raises ValueError when the image cannot be read, TooManyPixels when reading it would take
    more memory than a server should give one upload."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            # A JPEG is read at 1/8 of its size at most (draft); other kinds in full.
            if image.format != "JPEG" and width * height > MAX_PIXELS:
                raise TooManyPixels(f"{width} × {height}")
            # A JPEG decodes at 1/2, 1/4 or 1/8 of its size when that suffices: much less work.
            image.draft("RGB", (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, "white")
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            elif image.mode != "RGB":
                image = image.convert("RGB")
            image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # No `exif=` nor `icc_profile=`: nothing of the original's metadata is written.
            image.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True, progressive=True)
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(str(exc)) from exc
    except TooManyPixels:
        raise
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValueError(str(exc)) from exc
    return out.getvalue()


def prepare(files):
    """Check `files` (uploads) and make their thumbnails, before anything is written.

    Returns [Prepared, …]. Raises ValidationError({"files": [...]}) with one message per file
    refused, each naming it: too large, empty, not what its name says, of a kind not accepted,
    or an image that cannot be read."""
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise ValidationError(
            {
                "files": _("Attach at most %(count)s files to one update; you chose %(chosen)s.")
                % {"count": MAX_FILES, "chosen": len(files)}
            }
        )
    prepared, errors = [], []
    for upload in files:
        name = getattr(upload, "name", "") or ""
        try:
            kind = check_upload(upload, EVIDENCE, max_bytes=EVIDENCE_MAX_BYTES)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        small = None
        if kind in IMAGES:
            upload.seek(0)
            try:
                small = thumbnail(upload.read())
            except TooManyPixels:
                errors.append(
                    _("“%(name)s” has too many pixels to be read; send a smaller copy of it.")
                    % {"name": name}
                )
                continue
            except ValueError:
                errors.append(
                    _("“%(name)s” looks like an image but cannot be read; it may be damaged.")
                    % {"name": name}
                )
                continue
            finally:
                upload.seek(0)
        prepared.append(Prepared(upload, name, upload.size, kind, small))
    if errors:
        raise ValidationError({"files": errors})
    return prepared


def _stored_name(kind):
    # Our own name: what a device calls a file ("IMG_2041.JPG", or a person's name) is kept in
    # original_name for people, never used as a path.
    return f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}"


def store(prepared, *, by, written, **record):
    """Save each Prepared as Evidence of `record` (update=…, expenditure=… or milestone=…).
    The names of the files written are appended to `written`, so that the caller can remove
    them if its transaction fails."""
    saved = []
    for item in prepared:
        evidence = Evidence(
            original_name=item.name[:255],
            size=item.size,
            kind=item.kind,
            by=by,
            **record,
        )
        evidence.file.save(_stored_name(item.kind), item.upload, save=False)
        written.append(evidence.file.name)
        if item.thumbnail is not None:
            name = f"{uuid.uuid4().hex}-small.jpg"
            evidence.thumbnail.save(name, ContentFile(item.thumbnail), save=False)
            written.append(evidence.thumbnail.name)
        evidence._history_user = by
        evidence.save()
        saved.append(evidence)
    return saved


def discard(names):
    """Remove files written for a record that was not saved after all."""
    storage = Evidence._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            pass


def content_type(evidence):
    return CONTENT_TYPES.get(evidence.kind, "application/octet-stream")


def is_image(evidence):
    return evidence.kind in IMAGES
