from shadowing.programmes.api import attendance, pairings, views

# (prefix, viewset, basename): registered on the API's one router (shadowing/api_urls.py).
routes = [
    ("programmes", views.ProgrammeViewSet, "programme"),
    ("pairings", pairings.PairingViewSet, "pairing"),
    ("pairings", attendance.PairingAttendanceViewSet, "pairing-attendance"),
    ("pairing-runs", pairings.PairingRunViewSet, "pairing-run"),
]
