"""What reports add to plans without plans importing them."""

from django.utils.translation import gettext_lazy as _


def register():
    from relais.plans.views import plans

    link = (_("Reports"), "reports:list", "reports.view_report_list")
    if link not in plans.PLAN_LINKS:
        plans.PLAN_LINKS.append(link)
