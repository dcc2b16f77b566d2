"""Placeholder: written next."""

from django.http import Http404


def duplicate_list(request, **kwargs):
    raise Http404


def merge(request, **kwargs):
    raise Http404


def distinct(request, **kwargs):
    raise Http404


def merge_undo(request, **kwargs):
    raise Http404
