"""Similarity, without a database: the pure ranking (table cases and properties), the tokenizer,
and recall on the labelled set (tests/barriers/data/paraphrases.json)."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barriers import similarity
from barriers.similarity import encoder

DATA = json.loads((Path(__file__).parent / "data" / "paraphrases.json").read_text())
# Measured: recall@3 0.873 (89 of 102 queries), recall@1 0.725, recall@5 0.922. The floor
# leaves room for float noise across CPUs, not for a worse model.
RECALL_AT_3_FLOOR = 0.85


def test_the_labelled_set_is_big_enough():
    assert len(DATA["pairs"]) >= 40
    assert len(DATA["distractors"]) >= 40


def _vectors(rows):
    return encoder.encode([similarity.barrier_text(r["title"], r["description"]) for r in rows])


def test_recall_at_3_on_the_labelled_set_stays_above_the_floor():
    a = _vectors([p["a"] for p in DATA["pairs"]])
    b = _vectors([p["b"] for p in DATA["pairs"]])
    distractors = _vectors(DATA["distractors"])
    assert similarity.recall_at_k(a, b, distractors, k=3) >= RECALL_AT_3_FLOOR


def test_the_issue_example_is_one_barrier():
    query, same, other = encoder.encode(
        [
            "The refund form asks for the same details twice",
            "Agents re-type the customer's address on the second refund screen",
            "Refunds take six weeks to reach the customer's card",
        ]
    )
    assert query @ same > query @ other


def test_vectors_are_unit_length_and_deterministic():
    first = encoder.encode(["Billing system times out", ""])
    again = encoder.encode(["Billing system times out"])
    assert first.shape == (2, similarity.DIMENSIONS)
    assert np.allclose(np.linalg.norm(first[0]), 1, atol=1e-5)
    assert np.allclose(first[0], again[0], atol=1e-5)


def test_a_long_text_is_cut_not_refused():
    assert encoder.encode(["word " * 5000]).shape == (1, similarity.DIMENSIONS)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Re-type the address!", ["re", "-", "type", "the", "address", "!"]),
        ("Café crème", ["cafe", "cr", "##eme"]),
        ("refund", ["ref", "##und"]),
        ("a\x00b\tc", ["ab", "c"]),
    ],
)
def test_tokenizer_is_berts_uncased_wordpiece(text, pieces):
    encoding = encoder.tokenizer().encode(text)
    assert encoding.tokens == ["[CLS]", *pieces, "[SEP]"]


def test_a_model_file_other_than_the_measured_one_is_refused(tmp_path):
    other = tmp_path / "model.onnx"
    other.write_bytes(b"not the model")
    with pytest.raises(encoder.ModelMismatch, match="SHA-256"):
        encoder.Encoder(other)


# The pure ranking --------------------------------------------------------------------------


def _unit(*values):
    return similarity.normalise(np.array(values + (0,) * (similarity.DIMENSIONS - len(values))))


@pytest.mark.parametrize(
    ("limit", "exclude", "expected"),
    [
        (3, (), [1, 2, 3]),
        (1, (), [1]),
        (3, (1,), [2, 3]),
        (0, (), []),
    ],
)
def test_rank_table(limit, exclude, expected):
    ids = np.array([3, 1, 2, 4])
    matrix = np.vstack([_unit(1, 1), _unit(1, 0), _unit(1, 0.5), _unit(0, 1)])
    found = similarity.rank(_unit(1, 0), ids, matrix, limit=limit, exclude=exclude)
    assert [m.item_id for m in found] == expected


def test_rank_leaves_out_what_scores_under_the_threshold():
    ids = np.array([1, 2])
    matrix = np.vstack([_unit(1, 0), _unit(0, 1)])
    assert [m.item_id for m in similarity.rank(_unit(1, 0), ids, matrix)] == [1]


def test_rank_of_an_empty_index_is_empty():
    ids, matrix = similarity.stack([])
    assert similarity.rank(_unit(1), ids, matrix) == []


def test_bytes_round_trip_and_bad_bytes():
    vector = _unit(1, 2, 3)
    assert np.array_equal(similarity.from_bytes(similarity.to_bytes(vector)), vector)
    assert similarity.from_bytes(b"abc") is None
    ids, matrix = similarity.stack([(1, similarity.to_bytes(vector)), (2, b"bad")])
    assert list(ids) == [1]
    assert matrix.shape == (1, similarity.DIMENSIONS)


vectors = st.lists(
    st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=3), min_size=1, max_size=30
)


@settings(max_examples=60, deadline=None)
@given(
    rows=vectors,
    query=st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=3),
    limit=st.integers(0, 10),
)
def test_rank_properties(rows, query, limit):
    ids = np.arange(1, len(rows) + 1)
    matrix = np.vstack([_unit(*row) for row in rows])
    q = _unit(*query)
    found = similarity.rank(q, ids, matrix, limit=limit, min_score=-2)
    scores = [m.score for m in found]
    assert len(found) == min(limit, len(rows))  # as many as asked, when there are enough
    assert scores == sorted(scores, reverse=True)  # best first
    assert len({m.item_id for m in found}) == len(found)  # no item twice
    if found:  # nothing left out scores better than the last one kept
        all_scores = matrix @ q
        kept = {m.item_id for m in found}
        assert all(
            round(float(s), 4) <= found[-1].score + 1e-4
            for i, s in zip(ids, all_scores, strict=True)
            if int(i) not in kept
        )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=3), min_size=1))
def test_combine_is_unit_or_zero(rows):
    combined = similarity.combine(_unit(*row) for row in rows)
    norm = float(np.linalg.norm(combined))
    assert norm == pytest.approx(1, abs=1e-4) or norm == 0
