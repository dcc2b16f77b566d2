from django.urls import path

from relais.exchange.views import calendar, directory

app_name = "exchange"
urlpatterns = [
    # The network's directory (relais.exchange.views.directory)
    path("network/directory/", directory.directory, name="directory"),
    # The regional calendar and its iCalendar feed (relais.exchange.views.calendar)
    path("network/calendar/", calendar.calendar, name="calendar"),
    path("network/calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
