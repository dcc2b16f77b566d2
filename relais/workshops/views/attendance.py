"""Placeholder: written next."""

from django.http import Http404


def attendance(request, **kwargs):
    raise Http404


def attendance_sheet(request, **kwargs):
    raise Http404
