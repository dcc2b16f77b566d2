from django.conf import settings


def relais(request):
    """What the layout needs on every page: the languages for the switch."""
    return {"LANGUAGE_CHOICES": settings.LANGUAGES, "RELAIS_DEMO": settings.DEMO}
