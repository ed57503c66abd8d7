from shadowing.programmes.api import pairings, views

# (prefix, viewset, basename): registered on the API's one router (shadowing/api_urls.py).
routes = [
    ("programmes", views.ProgrammeViewSet, "programme"),
    ("pairings", pairings.PairingViewSet, "pairing"),
    ("pairing-runs", pairings.PairingRunViewSet, "pairing-run"),
]
