"""Network-wide pages: the regional strategy, exchange rates, the regional roll-up of plans."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def strategy(request):
    return render(request, "plans/strategy.html", {})


@require_http_methods(["GET", "POST"])
def rates(request):
    return render(request, "plans/rates.html", {})


@require_http_methods(["GET"])
def rollup(request):
    return render(request, "plans/rollup.html", {})
