"""Normalising names and words so that they match however they were typed.

Accents, case, spacing and punctuation are ignored; Arabic vowel marks and tatweel are removed
and the forms of alef, yeh and teh marbuta unified — the same way when indexing and when
searching or matching.
"""

import re
import unicodedata

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_arabic(text):
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)


def normalise(text):
    """ "  Ministère de la Justice " → "ministere de la justice"; Arabic unified."""
    text = normalise_arabic(str(text or ""))
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", stripped.casefold()).split())


def name_key(text):
    """A key for a person's or organisation's name that ignores word order too."""
    return " ".join(sorted(normalise(text).split()))
