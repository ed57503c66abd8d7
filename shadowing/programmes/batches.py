"""Reading and writing in batches: every `IN (...)` of the programmes' queries stays below
SQLite's limit on query parameters."""

from collections.abc import Iterator

CHUNK = 500


def chunks[T](items: list[T]) -> Iterator[list[T]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
