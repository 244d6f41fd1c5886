from __future__ import annotations

from collections.abc import Iterator

from caseforchange.chunks import local_map


def test_local_map_runs_in_order_with_the_shared_value() -> None:
    assert list(local_map(lambda s, x: s * x, 10, [3, 1, 2])) == [30, 10, 20]


def test_local_map_takes_items_one_at_a_time() -> None:
    taken: list[int] = []

    def items() -> Iterator[int]:
        for i in range(5):
            taken.append(i)
            yield i

    results = local_map(lambda s, x: x + s, 0, items())
    assert next(results) == 0
    assert taken == [0]  # the rest are drawn only when asked for
