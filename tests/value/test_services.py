import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from barriers.services.common import Conflict
from value.models import Impact, Review, ValueEvent, ValueSettings
from value.money import money_a_month
from value.services import (
    impact_review,
    impact_set_expected,
    impact_set_realised,
    value_settings_update,
)

COSTS = {
    "cost_per_contact": Decimal("6.50"),
    "cost_per_minute": Decimal("1.25"),
    "value_per_fcr_point": Decimal("1000"),
}


@pytest.mark.parametrize(
    ("kind", "quantity", "money"),
    [
        ("contacts", Decimal("100"), Decimal("650.00")),
        ("minutes", Decimal("333"), Decimal("416.25")),
        ("minutes", Decimal("0.01"), Decimal("0.01")),  # 0.0125 rounds half up
        ("fcr", Decimal("2.5"), Decimal("2500.00")),
        ("amount", Decimal("1234.56"), Decimal("1234.56")),
        ("contacts", None, None),
    ],
)
def test_money_a_month(kind, quantity, money):
    assert money_a_month(kind, quantity, **COSTS) == money


def test_expected_money_uses_the_coordinators_costs(item, hank, cora):
    value_settings_update(by=cora, **COSTS, currency="cad")
    impact = impact_set_expected(item=item, by=hank, kind="contacts", quantity="200")
    assert impact.expected_money == Decimal("1300.00")
    assert ValueSettings.load().currency == "CAD"
    # A later change of cost does not rewrite what was written.
    value_settings_update(by=cora, **{**COSTS, "cost_per_contact": "1"}, currency="CAD")
    impact.refresh_from_db()
    assert impact.expected_money == Decimal("1300.00")


@pytest.mark.parametrize(
    ("quantity", "field"),
    [("-1", "quantity"), ("10000001", "quantity"), ("abc", "quantity"), ("1.234", "quantity"),
     ("NaN", "quantity"), ("Infinity", "quantity")],
)  # fmt: skip
def test_expected_quantity_out_of_bounds_names_the_field(item, hank, quantity, field):
    with pytest.raises(ValidationError) as caught:
        impact_set_expected(item=item, by=hank, kind="contacts", quantity=quantity)
    assert field in caught.value.message_dict
    assert not ValueEvent.objects.exists()


def test_free_amount_needs_its_basis(item, hank):
    with pytest.raises(ValidationError) as caught:
        impact_set_expected(item=item, by=hank, kind="amount", quantity="500", basis="  ")
    assert "basis" in caught.value.message_dict
    impact = impact_set_expected(
        item=item, by=hank, kind="amount", quantity="500", basis="Credits last quarter / 3"
    )
    assert impact.expected_money == Decimal("500.00")


def test_unknown_kind_is_refused(item, hank):
    with pytest.raises(ValidationError) as caught:
        impact_set_expected(item=item, by=hank, kind="vibes", quantity="1")
    assert "kind" in caught.value.message_dict


def test_realised_waits_for_resolution(item, hank):
    with pytest.raises(ValidationError) as caught:
        impact_set_realised(item=item, by=hank, kind="contacts", quantity="5", evidence="x")
    assert "status" in caught.value.message_dict


def test_realised_needs_evidence_and_a_web_link(resolved, hank):
    with pytest.raises(ValidationError) as caught:
        impact_set_realised(item=resolved, by=hank, kind="contacts", quantity="5", evidence="")
    assert "evidence" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        impact_set_realised(
            item=resolved,
            by=hank,
            kind="contacts",
            quantity="5",
            evidence="WFM report",
            evidence_link="javascript:alert(1)",
        )
    assert "evidence_link" in caught.value.message_dict
    assert not Impact.objects.filter(review=Review.PENDING).exists()


