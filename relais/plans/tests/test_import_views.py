"""The import in the browser: upload → the columns recognised, corrected by the person → the
preview with every warning and error → confirm → a draft plan; who may do it; how many
queries it takes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.plans.models import Activity, Plan, PlanEvent, PlanImport
from relais.plans.tests.workbooks import (
    CONTENT,
    Layout,
    Line,
    build,
    database_counts,
    sheet_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def coordinator(make_user, mali, client):
    user = make_user("coordinator", mali, language="en")
    client.force_login(user)
    return user


def porteur_workbook():
    """A Malian sheet whose responsible column is titled "Porteur", which Relais does not
    know: the person has to point at it."""
    rows = [
        ["RÉPUBLIQUE DU MALI"],
        ["Un Peuple – Un But – Une Foi"],
        ["Plan d'action de plaidoyer contre la traite des personnes (2018-2019)"],
        [],
        ["N°", "Activités", "Porteur", "T1 2018", "T2 2018", "T3 2018", "C.U.", "Qté", "Montant"],
        ["OS1 : Renforcer le cadre juridique et institutionnel d'ici 2019"],
        [
            "1.1",
            "Atelier de validation du décret",
            "Ministère de la justice",
            "X",
            "",
            "",
            "4 250 000",
            1,
            "4 250 000",
        ],  # noqa: E501
        [
            "1.2",
            "Plaidoyer auprès des députés",
            "CNLTP",
            "",
            "X",
            "X",
            "5.500 F CFA",
            120,
            "660 000",
        ],  # noqa: E501
        ["Sous-total OS1", "", "", "", "", "", "", "", "4 910 000"],
        ["OS2 : Créer une agence nationale de lutte contre la traite"],
        [
            "2.1",
            "Étude sur le statut de l'agence",
            "ONG Enda Mali",
            "",
            "",
            "X",
            "15.000.000 F CFA",
            1,
            "15 000 000",
        ],  # noqa: E501
        ["Sous-total OS2", "", "", "", "", "", "", "", "15 000 000"],
        ["TOTAL GÉNÉRAL", "", "", "", "", "", "", "", "19 910 000"],
        [],
        ["Arrêté le présent plan à la somme de dix-neuf millions neuf cent dix mille francs CFA"],
    ]
    merged = [(5, 0, 5, 8), (9, 0, 9, 8), (8, 0, 8, 7), (11, 0, 11, 7), (12, 0, 12, 7)]
    return sheet_bytes(rows, merged=merged)


def post_upload(client, mali, data, name="plan.xlsx"):
    return client.post(
        reverse("plans:import_upload", args=[mali.code]), {"workbook": upload(data, name)}
    )


def mapping_data(response, **changes):
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({k: str(v) for k, v in changes.items()})
    return data


def test_upload_correct_a_column_preview_confirm_and_land_on_the_draft(client, coordinator, mali):
    justice = OrganisationFactory(
        country=mali, name="Ministère de la Justice", kind=Organisation.Kind.MINISTRY
    )
    response = client.get(reverse("plans:import_upload", args=[mali.code]))
    assert response.status_code == 200

    response = post_upload(client, mali, porteur_workbook())
    plan_import = PlanImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:import_review", args=[plan_import.pk])
    assert plan_import.uploaded_by == coordinator and plan_import.original_name == "plan.xlsx"

    review = client.get(response["Location"])
    assert review.status_code == 200
    parsed = review.context["parsed"]
    assert parsed.errors == []
    assert "responsible" not in parsed.columns  # "Porteur" is not known
    assert review.context["form"]["responsible"].value() == ""
    content = review.content.decode()
    assert "Columns recognised" in content
    assert "G — C.U." in content and "C — Porteur" in content
    assert "Atelier de validation du décret" in content
    assert "Create the plan as a draft" in content
    assert "<dt>Language</dt><dd>French</dd>" in content  # read from the header and title

    # The person points "Responsible structure" at column C, and applies.
    response = client.post(response["Location"], mapping_data(review, responsible=2))
    assert response.status_code == 302
    plan_import.refresh_from_db()
    assert plan_import.mapping["responsible"] == 2
    review = client.get(response["Location"])
    parsed = review.context["parsed"]
    assert parsed.columns["responsible"] == 2
    assert [a.responsible for o in parsed.objectives for a in o.activities] == [
        "Ministère de la justice",
        "CNLTP",
        "ONG Enda Mali",
    ]
    content = review.content.decode()
    # the preview: objectives, activities, chronogram, totals, and what will be created
    assert "Renforcer le cadre juridique et institutionnel d&#x27;ici 2019" in content
    assert "19,910,000" in content
    assert "These organisations will be created:" in content and "ONG Enda Mali" in content
    assert review.context["new_organisations"] == ["ONG Enda Mali"]

    response = client.post(
        reverse("plans:import_confirm", args=[plan_import.pk]),
        {"title": "Plan d'action de plaidoyer 2018-2019"},
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.status == Plan.Status.DRAFT
    assert plan.title == "Plan d'action de plaidoyer 2018-2019"
    assert plan.created_by == coordinator
    activities = list(
        Activity.objects.filter(objective__plan=plan).order_by("objective", "position")
    )
    assert [a.responsible for a in activities] == [
        justice,  # matched by name, case and accents ignored
        mali.national_body,  # matched by acronym
        Organisation.objects.get(name="ONG Enda Mali", country=mali),
    ]
    assert [a.months for a in activities] == [
        ["2018-01", "2018-02", "2018-03"],
        ["2018-04", "2018-05", "2018-06", "2018-07", "2018-08", "2018-09"],
        ["2018-07", "2018-08", "2018-09"],
    ]
    assert sum(a.total for a in activities) == Decimal("19910000")
    assert PlanEvent.objects.get(plan=plan).action == PlanEvent.Action.IMPORT
    plan_import.refresh_from_db()
    assert plan_import.plan == plan

    landing = client.get(response["Location"])
    assert landing.status_code == 200
    assert "The plan has been imported as a draft: 2 objectives, 3 activities." in (
        landing.content.decode()
    )
    # Coming back to the import shows the plan, and never imports twice.
    again = client.post(reverse("plans:import_confirm", args=[plan_import.pk]))
    assert again["Location"] == plan.get_absolute_url()
    assert Plan.objects.count() == 1


def test_the_header_row_can_be_corrected_too(client, coordinator, mali):
    response = post_upload(client, mali, porteur_workbook())
    review = client.get(response["Location"])
    assert review.context["form"]["header_row"].value() == 5  # as Excel numbers it
    response = client.post(response["Location"], mapping_data(review, header_row=1))
    review = client.get(response["Location"])
    assert review.context["parsed"].errors  # no header on row 1: said, not imported
    assert "Create the plan as a draft" not in review.content.decode()


def test_a_workbook_with_errors_shows_each_with_its_place_and_cannot_be_confirmed(
    client, coordinator, mali
):
    # one bad amount in the second activity
    rows = [
        ["N°", "Activités", "T1 2018", "Coût total (FCFA)"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "X", "4 250 000"],
        ["1.2", "Plaidoyer", "X", "4 250 000 dollars"],
    ]
    response = post_upload(client, mali, sheet_bytes(rows, name="Budget"))
    review = client.get(response["Location"])
    content = review.content.decode()
    assert "1 error: nothing can be imported until it is corrected in the workbook." in content
    assert "Sheet Budget, row 4, column D: “4 250 000 dollars” is not an amount." in content
    assert "Create the plan as a draft" not in content
    before = database_counts()
    response = client.post(reverse("plans:import_confirm", args=[PlanImport.objects.get().pk]))
    assert response.status_code == 302
    assert database_counts() == before
    follow = client.get(response["Location"])
    assert "The workbook has errors: nothing was imported." in follow.content.decode()


def test_review_and_confirm_take_a_bounded_number_of_queries(
    client, coordinator, mali, django_assert_max_num_queries
):
    def workbook(count):
        lines = [
            Line(
                f"Atelier régional de sensibilisation n°{index}",
                "CNLTP",
                "ICMPD, OIM",
                ("2018-01", "2018-05"),
                Decimal(125000 + index),
                Decimal(2),
                "État ; ICMPD",
            )
            for index in range(count)
        ]
        content = [(statement, lines) for statement, _lines in CONTENT["fr"][:2]]
        return build(Layout(), content)[0]

    for name in ("ICMPD", "OIM"):
        OrganisationFactory(country=None, name=name, kind=Organisation.Kind.PARTNER)
    queries = {}
    for count in (5, 150):
        response = post_upload(client, mali, workbook(count))
        pk = PlanImport.objects.latest("pk").pk
        with django_assert_max_num_queries(12) as captured:
            assert client.get(response["Location"]).status_code == 200
        queries[("review", count)] = len(captured)
        with django_assert_max_num_queries(60) as captured:
            response = client.post(reverse("plans:import_confirm", args=[pk]))
        assert response.status_code == 302
        queries[("confirm", count)] = len(captured)
        assert Activity.objects.filter(objective__plan__pk=response.url.split("/")[-2]).count() == (
            2 * count
        )
    # The preview reads the stored workbook: the same queries for 10 activities and for 300.
    assert queries[("review", 5)] == queries[("review", 150)]
    # Writing is done in bulk, history included: no query per activity. (SQLite cuts a bulk
    # insert into batches of 999 parameters, hence a few more queries for 300 activities.)
    assert queries[("confirm", 150)] - queries[("confirm", 5)] < 290 / 10


# Who may import ---------------------------------------------------------------------------------


def test_a_coordinator_of_another_country_is_told_nothing_exists(client, make_user, mali, senegal):
    owner = make_user("coordinator", mali)
    client.force_login(owner)
    post_upload(client, mali, porteur_workbook())
    plan_import = PlanImport.objects.get()

    client.force_login(make_user("coordinator", senegal))
    before = database_counts()
    assert client.get(reverse("plans:import_upload", args=[mali.code])).status_code == 404
    assert post_upload(client, mali, porteur_workbook()).status_code == 404
    review = reverse("plans:import_review", args=[plan_import.pk])
    assert client.get(review).status_code == 404
    assert client.post(review, {"responsible": "2"}).status_code == 404
    confirm = reverse("plans:import_confirm", args=[plan_import.pk])
    assert client.post(confirm).status_code == 404
    assert database_counts() == before
    plan_import.refresh_from_db()
    assert plan_import.mapping == {} and plan_import.plan is None


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_an_observer_or_contributor_of_the_country_is_refused(client, make_user, mali, kind):
    client.force_login(make_user("coordinator", mali))
    post_upload(client, mali, porteur_workbook())
    plan_import = PlanImport.objects.get()

    client.force_login(make_user(kind, mali))
    before = database_counts()
    assert client.get(reverse("plans:import_upload", args=[mali.code])).status_code == 403
    assert post_upload(client, mali, porteur_workbook()).status_code == 403
    review = reverse("plans:import_review", args=[plan_import.pk])
    assert client.get(review).status_code == 403
    assert client.post(review, {"responsible": "2"}).status_code == 403
    assert client.post(reverse("plans:import_confirm", args=[plan_import.pk])).status_code == 403
    assert database_counts() == before


def test_someone_signed_out_is_sent_to_sign_in(client, mali):
    response = client.get(reverse("plans:import_upload", args=[mali.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_confirm_step_only_accepts_post(client, coordinator, mali):
    post_upload(client, mali, porteur_workbook())
    confirm = reverse("plans:import_confirm", args=[PlanImport.objects.get().pk])
    assert client.get(confirm).status_code == 405
    assert Plan.objects.count() == 0
