"""Money a month from an impact's kind and quantity, with the coordinator's costs. Pure: no
database, Decimal throughout, rounded to the cent (half up, as finance rounds)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money_a_month(
    kind: str,
    quantity: Decimal | None,
    *,
    cost_per_contact: Decimal,
    cost_per_minute: Decimal,
    value_per_fcr_point: Decimal,
) -> Decimal | None:
    """Contacts × cost per contact, minutes × cost per minute, points × a point's value, or the
    amount itself; None when there is no quantity."""
    if quantity is None or not kind:
        return None
    rate = {
        "contacts": cost_per_contact,
        "minutes": cost_per_minute,
        "fcr": value_per_fcr_point,
        "amount": Decimal("1"),
    }[kind]
    return (Decimal(quantity) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
