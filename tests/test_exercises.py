"""Unit tests for partnerships.analysis.exercises."""

import math

import pandas as pd

from partnerships.analysis import exercises


def ex():
    return pd.DataFrame(
        {
            "exercise_id": [
                "khaan-quest-2006",
                "khaan-quest-2006",
                "khaan-quest-2007",
                "selenga-2009",
                "selenga-2009",
                "khaan-quest-recurring",
                "x-2004",
            ],
            "name": [
                "Khaan Quest 2006",
                "Khaan Quest 2006",
                "Khaan Quest 2007",
                "Darkhan-2",
                "Darkhan-2",
                "Khaan Quest (annual)",
                "X",
            ],
            "series": ["khaan_quest", "khaan_quest", "khaan_quest", "selenga", "selenga", "khaan_quest", "single"],
            "year": ["2006", "2006", "2007", "2009", "2009", "", "2004"],
            "host": ["Mongolia", "Mongolia", "Mongolia", "", "Mongolia", "Mongolia", ""],
            "type": [
                "peacekeeping",
                "peacekeeping",
                "peacekeeping",
                "other",
                "warfighting",
                "peacekeeping",
                "warfighting",
            ],
            "multilateral": ["true", "true", "true", "false", "false", "true", "true"],
            "source_id": ["fmtr", "mme", "mme", "russia_exercises", "mme", "art_growth", "mme"],
            "locator": ["a", "b", "c", "d", "e", "para 15", "f"],
        }
    )


def parts():
    return pd.DataFrame(
        {
            "exercise_id": ["khaan-quest-2006"] * 5 + ["khaan-quest-2007", "khaan-quest-2007", "selenga-2009"],
            "partner": [
                "United States",
                "Fiji",
                "Mongolia",
                "United States",
                "Japan",
                "United States",
                "Mongolia",
                "Russia",
            ],
            "role": ["participant"] * 8,
            "source_id": ["fmtr", "fmtr", "mme", "mme", "mme", "mme", "mme", "russia_exercises"],
            "locator": ["l"] * 8,
        }
    )


def test_editions_merge_sources_and_skip_undated():
    ed = exercises.editions(ex(), parts())
    assert list(ed["exercise_id"]) == ["x-2004", "khaan-quest-2006", "khaan-quest-2007", "selenga-2009"]
    kq06 = ed.set_index("exercise_id").loc["khaan-quest-2006"]
    assert kq06["sources"] == "fmtr;mme" and kq06["n_sources"] == 2
    assert kq06["n_partners"] == 3  # Fiji, Japan, United States; Mongolia not counted
    assert kq06["partners"] == "Fiji; Japan; United States"
    sel = ed.set_index("exercise_id").loc["selenga-2009"]
    assert sel["type"] == "warfighting"  # 'other' from one source gives way to a classified type
    assert sel["host"] == "Mongolia"
    assert math.isnan(ed.set_index("exercise_id").loc["x-2004", "n_partners"])


def test_undated_rows_are_listed_apart():
    u = exercises.undated(ex())
    assert list(u["exercise_id"]) == ["khaan-quest-recurring"]


def test_participants_by_source():
    ed = exercises.editions(ex(), parts())
    kq = ed[ed["series"] == "khaan_quest"]
    t = exercises.participants_by_source(parts(), kq)
    assert t.loc["khaan-quest-2006", "fmtr"] == 2
    assert t.loc["khaan-quest-2006", "mme"] == 2
    assert t.loc["khaan-quest-2006", "all_sources"] == 3
    assert math.isnan(t.loc["khaan-quest-2007", "fmtr"])


def test_type_counts_and_series_order():
    ed = exercises.editions(ex(), parts())
    t = exercises.type_counts(ed)
    assert list(t.index) == ["Peacekeeping", "Warfighting"]
    # multinational = more than one foreign partner listed: KQ 2006 (3), not KQ 2007 (the US only)
    assert t.loc["Peacekeeping", "multinational"] == 1 and t.loc["Peacekeeping", "bilateral or national"] == 1
    assert t.loc["Warfighting", "bilateral or national"] == 1 and t.loc["Warfighting", "total"] == 2
    assert t.loc["Warfighting", "participants not listed"] == 1  # x-2004 lists nobody
    assert exercises.series_order(ed) == ["Khaan Quest", "Selenge / Selenga (Darkhan)", "One-off exercises"]


