import factory

from relais.accounts.tests.factories import UserFactory
from relais.countries.models import Contact, Country, Invitation, Organisation, Role

CURRENCIES = {"GM": "GMD", "GN": "GNF", "GW": "XOF", "ML": "XOF", "MR": "MRU", "SN": "XOF"}


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Iterator(["ML", "SN", "GN", "GM", "GW", "MR"])
    name = factory.LazyAttribute(lambda o: o.code)
    currency = factory.LazyAttribute(lambda o: CURRENCIES[o.code])
    languages = ["fr"]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.CSO
    country = factory.SubFactory(CountryFactory)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.COORDINATOR
    country = factory.SubFactory(CountryFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    full_name = factory.Faker("name", locale="fr_FR")
    country = factory.SubFactory(CountryFactory)
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "+223 20 00 00 00"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    kind = Role.Kind.CONTRIBUTOR
    country = factory.SubFactory(CountryFactory)
