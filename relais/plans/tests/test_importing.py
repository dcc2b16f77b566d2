"""Reading a plan from the workbook a committee already has: dozens of generated layouts (see
workbooks.py), then the odd workbooks one at a time. Nothing here writes to the database."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.core.money import format_money
from relais.core.sheets import Problem, column_letter
from relais.plans.importing import header_field, period_of, period_text_months
from relais.plans.tests.workbooks import (
    FIELDS,
    TEXT_FORMS,
    Layout,
    build,
    layouts,
    parse,
    read_back,
    sheet_bytes,
    variant,
    wanted,
)

CURRENCY_OF = {"fr": "XOF", "en": "GMD", "pt": "XOF", "ar": "MRU"}


def layout_id(layout):
    return (
        f"{layout.language}-lh{layout.letterhead}-{layout.periods}-{layout.header}-"
        f"{layout.objectives}-{layout.amounts}{'-abbr' if layout.abbreviations else ''}"
        f"{'-extra' + str(layout.extra) if layout.extra else ''}"
    )


def assert_read_exactly(layout):
    data, expected = build(layout)
    parsed = parse(data, layout.currency)
    assert [str(e) for e in parsed.errors] == []
    assert read_back(parsed) == wanted(expected)
    assert parsed.total == expected.total
    assert parsed.activity_count == len(expected.activities)
    assert parsed.currency == layout.currency
    assert parsed.language == layout.language
    assert (parsed.period_start, parsed.period_end) == (expected.period_start, expected.period_end)
    kinds = {"quarter": "quarter", "text": ""}
    assert parsed.period_kind == kinds.get(layout.periods.split("-")[0], "month")
    assert parsed.header_row + 1 == expected.header_row
    assert {n: parsed.columns.get(n) for n in expected.columns} == expected.columns
    activities = [a for o in parsed.objectives for a in o.activities]
    assert [a.responsible for a in activities] == [a.responsible for a in expected.activities]
    assert [a.row + 1 for a in activities] == [a.row for a in expected.activities]
    return parsed, expected


@pytest.mark.parametrize("layout", layouts(64), ids=layout_id)
def test_every_generated_layout_is_read_exactly(layout):
    """64 layouts drawn once and for all: letterhead of 0 to 8 rows, shuffled columns, extra
    columns (some whose titles look like a quantity, a number or a cost), abbreviations, the
    four languages, quarters or months, objective rows of four kinds, sub-totals or not,
    amounts as numbers or as text in every form, formulas, marks other than X."""
    assert_read_exactly(layout)


@pytest.mark.parametrize("letterhead", range(9))
@pytest.mark.parametrize(("title", "gap", "indent"), [(False, 0, 0), (True, 0, 2), (True, 3, 1)])
def test_the_header_is_found_whatever_the_letterhead_above_it(letterhead, title, gap, indent):
    layout = Layout(letterhead=letterhead, title=title, gap=gap, indent=indent)
    parsed, expected = assert_read_exactly(layout)
    assert parsed.header_row + 1 == letterhead + title + gap + 2  # a two-row header
    if title:
        assert parsed.title.startswith("Plan d'action de plaidoyer")


@pytest.mark.parametrize("language", ["fr", "en", "pt", "ar"])
@pytest.mark.parametrize("periods", ["quarter", "quarter-years", "month", "month-years", "dates"])
@pytest.mark.parametrize("header", ["one-row", "two-row"])
def test_every_language_with_every_kind_of_chronogram(language, periods, header):
    assert_read_exactly(
        Layout(
            language=language,
            currency=CURRENCY_OF[language],
            periods=periods,
            header=header,
            period_style=len(periods) % 3,
        )
    )


@pytest.mark.parametrize("letterhead", [0, 3])
@pytest.mark.parametrize("header", ["one-row", "two-row"])
@pytest.mark.parametrize(
    ("language", "periods"),
    [
        *[(lang, "quarter-bare") for lang in ("fr", "en", "pt", "ar")],
        *[(lang, "numbers-years") for lang in ("fr", "en", "pt", "ar")],
        ("fr", "numbers-bare"),
        *[(lang, "initials-years") for lang in ("fr", "en", "pt")],
        *[(lang, "initials-bare") for lang in ("fr", "en", "pt")],
    ],
)
def test_chronogram_titles_without_their_year(language, periods, header, letterhead):
    """ "T1 T2 T3 T4 T1…", "J F M A M J J A S O N D" or 1 to 12: each column takes the year
    above it, or the title's first year and the next after each wrap."""
    assert_read_exactly(
        Layout(
            language=language,
            currency=CURRENCY_OF[language],
            periods=periods,
            header=header,
            letterhead=letterhead,
            year=2021,
        )
    )


def test_year_less_titles_with_no_year_anywhere_are_not_guessed():
    rows = [
        ["N°", "Activités", "T1", "T2", "T3", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", "", "", 4250000],
    ]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows))
        assert parsed.period_columns == {}
        assert [str(e) for e in parsed.errors] == [
            "Sheet Plan: The plan's period cannot be found: no chronogram columns and no years "
            "in the title."
        ]


