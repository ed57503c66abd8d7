from shadowing.programmes.api import attendance, blackouts, pairings, views

# (prefix, viewset, basename): registered on the API's one router (shadowing/api_urls.py).
routes = [
    ("programmes", views.ProgrammeViewSet, "programme"),
    ("programmes", blackouts.ProgrammeBlackoutViewSet, "programme-blackout"),
    ("pairings", pairings.PairingViewSet, "pairing"),
    ("pairings", attendance.PairingAttendanceViewSet, "pairing-attendance"),
    ("pairing-runs", pairings.PairingRunViewSet, "pairing-run"),
]
