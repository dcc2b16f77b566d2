"""What a workshop's participants learned: their pre-test and post-test scores, the gain of each,
and the average gain with its spread; and the writes: the scores entered in one grid, or imported
from the spreadsheet the facilitators kept.

Scores are Decimals marked out of the workshop's `score_max` (20 by default). Only participants
with both scores count in the gain; the averages of each test count whoever sat it.
"""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from relais.core.money import format_rate
from relais.core.sheets import Problem, column_letter, title_match
from relais.core.text import name_key, normalise

TWO_PLACES = Decimal("0.01")
# The most a test may be marked out of (the column holds 9999.99).
LARGEST_MAX = Decimal(1000)


def _round(value):
    return None if value is None else Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP)


def _mean(values):
    # Decimal all the way: a float mean rounds 2.675 down to 2.67.
    return _round(sum(values, Decimal(0)) / len(values)) if values else None


@dataclass(frozen=True)
class LearningSummary:
    score_max: Decimal
    participants: int  # everyone on the list
    pre_count: int  # who sat the pre-test
    post_count: int
    paired: int  # who sat both: the gain is theirs
    pre_mean: Decimal | None
    post_mean: Decimal | None
    gain_mean: Decimal | None  # average of post − pre, in points
    gain_sd: Decimal | None  # its standard deviation (sample), None under two pairs
    gain_min: Decimal | None
    gain_max: Decimal | None
    improved: int  # how many scored higher after than before

    @property
    def gain_percent_of_max(self):
        """The average gain as a share of the full mark: +3.5 points out of 20 → 17.5."""
        if self.gain_mean is None or not self.score_max:
            return None
        return _round(self.gain_mean * 100 / self.score_max)


def summarise(scores, score_max):
    """The LearningSummary of [(pre, post), …] (either may be None)."""
    scores = [
        (None if p is None else Decimal(p), None if q is None else Decimal(q)) for p, q in scores
    ]
    pre = [p for p, _post in scores if p is not None]
    post = [q for _pre, q in scores if q is not None]
    gains = [q - p for p, q in scores if p is not None and q is not None]
    return LearningSummary(
        score_max=Decimal(score_max),
        participants=len(scores),
        pre_count=len(pre),
        post_count=len(post),
        paired=len(gains),
        pre_mean=_mean(pre),
        post_mean=_mean(post),
        gain_mean=_mean(gains),
        gain_sd=_round(statistics.stdev(gains)) if len(gains) > 1 else None,
        gain_min=min(gains, default=None),
        gain_max=max(gains, default=None),
        improved=sum(1 for g in gains if g > 0),
    )


def event_summary(event):
    """The LearningSummary of a workshop (one query)."""
    scores = event.participations.values_list("pre_score", "post_score")
    return summarise(scores, event.score_max)


@dataclass(frozen=True)
class Band:
    """A fifth of the full mark, and how many scored in it before and after."""

    low: Decimal
    high: Decimal
    pre: int
    post: int


def distribution(scores, score_max, bands=5):
    """[Band, …]: the scores before and after counted in `bands` equal slices of the full mark
    (the full mark itself falls in the last)."""
    score_max = Decimal(score_max)
    width = score_max / bands
    pre, post = [0] * bands, [0] * bands
    for p, q in scores:
        for value, counts in ((p, pre), (q, post)):
            if value is not None and score_max > 0:
                counts[min(max(int(Decimal(value) / width), 0), bands - 1)] += 1
    return [
        Band(_round(width * i).normalize(), _round(width * (i + 1)).normalize(), pre[i], post[i])
        for i in range(bands)
    ]


# Reading scores as people type them -----------------------------------------------------------


def _show(value):
    """A score as the reader writes numbers: 12.50 → "12,5" in French."""
    return format_rate(value, get_language())


