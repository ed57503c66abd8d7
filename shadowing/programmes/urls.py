from django.urls import path

from shadowing.programmes.views import (
    attendance,
    blackouts,
    history,
    picker,
    programmes,
    review,
    series,
)

# In the `shadowing` namespace (shadowing/urls.py).
urlpatterns = [
    path("programmes/", programmes.programme_list, name="programmes"),
    path("series/", series.series_list, name="series-list"),
    path("series/<slug:slug>/", series.series_detail, name="series"),
    path("people/<int:pk>/history/", history.person_history_view, name="person-history"),
    path("programmes/new/", programmes.programme_create_view, name="programme-create"),
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme"),
    path("programmes/<slug:slug>/edit/", programmes.programme_edit, name="programme-edit"),
    path(
        "programmes/<slug:slug>/status/",
        programmes.programme_transition_view,
        name="programme-transition",
    ),
    path("programmes/<slug:slug>/pair/", programmes.programme_pair, name="programme-pair"),
    path(
        "programmes/<slug:slug>/blackout-dates/",
        blackouts.programme_blackouts,
        name="programme-blackouts",
    ),
    path(
        "programmes/<slug:slug>/blackout-dates/<str:day>/remove/",
        blackouts.programme_blackout_remove,
        name="programme-blackout-remove",
    ),
    path(
        "programmes/<slug:slug>/availability/",
        programmes.availability_upload,
        name="availability-upload",
    ),
    path(
        "programmes/<slug:slug>/availability/confirm/",
        programmes.availability_confirm,
        name="availability-confirm",
    ),
    path("programmes/<slug:slug>/pairings/", review.pairing_review, name="programme-pairings"),
    path(
        "programmes/<slug:slug>/pairings/assign/",
        review.pairing_assign_view,
        name="pairing-assign",
    ),
    path(
        "programmes/<slug:slug>/pairings/pick/",
        picker.pairing_pick,
        name="pairing-pick",
    ),
    path(
        "programmes/<slug:slug>/pairings/swap/",
        review.pairing_swap_view,
        name="pairing-swap",
    ),
    path(
        "programmes/<slug:slug>/pairings/<int:pk>/lock/",
        review.pairing_lock_view,
        name="pairing-lock",
    ),
    path(
        "programmes/<slug:slug>/pairings/<int:pk>/unlock/",
        review.pairing_unlock_view,
        name="pairing-unlock",
    ),
    path(
        "programmes/<slug:slug>/pairings/<int:pk>/attendance/",
        attendance.pairing_attendance,
        name="pairing-attendance",
    ),
    path(
        "programmes/<slug:slug>/pairings.csv",
        programmes.pairings_download,
        name="programme-pairings-csv",
    ),
]
