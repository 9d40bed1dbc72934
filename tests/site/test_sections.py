"""Home-page headline of officially reported figures: chosen from the table, never mixed."""

from __future__ import annotations

from springrain.site.sections import headline_reported


def test_headline_takes_the_largest_undivided_figure_per_metric() -> None:
    rows = [
        {
            "id": "R-1",
            "metric": "projects_in_library",
            "value": "346",
            "breakdown": "",
            "province": "GD",
        },
        {
            "id": "R-2",
            "metric": "projects_in_library",
            "value": "215",
            "breakdown": "class=第二类",
            "province": "GD",
        },
        {
            "id": "R-3",
            "metric": "projects_in_library",
            "value": "82",
            "breakdown": "",
            "province": "GD",
        },
        {"id": "R-4", "metric": "trainings", "value": "14", "breakdown": "", "province": "GD"},
        {
            "id": "R-5",
            "metric": "projects_collected",
            "value": "n/a",
            "breakdown": "",
            "province": "",
        },
    ]
    chosen = headline_reported(rows)
    assert [r["id"] for r in chosen] == ["R-1"]
    assert chosen[0]["province_label"] == "广东省 · "


def test_no_reported_figures_means_no_headline() -> None:
    assert headline_reported([]) == []
