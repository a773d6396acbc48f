"""The arithmetic behind the published figures: percentiles, targets, message counts."""

from __future__ import annotations

import pytest

from bench.engine_bench import count_messages
from bench.figures import Report, percentile


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        pytest.param([5.0], 99, 5.0, id="one-sample"),
        pytest.param([1, 2, 3, 4], 50, 2, id="median-of-four-is-the-lower-middle"),
        pytest.param(list(range(1, 101)), 95, 95, id="p95-of-1-to-100"),
        pytest.param(list(range(1, 101)), 99, 99, id="p99-of-1-to-100"),
        pytest.param([9, 1, 5], 100, 9, id="unsorted-max"),
    ],
)
def test_percentile_is_the_nearest_rank(values, p, expected):
    assert percentile(values, p) == expected


@pytest.mark.parametrize(
    ("bound", "value", "met"),
    [
        pytest.param({"at_least": 29}, 29.0, True, id="at-least-on-the-line"),
        pytest.param({"at_least": 29}, 28.9, False, id="at-least-below"),
        pytest.param({"below": 100}, 100.0, False, id="below-on-the-line"),
        pytest.param({"below": 100}, 99.9, True, id="below-under"),
        pytest.param({"equal": 0}, 0, True, id="zero-lost"),
        pytest.param({"equal": 0}, 1, False, id="one-lost"),
    ],
)
def test_a_figure_says_whether_its_target_is_met(bound, value, met):
    report = Report("x", quiet=True)
    figure = report.figure("k", "label", value, "unit", **bound)
    assert figure.met is met
    assert ("NOT MET" in figure.line()) is not met


def test_a_figure_without_a_target_claims_nothing():
    figure = Report("x", quiet=True).figure("k", "label", 3.5, "s")
    assert figure.met is None and "target" not in figure.line()


@pytest.mark.parametrize(
    ("output", "count"),
    [
        pytest.param("", 0, id="nothing"),
        pytest.param("[]\n", 0, id="empty-array"),
        pytest.param('[{"kind": "reminder"}, {"kind": "digest"}]', 2, id="array"),
        pytest.param('{"kind": "reminder"}\n{"kind": "digest"}\n', 2, id="one-object-a-line"),
    ],
)
def test_simulate_output_is_counted_in_either_json_shape(output, count):
    assert count_messages(output) == count


def test_a_results_file_renders_as_markdown_tables_with_verdicts():
    from bench.markdown import render

    report = Report("dispatch", {"messages": 10}, quiet=True)
    report.figure("rate", "sustained rate", 31.25, "msg/s", at_least=29)
    report.figure("lost", "  lost", 1, "messages", equal=0)
    results = {"sizes": "quick", "when": "2026-11-25T01:00:00+00:00", "commit": "abc1234", "seconds": 12.0,
               "machine": {"cpus": 2, "memory_gib": 23.5, "python": "3.11.7", "platform": "Linux",
                           "load_average_at_start": [0.5, 0.4, 0.3], "sqlite": "3.40.1"},
               "benchmarks": [report.as_dict()]}

    text = render(results)

    assert "quick sizes, SQLite 3.40.1" in text
    assert "| sustained rate | 31.25 msg/s | ≥ 29 msg/s — met |" in text
    assert "| ↳ lost | 1 messages | = 0 messages — **not met** |" in text
