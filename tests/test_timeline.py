"""Timeline: milestones, year filtering, era boundaries from data, ordering, label staggering."""

import pandas as pd
import pytest

from partnerships.analysis import timeline


def events():
    return pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "date": ["2019-09-03", "2024-09-02", "2003", "2021-09"],
            "precision": ["day", "day", "year", "month"],
            "year": ["2019", "2024", "2003", "2021"],
            "event": ["Putin visits Ulaanbaatar", "Putin visits again", "Iraq deployment", "Claimed 2021 visit"],
            "partner": ["Russia", "Russia", "", "Russia"],
            "category": ["visit", "visit", "deployment", "visit"],
            "status": ["confirmed", "confirmed", "confirmed", "contradicted"],
            "source_id": ["s1", "s2", "s3", "s4"],
            "locator": ["p1", "p2", "p3", "p4"],
        }
    )


def exercises():
    return pd.DataFrame(
        {
            "exercise_id": ["kq-2006", "kq-2003", "kq-2003", "se-2008", "se-2009", "one-off", "se-rec"],
            "name": [
                "Khaan Quest 2006",
                "Khaan Quest 2003",
                "Khaan Quest 2003",
                "Darkhan 1",
                "Darkhan-2",
                "One-off",
                "Selenge",
            ],
            "series": ["khaan_quest", "khaan_quest", "khaan_quest", "selenga", "selenga", "single", "selenga"],
            "year": ["2006", "2003", "2003", "2008", "2009", "2003", ""],
            "source_id": ["mme", "mme", "other", "mme", "mme", "mme", "art_growth"],
            "locator": ["x1", "x2", "x2b", "x3", "x4", "x5", "p9"],
        }
    )


def agreements():
    return pd.DataFrame(
        {
            "partner": ["South Korea", "Turkey"],
            "year": ["1999", "2001"],
            "type": ["general", "sector"],
            "source_id": ["dcad", "dcad"],
            "locator": ["d1", "d2"],
        }
    )


def test_first_editions_one_per_series_earliest_year():
    first = timeline.first_editions(exercises())
    assert first["name"].tolist() == ["Khaan Quest 2003", "Darkhan 1"]
    assert first["source_id"].tolist() == ["mme; other", "mme"]  # one edition, citing both of its source rows


def test_milestones_order_and_contradicted_events_left_out():
    ms = timeline.milestones(events(), agreements(), exercises())
    assert ms.columns.tolist() == timeline.MILESTONE_COLUMNS
    assert ms["milestone"].tolist() == [
        "Agreement (general) with South Korea",
        "Agreement (sector) with Turkey",
        "Iraq deployment",
        "First Khaan Quest exercise (Khaan Quest 2003)",
        "First Selenga exercise (Darkhan 1)",
        "Putin visits Ulaanbaatar",
        "Putin visits again",
    ]
    # within a year, events sort before agreements before exercises
    assert ms.loc[ms["year"] == 2003, "kind"].tolist() == ["event", "exercise"]
    assert "Claimed 2021 visit" not in set(ms["milestone"])


def test_events_that_are_agreements_or_exercises_count_once():
    ev = events()
    ev.loc[2, ["category", "event"]] = ["exercise", "Khaan Quest 2003 held"]
    ms = timeline.milestones(ev, agreements(), exercises())
    assert "Khaan Quest 2003 held" not in set(ms["milestone"])
    # without the exercises table the event stays
    assert "Khaan Quest 2003 held" in set(timeline.milestones(ev, agreements())["milestone"])


def test_merge_agreements_article_and_dataset_rows():
    ag = pd.DataFrame(
        {
            "partner": ["South Korea", "South Korea", "India"],
            "year": ["1999", "1999", "2001"],
            "date": ["", "1999-12-08", ""],
            "category": ["", "TREX", "DCA"],
            "description": ["article row", "DCAD row", "India row"],
            "source_id": ["art_growth", "dcad", "dcad"],
            "locator": ["para 12", "DCADv1.0-1822", "x"],
        }
    )
    m = timeline.merge_agreements(ag)
    assert m["partner"].tolist() == ["India", "South Korea"]
    kor = m.iloc[1]
    assert (kor["description"], kor["source_id"], kor["locator"]) == (
        "DCAD row",
        "dcad; art_growth",
        "DCADv1.0-1822; para 12",
    )
    assert timeline.agreement_label(kor.to_dict()) == "South Korea: training agreement"
    assert (
        timeline.agreement_label({"partner": "Russia", "category": "PROCUREMENT; DCA"})
        == "Russia: procurement & cooperation agreement"
    )
    ms = timeline.milestones(agreements=ag)
    assert ms["date"].tolist() == ["1999-12-08", "2001"]  # a missing date falls back to the year


