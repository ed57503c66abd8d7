from shadowing.programmes.api import attendance, blackouts, pairings, series, views

# (prefix, viewset, basename): registered on the API's one router (shadowing/api_urls.py).
routes = [
    ("programmes", views.ProgrammeViewSet, "programme"),
    ("programmes", blackouts.ProgrammeBlackoutViewSet, "programme-blackout"),
    ("pairings", pairings.PairingViewSet, "pairing"),
    ("pairings", attendance.PairingAttendanceViewSet, "pairing-attendance"),
    ("pairing-runs", pairings.PairingRunViewSet, "pairing-run"),
    ("series", series.SeriesViewSet, "series"),
    ("people", series.PersonHistoryViewSet, "person-history"),
]
