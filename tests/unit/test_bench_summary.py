"""The closing table of `make bench` shows every stage a run kept, with its figures."""

from __future__ import annotations

from bench.summary import table


def test_every_stage_kept_is_a_row_with_its_numbers() -> None:
    record = {
        "database": "postgres",
        "machine": "x86_64, 2 cores",
        "load_average": "3.1 → 4.0",
        "pipeline": {
            "database": "postgres",
            "end_to_end_cases_per_second": 2150,
            "ratio": 0.0123,
            "peak_rss_mb": {"intake": 150},
            "consumer_active_seconds": {"assignment": [2.1, 40.0]},
        },
        "intake_alone": [{"rows": 100_000, "rows_per_second": 3491}],
        "letters": {"cases": 10_000, "letters_per_second": 150, "rendered": True},
    }

    shown = table(record)

    assert "summary (postgres, x86_64, 2 cores, load 3.1 → 4.0)" in shown
    assert "pipeline, whole platform | end_to_end_cases_per_second=2,150" in shown
    assert "ratio=0.0123" in shown
    assert "peak_rss_mb.intake=150" in shown
    assert "consumer_active_seconds.assignment=2.1–40" in shown
    assert "[0].rows_per_second=3,491" in shown
    assert "letters_per_second=150" in shown
    assert "rendered" not in shown
    assert "reporting alone" not in shown


def test_a_long_row_is_wrapped_under_its_stage() -> None:
    many = {f"figure_{n}": n * 1000 for n in range(30)}

    rows = table({"consumers_alone": many}, width=80).splitlines()[3:]

    assert rows[0].startswith("each consumer alone")
    assert len(rows) > 1
    assert all(len(row) <= 80 for row in rows)
    assert all(row.startswith(" " * len("each consumer alone")) for row in rows[1:])