@pytest.mark.parametrize(
    "titles",
    [
        ["J", "F", "X"],  # too short to be sure, and broken
        ["J", "J", "J"],  # no month order
        [1, 1, 1],  # marks, not months
        [3, 2, 1],  # out of order
    ],
)
def test_what_only_looks_like_year_less_titles_is_not_a_chronogram(titles):
    rows = [
        ["Plan d'action 2018-2019"],
        ["N°", "Activités", *titles, "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "", "", "", 4250000],
    ]
    assert parse(sheet_bytes(rows)).period_columns == {}


@pytest.mark.parametrize("language", ["fr", "en", "pt", "ar"])
@pytest.mark.parametrize("abbreviations", [False, True])
@pytest.mark.parametrize("extra", [0, 4])
def test_columns_in_reverse_order_with_extra_ones_and_abbreviations(language, abbreviations, extra):
    order = tuple(reversed(FIELDS))  # source … label, number
    order = (*order, "periods")
    assert_read_exactly(
        Layout(
            language=language,
            currency=CURRENCY_OF[language],
            order=order,
            abbreviations=abbreviations,
            extra=extra,
        )
    )


@pytest.mark.parametrize("objectives", ["merged", "merged-plain", "prefixed", "split"])
@pytest.mark.parametrize("style", [0, 1, 2])
@pytest.mark.parametrize("language", ["fr", "en", "pt", "ar"])
def test_objective_rows_of_every_kind(objectives, style, language):
    assert_read_exactly(
        Layout(
            language=language,
            currency=CURRENCY_OF[language],
            objectives=objectives,
            objective_style=style,
            subtotals=style != 1,
        )
    )


@pytest.mark.parametrize("form", ["number", "mixed", *TEXT_FORMS])
@pytest.mark.parametrize(("language", "currency"), [("fr", "XOF"), ("en", "GMD")])
def test_amounts_as_numbers_or_as_text_in_every_form(form, language, currency):
    if form == "nnbsp" and currency == "GMD":
        form = "nbsp"
    assert_read_exactly(Layout(language=language, currency=currency, amounts=form))


@st.composite
def any_layout(draw):
    language = draw(st.sampled_from(["fr", "en", "pt", "ar"]))
    order = draw(st.permutations(FIELDS))
    order.insert(draw(st.integers(order.index("label") + 1, len(order))), "periods")
    amounts = ["number", "mixed", "space", "nbsp", "dots", "comma"]
    if language in {"fr", "pt"}:
        amounts.append("nnbsp")
    return Layout(
        language=language,
        currency=CURRENCY_OF[language],
        year=draw(st.integers(2010, 2040)),
        letterhead=draw(st.integers(0, 8)),
        indent=draw(st.integers(0, 3)),
        title=draw(st.booleans()),
        gap=draw(st.integers(0, 3)),
        periods=draw(st.sampled_from(["quarter", "quarter-years", "month", "month-years", "text"])),
        period_style=draw(st.integers(0, 3)),
        header=draw(st.sampled_from(["one-row", "two-row"])),
        order=tuple(order),
        extra=draw(st.integers(0, 4)),
        abbreviations=draw(st.booleans()),
        objectives=draw(st.sampled_from(["merged", "merged-plain", "prefixed", "split"])),
        objective_style=draw(st.integers(0, 2)),
        subtotals=draw(st.booleans()),
        grand_total=draw(st.booleans()),
        words=draw(st.booleans()),
        amounts=draw(st.sampled_from(amounts)),
        currency_in_header=draw(st.booleans()),
        mark=draw(st.sampled_from(["X", "x", "✓", "1", "●", "oui", "*"])),
        formulas=draw(st.booleans()),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout=any_layout())
def test_any_layout_hypothesis_draws_is_read_exactly(layout):
    assert_read_exactly(layout)


# What is checked and said --------------------------------------------------------------------


def test_a_stated_grand_total_that_differs_from_the_lines_is_a_warning_with_both_figures():
    layout = Layout(language="en", currency="GMD", stated_offset=Decimal("1000.50"))
    data, expected = build(layout)
    with translation.override("en"):
        parsed = parse(data, "GMD")
    assert parsed.errors == []
    assert parsed.total == expected.total  # the lines are kept
    assert parsed.stated_total == expected.total + Decimal("1000.50")
    (warning,) = [w for w in parsed.warnings if "grand total" in w.message]
    stated = format_money(expected.total + Decimal("1000.50"), "GMD", "en")
    computed = format_money(expected.total, "GMD", "en")
    assert warning.message == (
        f"The sheet's grand total is {stated} but its lines add up to {computed}."
    )
    assert "1,000.50" not in computed and stated in warning.message
    assert (warning.sheet, warning.column) == ("Plan", column_letter(expected.columns["total"]))
    assert warning.row == parsed.total_row + 1


def test_a_sub_total_that_differs_from_its_lines_is_a_warning_with_both_figures():
    layout = Layout(subtotal_offset=Decimal("-5500"), amounts="nnbsp")
    data, expected = build(layout)
    with translation.override("fr"):
        parsed = parse(data)
    assert parsed.errors == []
    first = expected.objectives[0][1]
    lines = sum((a.total for a in first), Decimal(0))
    (warning,) = [w for w in parsed.warnings if "total" in w.message]
    # Both figures, written as French writes them.
    assert format_money(lines - 5500, "XOF", "fr") in warning.message
    assert format_money(lines, "XOF", "fr") in warning.message
    assert warning.row == first[-1].row + 1  # the sub-total's row, just below the last line


def test_totals_that_agree_give_no_warning():
    data, _expected = build(Layout(formulas=True))
    with translation.override("en"):
        assert [w for w in parse(data).warnings if "total" in w.message] == []


def test_a_line_whose_total_is_not_unit_cost_times_quantity_is_a_warning():
    rows = [
        ["Plan d'action de plaidoyer 2018-2019"],
        ["N°", "Activités", "T1 2018", "Coût unitaire", "Qté", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", "4 250 000", 2, "8 000 000"],
    ]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows, merged=[(2, 0, 2, 5)]))
    assert parsed.total == Decimal("8500000")
    (warning,) = parsed.warnings
    assert (warning.row, warning.column) == (4, "F")
    assert "8,000,000" in warning.message and "8,500,000" in warning.message


def test_an_amount_that_is_not_one_is_an_error_naming_sheet_row_and_column():
    rows = [
        ["Plan d'action de plaidoyer 2018-2019"],
        [],
        ["N°", "Activités", "Responsable", "T1 2018", "T2 2018", "Coût total (FCFA)"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "CNLTP", "X", "", "4 250 000"],
        ["1.2", "Plaidoyer auprès des députés", "CNLTP", "", "X", "quatre millions"],
    ]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows, name="Budget 2018"))
        (error,) = parsed.errors
        assert error.as_dict() == {
            "sheet": "Budget 2018",
            "row": 6,
            "column": "F",
            "message": "“quatre millions” is not an amount.",
        }
        assert str(error) == (
            "Sheet Budget 2018, row 6, column F: “quatre millions” is not an amount."
        )


def test_an_activity_without_a_mark_in_its_chronogram_is_an_error():
    rows = [
        ["N°", "Activités", "T1 2018", "T2 2018", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "", "", 4250000],
    ]
    parsed = parse(sheet_bytes(rows))
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "C")]


def test_an_activity_without_a_responsible_structure_is_a_warning():
    rows = [
        ["N°", "Activités", "Responsable", "T1 2018", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "CNLTP", "X", 4250000],
        ["1.2", "Plaidoyer", "", "X", 1000000],
    ]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows))
        assert parsed.errors == []
        (warning,) = parsed.warnings
        assert str(warning) == (
            "Sheet Plan, row 4, column C: The activity has no responsible structure."
        )


def test_a_negative_amount_is_an_error():
    rows = [
        ["N°", "Activités", "T1 2018", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", "-4 250 000"],
    ]
    parsed = parse(sheet_bytes(rows))
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "D")]


def test_a_workbook_without_a_plan_header_says_what_it_looks_for():
    with translation.override("en"):
        parsed = parse(sheet_bytes([["Liste de présence"], ["Nom", "Structure", "Signature"]]))
    (error,) = parsed.errors
    assert "No plan header found" in error.message
    assert error.sheet == "Plan" and error.row is None


def test_the_total_in_words_and_the_signatures_below_the_total_are_not_read():
    rows = [
        ["N°", "Activités", "T1 2019", "Coût total (FCFA)"],
        ["OS1 : Créer une agence nationale"],
        ["1.1", "Étude sur le statut de l'agence", "X", "2 250 000"],
        ["TOTAL GÉNÉRAL", None, None, "2 250 000"],
        [],
        [
            "Arrêté le présent plan à la somme de deux millions deux cent cinquante mille "
            "(2 250 000)"
        ],
        [None, "Le Président du Comité", None, "1"],
    ]
    parsed = parse(sheet_bytes(rows, merged=[(1, 0, 1, 3), (3, 0, 3, 2), (5, 0, 5, 3)]))
    assert parsed.errors == [] and parsed.warnings == []
    assert parsed.activity_count == 1 and parsed.total == Decimal("2250000")
    assert parsed.stated_total == Decimal("2250000")


def test_formulas_are_never_evaluated_their_cached_value_is_read():
    rows = [
        ["N°", "Activités", "T1 2018", "C.U.", "Qté", "Montant"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", 4250000, 2, None],
        ["Sous-total OS1", None, None, None, None, None],
        ["TOTAL GÉNÉRAL", None, None, None, None, None],
    ]
    formulas = {
        # the cached value is what a reader that does not recalculate shows
        (2, 5): ("=ROUND(D3*E3,0)", 8500000),
        # a formula whose cached value is stale: read as stored, never recomputed
        (3, 5): ("=SUM(F3:F3)", 8400000),
        (4, 5): ('=F4+WEBSERVICE("http://example.org/")', 8500000),
    }
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows, merged=[(1, 0, 1, 5)], formulas=formulas))
    assert parsed.errors == []
    assert parsed.total == Decimal("8500000")
    assert parsed.objectives[0].stated_subtotal == Decimal("8400000")
    assert parsed.stated_total == Decimal("8500000")
    (warning,) = parsed.warnings
    assert "8,400,000" in warning.message and warning.row == 4


def test_only_the_sheet_holding_the_plan_is_read_and_the_others_are_named():
    data, expected = build(Layout())
    from relais.core.sheets import read_workbook
    from relais.plans.importing import parse_workbook
    from relais.plans.tests.workbooks import upload

    cover = sheet_bytes(
        [["Page de garde"], ["Plan d'action 2018-2019"]],
        name="Garde",
        more_sheets=[("Notes", [["Budget validé en atelier"]])],
    )
    sheets = read_workbook(upload(cover)) + read_workbook(upload(data))
    with translation.override("en"):
        parsed = parse_workbook(sheets, default_currency="XOF")
    assert parsed.sheet == "Plan"
    assert read_back(parsed) == wanted(expected)
    assert parsed.warnings[0].message == "Only the sheet “Plan” was read; ignored: Garde, Notes."


def test_an_extra_column_titled_like_a_quantity_does_not_take_its_place():
    rows = [
        ["Nombre de participants", "Activités", "T1 2018", "C.U.", "Qté", "Montant"],
        ["OS1 : Former les journalistes"],
        [30, "Atelier de formation", "X", "125 000", 2, "250 000"],
    ]
    parsed = parse(sheet_bytes(rows, merged=[(1, 0, 1, 5)]))
    assert parsed.columns["quantity"] == 4
    assert parsed.total == Decimal("250000") and parsed.warnings == []


def test_the_person_can_correct_a_column_and_the_header_row():
    rows = [
        ["N°", "Activités", "Porteur", "T1 2018", "Montant"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "Ministère de la Justice", "X", 4250000],
    ]
    data = sheet_bytes(rows, merged=[(1, 0, 1, 4)])
    assert "responsible" not in parse(data).columns
    parsed = parse(data, mapping={"responsible": 2, "number": None})
    assert parsed.columns["responsible"] == 2 and "number" not in parsed.columns
    assert parsed.objectives[0].activities[0].responsible == "Ministère de la Justice"
    assert parse(data, header_row=0).header_row == 0


def test_portuguese_words_are_not_taken_for_a_currency():
    rows = [
        ["Plano de ação de advocacia 2018-2019"],
        ["Nº", "Atividades", "T1 2018", "Custo total"],
        ["OE1: Reforçar o quadro jurídico"],
        ["1.1", "Organizar um seminário de validação", "X", "3.500.000"],
    ]
    assert parse(sheet_bytes(rows), "XOF").currency == "XOF"


@pytest.mark.parametrize(
    ("written", "currency"),
    [
        ("4 250 000 FCFA", "XOF"),
        ("15.000.000 F CFA", "XOF"),
        ("D 150,000.00", "GMD"),
        ("1 500 000 GNF", "GNF"),
        ("150 000 UM", "MRU"),
    ],
)
def test_the_currency_is_read_from_the_amounts_when_the_header_does_not_say(written, currency):
    rows = [
        ["N°", "Activités", "T1 2018", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", written],
    ]
    assert parse(sheet_bytes(rows), "EUR").currency == currency


def test_funding_sources_with_their_parts_or_shared_equally():
    rows = [
        ["N°", "Activités", "T1 2018", "Coût total", "Source de financement"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier", "X", 4250000, "État (2 000 000) ; ICMPD (2 250 000)"],
        ["1.2", "Étude", "X", 1000001, "Etat / UE"],
        ["1.3", "Table ronde", "X", 500000, "Budget national"],
    ]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows))
    first, second, third = parsed.objectives[0].activities
    assert first.sources == [(None, Decimal("2000000")), ("ICMPD", Decimal("2250000"))]
    assert second.sources == [(None, Decimal("500001")), ("UE", Decimal("500000"))]
    assert third.sources == [(None, Decimal("500000"))]
    (warning,) = parsed.warnings
    assert warning.row == 4 and "shared equally" in warning.message


def test_activities_before_any_objective_go_under_a_first_one_with_a_warning():
    rows = [
        ["Plan d'action de plaidoyer 2018-2019"],
        ["N°", "Activités", "T1 2018", "Coût total"],
        ["1", "Atelier de validation", "X", 4250000],
    ]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows))
    assert parsed.errors == []
    assert [o.statement for o in parsed.objectives] == ["Plan d'action de plaidoyer 2018-2019"]
    assert parsed.warnings[0].row == 3


def test_without_chronogram_columns_the_years_of_the_title_give_the_period():
    rows = [
        ["Plan d'action de plaidoyer (2018-2019)"],
        ["N°", "Activités", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", 4250000],
    ]
    parsed = parse(sheet_bytes(rows))
    assert (parsed.period_start, parsed.period_end) == (date(2018, 1, 1), date(2019, 12, 31))
    assert len(parsed.objectives[0].activities[0].months) == 24


def test_a_csv_export_of_a_sheet_is_read_too():
    text = (
        "N°;Activités;T1 2018;T2 2018;Coût total (FCFA)\n"
        "OS1 : Renforcer le cadre juridique;;;;\n"
        "1.1;Atelier de validation;X;;4 250 000\n"
        "1.2;Plaidoyer;;X;15.000.000 F CFA\n"
    )
    parsed = parse(text.encode("utf-8-sig"), name="plan.csv")
    assert parsed.errors == []
    assert parsed.total == Decimal("19250000")


def test_a_minimal_ods_is_read_like_an_xlsx():
    """OpenDocument written by hand (no library needed): the same reader, calamine, reads it."""
    parsed = parse(ods_bytes(), name="plan.ods")
    assert parsed.errors == []
    assert read_back(parsed) == [
        (
            "Renforcer le cadre juridique",
            [("Atelier de validation", ["2018-01", "2018-02", "2018-03"], 4250000, 1, 4250000)],
        )
    ]


def ods_bytes():
    import io
    import zipfile

    def row(*cells):
        out = []
        for cell in cells:
            if isinstance(cell, int):
                out.append(
                    f'<table:table-cell office:value-type="float" office:value="{cell}">'
                    f"<text:p>{cell}</text:p></table:table-cell>"
                )
            else:
                out.append(
                    f'<table:table-cell office:value-type="string"><text:p>{cell}</text:p>'
                    "</table:table-cell>"
                )
        return "<table:table-row>" + "".join(out) + "</table:table-row>"

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Plan">'
        + row("N°", "Activités", "T1 2018", "Qté", "Coût total (FCFA)")
        + row("OS1 : Renforcer le cadre juridique")
        + row("1.1", "Atelier de validation", "X", 1, "4 250 000")
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# The words the importer knows ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("N°", "number"),
        ("Nº", "number"),
        ("No.", "number"),
        ("الرقم", "number"),
        ("Objectifs spécifiques / Activités", "label"),
        ("Atividades", "label"),
        ("الأهداف المحددة / الأنشطة", "label"),
        ("Structure responsable", "responsible"),
        ("الجهة المسؤولة", "responsible"),
        ("المسؤول", "responsible"),
        ("C.U.", "unit_cost"),
        ("P.U.", "unit_cost"),
        ("Coût unitaire (FCFA)", "unit_cost"),
        ("تكلفة الوحدة", "unit_cost"),
        ("Qté", "quantity"),
        ("Qty", "quantity"),
        ("الكمية", "quantity"),
        ("Montant", "total"),
        ("Coût total (FCFA)", "total"),
        ("Coût\ntotal", "total"),
        ("Custo total (FCFA)", "total"),
        ("التكلفة الإجمالية", "total"),
        ("Source de financement", "source"),
        ("مصدر التمويل", "source"),
        ("Observations", None),
        ("Résultats attendus", None),
        # a chronogram written as text in one column
        ("Période", "period_text"),
        ("Période d'exécution", "period_text"),
        ("Chronogramme", "period_text"),
        ("Calendrier", "period_text"),
        ("Date(s)", "period_text"),
        ("Échéance", "period_text"),
        ("Délai", "period_text"),
        ("Timeline", "period_text"),
        ("Period", "period_text"),
        ("Timeframe", "period_text"),
        ("When", "period_text"),
        ("Período", "period_text"),
        ("Calendário", "period_text"),
        ("Prazo", "period_text"),
        ("الفترة", "period_text"),
        ("الجدول الزمني", "period_text"),
        ("المدة", "period_text"),
    ],
)
def test_column_titles_in_four_languages_and_their_abbreviations(title, name):
    assert header_field(title) == name


@pytest.mark.parametrize(
    ("title", "months"),
    [
        ("T1 2018", ["2018-01", "2018-02", "2018-03"]),
        ("T4-19", ["2019-10", "2019-11", "2019-12"]),
        ("Q2 2018", ["2018-04", "2018-05", "2018-06"]),
        ("1er trimestre 2018", ["2018-01", "2018-02", "2018-03"]),
        ("3º trimestre 2018", ["2018-07", "2018-08", "2018-09"]),
        ("الربع 2 2018", ["2018-04", "2018-05", "2018-06"]),
        ("avr.-18", ["2018-04"]),
        ("April 2018", ["2018-04"]),
        ("abril de 2018", ["2018-04"]),
        ("أبريل 2018", ["2018-04"]),
        ("أفريل 2018", ["2018-04"]),
        (date(2018, 4, 1), ["2018-04"]),
        ("04/2018", ["2018-04"]),
        ("2018-04", ["2018-04"]),
        ("Observations", None),
        ("T1", None),  # no year anywhere
    ],
)
def test_chronogram_titles(title, months):
    found = period_of(title)
    assert (found[1] if found else None) == months


def test_a_problem_reads_as_one_translated_sentence():
    problem = Problem("“x” is not an amount.", sheet="Plan", row=12, column="F")
    with translation.override("en"):
        assert str(problem) == "Sheet Plan, row 12, column F: “x” is not an amount."
        assert str(Problem("No activity.", sheet="Plan")) == "Sheet Plan: No activity."
        assert str(Problem("No activity.", row=3)) == "Row 3: No activity."
        assert str(Problem("No activity.")) == "No activity."


def test_generated_layouts_really_vary():
    drawn = layouts(64)
    assert {layout.letterhead for layout in drawn} == set(range(9))
    assert len({layout.order for layout in drawn}) > 30
    for attribute in ("periods", "header", "objectives", "amounts", "language"):
        assert len({getattr(layout, attribute) for layout in drawn}) > 1
    assert variant(Layout(), extra=2).extra == 2


def test_a_sentence_below_the_last_activity_without_a_total_row_is_a_note():
    rows = [
        ["Plan d'action 2018-2019"],
        ["N°", "Activités", "T1 2018", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", 4250000],
        [],
        ["Arrêté le présent plan à la somme de quatre millions deux cent cinquante mille francs"],
    ]
    merged = [(2, 0, 2, 3), (5, 0, 5, 3)]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows, merged=merged))
        assert [o.statement for o in parsed.objectives] == ["Renforcer le cadre juridique"]
        assert [str(w) for w in parsed.warnings] == [
            "Sheet Plan, row 6, column B: Text below the last activity was not read: "
            "“Arrêté le présent plan à la somme de quatre millions deux cent cinquante mille …”."
        ]
    assert parsed.errors == [] and parsed.total == Decimal(4250000)


def test_an_objective_called_so_is_kept_even_without_activities():
    rows = [
        ["N°", "Activités", "T1 2018", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", 4250000],
        ["OS2 : Créer une agence"],
    ]
    parsed = parse(sheet_bytes(rows, merged=[(1, 0, 1, 3), (3, 0, 3, 3)]))
    assert [o.statement for o in parsed.objectives][-1] == "Créer une agence"


# A chronogram written as text in one column ------------------------------------------------------


def span(first, last):
    """["2018-11", "2018-12", "2019-01"] for span("2018-11", "2019-01")."""
    start = int(first[:4]) * 12 + int(first[5:]) - 1
    end = int(last[:4]) * 12 + int(last[5:]) - 1
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, end + 1)]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # fr
        ("T1 2018", span("2018-01", "2018-03")),
        ("T2-T3 2018", span("2018-04", "2018-09")),
        ("T1 et T3 2019", span("2019-01", "2019-03") + span("2019-07", "2019-09")),
        ("T1, T2 et T4 2018", span("2018-01", "2018-06") + span("2018-10", "2018-12")),
        ("1er trimestre 2018", span("2018-01", "2018-03")),
        ("2ème trimestre 2019", span("2019-04", "2019-06")),
        ("2e trim. 2019", span("2019-04", "2019-06")),
        ("premier trimestre 2018", span("2018-01", "2018-03")),
        ("T4-19", span("2019-10", "2019-12")),
        ("Janvier 2018", ["2018-01"]),
        ("janv.-mars 2019", span("2019-01", "2019-03")),
        ("Avril à juin 2018", span("2018-04", "2018-06")),
        ("avril 2018 - juin 2018", span("2018-04", "2018-06")),
        ("mai 2018", ["2018-05"]),
        ("avr.-18", ["2018-04"]),
        ("de janvier à décembre 2019", span("2019-01", "2019-12")),
        ("du 15 janvier au 30 mars 2019", span("2019-01", "2019-03")),
        ("entre janvier et mars 2019", span("2019-01", "2019-03")),
        ("novembre 2018 à février 2019", span("2018-11", "2019-02")),
        ("novembre à février 2019", span("2018-11", "2019-02")),
        ("Fin mars 2018", ["2018-03"]),
        ("2018", span("2018-01", "2018-12")),
        ("Année 2019", span("2019-01", "2019-12")),
        ("2018-2019", span("2018-01", "2019-12")),
        ("2018-19", span("2018-01", "2019-12")),
        ("S1 2018", span("2018-01", "2018-06")),
        ("1er semestre 2018", span("2018-01", "2018-06")),
        ("15/03/2018 - 30/04/2018", ["2018-03", "2018-04"]),
        ("15/03/2018", ["2018-03"]),
        ("03/2018", ["2018-03"]),
        ("Tout au long de l'année 2018", span("2018-01", "2018-12")),
        # en
        ("Q3 2018", span("2018-07", "2018-09")),
        ("Q1–Q2 2019", span("2019-01", "2019-06")),
        ("Q1 to Q3 2019", span("2019-01", "2019-09")),
        ("3rd quarter 2018", span("2018-07", "2018-09")),
        ("Quarter 4 2018", span("2018-10", "2018-12")),
        ("March–May 2019", span("2019-03", "2019-05")),
        ("Jan to Mar 2018", span("2018-01", "2018-03")),
        ("From January to March 2019", span("2019-01", "2019-03")),
        ("January and March 2019", ["2019-01", "2019-03"]),
        ("H2 2019", span("2019-07", "2019-12")),
        ("second half 2018", span("2018-07", "2018-12")),
        ("Throughout 2019", span("2019-01", "2019-12")),
        ("2019-04-15", ["2019-04"]),
        ("2018-01 2018-02", ["2018-01", "2018-02"]),  # the months of Relais's own CSV export
        # pt
        ("3º trimestre 2018", span("2018-07", "2018-09")),
        ("T2 de 2018", span("2018-04", "2018-06")),
        ("primeiro trimestre de 2018", span("2018-01", "2018-03")),
        ("Janeiro a Março de 2019", span("2019-01", "2019-03")),
        ("de julho a dezembro de 2018", span("2018-07", "2018-12")),
        ("abril de 2018", ["2018-04"]),
        ("1º semestre de 2019", span("2019-01", "2019-06")),
        ("Ao longo de 2019", span("2019-01", "2019-12")),
        ("desde janeiro até março de 2019", span("2019-01", "2019-03")),
        # ar
        ("الربع 2 2018", span("2018-04", "2018-06")),
        ("الربع الأول 2019", span("2019-01", "2019-03")),
        ("الربع الأول من 2019", span("2019-01", "2019-03")),
        ("الربع 4 2018 والربع 1 2019", span("2018-10", "2019-03")),
        ("من يناير إلى مارس 2019", span("2019-01", "2019-03")),
        ("أبريل 2018", ["2018-04"]),
        ("أفريل - جوان 2018", span("2018-04", "2018-06")),
        ("السداسي الأول 2018", span("2018-01", "2018-06")),
        ("طوال سنة 2018", span("2018-01", "2018-12")),
        # cells that are no text
        (date(2018, 4, 15), ["2018-04"]),
        (datetime.fromisoformat("2019-01-31T00:00"), ["2019-01"]),  # a date-time cell
        (2018.0, span("2018-01", "2018-12")),
    ],
)
def test_a_chronogram_written_as_text(text, months):
    assert period_text_months(text) == months


@pytest.mark.parametrize(
    "text",
    [
        "Permanent",
        "Continu",
        "En continu",
        "Toute la durée du plan",
        "Tout au long de l'année",
        "Ongoing",
        "Continuous",
        "Throughout the plan",
        "Permanente",
        "Contínuo",
        "Durante todo o plano",
        "دائم",
        "مستمر",
        "طوال مدة الخطة",
    ],
)
def test_a_chronogram_text_that_says_all_along_spans_the_whole_plan(text):
    whole = span("2018-01", "2019-12")
    assert period_text_months(text, whole=whole) == whole
    assert period_text_months(text) is None  # the plan's months are not known


@pytest.mark.parametrize(
    "text",
    [
        "voir annexe",
        "TBD",
        "",
        "X",
        "x",
        "À déterminer",
        "T5 2018",
        "13/2018",
        "T1 -",
        "T1-T2-T3 2018",
        "mars 2019 à janvier 2019",
        "1 et 2",
        "fin 2018",
        "à partir de mars 2018",  # until when?
        "jusqu'à juin 2018",  # since when?
        "from March 2018",
        43191.0,  # a date cell written as a number: not guessed
        None,
    ],
)
def test_a_chronogram_text_that_cannot_be_read(text):
    assert period_text_months(text, year=2018, whole=["2018-01"]) is None


@pytest.mark.parametrize(
    ("text", "year", "months"),
    [
        ("T2", 2019, span("2019-04", "2019-06")),
        ("T2-T3", 2018, span("2018-04", "2018-09")),
        ("mars", 2018, ["2018-03"]),
        ("novembre à février", 2018, span("2018-11", "2019-02")),
        ("2nd quarter", 2018, span("2018-04", "2018-06")),
        ("3º trimestre", 2018, span("2018-07", "2018-09")),
        ("الربع 3", 2018, span("2018-07", "2018-09")),
        ("T1 2019", 2018, span("2019-01", "2019-03")),  # a year written wins
        ("T2", None, None),
    ],
)
def test_a_chronogram_text_without_its_year_takes_the_one_given(text, year, months):
    assert period_text_months(text, year=year) == months


def test_a_french_sheet_with_its_chronogram_written_in_one_column():
    """Each cell's months; a year-less cell takes the previous row's year; "Permanent" spans
    the years of the title; what cannot be read, or is empty, is a warning at its cell and
    spans the whole plan too."""
    rows = [
        ["RÉPUBLIQUE DU MALI"],
        ["Plan d'action de plaidoyer 2018-2019"],
        [],
        ["N°", "Activités", "Responsable", "Période d'exécution", "Coût total (FCFA)"],
        [None, None, None, None, None],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "CNLTP", "T1 2018", 4250000],
        ["1.2", "Plaidoyer auprès des députés", "CNLTP", "T2-T3", "660 000"],
        ["1.3", "Argumentaire juridique", "ONG Enda Mali", "janv.-mars 2019", 15000000],
        ["1.4", "Suivi du plan", "CNLTP", "Permanent", 500000],
        ["OS2 : Créer une agence nationale"],
        ["2.1", "Étude sur le statut de l'agence", "CNLTP", date(2019, 5, 1), 2250000],
        ["2.2", "Table ronde des partenaires", "CNLTP", "T4", 25000000],
        ["2.3", "Former 30 journalistes", "CNLTP", "voir annexe", 3750000],
        ["2.4", "Publier le rapport", "CNLTP", None, 100000],
        ["TOTAL GÉNÉRAL", None, None, None, 51510000],
    ]
    merged = [(3, c, 4, c) for c in range(5)] + [(5, 0, 5, 4), (10, 0, 10, 4)]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows, merged=merged))
        assert parsed.errors == []
        assert parsed.columns["period_text"] == 3 and parsed.period_columns == {}
        assert parsed.header_row == 3  # the second header row is empty: merged from above
        whole = span("2018-01", "2019-12")
        assert [a.months for o in parsed.objectives for a in o.activities] == [
            span("2018-01", "2018-03"),
            span("2018-04", "2018-09"),  # the year of the row above
            span("2019-01", "2019-03"),
            whole,
            ["2019-05"],
            span("2019-10", "2019-12"),  # the year of the row above, a date
            whole,
            whole,
        ]
        assert (parsed.period_start, parsed.period_end) == (date(2018, 1, 1), date(2019, 12, 31))
        assert [str(w) for w in parsed.warnings] == [
            "Sheet Plan, row 14, column D: The period “voir annexe” cannot be read: the "
            "activity spans the whole plan.",
            "Sheet Plan, row 15, column D: The activity has no period: it spans the whole plan.",
        ]
    assert parsed.total == Decimal(51510000) and parsed.language == "fr"


def test_an_english_sheet_with_its_chronogram_in_one_column_takes_its_period_from_it():
    """No year in the title: the plan's period is the months the cells name, and "Ongoing"
    spans them. The first activity, right below a one-row header, is not taken for a title
    though its "Q2 2019" looks like one."""
    rows = [
        ["National Agency Against Trafficking in Persons"],
        ["No.", "Activities", "Lead", "Timeframe", "Unit cost", "Qty", "Total cost (GMD)"],
        ["1", "Hold a validation workshop", "NAATIP", "Q2 2019", 150000, 1, 150000],
        [
            "2",
            "Brief the members of the National Assembly",
            "NAATIP",
            "March–May 2019",
            2500,
            12,
            30000,
        ],  # fmt: skip
        ["3", "Train 40 border officers", "Immigration Department", "Q3-Q4", 3750, 40, 150000],
        ["4", "Follow the plan", "NAATIP", "Ongoing", 1000, 1, 1000],
        [
            "5",
            "Print the referral guidelines",
            "NAATIP",
            "15/03/2020 - 30/04/2020",
            85000,
            1,
            85000,
        ],  # fmt: skip
    ]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows), "GMD")
        assert parsed.errors == []
        assert parsed.header_row == 1 and parsed.activity_count == 5
        assert parsed.columns["period_text"] == 3
        assert [a.months for o in parsed.objectives for a in o.activities] == [
            span("2019-04", "2019-06"),
            span("2019-03", "2019-05"),
            span("2019-07", "2019-12"),
            span("2019-03", "2020-04"),
            ["2020-03", "2020-04"],
        ]
        assert (parsed.period_start, parsed.period_end) == (date(2019, 3, 1), date(2020, 4, 30))
        assert [w.message for w in parsed.warnings] == [
            "Activities come before any objective row: they were put under a first objective."
        ]
    assert parsed.language == "en"


def test_nothing_dated_in_the_column_and_no_year_in_the_title_is_an_error():
    rows = [
        ["N°", "Activités", "Période", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "Permanent", 4250000],
        ["1.2", "Étude", "à définir", 1000000],
    ]
    with translation.override("en"):
        parsed = parse(sheet_bytes(rows, merged=[(1, 0, 1, 3)]))
        assert [e.message for e in parsed.errors] == [
            "The plan's period cannot be found: no activity's period can be read and there "
            "are no years in the title."
        ]


def test_a_chronogram_title_over_quarter_columns_is_not_a_text_column():
    """Quarter or month columns win; a "Date" column beside them stays unread."""
    data, _expected = build(Layout())
    assert "period_text" not in parse(data).columns
    rows = [
        ["Plan d'action 2018-2019"],
        ["N°", "Activités", "Date", "T1 2018", "T2 2018", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "12/02/2018", "X", "", 4250000],
    ]
    parsed = parse(sheet_bytes(rows, merged=[(2, 0, 2, 5)]))
    assert "period_text" not in parsed.columns and parsed.errors == []
    assert parsed.objectives[0].activities[0].months == span("2018-01", "2018-03")
    # A title merged over several columns it does not recognise is not a column of text.
    rows = [
        ["Plan d'action 2018-2019"],
        ["N°", "Activités", "Calendrier", None, "Coût total"],
        [None, None, "S1", "S2", None],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", "", 4250000],
    ]
    parsed = parse(sheet_bytes(rows, merged=[(1, 2, 1, 3), (3, 0, 3, 4)]))
    assert "period_text" not in parsed.columns


def test_the_person_can_point_at_the_column_that_says_when():
    rows = [
        ["Plan d'action 2018-2019"],
        ["N°", "Activités", "Quand ?", "T1 2018", "Coût total"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "T2 2018", "X", 4250000],
    ]
    data = sheet_bytes(rows, merged=[(2, 0, 2, 4)])
    assert parse(data).objectives[0].activities[0].months == span("2018-01", "2018-03")
    parsed = parse(data, mapping={"period_text": 2})
    assert parsed.columns["period_text"] == 2 and parsed.period_columns == {}
    assert parsed.objectives[0].activities[0].months == span("2018-04", "2018-06")
    assert (parsed.period_start, parsed.period_end) == (date(2018, 4, 1), date(2018, 6, 30))
    assert parse(data, mapping={"period_text": None}).period_columns == {
        3: span("2018-01", "2018-03")
    }


@pytest.mark.parametrize("language", ["fr", "en", "pt", "ar"])
@pytest.mark.parametrize("header", ["one-row", "two-row"])
@pytest.mark.parametrize("style", [0, 1, 2, 3])
def test_generated_sheets_with_their_chronogram_written_as_text(language, header, style):
    """ "T2-T3 2018", "2ème trimestre 2018 et 2ème trimestre 2019", "janv.-mars 2018",
    "Jan to Mar 2018", "de jan a mar de 2018", "من يناير إلى مارس 2018"… under the
    language's title for it, full or abbreviated."""
    assert_read_exactly(
        Layout(
            language=language,
            currency=CURRENCY_OF[language],
            periods="text",
            header=header,
            period_style=style,
            abbreviations=style % 2 == 1,
            extra=style,
        )
    )


@pytest.mark.parametrize("language", ["fr", "en", "pt", "ar"])
def test_a_chronogram_text_column_anywhere_after_the_activities(language):
    order = (*reversed(FIELDS), "periods")
    assert_read_exactly(
        Layout(
            language=language,
            currency=CURRENCY_OF[language],
            periods="text",
            order=order,
            header="one-row",
            objectives="prefixed",
        )
    )
