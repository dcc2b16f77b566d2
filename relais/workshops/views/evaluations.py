"""Placeholder: written next."""

from django.http import Http404


def results(request, **kwargs):
    raise Http404


def cards(request, **kwargs):
    raise Http404


def close(request, **kwargs):
    raise Http404


def evaluate(request, **kwargs):
    raise Http404
