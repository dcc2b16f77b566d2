"""Reading a plan from the workbook a committee already has.

Nothing about a particular workbook is assumed: the header row is found from its content
(whatever the letterhead's height), columns are recognised by their titles in French, English,
Portuguese or Arabic (abbreviations included), the chronogram's quarter or month columns by
their labels (or one column that says when in words: "T2-T3 2018", "janv.-mars 2019"),
objective rows by their "OS1 :" prefix or their merged cells, sub-total and total rows by their
words. What cannot be read becomes an error with its sheet, row and column; what looks wrong
(a stated total that differs from its lines, an unknown organisation, a period that cannot be
read) a warning.

`parse_workbook` only reads; `plans.services.plan_import` writes, in one transaction.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from relais.core.amounts import parse_amount
from relais.core.money import format_money, round_amount
from relais.core.sheets import Problem, column_letter, title_match
from relais.core.text import normalise, normalise_arabic

# Column titles, normalised (relais.core.text.normalise), by field.
HEADERS = {
    "number": ["n", "no", "nº", "numero", "num", "ref", "code", "n o", "nr", "رقم", "الرقم"],
    "label": [
        "objectifs specifiques activites",
        "objectifs specifiques et activites",
        "objectifs activites",
        "activites",
        "activite",
        "intitule",
        "intitule des activites",
        "libelle",
        "specific objectives activities",
        "objectives activities",
        "activities",
        "activity",
        "objetivos especificos atividades",
        "objetivos atividades",
        "atividades",
        "atividade",
        "الاهداف المحدده الانشطه",
        "الاهداف الانشطه",
        "الانشطه",
        "النشاط",
    ],
    "description": ["description", "details", "descriptif", "descricao", "الوصف"],
    "responsible": [
        "responsable",
        "responsables",
        "structure responsable",
        "structures responsables",
        "responsible",
        "responsible structure",
        "lead",
        "responsavel",
        "estrutura responsavel",
        "responsaveis",
        "الجهه المسؤوله",
        "المسؤول",
    ],
    "partners": [
        "partenaires",
        "partenaires associes",
        "partners",
        "parceiros",
        "الشركاء",
    ],
    # A chronogram written as text in one column ("T2-T3 2018", "janv.-mars 2019"); the same
    # titles set over quarter or month columns are dropped once those are recognised.
    "period_text": [
        "chronogramme",
        "calendrier",
        "periode",
        "periodes",
        "periode d execution",
        "periode de mise en oeuvre",
        "date",
        "dates",
        "echeance",
        "echeances",
        "echeancier",
        "delai",
        "delais",
        "mois",
        "timeline",
        "chronogram",
        "timeframe",
        "time frame",
        "schedule",
        "period",
        "implementation period",
        "when",
        "deadline",
        "months",
        "cronograma",
        "calendario",
        "periodo",
        "periodo de execucao",
        "prazo",
        "prazos",
        "datas",
        "meses",
        "الفترة",
        "الفترة الزمنية",
        "فترة التنفيذ",
        "الجدول الزمني",
        "المدة",
        "التاريخ",
        "الأشهر",
    ],
    "unit_cost": [
        "cout unitaire",
        "c u",
        "cu",
        "p u",
        "pu",
        "prix unitaire",
        "unit cost",
        "unit price",
        "custo unitario",
        "preco unitario",
        "تكلفه الوحده",
        "سعر الوحده",
    ],
    "quantity": [
        "quantite",
        "qte",
        "qt",
        "nombre",
        "nbre",
        "quantity",
        "qty",
        "quantidade",
        "qtd",
        "الكميه",
        "العدد",
    ],
    "unit": ["unite", "unit", "unidade", "الوحده"],
    "total": [
        "cout total",
        "montant total",
        "montant",
        "total",
        "cout",
        "budget",
        "total cost",
        "amount",
        "cost",
        "custo total",
        "montante",
        "valor",
        "custo",
        "التكلفه الاجماليه",
        "التكلفه",
        "المبلغ",
    ],
    "source": [
        "source de financement",
        "sources de financement",
        "financement",
        "bailleur",
        "bailleurs",
        "funding source",
        "funding sources",
        "source of funding",
        "funding",
        "donor",
        "fonte de financiamento",
        "fontes de financiamento",
        "financiamento",
        "مصدر التمويل",
        "مصادر التمويل",
        "التمويل",
    ],
}
# Written as people write them; compared as normalise() makes them (it drops the hamza of ؤ and ئ).
HEADERS = {name: [normalise(s) for s in synonyms] for name, synonyms in HEADERS.items()}
FIELDS = list(HEADERS)
# Fields whose column the mapping form lets a person choose.
MAPPABLE = [
    "number",
    "label",
    "description",
    "responsible",
    "partners",
    "period_text",
    "unit_cost",
    "quantity",
    "unit",
    "total",
    "source",
]

MONTHS = {
    # fr
    "janv": 1, "janvier": 1, "fevr": 2, "fevrier": 2, "fev": 2, "mars": 3, "avr": 4, "avril": 4,
    "mai": 5, "juin": 6, "juil": 7, "juillet": 7, "aout": 8, "sept": 9, "septembre": 9,
    "oct": 10, "octobre": 10, "nov": 11, "novembre": 11, "dec": 12, "decembre": 12,
    # en
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "september": 9, "october": 10, "november": 11, "december": 12,
    # pt
    "janeiro": 1, "fevereiro": 2, "marco": 3, "abr": 4, "abril": 4, "maio": 5, "junho": 6,
    "julho": 7, "ago": 8, "agosto": 8, "set": 9, "setembro": 9, "out": 10, "outubro": 10,
    "novembro": 11, "dez": 12, "dezembro": 12,
    # ar (Middle-East and Maghreb names, normalised)
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7,
    "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12, "جانفي": 1,
    "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7, "اوت": 8,
}  # fmt: skip
QUARTER_WORDS = r"(?:t|q|trim|trimestre|quarter|quart|tr|الربع|ربع|ر)"
_QUARTER = re.compile(
    rf"^(?:{QUARTER_WORDS}\s*([1-4])|([1-4])\s*(?:er|e|eme|o|st|nd|rd|th)?\s*{QUARTER_WORDS})(?:\s+(\d{{2}}|\d{{4}}))?$"
)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_OBJECTIVE = re.compile(
    r"^(?:os|o s|oe|so|objectif specifique|objectif|specific objective|objective|"
    r"objetivo especifico|objetivo|الهدف المحدد|الهدف)\s*(\d+)?\b"
)
_OBJECTIVE_PREFIX = re.compile(
    r"^\s*(?:OS|O\.S\.|OE|SO|Objectif\s+sp[ée]cifique|Objectif|Specific\s+objective|Objective|"
    r"Objetivo\s+espec[íi]fico|Objetivo|الهدف\s+المحدد|الهدف)\s*(?:n[°º]\s*)?\d*\s*[:.\-–—)]?\s*",
    re.IGNORECASE,
)
SUBTOTAL_WORDS = ("sous total", "sous totaux", "sub total", "subtotal", "المجموع الفرعي")
TOTAL_WORDS = (
    "total general",
    "grand total",
    "total geral",
    "total",
    "المجموع العام",
    "المجموع",
    "الاجمالي",
)
STATE_WORDS = {
    "etat", "budget national", "budget de l etat", "bn", "bne", "be", "gouvernement", "state",
    "state budget", "government", "gov", "gom", "estado", "orcamento do estado", "oge",
    "الدوله", "ميزانيه الدوله", "الحكومه", "budget d etat", "dotation", "dotation budgetaire",
}  # fmt: skip
CURRENCY_HINTS = [
    ("XOF", re.compile(r"(?i)f\s*cfa|fcfa|\bxof\b|\bcfa\b")),
    ("GNF", re.compile(r"(?i)\bgnf\b|\bfg\b|francs? guin")),
    ("GMD", re.compile(r"(?i)\bgmd\b|dalasi|^d\s*\d")),
    # "UM" in capitals only: "um" is a Portuguese word.
    ("MRU", re.compile(r"(?i)\bmru\b|(?-i:\bUM\b)|ouguiya|أوقية")),
]
MAX_HEADER_SCAN = 60


@dataclass
class ParsedActivity:
    row: int  # 0-based sheet row
    number: str
    title: str
    description: str = ""
    responsible: str = ""
    partners: list = field(default_factory=list)
    months: list = field(default_factory=list)
    unit_cost: Decimal = Decimal(0)
    quantity: Decimal = Decimal(1)
    unit: str = ""
    total: Decimal = Decimal(0)
    sources: list = field(default_factory=list)  # [(name or None for the state, amount)]


@dataclass
class ParsedObjective:
    row: int
    statement: str
    activities: list = field(default_factory=list)
    stated_subtotal: Decimal | None = None
    subtotal_row: int | None = None
    named: bool = False  # called an objective ("OS2", "Objectif 2"), not only merged across

    @property
    def total(self):
        return sum((a.total for a in self.activities), Decimal(0))


@dataclass
class ParsedPlan:
    sheet: str = ""
    title: str = ""
    currency: str = ""
    period_start: date | None = None
    period_end: date | None = None
    header_row: int | None = None  # 0-based, the last header row
    header_rows: tuple = ()
    columns: dict = field(default_factory=dict)  # field → column index
    period_columns: dict = field(default_factory=dict)  # column → ["2018-01", …]
    period_kind: str = ""  # "quarter" or "month"
    language: str = ""  # the language of the header and title, when they tell it
    objectives: list = field(default_factory=list)
    stated_total: Decimal | None = None
    total_row: int | None = None
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def activity_count(self):
        return sum(len(o.activities) for o in self.objectives)

    @property
    def total(self):
        return sum((o.total for o in self.objectives), Decimal(0))

    def warn(self, message, row=None, column=None):
        self.warnings.append(self._problem(message, row, column))

    def error(self, message, row=None, column=None):
        self.errors.append(self._problem(message, row, column))

    def _problem(self, message, row, column):
        return Problem(
            message=message,
            sheet=self.sheet,
            row=None if row is None else row + 1,
            column="" if column is None else column_letter(column),
        )


# Recognising titles ---------------------------------------------------------------------------


def header_field(text):
    """The field a column title names, or None. The longest synonym that fits wins, so that
    "Coût total (FCFA)" is the total and not a unit cost."""
    match = _header_match(text)
    return match[0] if match else None


def _header_match(text):
    return title_match(text, HEADERS)


def period_of(value, year_hint=None):
    """The months a chronogram column title covers: "T2 2018" → ["2018-04", "2018-05",
    "2018-06"]; "avr-18", "April 2018", a date cell → ["2018-04"]. None if it is no period."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return "month", [f"{value.year:04d}-{value.month:02d}"]
    key = normalise(value)
    if not key:
        return None
    key = key.replace("_", " ")
    iso = re.fullmatch(r"((?:19|20)\d{2}) (\d{1,2})", key) or None
    if iso is None:
        slash = re.fullmatch(r"(\d{1,2}) ((?:19|20)\d{2})", key)
        if slash and 1 <= int(slash.group(1)) <= 12:
            return "month", [f"{int(slash.group(2)):04d}-{int(slash.group(1)):02d}"]
    elif 1 <= int(iso.group(2)) <= 12:
        return "month", [f"{int(iso.group(1)):04d}-{int(iso.group(2)):02d}"]
    match = _QUARTER.match(key)
    if match:
        quarter = int(match.group(1) or match.group(2))
        year = _year(match.group(3)) or year_hint
        if year is None:
            return None
        first = (quarter - 1) * 3 + 1
        return "quarter", [f"{year:04d}-{m:02d}" for m in range(first, first + 3)]
    words = [w for w in key.split() if w not in {"de", "of", "du", "d"}]
    if words and words[0] in MONTHS:
        month = MONTHS[words[0]]
        year = _year(words[1]) if len(words) > 1 else year_hint
        if len(words) > 2 or year is None:
            return None
        return "month", [f"{year:04d}-{month:02d}"]
    return None