def test_source_coverage():
    c = exercises.source_coverage(ex()).set_index("source_id")
    assert c.loc["mme", "editions"] == 4 and c.loc["mme", "first_year"] == 2004 and c.loc["mme", "last_year"] == 2009
    assert c.loc["art_growth", "rows"] == 1 and c.loc["art_growth", "editions"] == 0


def test_edition_format_splits_multinational_by_size():
    assert [exercises.edition_format(n) for n in (1, 2, exercises.SMALL_MAX, exercises.SMALL_MAX + 1, 23)] == [
        "bilateral",
        "small",
        "small",
        "large",
        "large",
    ]
    assert exercises.edition_format(float("nan")) is None and exercises.edition_format(0) is None


def big_exercise():
    """Khaan Quest 2006 as above plus a six-nation edition and a US-only one (formats: small, large, bilateral)."""
    e = ex()
    extra = pd.DataFrame(
        {
            "exercise_id": ["big-2008"],
            "name": ["Big 2008"],
            "series": ["single"],
            "year": ["2008"],
            "host": ["Thailand"],
            "type": ["peacekeeping"],
            "multilateral": ["true"],
            "source_id": ["mme"],
            "locator": ["g"],
        }
    )
    p = parts()
    more = pd.DataFrame(
        {
            "exercise_id": ["big-2008"] * 6,
            "partner": ["United States", "Thailand", "Japan", "India", "Nepal", "Fiji"],
            "role": ["participant"] * 6,
            "source_id": ["mme"] * 6,
            "locator": ["g"] * 6,
        }
    )
    return pd.concat([e, extra], ignore_index=True), pd.concat([p, more], ignore_index=True)


def test_partner_formats_count_each_partner_by_edition_format():
    e, p = big_exercise()
    pf = exercises.partner_formats(e, p)
    # the United States: small (KQ 2006: US, Fiji, Japan), bilateral (KQ 2007), large (Big 2008)
    assert pf.loc["United States"].to_dict() == {"bilateral": 1, "small": 1, "large": 1, "unlisted": 0, "total": 3}
    assert pf.loc["Russia"].to_dict() == {"bilateral": 1, "small": 0, "large": 0, "unlisted": 0, "total": 1}
    assert "Mongolia" not in pf.index and pf.index[0] == "United States"
    # every partner-edition counted once over the formats (co-attendance is counted, not merged away)
    ed = exercises.editions(e, p)
    assert int(pf["total"].sum()) == int(ed["n_partners"].sum())
    # X 2004 lists no participants: its format is unknown, counted apart
    assert exercises.format_counts(ed).to_dict() == {"bilateral": 2, "small": 1, "large": 1, "unlisted": 1}


def report_only_edition():
    """big_exercise plus Khaan Quest 2014 known only from a US training report, which names the US
    (the training country) and no one else: its participants are not listed."""
    e, p = big_exercise()
    kq = e[e["exercise_id"] == "khaan-quest-2007"].assign(
        exercise_id="khaan-quest-2014", name="Khaan Quest 2014", year="2014", source_id="fmtr", locator="h"
    )
    us = pd.DataFrame(
        {
            "exercise_id": ["khaan-quest-2014"],
            "partner": ["United States"],
            "role": ["participant"],
            "source_id": ["fmtr"],
            "locator": ["h; the reporting (training) country"],
        }
    )
    return pd.concat([e, kq], ignore_index=True), pd.concat([p, us], ignore_index=True)