def test_milestones_filter_years_inclusive():
    ms = timeline.milestones(events(), agreements(), exercises(), start_year=2001, end_year=2019)
    assert ms["year"].tolist() == [2001, 2003, 2003, 2008, 2019]


def test_filter_years_rejects_reversed_range():
    with pytest.raises(ValueError, match=r"start_year \(2020\) is after end_year \(2010\)"):
        timeline.filter_years(agreements(), 2020, 2010)


def test_milestones_with_no_tables_is_empty_frame():
    ms = timeline.milestones()
    assert ms.empty and ms.columns.tolist() == timeline.MILESTONE_COLUMNS


def test_era_boundaries_from_data():
    milex = pd.DataFrame(
        {
            "year": [1990, 1992, 1994, 1995, 2000],
            "measure": ["constant_2023_usd_m"] * 5,
            "value": [90, 40, 20, 25, 10],
            "source_id": ["sipri_milex"] * 5,
            "locator": ["m"] * 5,
        }
    )
    pk = pd.DataFrame(
        {
            "date": ["2001-12-31", "2002-08-30", "2003-01-31"],
            "troops": ["", "", "5"],
            "police": ["", "", ""],
            "experts": ["", "2", "2"],
            "source_id": ["ipi_pk"] * 3,
            "locator": ["r"] * 3,
        }
    )
    eras = {e.key: e for e in timeline.eras(milex, pk, exercises(), events())}
    assert (eras["collapse"].start, eras["collapse"].end) == (1987, 1994)  # 2000 is outside the 1990s
    assert eras["collapse"].source_ids == ("fc_loc_mongolia_1991", "sipri_milex")
    assert (eras["peacekeeping"].start, eras["peacekeeping"].end) == (2002, None)
    assert eras["peacekeeping"].source_ids == ("art_growth", "ipi_pk")
    assert eras["exercises"].start == 2003
    assert eras["russia"].start == 2019
    assert eras["russia"].source_ids == ("art_forefront", "s1")


def test_eras_without_data_keep_typed_boundaries():
    eras = timeline.eras()
    assert [(e.key, e.start, e.end) for e in eras] == [
        ("collapse", 1987, 1996),
        ("peacekeeping", 2002, None),
        ("exercises", 2003, None),
        ("russia", 2019, None),
    ]


def test_clip_eras_to_range():
    clipped = timeline.clip_eras(timeline.eras(), 1995, 2010)
    assert [(e.key, e.start, e.end) for e in clipped] == [
        ("collapse", 1995, 1996),
        ("peacekeeping", 2002, 2010),
        ("exercises", 2003, 2010),
    ]


def test_stagger_puts_overlapping_labels_on_new_levels():
    assert timeline.stagger([0, 1, 5, 2, 9], [4, 3, 8, 6, 10]) == [0, 1, 0, 2, 0]


def test_short_label_cuts_at_word_boundary():
    assert (
        timeline.short_label("Putin pays an official visit to Mongolia for the anniversary", 30)
        == "Putin pays an official visit…"
    )
    assert timeline.short_label("Short", 30) == "Short"


def test_chart_labels_do_not_overlap():
    ms = timeline.milestones(events(), agreements(), exercises())
    fig = timeline.chart(ms, timeline.eras(), 1990, 2025, "t")
    fig.canvas.draw()
    ax = fig.axes[0]
    boxes = [t.get_window_extent() for t in ax.texts]
    assert len(boxes) == len(ms)
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (ax.texts[i].get_text(), ax.texts[j].get_text())


def test_chart_era_labels_give_the_era_span_not_the_clipped_one():
    ms = timeline.milestones(events(), agreements(), exercises())
    fig = timeline.chart(ms, timeline.eras(), 2010, 2025, "t")
    era_ax = fig.axes[1]
    assert [t.get_text() for t in era_ax.texts] == [
        "UN peacekeeping contributions (since 2002)",
        "Hosted multinational exercises (Khaan Quest) (since 2003)",
        "Recent Russia ties (since 2019)",
    ]
