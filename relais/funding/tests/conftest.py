import pytest

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.plans.tests.factories import ActivityFactory, ObjectiveFactory, PlanFactory


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def plan(mali):
    return PlanFactory(country=mali, currency="XOF")


@pytest.fixture
def tree(plan):
    """Two objectives: OS1 with activities of 1 000 000 and 3 000 000, OS2 with one of 2 000 000."""
    first, second = ObjectiveFactory(plan=plan), ObjectiveFactory(plan=plan)
    a = ActivityFactory(objective=first, unit_cost=1_000_000, quantity=1, months=["2018-04"])
    b = ActivityFactory(objective=first, unit_cost=3_000_000, quantity=1, months=["2018-02"])
    c = ActivityFactory(objective=second, unit_cost=2_000_000, quantity=1, months=["2018-07"])
    return first, second, a, b, c


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
    )


@pytest.fixture
def eu(db):
    return OrganisationFactory(
        name="Union européenne", acronym="UE", kind=Organisation.Kind.PARTNER, country=None
    )


@pytest.fixture
def gambia(db):
    from relais.countries.tests.factories import CountryFactory

    return CountryFactory(code="GM", name="Gambia", currency="GMD", languages=["en"])
