"""Placeholder: written next."""

from django.http import Http404


def report(request, **kwargs):
    raise Http404


def report_docx(request, **kwargs):
    raise Http404
