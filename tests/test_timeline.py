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


def arms():
    return pd.DataFrame(
        {
            "supplier": ["Soviet Union", "Russia", "Russia", "Russia", "Russia", "Australia"],
            "order_year": ["1986", "2007", "2008", "2008", "2014", "2022"],
            "tiv_delivered": ["90", "14.5", "3.6", "60", "2.7", "2.6"],
            "source_id": ["sipri_trade_register"] * 6,
        }
    )


def milex():
    return pd.DataFrame(
        {
            "year": [1990, 1992, 1994, 1995, 2000],
            "measure": ["constant_2023_usd_m"] * 5,
            "value": [90, 40, 20, 25, 10],
            "source_id": ["sipri_milex"] * 5,
            "locator": ["m"] * 5,
        }
    )


def pk_monthly():
    return pd.DataFrame(
        {
            "date": ["2001-12-31", "2002-08-30", "2003-01-31"],
            "troops": ["", "", "5"],
            "police": ["", "", ""],
            "experts": ["", "2", "2"],
            "source_id": ["ipi_pk"] * 3,
            "locator": ["r"] * 3,
        }
    )


def test_turning_points_take_their_boundaries_from_the_data():
    ag = pd.DataFrame(
        {
            "partner": ["Russia", "United States", "South Korea", "Turkey", "Germany"],
            "year": ["1993", "1996", "1999", "2001", "2008"],
            "source_id": ["dcad", "dcad", "dcad", "art_growth", "dcad"],
            "locator": ["d0", "d1", "d2", "p7", "d4"],
        }
    )
    eras = {e.key: e for e in timeline.eras(milex(), pk_monthly(), exercises(), events(), agreements=ag, arms=arms())}
    assert (eras["collapse"].start, eras["collapse"].end) == (1987, 1994)  # 2000 is outside the 1990s
    assert eras["collapse"].source_ids == ("fc_loc_mongolia_1991", "sipri_milex")
    # third neighbours: agreements with anyone but Russia before the first UN contribution (2002)
    assert (eras["opening"].start, eras["opening"].end) == (1996, 2001)
    assert eras["opening"].source_ids == ("art_growth", "dcad")
    # peacekeeping from the first month with anyone deployed, to the first Khaan Quest
    assert (eras["peacekeeping"].start, eras["peacekeeping"].end) == (2002, 2003)
    assert eras["peacekeeping"].source_ids == ("art_growth", "ipi_pk", "mme", "other")
    # re-equipment: the first unbroken run of yearly Russian orders after 1991 (2014 is a later, separate order)
    assert (eras["rearmament"].start, eras["rearmament"].end) == (2007, 2008)
    assert eras["russia"].start == 2019 and eras["russia"].end is None
    assert eras["russia"].source_ids == ("art_forefront", "s1")


def test_order_run_and_third_neighbour_agreements():
    assert timeline.order_run(arms(), "Russia", after=1991) == (2007, 2008)
    assert timeline.order_run(arms(), "Russia", after=2010) == (2014, 2014)
    assert timeline.order_run(arms(), "China", after=1991) is None
    ag = pd.DataFrame(
        {
            "partner": ["Soviet Union", "India", "India", "Russia"],
            "year": ["1986", "2001", "2001", "1997"],
            "source_id": ["dcad", "dcad", "art_growth", "dcad"],
            "locator": ["a", "b", "c", "d"],
        }
    )
    third = timeline.third_neighbour_agreements(ag)
    assert third["partner"].tolist() == ["India"] and third["source_id"].iloc[0] == "dcad; art_growth"
    assert timeline.third_neighbour_agreements(ag, before=2001).empty


def test_eras_without_data_keep_typed_boundaries():
    eras = timeline.eras()
    assert [(e.key, e.start, e.end) for e in eras] == [
        ("collapse", 1987, 1996),
        ("opening", 1996, 2001),
        ("peacekeeping", 2002, 2003),
        ("rearmament", 2007, 2009),
        ("russia", 2019, None),
    ]


def test_clip_eras_to_range():
    clipped = timeline.clip_eras(timeline.eras(), 1995, 2010)
    assert [(e.key, e.start, e.end) for e in clipped] == [
        ("collapse", 1995, 1996),
        ("opening", 1996, 2001),
        ("peacekeeping", 2002, 2003),
        ("rearmament", 2007, 2009),
    ]


def test_spread_sets_close_marks_apart_and_keeps_far_ones():
    out = timeline.spread([2009.0, 2001.0, 2009.0, 2009.1], 0.3)
    assert out[1] == 2001.0
    close = sorted(out[i] for i in (0, 2, 3))
    assert all(b - a >= 0.3 - 1e-9 for a, b in zip(close, close[1:]))
    assert abs(sum(close) / 3 - (2009.0 + 2009.0 + 2009.1) / 3) < 1e-9  # laid out around the cluster's mean


def test_short_label_cuts_at_word_boundary():
    assert (
        timeline.short_label("Putin pays an official visit to Mongolia for the anniversary", 30)
        == "Putin pays an official visit…"
    )
    assert timeline.short_label("Short", 30) == "Short"


def chart(start=1987, end=2025):
    ms = timeline.milestones(events(), agreements(), exercises())
    ed = pd.DataFrame(
        {"year": [2003, 2008], "name": ["KQ", "Darkhan 1"], "partners": ["United States; Japan", "Russia"]}
    )
    orders = pd.DataFrame({"supplier": ["Russia", "Russia"], "year": [2009, 2009], "tiv_m": [141.2, 60.0]})
    real = pd.Series([138.0, 34.0, 166.0], index=[1990, 1994, 2024])
    pk = pd.Series([2.0, 900.0], index=pd.to_datetime(["2002-08-31", "2013-03-31"]))
    return timeline.chart(timeline.eras(), start, end, real, pk, ms, ed, orders)


def test_chart_colours_marks_by_partner_and_numbers_the_turning_points():
    import matplotlib.colors as mc

    from partnerships.analysis import charts

    fig = chart()
    top, _, marks = fig.axes
    assert [t.get_text() for t in top.texts] == ["1", "2", "3", "4", "5"]
    rows = {round(float(c.get_offsets()[0][1])): c for c in marks.collections if len(c.get_offsets())}

    def colours(row):  # the partner colours of one row of marks
        return [mc.to_hex(c) for c in rows[row].get_facecolors()]

    ypos = {label.get_text(): round(y) for label, y in zip(marks.get_yticklabels(), marks.get_yticks())}
    # Darkhan (Russia alone) in Russia's colour, the edition with two foreign partners grey
    assert colours(ypos["Exercise editions"]) == [charts.GREY.lower(), charts.partner_colour("Russia").lower()]
    assert colours(ypos["Arms orders"]) == [charts.partner_colour("Russia").lower()]  # two deals, one year: one mark
    legend = [t.get_text() for t in marks.get_legend().get_texts()]
    assert "Russia" in legend and timeline.OTHER in legend
    data = charts.attached_data(fig)
    orders = data[(data["panel"] == "marks") & (data["row"] == "Arms orders")]
    assert orders["milestone"].tolist() == ["TIV 201.2 million"]


def test_chart_clips_the_turning_points_to_the_years_shown():
    fig = chart(2010, 2025)
    assert [t.get_text() for t in fig.axes[0].texts] == ["1"]  # only 'closer to Moscow' falls after 2010
