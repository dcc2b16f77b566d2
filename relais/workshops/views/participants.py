"""Placeholder: written next."""

from django.http import Http404


def participant_list(request, **kwargs):
    raise Http404


def participant_import(request, **kwargs):
    raise Http404


def participant_export(request, **kwargs):
    raise Http404


def participation_edit(request, **kwargs):
    raise Http404


def participation_remove(request, **kwargs):
    raise Http404