def _year(text):
    if not text or not text.isdigit():
        return None
    year = int(text)
    if len(text) == 2:
        year += 2000
    return year if 1990 <= year <= 2100 else None


# A chronogram written as text -----------------------------------------------------------------

WHOLE_PLAN = "whole"  # what _period_text says of "Permanent", "Continu"…
# Said of an activity that goes on all along: the whole plan, or the years the text names
# ("Tout au long de l'année 2018").
WHOLE_PHRASES = [
    # fr
    "permanent", "permanente", "permanents", "permanentes", "en permanence", "continu",
    "continue", "continus", "continues", "en continu", "toute la durée", "tout au long",
    "toute l'année", "toute la période", "année entière",
    # en
    "permanently", "continuous", "continuously", "ongoing", "on-going", "throughout",
    "all year round", "all year", "year-round", "year round", "whole year", "entire year",
    "full year", "whole plan", "entire plan", "whole period",
    # pt
    "contínuo", "contínua", "contínuos", "contínuas", "continuamente", "permanentemente",
    "todo o ano", "o ano todo", "ao longo", "durante todo", "durante toda", "toda a duração",
    "todo o período",
    # ar
    "دائم", "دائمة", "دائما", "مستمر", "مستمرة", "باستمرار", "طوال", "على مدار", "طيلة",
]  # fmt: skip
ORDINAL_WORDS = {
    "premier": 1, "première": 1, "first": 1, "primeiro": 1, "primeira": 1, "الأول": 1,
    "الأولى": 1, "deuxième": 2, "second": 2, "seconde": 2, "segundo": 2, "segunda": 2,
    "الثاني": 2, "الثانية": 2, "troisième": 3, "third": 3, "terceiro": 3, "terceira": 3,
    "الثالث": 3, "quatrième": 4, "fourth": 4, "quarto": 4, "quarta": 4, "الرابع": 4,
}  # fmt: skip
QUARTER_NAMES = ["t", "q", "tr", "trim", "trimestre", "quarter", "qtr", "الربع", "ربع"]
SEMESTER_NAMES = ["s", "sem", "semestre", "semester", "h", "half", "السداسي", "النصف"]
RANGE_WORDS = ["à", "au", "aux", "to", "till", "until", "through", "thru", "a", "até", "إلى", "حتى"]
LIST_WORDS = ["et", "and", "e", "و"]
BETWEEN_WORDS = ["entre", "between", "بين"]  # "entre janvier et mars" is a range
# "from January to March"; but "à partir de mars 2018", "from March" alone do not say until when
FROM_WORDS = ["from", "desde", "depuis", "partir", "منذ"]
# Words that say nothing of the months ("de janvier à mars", "abril de 2018", "Année 2018").
FILLER_WORDS = [
    "de", "du", "des", "d", "l", "le", "la", "les", "en", "dans", "courant", "pendant", "durant",
    "in", "of", "the", "during", "em", "no", "na", "do", "da", "dos", "das", "durante", "o",
    "من", "في", "خلال", "mois", "month", "months", "mês", "meses", "شهر", "année", "year", "ano",
    "سنة", "السنة", "عام", "العام", "exercice", "période", "period", "período", "الفترة",
    "plan", "plano", "الخطة", "مدة", "durée", "duração",
]  # fmt: skip
# "fin mars", "early May": the month they qualify
EDGE_WORDS = [
    "début", "fin", "mi", "early", "late", "mid", "end", "beginning", "início", "final",
    "meados", "fim", "بداية", "نهاية", "أواخر", "أوائل", "منتصف",
]  # fmt: skip
_PERIOD_TOKEN = re.compile(
    r"(?P<date>\b(?P<d_day>\d{1,2})[/.\-](?P<d_month>\d{1,2})[/.\-](?P<d_year>\d{4}|\d{2})\b)"
    r"|(?P<isodate>\b(?P<i_year>(?:19|20)\d{2})-(?P<i_month>\d{1,2})-\d{1,2}\b)"
    r"|(?P<ym>\b(?P<y_year>(?:19|20)\d{2})[-/.](?P<y_month>0?[1-9]|1[0-2])\b)"
    r"|(?P<my>\b(?P<m_month>0?[1-9]|1[0-2])[/.](?P<m_year>(?:19|20)\d{2})\b)"
    r"|(?P<num>\d+)(?P<ordinal>ere|er|re|eme|ieme|e|o|a|st|nd|rd|th)?"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<dash>[-–—‑−~])"
    r"|(?P<list>[,;+&/])"
    r"|(?P<other>\S)"
)


