"""The availability import's batched read of agents' shifts."""

from collections.abc import Iterator

from shadowing.programmes.batches import chunks
from shadowing.programmes.models import Programme, Shift


def shifts_of_agents(programme: Programme, agent_ids: set[int]) -> Iterator[dict]:
    for chunk in chunks(sorted(agent_ids)):
        yield from Shift.objects.filter(programme=programme, agent_id__in=chunk).values(
            "id", "agent_id", "date", "starts_at", "ends_at"
        )
