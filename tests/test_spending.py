"""Unit tests for partnerships.analysis.spending."""

import pandas as pd

from partnerships.analysis import spending


def milex():
    rows = [
        (1989, "current_usd_m", ""),
        (1990, "current_usd_m", ""),
        (1991, "current_usd_m", "110.8"),
        (1990, "constant_2023_usd_m", "137.9"),
        (1991, "constant_2023_usd_m", "93.8"),
        (1994, "constant_2023_usd_m", "34.2"),
        (2000, "constant_2023_usd_m", "50.0"),
        (2023, "constant_2023_usd_m", "111.5"),
        (2024, "constant_2023_usd_m", "166.1"),
    ]
    return pd.DataFrame(
        {
            "year": [str(r[0]) for r in rows],
            "measure": [r[1] for r in rows],
            "value": [r[2] for r in rows],
            "source_id": ["sipri_milex"] * len(rows),
            "locator": ["x"] * len(rows),
            "note": [""] * len(rows),
        }
    )


def test_collapse_and_recovery():
    w = spending.expenditure(milex())
    r = spending.collapse_and_recovery(w["constant_2023_usd_m"], 1990)
    assert r["trough_year"] == 1994 and r["trough"] == 34.2
    assert round(r["fall_pct"], 1) == 75.2
    assert r["recovery_year"] == 2024
    assert round(r["last_vs_base_pct"], 1) == 20.4
    never = spending.collapse_and_recovery(w["constant_2023_usd_m"].drop(2024), 1990)
    assert never["recovery_year"] is None


def test_missing_current_usd_years():
    w = spending.expenditure(milex())
    assert spending.missing_years(w, "current_usd_m", 1987, 1991) == [1987, 1988, 1989, 1990]


def test_us_troops_missing_is_not_zero():
    ut = pd.DataFrame(
        {
            "date": ["2022-09-30", "2022-12-31", "2023-03-31"],
            "year": ["2022", "2022", "2023"],
            "quarter": ["3", "4", "1"],
            "troops": ["13", "", "0"],
            "report_source": ["September 2022", "", "March 2023"],
            "source_id": ["troopdata"] * 3,
            "locator": ["l"] * 3,
            "note": ["", "no DMDC report", ""],
        }
    )
    q = spending.us_troops_quarterly(ut)
    assert list(q["reported"]) == [True, False, True]
    assert pd.isna(q["troops"].iloc[1]) and q["troops"].iloc[2] == 0


def test_tiv_by_supplier_decade_and_shares():
    tiv = pd.DataFrame(
        {
            "supplier": ["Soviet Union", "Soviet Union", "Russia", "Russia", "Poland"],
            "year": ["1975", "1988", "2009", "2012", "1965"],
            "tiv_m": ["10", "30", "5", "55", "4"],
            "source_id": ["s"] * 5,
            "locator": ["l"] * 5,
        }
    )
    t = spending.tiv_by_supplier_decade(tiv)
    assert list(t.index) == ["Russia", "Soviet Union", "Poland"]
    assert list(t.columns) == ["1960s", "1970s", "1980s", "1990s", "2000s", "2010s", "Total"]
    assert t["1990s"].sum() == 0
    assert t.loc["Russia", "2010s"] == 55 and t.loc["Soviet Union", "Total"] == 40
    s = spending.supplier_shares(tiv, since=1990)
    assert s.to_dict() == {"Russia": 100.0}
    assert spending.supplier_shares(tiv, until=1991).round(1).to_dict() == {"Soviet Union": 90.9, "Poland": 9.1}
    assert spending.decade(1999) == "1990s"


def test_deals_mark_uncertain_values():
    at = pd.DataFrame(
        {
            "supplier": ["Russia", "United States"],
            "weapon_designation": ["T-72", "L-ATV"],
            "weapon_description": ["tank", "APC"],
            "number_ordered": ["100", "20"],
            "number_ordered_uncertain": ["true", "false"],
            "order_year": ["2009", "2023"],
            "order_year_uncertain": ["false", "false"],
            "delivery_years": ["2012; 2015", ""],
            "number_delivered": ["100", "0"],
            "number_delivered_uncertain": ["false", "false"],
            "tiv_delivered": ["141.24", "0"],
            "status": ["Second hand", "New"],
            "source_id": ["sipri_trade_register"] * 2,
        }
    )
    d = spending.deals(at)
    assert list(d["weapon"]) == ["L-ATV", "T-72"]
    assert d.loc[1, "ordered"] == "100?" and d.loc[1, "delivery_years"] == "2012, 2015"
    assert spending.year_span("1978; 1979; 1980; 1982") == "1978-1980, 1982" and spending.year_span("") == ""
    w = spending.tiv_by_weapon(at)
    assert w.loc[0, "weapon_description"] == "tank" and w.loc[0, "tiv_delivered"] == 141.24


def test_personnel_wide_and_jumps():
    af = pd.DataFrame(
        {
            "year": ["1990", "1992", "1990", "1991", "1992"],
            "measure": ["iiss", "iiss", "cow", "cow", "cow"],
            "personnel": ["32000", "21000", "32000", "31000", "9000"],
            "source_id": ["s"] * 5,
            "locator": ["l"] * 5,
        }
    )
    w = spending.personnel_wide(af)
    assert list(w.index) == [1990, 1991, 1992]
    assert pd.isna(w.loc[1991, "iiss"]) and w.loc[1992, "cow"] == 9000
    assert spending.jumps(w["cow"], 10000) == [1992]
    assert spending.jumps(w["iiss"], 10000) == []  # 1990 -> 1992 is not consecutive


def test_changes_over_keep_their_sign_and_spans_group_consecutive_years():
    s = pd.Series([18000, 31100, 33500, 14900, 17000], index=[1994, 1995, 1996, 1997, 1998], dtype=float)
    ch = spending.changes_over(s, 10000)
    assert ch.to_dict() == {1995: 13100.0, 1997: -18600.0}
    assert spending.describe_changes(ch) == "rises 13,100 in 1995 and falls 18,600 in 1997"
    assert spending.changes_over(s, 20000).empty
    assert spending.year_spans([1999, 1997, 1998, 2003]) == "1997–1999 and 2003"
    assert spending.year_spans([2001]) == "2001"
    assert spending.year_spans([1990, 1992, 1993, 1995]) == "1990, 1992–1993 and 1995"


def test_register_tiv_by_order_year_includes_the_latest_deals_and_groups_uncoloured_suppliers():
    from partnerships.analysis import charts

    at = pd.DataFrame(
        {
            "supplier": ["Soviet Union", "Russia", "Australia", "Poland", "United States"],
            "order_year": ["1965", "2019", "2022", "1960", "2023"],
            "tiv_delivered": ["100", "41.3", "2.6", "15", ""],
        }
    )
    t = spending.tiv_by_order_year(at)
    assert t["year"].tolist() == [1965, 2019, 2022, 1960, 2023] and t["tiv_m"].iloc[-1] == 0.0
    by_dec = spending.tiv_by_supplier_decade(t)
    assert by_dec.loc["Russia", "2010s"] == 41.3 and by_dec.loc["Australia", "2020s"] == 2.6
    fig = spending.plot_tiv(by_dec, xlabel="Decade of order")
    legend = [x.get_text() for x in fig.axes[0].get_legend().get_texts()]
    # the United States delivered nothing: no segment; Poland and Australia have no colour: one grey segment
    assert legend == ["Soviet Union", "Russia", spending.OTHER_SUPPLIERS]
    assert charts.attached_data(fig)["supplier"].tolist() == by_dec.index.tolist()  # the CSV keeps every supplier
