"""The one check every upload goes through.

A file is judged by its content, never by its name: the first bytes say what it is, and a
zip-based file (xlsx, docx, ods, odt) is opened to see which of them it is and how large it
would grow once expanded. A name whose extension disagrees with the content is refused too, so
that a .docx renamed .xlsx is caught before any reader is handed it.
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Kinds of file Relais accepts, by what their content says they are.
KIND_LABELS = {
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
    "xlsx": "Excel (.xlsx)",
    "xlsm": "Excel (.xlsm)",
    "xls": "Excel 97-2003 (.xls)",
    "ods": "OpenDocument (.ods)",
    "docx": "Word (.docx)",
    "doc": "Word 97-2003 (.doc)",
    "odt": "OpenDocument (.odt)",
    "csv": "CSV",
    "txt": "Text",
}
EXTENSIONS = {
    "pdf": {"pdf"},
    "png": {"png"},
    "jpeg": {"jpg", "jpeg"},
    "gif": {"gif"},
    "webp": {"webp"},
    "xlsx": {"xlsx"},
    "xlsm": {"xlsm"},
    "xls": {"xls"},
    "ods": {"ods"},
    "docx": {"docx"},
    "doc": {"doc"},
    "odt": {"odt"},
    "csv": {"csv", "txt"},
    "txt": {"txt", "csv"},
}
IMAGES = frozenset({"png", "jpeg", "gif", "webp"})
SPREADSHEETS = frozenset({"xlsx", "xlsm", "xls", "ods"})
DOCUMENTS = frozenset({"pdf", "docx", "doc", "odt", "xlsx", "xls", "ods", "png", "jpeg"})

# An archive that expands beyond this, or more than this many times its size, is refused.
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_EXPANSION_RATIO = 100
MAX_ARCHIVE_MEMBERS = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Sniffed:
    kind: str | None
    encrypted: bool = False


def _sniff_zip(data, name):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValidationError(
            gettext_lazy("“%(name)s” is damaged and cannot be read."),
            code="corrupt",
            params={"name": name},
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise _too_expanded(name)
        expanded = sum(m.file_size for m in members)
        if expanded > MAX_EXPANDED_BYTES or expanded > MAX_EXPANSION_RATIO * max(len(data), 1):
            raise _too_expanded(name)
        names = {m.filename for m in members}
        if any(m.flag_bits & 0x1 for m in members):
            return Sniffed(kind=None, encrypted=True)
        if "mimetype" in names:
            mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
            if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
                return Sniffed("ods")
            if mimetype == "application/vnd.oasis.opendocument.text":
                return Sniffed("odt")
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
                types = archive.read("[Content_Types].xml")
                return Sniffed("xlsm" if b"macroEnabled" in types else "xlsx")
            if any(n.startswith("word/") for n in names):
                return Sniffed("docx")
    return Sniffed(None)


def _too_expanded(name):
    return ValidationError(
        gettext_lazy("“%(name)s” would expand to an unreasonable size once opened; it is refused."),
        code="zip_bomb",
        params={"name": name},
    )


def _looks_like_text(data):
    if b"\x00" in data[:8192]:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            data[:8192].decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(data, name=""):
    """What the bytes are, from their content alone."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("jpeg")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("gif")
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Sniffed("webp")
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, name)
    if head.startswith(OLE_MAGIC):
        # Excel and Word 97-2003, and password-protected xlsx/docx (an encrypted OLE package).
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            return Sniffed(None, encrypted=True)
        if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data or b"B\x00o\x00o\x00k" in data:
            return Sniffed("xls")
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data:
            return Sniffed("doc")
        return Sniffed(None)
    if _looks_like_text(data):
        return Sniffed("csv")
    return Sniffed(None)


def check_upload(upload, kinds, *, max_bytes=None):
    """Refuse `upload` unless its content is one of `kinds` and it is within the limits.

    Returns the kind found. Raises ValidationError with a message that names the file.
    """
    name = getattr(upload, "name", "") or ""
    max_bytes = max_bytes or settings.RELAIS_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1) if hasattr(upload, "read") else bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than the limit of %(limit)s.")
            % {"name": name, "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    found = sniff(data, name)
    if found.encrypted:
        raise ValidationError(
            _("“%(name)s” is protected by a password; save it without one and upload it again.")
            % {"name": name},
            code="encrypted",
        )
    accepted = ", ".join(KIND_LABELS[k] for k in sorted(kinds))
    if found.kind is None or found.kind not in kinds:
        what = KIND_LABELS.get(found.kind) if found.kind else _("an unknown kind of file")
        raise ValidationError(
            _("“%(name)s” is %(what)s; expected: %(accepted)s.")
            % {"name": name, "what": what, "accepted": accepted},
            code="wrong_type",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and extension not in EXTENSIONS[found.kind]:
        raise ValidationError(
            _("“%(name)s” is named .%(ext)s but its content is %(what)s.")
            % {"name": name, "ext": extension, "what": KIND_LABELS[found.kind]},
            code="misnamed",
        )
    return found.kind


@deconstructible
class UploadValidator:
    """Model-field validator: `validators=[UploadValidator(IMAGES)]`."""

    def __init__(self, kinds, max_bytes=None):
        self.kinds = frozenset(kinds)
        self.max_bytes = max_bytes

    def __call__(self, value):
        # Only new uploads are sniffed; a stored file was checked when it arrived.
        upload = getattr(value, "_file", None)
        if upload is None and getattr(value, "_committed", True):
            return
        check_upload(upload or value, self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )
