"""Reading a plan from the workbook a committee already has: dozens of generated layouts (see
workbooks.py), then the odd workbooks one at a time. Nothing here writes to the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.core.money import format_money
from relais.core.sheets import Problem, column_letter
from relais.plans.importing import header_field, period_of
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
    assert parsed.period_kind == ("quarter" if layout.periods.startswith("quarter") else "month")
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
        periods=draw(st.sampled_from(["quarter", "quarter-years", "month", "month-years"])),
        period_style=draw(st.integers(0, 2)),
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
