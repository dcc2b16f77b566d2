"""Placeholder: written next."""

from django.http import Http404


def country_trained(request, **kwargs):
    raise Http404


def regional_trained(request, **kwargs):
    raise Http404


def indicator_source(request, **kwargs):
    raise Http404
