"""Demo data: the six countries of the network, their bodies, organisations and people.

Names of bodies and laws are as found in public sources (see the domain brief); the people are
invented. Running it again changes nothing: every record is found by its natural key first.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from relais.countries.models import Contact, Country, Organisation, Role

DEMO_PASSWORD = "relais-demo"
DEMO_DOMAIN = "demo.relais.africa"

COUNTRIES = [
    {
        "code": "GM",
        "name": "Gambie",
        "currency": "GMD",
        "languages": ["en"],
        "legal_references": "Trafficking in Persons Act 2007",
        "body": ("National Agency Against Trafficking in Persons", "NAATIP"),
        "letterhead": "REPUBLIC OF THE GAMBIA\nMinistry of Justice\n"
        "National Agency Against Trafficking in Persons",
        "organisations": [
            ("Ministry of Justice", "MoJ", "ministry"),
            ("Department of Social Welfare", "DSW", "state"),
            ("Child Protection Alliance", "CPA", "cso"),
        ],
        "people": {
            "coordinator": "Fatou Jallow",
            "contributor": "Lamin Ceesay",
            "observer": "Isatou Njie",
        },
    },
    {
        "code": "GW",
        "name": "Guinée-Bissau",
        "currency": "XOF",
        "languages": ["pt"],
        "legal_references": "Lei n.º 12/2011",
        "body": ("Comité interministerial de luta contra o tráfico de seres humanos", "CITSH"),
        "letterhead": "REPÚBLICA DA GUINÉ-BISSAU\nMinistério da Justiça\n"
        "Comité interministerial de luta contra o tráfico de seres humanos",
        "organisations": [
            ("Ministério da Justiça", "MJ", "ministry"),
            ("Instituto da Mulher e Criança", "IMC", "state"),
            ("Associação dos Amigos da Criança", "AMIC", "cso"),
        ],
        "people": {
            "coordinator": "Aissatu Baldé",
            "contributor": "Domingos Mendes",
            "observer": "Maria da Silva",
        },
    },
    {
        "code": "GN",
        "name": "Guinée",
        "currency": "GNF",
        "languages": ["fr"],
        "legal_references": "Code pénal",
        "body": (
            "Comité national de lutte contre la traite des personnes et pratiques assimilées",
            "CNLTPPA",
        ),
        "letterhead": "RÉPUBLIQUE DE GUINÉE\nTravail – Justice – Solidarité\n"
        "Ministère de la Justice\n"
        "Comité national de lutte contre la traite des personnes et pratiques assimilées",
        "organisations": [
            ("Ministère de la Justice", "MJ", "ministry"),
            ("Office de protection du genre, de l'enfance et des mœurs", "OPROGEM", "state"),
            ("Association guinéenne des droits de l'homme", "AGDH", "cso"),
        ],
        "people": {
            "coordinator": "Mamadou Diallo",
            "contributor": "Kadiatou Camara",
            "observer": "Sekou Condé",
        },
    },
    {
        "code": "ML",
        "name": "Mali",
        "currency": "XOF",
        "languages": ["fr", "bm"],
        "legal_references": "Loi n°2012-023 du 12 juillet 2012 relative à la lutte contre la "
        "traite des personnes et les pratiques assimilées",
        "body": (
            "Comité national de lutte contre la traite des personnes et les pratiques assimilées",
            "CNLTP",
        ),
        "letterhead": "RÉPUBLIQUE DU MALI\nUn Peuple – Un But – Une Foi\n"
        "Ministère de la Justice et des Droits de l'Homme\n"
        "Comité national de lutte contre la traite des personnes et les pratiques assimilées",
        "organisations": [
            ("Ministère de la Justice et des Droits de l'Homme", "MJDH", "ministry"),
            ("Ministère des Maliens de l'Extérieur", "MME", "ministry"),
            ("Direction nationale de la Promotion de l'Enfant et de la Famille", "DNPEF", "state"),
            ("Association malienne des expulsés", "AME", "cso"),
        ],
        "people": {
            "coordinator": "Aminata Traoré",
            "contributor": "Moussa Coulibaly",
            "observer": "Oumar Keïta",
        },
    },
    {
        "code": "MR",
        "name": "Mauritanie",
        "currency": "MRU",
        "languages": ["ar", "fr"],
        "legal_references": "Loi n°2020-017 relative à la prévention et à la répression de la "
        "traite des personnes et à la protection des victimes\n"
        "Loi n°2020-018 relative à la lutte contre le trafic illicite de migrants",
        "body": (
            "Commission nationale de lutte contre la traite des personnes et le trafic illicite "
            "de migrants",
            "CNLTPTIM",
        ),
        "letterhead": "الجمهورية الإسلامية الموريتانية\nشرف – إخاء – عدل\n"
        "RÉPUBLIQUE ISLAMIQUE DE MAURITANIE\nHonneur – Fraternité – Justice",
        "organisations": [
            ("Ministère de la Justice", "MJ", "ministry"),
            ("Commission nationale des droits de l'homme", "CNDH", "state"),
            ("Association des femmes chefs de famille", "AFCF", "cso"),
        ],
        "people": {
            "coordinator": "Mariem Mint Ahmed",
            "contributor": "Sidi Ould Mohamed",
            "observer": "Khadijetou Ba",
        },
    },
    {
        "code": "SN",
        "name": "Sénégal",
        "currency": "XOF",
        "languages": ["fr", "wo"],
        "legal_references": "Loi n°2005-06 du 10 mai 2005 relative à la lutte contre la traite "
        "des personnes et pratiques assimilées et à la protection des victimes",
        "body": (
            "Cellule nationale de lutte contre la traite des personnes, en particulier des "
            "femmes et des enfants",
            "CNLTP",
        ),
        "letterhead": "RÉPUBLIQUE DU SÉNÉGAL\nUn Peuple – Un But – Une Foi\n"
        "Ministère de la Justice\nCellule nationale de lutte contre la traite des personnes",
        "organisations": [
            ("Ministère de la Justice", "MJ", "ministry"),
            ("Ministère de la Famille et des Solidarités", "MFS", "ministry"),
            (
                "Direction des droits, de la protection de l'enfance et des groupes vulnérables",
                "DDPEGV",
                "state",
            ),
            ("Tostan", "", "cso"),
        ],
        "people": {
            "coordinator": "Awa Ndiaye",
            "contributor": "Cheikh Fall",
            "observer": "Ndèye Sarr",
        },
    },
]

REGIONAL_ORGANISATIONS = [
    ("Communauté économique des États de l'Afrique de l'Ouest", "CEDEAO", "regional"),
    ("International Centre for Migration Policy Development", "ICMPD", "partner"),
    ("Union européenne", "UE", "partner"),
    ("NIYEL", "", "ingo"),
    ("Organisation internationale pour les migrations", "OIM", "un"),
    ("Office des Nations unies contre la drogue et le crime", "ONUDC", "un"),
]


def _email(local):
    return f"{local}@{DEMO_DOMAIN}"


def _user(email, full_name, language, **extra):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, language=language, **extra
        )
    return user


@transaction.atomic
def seed():
    """Load the demo's countries, organisations and people; return the logins to print."""
    logins = []
    regional = {}
    for name, acronym, kind in REGIONAL_ORGANISATIONS:
        regional[acronym or name], _ = Organisation.objects.get_or_create(
            name=name, country=None, defaults={"acronym": acronym, "kind": kind}
        )
    for data in COUNTRIES:
        country, _ = Country.objects.get_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "currency": data["currency"],
                "languages": data["languages"],
                "legal_references": data["legal_references"],
            },
        )
        body_name, body_acronym = data["body"]
        # A body an administrator renamed (or chose) stays the country's body.
        body = country.national_body
        if body is None:
            body, _ = Organisation.objects.get_or_create(
                name=body_name,
                country=country,
                defaults={
                    "acronym": body_acronym,
                    "kind": "national_body",
                    "letterhead": data["letterhead"],
                },
            )
            country.national_body = body
            country.save(update_fields=["national_body"])
        for name, acronym, kind in data["organisations"]:
            Organisation.objects.get_or_create(
                name=name, country=country, defaults={"acronym": acronym, "kind": kind}
            )
        language = (
            data["languages"][0] if data["languages"][0] in {"fr", "en", "pt", "ar"} else "fr"
        )
        for kind, full_name in data["people"].items():
            email = _email(f"{kind}.{country.code.lower()}")
            user = _user(email, full_name, language)
            Role.objects.get_or_create(user=user, kind=kind, country=country)
            logins.append((email, f"{Role.Kind(kind).label} — {country.name}"))
            if kind == "coordinator":
                Contact.objects.get_or_create(
                    full_name=full_name,
                    country=country,
                    defaults={
                        "function": "Point focal national",
                        "organisation": body,
                        "email": email,
                        "phone": "+000 00 00 00 00",
                        "is_focal_point": True,
                    },
                )
    user = _user(_email("regional"), "Lamine Sow", "fr")
    Role.objects.get_or_create(user=user, kind="regional")
    logins.append((user.email, str(Role.Kind.REGIONAL.label)))
    for acronym, full_name in [("ICMPD", "Claire Martin"), ("UE", "Jonas Weber")]:
        user = _user(_email(f"partner.{acronym.lower()}"), full_name, "fr")
        Role.objects.get_or_create(user=user, kind="partner", organisation=regional[acronym])
        logins.append((user.email, f"{Role.Kind.PARTNER.label} — {acronym}"))
    admin = _user(_email("admin"), "Administrateur Relais", "fr", is_staff=True, is_superuser=True)
    logins.append((admin.email, "Administrateur"))
    return logins
