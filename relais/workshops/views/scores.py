"""Placeholder: written next."""

from django.http import Http404


def scores(request, **kwargs):
    raise Http404


def scores_import(request, **kwargs):
    raise Http404
