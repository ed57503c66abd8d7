"""An item's priority from its reports. Pure: no Django.

priority = severity (1-4, the worst reported) x frequency (1-4: rare, weekly, daily, on most
calls; the most frequent reported) x people (distinct executives plus distinct agents who
reported it). One executive seeing a minor, rare barrier scores 1; twelve executives seeing a
serious daily one score 3 x 3 x 12 = 108. Every term is visible on the item, so the order of
the backlog can be explained to anyone.
"""

FREQUENCY_WEIGHT = {"rare": 1, "weekly": 2, "daily": 3, "most_calls": 4}


def priority(*, severity: int, frequency: str, executives: int, agents: int) -> int:
    return int(severity) * FREQUENCY_WEIGHT.get(frequency, 1) * (executives + agents)


def most_frequent(frequencies) -> str | None:
    """The most frequent of the reported frequencies ("most_calls" beats "daily")."""
    known = [f for f in frequencies if f in FREQUENCY_WEIGHT]
    return max(known, key=FREQUENCY_WEIGHT.__getitem__) if known else None