def test_review_cycle_keeps_its_history(resolved, hank, finn):
    impact_set_expected(item=resolved, by=hank, kind="minutes", quantity="1000")
    impact = impact_set_realised(
        item=resolved, by=hank, kind="minutes", quantity="800", evidence="AHT dashboard"
    )
    assert impact.review == Review.PENDING
    with pytest.raises(ValidationError) as caught:
        impact_review(item=resolved, by=finn, decision="challenged", reason="")
    assert "reason" in caught.value.message_dict
    impact = impact_review(item=resolved, by=finn, decision="challenged", reason="Seasonal dip")
    assert (impact.review, impact.reviewed_by, impact.review_reason) == (
        Review.CHALLENGED,
        finn,
        "Seasonal dip",
    )
    with pytest.raises(ValidationError):  # nothing awaits review now
        impact_review(item=resolved, by=finn, decision="confirmed")
    impact = impact_set_realised(
        item=resolved, by=hank, kind="minutes", quantity="600", evidence="12 months compared"
    )
    assert (impact.review, impact.reviewed_by, impact.review_reason) == (Review.PENDING, None, "")
    impact = impact_review(item=resolved, by=finn, decision="confirmed")
    assert impact.review == Review.CONFIRMED
    kinds = list(ValueEvent.objects.filter(impact=impact).values_list("kind", flat=True))
    assert kinds == ["expected", "realised", "challenged", "realised", "confirmed"]
    challenge = ValueEvent.objects.get(kind="challenged")
    assert challenge.before == {"review": "pending", "review_reason": ""}
    assert challenge.after == {"review": "challenged", "review_reason": "Seasonal dip"}


def test_finance_reviewer_cannot_set_and_owner_cannot_review(resolved, hank, finn):
    with pytest.raises(PermissionDenied):
        impact_set_expected(item=resolved, by=finn, kind="contacts", quantity="1")
    impact_set_realised(item=resolved, by=hank, kind="contacts", quantity="1", evidence="x")
    with pytest.raises(PermissionDenied):
        impact_review(item=resolved, by=hank, decision="confirmed")


def test_stale_version_is_a_conflict(item, hank, cora):
    impact = impact_set_expected(item=item, by=hank, kind="contacts", quantity="1")
    with pytest.raises(Conflict):
        impact_set_expected(
            item=item, by=cora, kind="contacts", quantity="2", version=impact.version - 1
        )
    assert Impact.objects.get().expected_quantity == Decimal("1.00")


def test_two_reviewers_at_once_one_wins(resolved, hank, finn, fiona):
    impact = impact_set_realised(
        item=resolved, by=hank, kind="contacts", quantity="10", evidence="WFM"
    )
    seen = impact.version
    impact_review(item=resolved, by=finn, decision="confirmed", version=seen)
    with pytest.raises(Conflict):
        impact_review(item=resolved, by=fiona, decision="challenged", reason="No", version=seen)
    impact.refresh_from_db()
    assert (impact.review, impact.reviewed_by) == (Review.CONFIRMED, finn)
    assert ValueEvent.objects.filter(kind__in=["confirmed", "challenged"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_in_threads_one_wins(request):
    """Both read the pending value, then both write: the compare-and-set lets one land."""
    resolved = request.getfixturevalue("resolved")
    hank, finn, fiona = (request.getfixturevalue(name) for name in ("hank", "finn", "fiona"))
    impact = impact_set_realised(
        item=resolved, by=hank, kind="contacts", quantity="10", evidence="WFM"
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def review(person, decision):
        from django.db import connection

        try:
            barrier.wait()
            impact_review(
                item=resolved, by=person, decision=decision, reason="r", version=impact.version
            )
            outcomes.append("ok")
        except (Conflict, ValidationError):
            outcomes.append("lost")
        except Exception as exc:  # SQLite's lock between threads: the loser, too
            outcomes.append(f"lost:{type(exc).__name__}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=review, args=(finn, "confirmed")),
        threading.Thread(target=review, args=(fiona, "challenged")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert ValueEvent.objects.filter(kind__in=["confirmed", "challenged"]).count() == 1


def test_settings_bounds_name_the_field(cora, hank):
    with pytest.raises(ValidationError) as caught:
        value_settings_update(by=cora, **{**COSTS, "cost_per_minute": "99999"}, currency="CAD")
    assert "cost_per_minute" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        value_settings_update(by=cora, **COSTS, currency="dollars")
    assert "currency" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        value_settings_update(by=hank, **COSTS, currency="CAD")


def test_database_refuses_a_challenge_without_reason(resolved, hank):
    impact_set_realised(item=resolved, by=hank, kind="contacts", quantity="1", evidence="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Impact.objects.update(review=Review.CHALLENGED, review_reason="")