def _fold(text):
    """Lower case, no accents, Arabic unified; punctuation kept (it says "to" or "and")."""
    text = normalise_arabic(str(text)).replace("'", " ").replace("’", " ")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


QUARTER_NAMES, SEMESTER_NAMES, RANGE_WORDS, LIST_WORDS = (
    {_fold(w) for w in words} for words in (QUARTER_NAMES, SEMESTER_NAMES, RANGE_WORDS, LIST_WORDS)
)
BETWEEN_WORDS, FROM_WORDS, FILLER_WORDS, EDGE_WORDS = (
    {_fold(w) for w in words} for words in (BETWEEN_WORDS, FROM_WORDS, FILLER_WORDS, EDGE_WORDS)
)
ORDINAL_WORDS = {_fold(word): number for word, number in ORDINAL_WORDS.items()}
_AFTER_AND = {*MONTHS, *QUARTER_NAMES, *SEMESTER_NAMES, "من"}  # "ومارس", "ومن"
_WHOLE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        r"[\s\-]+".join(map(re.escape, _fold(phrase).replace("-", " ").split()))
        for phrase in sorted(WHOLE_PHRASES, key=len, reverse=True)
    )
    + r")(?!\w)"
)


def period_text_months(value, year=None, whole=None):
    """The months a chronogram cell written as text names, as sorted "YYYY-MM": "T2-T3 2018",
    "T1 et T3 2019", "janv.-mars 2019", "1er semestre 2018", "2018-2019",
    "15/03/2018 - 30/04/2018", a date cell… None if it cannot be read. A cell without its
    year ("T2") takes `year`; "Permanent" or "Toute la durée du plan" gives `whole` (the
    plan's months, None when unknown)."""
    months, _last = _period_text(value, year)
    return whole if months == WHOLE_PLAN else months