def parse_score(value):
    """A Decimal from a typed or imported score ("12,5", "12.5", 12.5), None when empty;
    ValueError if it is not a number."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # Spreadsheet readers hand numbers as floats: their shortest repr is the written value.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


def score_problem(value, score_max):
    """(the Decimal, None) for a good score, (None, what is wrong with it) otherwise."""
    try:
        score = parse_score(value)
    except ValueError:
        return None, _("“%(value)s” is not a number.") % {"value": str(value).strip()[:30]}
    if score is None:
        return None, None
    if score < 0:
        return None, _("%(score)s is below zero.") % {"score": _show(score)}
    if score > score_max:
        return None, _("%(score)s is above the full mark, %(max)s.") % {
            "score": _show(score),
            "max": _show(score_max),
        }
    if score != score.quantize(TWO_PLACES):
        return None, _("%(score)s has more than two decimals.") % {"score": _show(score)}
    return score.quantize(TWO_PLACES), None


def _score_max(value):
    try:
        score_max = parse_score(value)
    except ValueError:
        score_max = None
    if score_max is None or not 0 < score_max <= LARGEST_MAX or score_max != _round(score_max):
        raise ValidationError(
            {
                "score_max": _(
                    "The full mark is a number above zero, at most %(largest)s, with at most "
                    "two decimals."
                )
                % {"largest": _show(LARGEST_MAX)}
            }
        )
    return _round(score_max)


# Writing ----------------------------------------------------------------------------------------


def scores_save(*, event, by, scores, score_max=None):
    """Records the pre-test and post-test scores {participation id: (pre, post)} of a workshop's
    participants (a score may be typed text, a number, or empty/None to clear it), and the full
    mark they are out of when `score_max` is given. Participations not named keep their scores.

    Raises ValidationError {"pre-<id>"/"post-<id>": "<name>, pre-test: <what is wrong>", …}, or
    {"score_max": …}, and changes nothing, when any score is out of range, not a number, or of a
    participation of another workshop. Returns the number of participations changed.
    """
    new_max = event.score_max if score_max is None else _score_max(score_max)
    labels = {"pre": _("pre-test"), "post": _("post-test")}
    with transaction.atomic():
        participations = {
            p.pk: p for p in event.participations.select_related("participant").order_by()
        }
        errors = {}
        unknown = []
        wanted = {}
        for pk, pair in scores.items():
            participation = participations.get(_int(pk))
            if participation is None:
                unknown.append(str(pk))
                continue
            values = {}
            for field, value in zip(("pre", "post"), pair, strict=True):
                score, problem = score_problem(value, new_max)
                if problem:
                    errors[f"{field}-{participation.pk}"] = _("%(name)s, %(test)s: %(problem)s") % {
                        "name": participation.participant.full_name,
                        "test": labels[field],
                        "problem": problem,
                    }
                values[field] = score
            wanted[participation.pk] = (values["pre"], values["post"])
        if unknown:
            errors["__all__"] = _(
                "These scores are of participants of another workshop (%(ids)s): nothing was "
                "saved. Reload the page and enter them again."
            ) % {"ids": ", ".join(unknown)}
        if score_max is not None and not errors:
            # A lower full mark must still hold every score kept as it was.
            for participation in participations.values():
                pair = wanted.get(
                    participation.pk, (participation.pre_score, participation.post_score)
                )
                for field, score in zip(("pre", "post"), pair, strict=True):
                    if score is not None and score > new_max:
                        errors.setdefault(
                            "score_max",
                            _(
                                "%(name)s's %(test)s, %(score)s, is above this full mark: "
                                "correct the scores first."
                            )
                            % {
                                "name": participation.participant.full_name,
                                "test": labels[field],
                                "score": _show(score),
                            },
                        )
        if errors:
            raise ValidationError(errors)
        changed = []
        for pk, (pre, post) in wanted.items():
            participation = participations[pk]
            if (participation.pre_score, participation.post_score) != (pre, post):
                participation.pre_score, participation.post_score = pre, post
                changed.append(participation)
        if changed:
            bulk_update_with_history(
                changed,
                type(changed[0]),
                ["pre_score", "post_score"],
                default_user=by,
                default_change_reason="scores",
            )
        if new_max != event.score_max:
            event.score_max = new_max
            event._change_reason = "score_max"
            event._history_user = by
            event.save(update_fields=["score_max"])
    return len(changed)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Importing ------------------------------------------------------------------------------------

# Column titles, normalised (relais.core.text.normalise), by field, in fr, en, pt and ar.
HEADERS = {
    "name": [
        "nom",
        "noms",
        "nom et prenom",
        "nom et prenoms",
        "nom et prenom s",
        "noms et prenoms",
        "nom prenom",
        "nom prenoms",
        "prenom et nom",
        "prenoms et nom",
        "participant",
        "participants",
        "participant e",
        "name",
        "names",
        "full name",
        "participant name",
        "nome",
        "nomes",
        "nome completo",
        "nome e apelido",
        "participante",
        "الاسم",
        "الاسم الكامل",
        "الاسم واللقب",
        "المشارك",
    ],
    "first_name": [
        "prenom",
        "prenoms",
        "prenom s",
        "first name",
        "given name",
        "primeiro nome",
        "prenome",
        "الاسم الاول",
    ],
    "pre": [
        "pre test",
        "pretest",
        "pre tests",
        "pre teste",
        "avant",
        "test avant",
        "note avant",
        "score avant",
        "note pre test",
        "score pre test",
        "test initial",
        "before",
        "score before",
        "pre test score",
        "antes",
        "teste inicial",
        "الاختبار القبلي",
        "القبلي",
        "قبلي",
    ],
    "post": [
        "post test",
        "posttest",
        "post tests",
        "pos teste",
        "post teste",
        "apres",
        "test apres",
        "note apres",
        "score apres",
        "note post test",
        "score post test",
        "test final",
        "after",
        "score after",
        "post test score",
        "depois",
        "teste final",
        "الاختبار البعدي",
        "البعدي",
        "بعدي",
    ],
}
HEADERS = {field: [normalise(s) for s in synonyms] for field, synonyms in HEADERS.items()}
MAX_HEADER_SCAN = 30


def _header_field(text):
    """The field a column title names: a title that is a synonym, or starts or ends with one
    ("Pré-test (/20)", "Score post-test")."""
    match = title_match(text, HEADERS, suffix=True)
    return match[0] if match else None


def find_columns(sheet):
    """(header row, {field: column}) of the first row naming the participants and a test, or
    None."""
    for row in range(min(len(sheet.rows), MAX_HEADER_SCAN)):
        columns = {}
        for column in sheet.filled(row):
            field = _header_field(sheet.text(row, column))
            if field and field not in columns:
                columns[field] = column
        if "name" not in columns and "first_name" in columns:
            # "Prénom(s)" alone is a column of names.
            columns["name"] = columns.pop("first_name")
        if "name" in columns and ({"pre", "post"} & columns.keys()):
            return row, columns
    return None


def _headerless(sheet):
    """Pasted rows without titles: name, pre-test, post-test, in that order."""
    if sheet.width < 2:
        return None
    try:
        parse_score(sheet.value(0, 1))
    except ValueError:
        return None
    columns = {"name": 0, "pre": 1, "post": 2} if sheet.width > 2 else {"name": 0, "pre": 1}
    return -1, columns


def read_scores(sheets, event, participations, *, pasted=False):
    """({participation id: (pre, post)}, [Problem, …]) read from the first sheet with a column
    of names and one of scores. Each row is matched to a participant of `participations` by
    their name (accents, case, spacing and word order ignored); an empty cell keeps the score
    recorded. Nothing is written."""
    problems = []
    found = None
    for sheet in sheets:
        found = find_columns(sheet)
        if found is None and pasted:
            found = _headerless(sheet)
        if found:
            break
    if not found:
        return {}, [
            Problem(
                _(
                    "No column of names with a column of scores was found: title them “Name”, "
                    "“Pre-test” and “Post-test”."
                )
            )
        ]
    header, columns = found
    by_key = {}
    for participation in participations:
        by_key.setdefault(participation.participant.name_key, []).append(participation)
    labels = {"pre": _("pre-test"), "post": _("post-test")}
    scores, seen = {}, {}
    for row in range(header + 1, len(sheet.rows)):
        name = " ".join(
            sheet.text(row, columns[field])
            for field in ("name", "first_name")
            if field in columns and sheet.text(row, columns[field])
        )
        cells = {f: sheet.value(row, columns[f]) for f in ("pre", "post") if f in columns}
        filled = {f: v for f, v in cells.items() if str(v if v is not None else "").strip()}
        if not name and not filled:
            continue

        def problem(message, field=None, row=row):
            column = column_letter(columns[field]) if field else ""
            problems.append(Problem(message, sheet.name if not pasted else "", row + 1, column))

        if not name:
            problem(_("A score without a participant's name."), "name")
            continue
        matches = by_key.get(name_key(name), [])
        if not matches:
            problem(
                _("%(name)s is not on this workshop's list of participants.") % {"name": name},
                "name",
            )
            continue
        if len(matches) > 1:
            problem(
                _(
                    "Several participants are called %(name)s: enter their scores on the "
                    "scores page."
                )
                % {"name": name},
                "name",
            )
            continue
        participation = matches[0]
        if participation.pk in seen:
            problem(
                _("%(name)s is already on row %(row)s.")
                % {"name": name, "row": seen[participation.pk]},
                "name",
            )
            continue
        seen[participation.pk] = row + 1
        pair = {"pre": participation.pre_score, "post": participation.post_score}
        for field, value in filled.items():
            score, message = score_problem(value, event.score_max)
            if message:
                problem(
                    _("%(name)s, %(test)s: %(problem)s")
                    % {"name": name, "test": labels[field], "problem": message},
                    field,
                )
            else:
                pair[field] = score
        scores[participation.pk] = (pair["pre"], pair["post"])
    if not problems and not scores:
        problems.append(Problem(_("No row of scores was found under the titles.")))
    return scores, problems


def scores_import(*, event, by, sheets, pasted=False):
    """Reads the scores of a workshop's participants from a workbook's sheets (or pasted rows)
    and records them all in one transaction: (rows read, participants not in the file).

    Raises ValidationError listing every Problem (with its row and column), and saves nothing,
    when any row cannot be read, matched to one participant, or holds a score out of range."""
    participations = list(event.participations.select_related("participant").order_by())
    scores, problems = read_scores(sheets, event, participations, pasted=pasted)
    if problems:
        raise ValidationError([str(p) for p in problems])
    scores_save(event=event, by=by, scores=scores)
    return len(scores), len(participations) - len(scores)
