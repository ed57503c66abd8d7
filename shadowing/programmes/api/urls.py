from shadowing.programmes.api import views

# (prefix, viewset, basename): registered on the API's one router (shadowing/api_urls.py).
routes = [
    ("programmes", views.ProgrammeViewSet, "programme"),
    ("pairings", views.PairingViewSet, "pairing"),
    ("pairing-runs", views.PairingRunViewSet, "pairing-run"),
]
