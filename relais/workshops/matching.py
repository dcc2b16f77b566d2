"""Recognising a person entered twice, across workshops.

Two records are the same person when their names match once accents, case, spacing and word
order are ignored (relais.core.text.name_key) *and* something else agrees: the phone, the email
or the organisation. Anything less (the same name alone, or the same phone under another name)
is only a doubt, proposed to a coordinator and never merged silently.
"""

import re

_NOT_DIGIT = re.compile(r"\D+")


def phone_key(phone):
    """The last eight digits of a phone number: "+223 76 12 34 56" → "76123456"."""
    digits = _NOT_DIGIT.sub("", phone or "")
    return digits[-8:] if len(digits) >= 6 else ""