def test_an_edition_whose_source_lists_only_its_own_country_is_not_bilateral():
    from partnerships.analysis import index, metrics

    e, p = report_only_edition()
    ed = exercises.editions(e, p).set_index("exercise_id")
    assert math.isnan(ed.loc["khaan-quest-2014", "n_partners"]) and pd.isna(ed.loc["khaan-quest-2014", "multinational"])
    assert ed.loc["khaan-quest-2014", "partners"] == "United States"  # the US took part; who else is unknown
    # every place that counts formats: unknown, never bilateral
    pf = exercises.partner_formats(e, p)
    assert pf.loc["United States"].to_dict() == {"bilateral": 1, "small": 1, "large": 1, "unlisted": 1, "total": 4}
    assert exercises.format_counts(ed.reset_index()).to_dict() == {
        "bilateral": 2,
        "small": 1,
        "large": 1,
        "unlisted": 2,  # Khaan Quest 2014 and X 2004 (no participants at all)
    }
    us = metrics.exercise_metrics(e, p).loc["United States"]
    assert (us["exercise_editions"], us["bilateral_exercise_editions"], us["multinational_exercise_editions"]) == (
        4,
        1,
        2,
    )
    # the index gives it no format weight (share, tiers) but counts it where every edition counts alike
    before = exercises.partner_formats(*big_exercise())
    assert before.loc["United States", "total"] == 3
    for scheme, extra in (("share", 0.0), ("tiers", 0.0), ("equal", 1.0)):
        old = index.exercise_ties(*big_exercise(), scheme)["United States"]
        assert index.exercise_ties(e, p, scheme)["United States"] == old + extra
    # a training-report row next to a real participant list keeps the list (Khaan Quest 2006)
    assert ed.loc["khaan-quest-2006", "n_partners"] == 3


def test_series_gaps_are_the_undated_years_inside_a_series():
    ed = pd.DataFrame({"series": ["selenga"] * 4 + ["khaan_quest"], "year": [2008, 2009, 2012, 2015, 2003]})
    assert exercises.series_gaps(ed, "selenga") == [2010, 2011, 2013, 2014]
    assert exercises.series_gaps(ed, "khaan_quest") == [] and exercises.series_gaps(ed, "none") == []


def test_longest_running_is_the_widest_dated_span_and_the_oldest_series_is_reported_apart():
    """A series the sources stop dating early (Khaan Quest, 2003-2014) can start first yet span less
    than one dated later (Selenga, 2008-2024): the two answers are kept apart, one-offs never count."""
    ed = pd.DataFrame(
        {
            "series": ["selenga"] * 3 + ["khaan_quest"] * 3 + ["single", "shanti", "shanti"],
            "year": [2008, 2012, 2024, 2003, 2006, 2014, 1999, 2003, 2005],
        }
    )
    spans = exercises.series_spans(ed)
    assert list(spans.index) == ["selenga", "khaan_quest", "shanti"]
    assert spans.loc["khaan_quest"].to_dict() == {"min": 2003, "max": 2014, "count": 3, "span": 11}
    assert exercises.longest_running(ed)["series"] == "selenga"
    # Khaan Quest and Shanti both start in 2003: the wider span wins; a one-edition series is not "running"
    one = pd.concat([ed, pd.DataFrame({"series": ["cobra_gold"], "year": [2001]})], ignore_index=True)
    assert exercises.oldest_series(one)["series"] == "khaan_quest"
    assert exercises.oldest_series(one)["first"] == 2003


def test_annual_sources_are_the_claims_that_call_that_series_annual():
    claims = pd.DataFrame(
        {
            "source_id": ["art_growth", "art_forefront", "art_growth", "art_forefront"],
            "topic": ["exercises", "exercises", "exercises", "training"],
            "statement": [
                "Russia and Mongolia hold an annual joint exercise called Selenge",
                "Russia and Mongolia hold the Selenga exercise every year",
                "Khaan Quest is held every year at the Tavan Tolgoi base",
                "Khaan Quest trains officers each year",  # not an exercise claim
            ],
            "quote": ["the annual joint exercise Selenge", 'the annual "Selenga" exercises', "every year", "each year"],
        }
    )
    assert exercises.annual_sources(claims, ["Selenga", "Selenge"]) == ["art_forefront", "art_growth"]
    assert exercises.annual_sources(claims, ["Khaan Quest"]) == ["art_growth"]
    assert exercises.annual_sources(claims, ["Cobra Gold"]) == []