def _period_text(value, year=None):
    """(the months, WHOLE_PLAN or None; the year the cell ends in, for the next cell's)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return [f"{value.year:04d}-{value.month:02d}"], value.year
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 2018 typed as a number
    text = _fold(value)
    if _WHOLE.search(text):
        months, last = _period_units(_WHOLE.sub(" ", text), year=None)
        return (months, last) if months else (WHOLE_PLAN, None)
    return _period_units(text, year)


def _period_units(text, year):
    groups = _period_groups(_period_elements(_period_tokens(text) or []))
    if not groups:
        return None, None
    return _period_months(groups, year)


def _period_tokens(text):
    """("word", w), ("num", digits, ordinal), ("dash",), ("list",) or a dated unit; None when
    a character is neither a word, a number nor punctuation."""
    tokens = []
    for match in _PERIOD_TOKEN.finditer(text):
        kind, found = match.lastgroup, match.group()
        if kind == "ordinal":
            kind = "num"
        if kind == "other":
            if found.isalnum():
                return None
        elif kind == "word":
            rest = found[1:]
            if found[0] == "و" and rest in _AFTER_AND:
                tokens += [("list",), ("word", rest)]  # Arabic "and" joined to the next word
            else:
                tokens.append(("word", found))
        elif kind == "num":
            tokens.append(("num", match.group("num"), match.group("ordinal")))
        elif kind in ("dash", "list"):
            tokens.append((kind,))
        else:
            year, month = {
                "date": ("d_year", "d_month"),
                "isodate": ("i_year", "i_month"),
                "ym": ("y_year", "y_month"),
                "my": ("m_year", "m_month"),
            }[kind]
            year, month = match.group(year), int(match.group(month))
            year = _year(year) if len(year) == 4 else 2000 + int(year)
            if not year or not 1 <= month <= 12:
                return None
            tokens.append(["unit", month, month, year])
    return tokens


def _period_elements(tokens):
    """Units [first month, last month, year or None], ("year", y), ("from",) and the
    separators ("range",), ("dash",), ("list",); [] when a word is not understood."""
    elements, between, index = [], False, 0

    def word(i):
        return tokens[i][1] if i < len(tokens) and tokens[i][0] == "word" else None

    def unit(number, name):
        size, limit = (3, 4) if name in QUARTER_NAMES else (6, 2)
        if not 1 <= number <= limit:
            return False
        elements.append(["unit", (number - 1) * size + 1, number * size, None])
        return True

    while index < len(tokens):
        token, following = tokens[index], word(index + 1)
        if token[0] == "word":
            name = token[1]
            after = tokens[index + 1] if index + 1 < len(tokens) else ()
            if name in QUARTER_NAMES | SEMESTER_NAMES:  # "T2", "S1", "trimestre 2", "الربع الثاني"
                if after[:1] == ("num",) and not after[2]:
                    number = int(after[1])
                elif following in ORDINAL_WORDS:
                    number = ORDINAL_WORDS[following]
                else:
                    return []
                if not unit(number, name):
                    return []
                index += 1
            elif name in ORDINAL_WORDS and following in QUARTER_NAMES | SEMESTER_NAMES:
                if not unit(ORDINAL_WORDS[name], following):  # "premier trimestre"
                    return []
                index += 1
            elif name in MONTHS:
                elements.append(["unit", MONTHS[name], MONTHS[name], None])
            elif name in RANGE_WORDS:
                elements.append(("range",))
            elif name in LIST_WORDS:
                elements.append(("range",) if between else ("list",))
                between = False
            elif name in BETWEEN_WORDS:
                between = True
            elif name in FROM_WORDS:
                elements.append(("from",))
            elif name in EDGE_WORDS and (
                following in MONTHS or (after[:1] == ("num",) and word(index + 2) in MONTHS)
            ):
                pass
            elif name not in FILLER_WORDS:
                return []
        elif token[0] == "num":
            digits, ordinal = token[1], token[2]
            number = int(digits)
            previous = elements[-1] if elements else None
            if following in QUARTER_NAMES | SEMESTER_NAMES:  # "1er trimestre", "3º trimestre"
                if not unit(number, following):
                    return []
                index += 1
            elif ordinal:
                return []
            elif len(digits) == 4 and _year(digits):
                elements.append(("year", int(digits)))
            elif 1 <= number <= 31 and following in MONTHS:
                pass  # the day of "du 15 janvier au 30 mars"
            elif len(digits) == 2 and previous and previous[0] == "unit" and previous[3] is None:
                previous[3] = 2000 + number  # "T2 18"
            elif len(digits) == 2 and previous == ("dash",) and len(elements) > 1:
                before = elements[-2]
                if before[0] == "unit" and before[3] is None:  # "avr.-18", "T4-19"
                    elements.pop()
                    before[3] = 2000 + number
                elif before[0] == "year" and 2000 + number > before[1]:  # "2018-19"
                    elements.append(("year", 2000 + number))
                else:
                    return []
            else:
                return []
        else:
            elements.append(token)
        index += 1
    return elements


def _period_groups(elements):
    """[[unit] or [first unit, last unit]], one per item of the list the text makes; None
    when the separators make no sense ("T1 -", "T1-T2-T3", "jusqu'à juin", "from March")."""
    units = []
    for index, element in enumerate(elements):
        if element[0] != "year":
            units.append(element)
            continue
        before = units[-1] if units else None
        after = elements[index + 1] if index + 1 < len(elements) else None
        if before and before[0] == "unit" and before[3] is None:
            before[3] = element[1]  # "janvier 2018"
        elif after and after[0] == "unit" and after[3] is None:
            after[3] = element[1]  # "2018 : T1"
        else:
            units.append(["unit", 1, 12, element[1]])  # "2018": the whole year
    groups, current, ranged, opened, pending = [], [], False, False, False

    def close():
        if current:
            if opened and len(current) == 1:
                return False  # "from March": until when?
            groups.append(current)
        return True

    for element in units:
        if element[0] == "list":
            if ranged or not close():
                return None
            current, opened = [], False
        elif element[0] == "from":
            if current or pending:
                return None
            pending = True
        elif element[0] in ("range", "dash"):
            if not current:
                if element[0] == "dash" and not groups and not pending:
                    continue  # a bullet
                return None
            if ranged or len(current) != 1:
                return None
            ranged = True
        elif ranged:
            current.append(element)
            ranged = False
        else:
            if not close():  # "T1 T3 2019": a list without its commas
                return None
            current, opened, pending = [element], pending, False
    if ranged or pending or not close():
        return None
    return groups


def _period_months(groups, year):
    """(sorted months, the year of the last one) of the groups, their missing years taken from
    the other side of their range, then the nearest year written after them, else before,
    else `year`; (None, None) if a year is still missing or a range runs backwards."""
    for group in groups:
        if len(group) == 2:
            first, last = group
            if first[3] is None and last[3] is not None:  # "novembre à février 2019"
                first[3] = last[3] - (first[1] > last[2])
            elif last[3] is None and first[3] is not None:
                last[3] = first[3] + (last[2] < first[1])
    units = [u for group in groups for u in group]
    written = [u[3] for u in units]
    inferred = {id(u) for u in units if u[3] is None}
    for index, found in enumerate(units):
        if found[3] is None:
            after = [y for y in written[index + 1 :] if y is not None]
            before = [y for y in written[:index] if y is not None]
            found[3] = after[0] if after else before[-1] if before else year
    months = set()
    for group in groups:
        first, last = group[0], group[-1]
        if first[3] is None or last[3] is None:
            return None, None
        start = first[3] * 12 + first[1] - 1
        end = last[3] * 12 + last[2] - 1
        if end < start and len(group) == 2 and id(last) in inferred:
            end += 12  # "novembre à février", both years inferred
        if end < start or end - start > 240:
            return None, None
        months.update(_months(start, end))
    return sorted(months), units[-1][3]


def _months(start, end):
    """["2018-11", "2018-12", "2019-01"] from start to end, counted as year × 12 + month − 1."""
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, end + 1)]


# Finding the header ---------------------------------------------------------------------------


def _row_fields(sheet, row):
    """{field: column} of a header row. When two titles name the same field ("Nombre de
    participants" and "Qté"), the better match wins, then the leftmost."""
    found = {}
    for column in range(len(sheet.rows[row])):
        match = _header_match(sheet.text(row, column))
        if match and (match[0] not in found or match[1] > found[match[0]][1]):
            found[match[0]] = (column, match[1])
    return {name: column for name, (column, _rank) in found.items()}


def _year_above(sheet, row, column):
    """A year written above a period column (in the same or a merged cell), if any."""
    for r in range(row - 1, max(row - 3, -1), -1):
        span = sheet.merged_span(r, column)
        first = span[0] if span else column
        year = _year(sheet.text(r, first)) if _YEAR.match(sheet.text(r, first)) else None
        if year:
            return year
    return None


def _period_columns(sheet, row, start_year=None):
    """({column: months}, kind) of the chronogram titles in `row`. Titles that carry no year
    ("T1 T2 T3 T4 T1…", the initials "J F M A M J J A S O N D", the numbers 1 to 12) count when
    they run in order: each takes the year written above it, or else the plan's first year
    (`start_year`, read above the header) and the next one after each wrap."""
    columns, kinds, bare = {}, set(), {}
    for column in range(len(sheet.rows[row])):
        value = sheet.value(row, column)
        if value in ("", None):
            continue
        year = _year_above(sheet, row, column)
        found = period_of(value, year)
        if found:
            kind, months = found
            columns[column] = months
            kinds.add(kind)
        elif (position := _bare_period(value)) is not None:
            bare[column] = (*position, year)
    if not columns and bare:
        columns, kinds = _bare_run(bare, start_year)
    kind = "month" if kinds == {"month"} else "quarter" if kinds == {"quarter"} else "mixed"
    return columns, kind


MONTH_INITIALS = "jfmamjjasond"  # the same in French, English and Portuguese


def _bare_period(value):
    """(kind, what) of a chronogram title without a year: ("quarter", 2) for "T2",
    ("initial", "f") for "F", ("number", 7) for 7; None for anything else."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = int(value) if value == int(value) else 0
        return ("number", number) if 1 <= number <= 12 else None
    key = normalise(value)
    if key.isdigit() and 1 <= int(key) <= 12:
        return "number", int(key)
    if len(key) == 1 and key in MONTH_INITIALS:
        return "initial", key
    match = _QUARTER.match(key)
    if match and not match.group(3):
        return "quarter", int(match.group(1) or match.group(2))
    return None


def _bare_run(bare, start_year):
    """The longest run of adjacent year-less titles of one kind, in calendar order, with
    their years; ({}, set()) if none can be dated or the run is too short to be sure (3)."""
    runs, current = [], []
    for column in sorted(bare):
        if current and (column != current[-1] + 1 or bare[column][0] != bare[current[-1]][0]):
            runs.append(current)
            current = []
        current.append(column)
    runs.append(current)
    run = max(runs, key=len)
    kind = bare[run[0]][0]
    if len(run) < 3:
        return {}, set()
    if kind == "initial":
        letters = "".join(bare[c][1] for c in run)
        starts = [k for k in range(12) if all(
            MONTH_INITIALS[(k + i) % 12] == letter for i, letter in enumerate(letters)
        )]  # fmt: skip
        if len(starts) != 1:
            return {}, set()
        numbers = [(starts[0] + i) % 12 + 1 for i in range(len(run))]
    else:
        numbers = [bare[c][1] for c in run]
        size = 4 if kind == "quarter" else 12
        if any(b != a % size + 1 for a, b in zip(numbers, numbers[1:], strict=False)):
            return {}, set()
    columns, year = {}, start_year
    for index, (column, number) in enumerate(zip(run, numbers, strict=True)):
        if index and number <= numbers[index - 1] and year is not None:
            year += 1
        year = bare[column][2] or year
        if year is None:
            return {}, set()
        if kind == "quarter":
            first = (number - 1) * 3 + 1
            columns[column] = [f"{year:04d}-{m:02d}" for m in range(first, first + 3)]
        else:
            columns[column] = [f"{year:04d}-{number:02d}"]
    return columns, {"quarter" if kind == "quarter" else "month"}


def _start_year(sheet, row):
    """The first year written above `row` (in the title: "Plan d'action 2018-2019")."""
    for above in range(row):
        for column in sheet.filled(above):
            found = re.search(r"\b((?:19|20)\d{2})\b", sheet.text(above, column))
            if found:
                return int(found.group(1))
    return None


def find_header(sheet):
    """(header rows, columns by field, period columns, kind) of the best header in the sheet.

    A header names at least the label and an amount column. It may take two rows: a merged
    "Chronogramme" over quarter or month titles, or years over quarters.
    """
    best = None
    for row in range(min(len(sheet.rows), MAX_HEADER_SCAN)):
        fields = _row_fields(sheet, row)
        if "label" not in fields or not ({"total", "unit_cost"} & fields.keys()):
            continue
        header_rows = [row]
        start_year = _start_year(sheet, row)
        periods, kind = _period_columns(sheet, row, start_year)
        for extra in (row + 1, row + 2):
            if extra >= len(sheet.rows):
                break
            more_periods, more_kind = _period_columns(sheet, extra, start_year)
            more_fields = _row_fields(sheet, extra)
            if sheet.text(extra, fields["label"]) and not more_fields:
                break  # an activity ("T1 2018" in its chronogram written as text), not a title
            if (
                more_periods
                or (more_fields and not _looks_like_data(sheet, extra))
                or _only_years(sheet, extra)
            ):
                header_rows.append(extra)
                for name, column in more_fields.items():
                    fields.setdefault(name, column)
                if more_periods:
                    periods, kind = more_periods, more_kind
            else:
                break
        score = len(fields) + (2 if periods else 0)
        if best is None or score > best[0]:
            best = (score, tuple(header_rows), fields, periods, kind)
    if best is None:
        return None
    _score, rows, fields, periods, kind = best
    for column in periods:
        for name, mapped in list(fields.items()):
            if mapped == column:
                del fields[name]
    _keep_period_text(sheet, rows, fields, periods)
    return rows, fields, periods, kind


def _keep_period_text(sheet, rows, fields, periods):
    """A chronogram title ("Période", "Calendrier") names a column of periods written as text
    only when it sits over that one column and the sheet has no quarter or month columns."""
    column = fields.get("period_text")
    if column is None:
        return
    spans = [sheet.merged_span(row, column) for row in rows]
    if periods or any(span and span[1] > span[0] for span in spans):
        del fields["period_text"]


def _only_years(sheet, row):
    """A row of years over the chronogram ("2018" merged over T1…T4), between its title and
    the quarters."""
    filled = sheet.filled(row)
    return bool(filled) and all(_YEAR.match(sheet.text(row, c)) for c in filled)


def _looks_like_data(sheet, row):
    return any(_amount_or_none(sheet.value(row, c)) is not None for c in sheet.filled(row)[1:])


def _amount_or_none(value):
    if value in ("", None):
        return None
    try:
        return parse_amount(value)
    except ValueError:
        return None


# Reading the rows -----------------------------------------------------------------------------


def _classify(label):
    key = normalise(label)
    if any(key.startswith(word) for word in SUBTOTAL_WORDS):
        return "subtotal"
    if any(key == word or key.startswith(word + " ") for word in TOTAL_WORDS):
        return "total"
    if _OBJECTIVE.match(key) and not re.match(r"^\d", key):
        return "objective"
    return None


def _split_names(text):
    parts = re.split(r"\s*(?:/|\+|;|,|\n|&|\bet\b|\band\b|\be\b|\bو\b)\s*", text or "")
    return [p.strip(" -–—.") for p in parts if p and p.strip(" -–—.")]


_SOURCE_WITH_AMOUNT = re.compile(r"^(.*?)\s*\(\s*([\d\s.,\u00a0\u202f]+)\s*\)$")


def _sources(text):
    """[(name, amount or None)] from "État (1000000) ; ICMPD (500000)" or "Etat/ICMPD"."""
    text = (text or "").strip()
    if not text:
        return []
    parts = [p.strip() for p in text.split(";") if p.strip()]
    with_amounts = [_SOURCE_WITH_AMOUNT.match(p) for p in parts]
    if all(with_amounts):
        found = []
        for match in with_amounts:
            try:
                found.append((match.group(1).strip(), parse_amount(match.group(2))))
            except ValueError:
                found.append((match.group(1).strip(), None))
        return found
    return [(name, None) for name in _split_names(text)]


def _is_state(name):
    return normalise(name) in STATE_WORDS


def _detect_currency(sheet, header_rows, default):
    texts = [sheet.text(r, c) for r in header_rows for c in range(len(sheet.rows[r]))]
    texts += [
        sheet.text(r, c)
        for r in range(min(len(sheet.rows), 200))
        for c in range(len(sheet.rows[r]))
        if isinstance(sheet.value(r, c), str)
    ]
    for code, pattern in CURRENCY_HINTS:
        if any(pattern.search(t) for t in texts if t):
            return code
    return default


def _title(sheet, header_row):
    """The plan's title: above the header, the text that names a plan, else the longest."""
    candidates = []
    for row in range(header_row):
        for column in sheet.filled(row):
            text = sheet.text(row, column)
            if len(text) > 12:
                candidates.append((row, text))
    naming = [t for _r, t in candidates if re.search(r"(?i)\bplan|plano|خطة|خطه", t)]
    if naming:
        return max(naming, key=len)
    return max((t for _r, t in candidates), key=len, default="")


# Words that tell the language of a header and title apart (normalised: no accents, lower case).
LANGUAGE_WORDS = {
    "fr": "activites activite cout couts responsable partenaires financement specifiques "
    "objectifs objectif quantite plaidoyer montant chronogramme unitaire des et la le du pour "
    "contre traite personnes",
    "en": "activities activity cost costs responsible partners funding source specific "
    "objectives objective quantity advocacy amount chronogram unit of the and for against "
    "trafficking persons",
    "pt": "atividades atividade custo custos responsavel parceiros financiamento fonte "
    "especificos objetivos objetivo quantidade advocacia montante cronograma unitario do da "
    "dos e para contra trafico pessoas acao plano",
}
LANGUAGE_WORDS = {language: set(words.split()) for language, words in LANGUAGE_WORDS.items()}


def _language(sheet, header_rows, title):
    """fr, en, pt or ar: the language the sheet's header and title are written in; "" when
    they do not tell (the plan then takes its country's)."""
    texts = [title] + [sheet.text(r, c) for r in header_rows for c in sheet.filled(r)]
    if any("\u0600" <= character <= "\u06ff" for text in texts for character in text):
        return "ar"
    words = " ".join(normalise(text) for text in texts).split()
    scores = {
        lang: sum(w in vocabulary for w in words) for lang, vocabulary in LANGUAGE_WORDS.items()
    }
    best = max(scores, key=scores.get)
    if scores[best] == 0 or list(scores.values()).count(scores[best]) > 1:
        return ""
    return best


def parse_workbook(sheets, *, default_currency, mapping=None, header_row=None):
    """Read the first sheet that holds a plan. `mapping` ({field: column index}) and
    `header_row` (0-based) override what was recognised, as the person corrected it."""
    plan = ParsedPlan()
    chosen = None
    for sheet in sheets:
        found = find_header(sheet)
        if found:
            chosen = (sheet, found)
            break
    if chosen is None:
        plan.sheet = sheets[0].name if sheets else ""
        plan.error(
            _(
                "No plan header found: a row should name at least the activities and an amount "
                "(e.g. “Activités” and “Coût total”)."
            )
        )
        return plan
    sheet, (rows, columns, periods, kind) = chosen
    plan.sheet = sheet.name
    if header_row is not None and header_row != rows[-1]:
        rows = (header_row,)
        columns = _row_fields(sheet, header_row)
        periods, kind = _period_columns(sheet, header_row, _start_year(sheet, header_row))
        _keep_period_text(sheet, rows, columns, periods)
    if mapping:
        columns = {name: column for name, column in columns.items() if name not in mapping}
        columns.update({name: col for name, col in mapping.items() if col is not None})
        for name in [n for n, c in mapping.items() if c is None]:
            columns.pop(name, None)
        if mapping.get("period_text") is not None:
            periods, kind = {}, ""  # the person chose the column that says when, in words
    plan.header_rows, plan.header_row = rows, rows[-1]
    plan.columns, plan.period_columns = columns, periods
    plan.period_kind = kind if periods else ""
    plan.currency = _detect_currency(sheet, rows, default_currency)
    plan.title = _title(sheet, rows[0])
    plan.language = _language(sheet, rows, plan.title)
    if len(sheets) > 1:
        others = ", ".join(s.name for s in sheets if s is not sheet)
        plan.warn(
            _("Only the sheet “%(sheet)s” was read; ignored: %(others)s.")
            % {"sheet": sheet.name, "others": others}
        )
    if "label" not in columns:
        plan.error(_("No column of activities."))
        return plan
    _read_rows(sheet, plan)
    _set_period(sheet, plan, _read_period_texts(sheet, plan))
    _check_totals(plan)
    return plan


def _cell_amount(sheet, plan, row, name):
    column = plan.columns.get(name)
    if column is None:
        return None
    value = sheet.value(row, column)
    if value in ("", None):
        return None
    try:
        amount = parse_amount(value)
    except ValueError:
        plan.error(
            _("“%(value)s” is not an amount.") % {"value": sheet.text(row, column)}, row, column
        )
        return None
    if amount < 0:
        plan.error(_("An amount cannot be negative."), row, column)
        return None
    return amount


def _text(sheet, plan, row, name):
    column = plan.columns.get(name)
    return sheet.text(row, column) if column is not None else ""


def _read_rows(sheet, plan):
    label_column = plan.columns["label"]
    current = None
    for row in range(plan.header_row + 1, len(sheet.rows)):
        filled = sheet.filled(row)
        if not filled:
            continue
        label = _text(sheet, plan, row, "label")
        number = _text(sheet, plan, row, "number")
        if not label:
            # Labels sometimes sit in the number column, merged across the row.
            texts = [sheet.text(row, c) for c in filled if isinstance(sheet.value(row, c), str)]
            label = texts[0] if texts else ""
        kind = _classify(label) or _classify(number)
        if plan.stated_total is not None and kind != "total":
            continue  # after the grand total: the total in words, signatures…
        if kind == "subtotal":
            if current is not None:
                current.stated_subtotal = _cell_amount(sheet, plan, row, "total")
                current.subtotal_row = row
            continue
        if kind == "total":
            plan.stated_total = _cell_amount(sheet, plan, row, "total")
            plan.total_row = row
            continue
        span = sheet.merged_span(row, filled[0])
        amounts = [name for name in ("unit_cost", "total") if _text(sheet, plan, row, name)]
        # A section row: one cell merged across the sheet, whichever column it starts in.
        section = span and span[1] - span[0] >= 2 and (not amounts or len(filled) == 1)
        if kind == "objective" or section:
            statement = _OBJECTIVE_PREFIX.sub("", label).strip() or label
            current = ParsedObjective(row=row, statement=statement, named=kind == "objective")
            plan.objectives.append(current)
            continue
        if not label:
            continue
        if current is None:
            current = ParsedObjective(row=row, statement=plan.title or _("Objective 1"))
            plan.objectives.append(current)
            plan.warn(
                _(
                    "Activities come before any objective row: "
                    "they were put under a first objective."
                ),
                row,
                label_column,
            )
        current.activities.append(_read_activity(sheet, plan, row, number, label))
    # A merged sentence below the last activity with no TOTAL row between them ("Arrêté le
    # présent plan à la somme de…", a signature) is a note, not an objective.
    while plan.objectives and not plan.objectives[-1].activities and not plan.objectives[-1].named:
        note = plan.objectives.pop()
        plan.warn(
            _("Text below the last activity was not read: “%(text)s”.")
            % {"text": Truncator(note.statement).chars(80)},
            note.row,
            label_column,
        )


def _read_activity(sheet, plan, row, number, label):
    activity = ParsedActivity(row=row, number=number, title=label[:500])
    errors = len(plan.errors)
    activity.description = _text(sheet, plan, row, "description")
    activity.responsible = _text(sheet, plan, row, "responsible")
    activity.partners = _split_names(_text(sheet, plan, row, "partners"))
    activity.unit = _text(sheet, plan, row, "unit")[:60]
    unit_cost = _cell_amount(sheet, plan, row, "unit_cost")
    quantity = _cell_amount(sheet, plan, row, "quantity")
    total = _cell_amount(sheet, plan, row, "total")
    currency = plan.currency or "XOF"
    if unit_cost is None and total is None and len(plan.errors) == errors:
        # (an amount that could not be read has already said so)
        plan.error(
            _("The activity has no amount."),
            row,
            plan.columns.get("total", plan.columns.get("unit_cost")),
        )
    if quantity is not None and quantity == 0 and unit_cost is not None:
        plan.error(_("The quantity is zero."), row, plan.columns.get("quantity"))
    if unit_cost is None:
        unit_cost, quantity = total or Decimal(0), Decimal(1)
    quantity = quantity if quantity is not None else Decimal(1)
    activity.unit_cost, activity.quantity = unit_cost, quantity
    activity.total = round_amount(unit_cost * quantity, currency)
    if total is not None and round_amount(total, currency) != activity.total:
        plan.warn(
            _(
                "The line states %(stated)s but unit cost × quantity gives %(computed)s; "
                "the latter is kept."
            )
            % {
                "stated": format_money(total, currency),
                "computed": format_money(activity.total, currency),
            },
            row,
            plan.columns.get("total"),
        )
    months = set()
    for column, period in plan.period_columns.items():
        if sheet.text(row, column):
            months.update(period)
    activity.months = sorted(months)
    if plan.period_columns and not months:
        first = min(plan.period_columns)
        plan.error(_("The activity has no mark in its chronogram."), row, first)
    if not activity.responsible and "responsible" in plan.columns:
        plan.warn(_("The activity has no responsible structure."), row, plan.columns["responsible"])
    sources = _sources(_text(sheet, plan, row, "source"))
    if sources and all(amount is not None for _name, amount in sources):
        activity.sources = [(None if _is_state(n) else n, a) for n, a in sources]
    elif sources:
        shares = _split_equally(activity.total, len(sources), currency)
        activity.sources = [
            (None if _is_state(n) else n, share)
            for (n, _amount), share in zip(sources, shares, strict=True)
        ]
        if len(sources) > 1:
            plan.warn(
                _("Several funding sources and no split: the cost is shared equally between them."),
                row,
                plan.columns.get("source"),
            )
    return activity


def _split_equally(total, parts, currency):
    from relais.plans.totals import spread

    return list(spread(total, [f"{i:04d}-01" for i in range(parts)], currency).values())


def _read_period_texts(sheet, plan):
    """The months of each activity from its chronogram written as text in one column. A cell
    without its year ("T2") takes the previous cell's, else the title's first; one that
    cannot be read is a warning. Returns the activities that span the whole plan ("Permanent",
    unreadable or empty), whose months _set_period gives once the plan's are known."""
    column = plan.columns.get("period_text")
    if column is None or plan.period_columns:
        return []
    year = _start_year(sheet, plan.header_rows[0])
    whole = []
    for activity in (a for o in plan.objectives for a in o.activities):  # in row order
        value, text = sheet.value(activity.row, column), sheet.text(activity.row, column)
        months, last = _period_text(value, year) if text else (None, None)
        if months is None or months == WHOLE_PLAN:
            whole.append(activity)
        else:
            activity.months, year = months, last
        if not text:
            plan.warn(
                _("The activity has no period: it spans the whole plan."), activity.row, column
            )
        elif months is None:
            plan.warn(
                _("The period “%(text)s” cannot be read: the activity spans the whole plan.")
                % {"text": Truncator(text).chars(80)},
                activity.row,
                column,
            )
    return whole


def _month_range(first, last):
    """Every month from "YYYY-MM" `first` to `last`."""
    return _months(int(first[:4]) * 12 + int(first[5:]) - 1, int(last[:4]) * 12 + int(last[5:]) - 1)


def _set_period(sheet, plan, all_along=()):
    """The plan's period: its chronogram columns'; else the months of its chronogram written
    as text, where "Permanent" spans the title's years (or the others' months); else the
    title's years, every activity spanning them."""
    months = sorted({m for period in plan.period_columns.values() for m in period})
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", plan.title)]
    if not months and "period_text" in plan.columns:
        activities = [a for o in plan.objectives for a in o.activities]
        dated = sorted({m for a in activities for m in a.months})
        if all_along and years:
            span = _month_range(f"{min(years):04d}-01", f"{max(years):04d}-12")
        else:
            span = _month_range(dated[0], dated[-1]) if dated else []
        for activity in all_along:
            activity.months = span
        months = sorted({m for a in activities for m in a.months})
        if not months:
            plan.error(
                _(
                    "The plan's period cannot be found: no activity's period can be read and "
                    "there are no years in the title."
                )
            )
            return
    if months:
        first, last = months[0], months[-1]
        plan.period_start = date(int(first[:4]), int(first[5:]), 1)
        year, month = int(last[:4]), int(last[5:])
        plan.period_end = date(year, month, calendar.monthrange(year, month)[1])
        return
    if years:
        plan.period_start, plan.period_end = date(min(years), 1, 1), date(max(years), 12, 31)
        whole = [
            f"{y:04d}-{m:02d}" for y in range(min(years), max(years) + 1) for m in range(1, 13)
        ]
        for objective in plan.objectives:
            for activity in objective.activities:
                activity.months = activity.months or whole
        plan.warn(_("No chronogram columns: each activity spans the whole period."))
        return
    plan.error(
        _("The plan's period cannot be found: no chronogram columns and no years in the title.")
    )


def _check_totals(plan):
    currency = plan.currency or "XOF"
    for objective in plan.objectives:
        if (
            objective.stated_subtotal is not None
            and round_amount(objective.stated_subtotal, currency) != objective.total
        ):
            plan.warn(
                _("The sheet's sub-total is %(stated)s but its lines add up to %(computed)s.")
                % {
                    "stated": format_money(objective.stated_subtotal, currency),
                    "computed": format_money(objective.total, currency),
                },
                objective.subtotal_row,
                plan.columns.get("total"),
            )
        if not objective.activities:
            plan.warn(
                _("This objective has no activity."), objective.row, plan.columns.get("label")
            )
    if plan.stated_total is not None and round_amount(plan.stated_total, currency) != plan.total:
        plan.warn(
            _("The sheet's grand total is %(stated)s but its lines add up to %(computed)s.")
            % {
                "stated": format_money(plan.stated_total, currency),
                "computed": format_money(plan.total, currency),
            },
            plan.total_row,
            plan.columns.get("total"),
        )
    if not plan.objectives or not plan.activity_count:
        plan.error(_("No activity found under the header."))


def match_organisations(parsed, country):
    """{name as written: Organisation or None} for every structure the sheet names, matching
    the country's and the regional organisations by name or acronym (accents, case and
    spacing ignored). Each unknown one gets a warning: it will be created."""
    from django.db.models import Q

    from relais.countries.models import Organisation

    index = {}
    for organisation in Organisation.objects.filter(Q(country=country) | Q(country__isnull=True)):
        for key in (organisation.name, organisation.acronym, str(organisation)):
            if key:
                index.setdefault(normalise(key), organisation)
    found, first_row = {}, {}
    for objective in parsed.objectives:
        for activity in objective.activities:
            names = [(activity.responsible, "responsible")]
            names += [(name, "partners") for name in activity.partners]
            names += [(name, "source") for name, _amount in activity.sources if name]
            for name, column in names:
                if name and name not in found:
                    found[name] = index.get(normalise(name))
                    first_row[name] = (activity.row, parsed.columns.get(column))
    for name, organisation in found.items():
        if organisation is None:
            row, column = first_row[name]
            parsed.warn(
                _("“%(name)s” is not a known organisation: it will be created.") % {"name": name},
                row,
                column,
            )
    return found
