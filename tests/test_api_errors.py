"""config.api.exception_handler: input a client sent is never a 500."""

from rest_framework.test import APIRequestFactory

from config.api import exception_handler


def test_an_integer_too_large_for_the_database_is_a_400():
    request = APIRequestFactory().get("/api/v1/debriefs/?pairing=18944587265271544994989449674752")
    response = exception_handler(
        OverflowError("Python int too large to convert to SQLite INTEGER"),
        {"request": request, "view": None},
    )
    assert response.status_code == 400
    assert response.data == {"detail": ["A number in the request is too large."]}
