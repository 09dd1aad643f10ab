"""Unit tests for partnerships.analysis.peacekeeping."""

import pandas as pd

from partnerships.analysis import peacekeeping as pk


def monthly_frame():
    return pd.DataFrame(
        {
            "date": ["2013-01-31", "2013-02-28", "2014-03-31"],
            "troops": ["900", "940", "928"],
            "police": ["0", "0", "0"],
            "experts": ["10", "7", "10"],
            "source_id": ["ipi_pk"] * 3,
            "locator": ["line 2", "line 3", "line 4"],
        }
    )


def test_monthly_totals_peak_and_gap():
    m = pk.monthly(monthly_frame())
    assert list(m["total"]) == [910, 947, 938]
    when, n = pk.peak(m)
    assert when == pd.Timestamp("2013-02-28") and n == 947
    gap = pk.coverage_gap(m, "2014-12-31")
    assert gap["last"] == pd.Timestamp("2014-03-31") and gap["months_missing"] == 9
    y = pk.yearly(m)
    assert y.loc[2013, "months"] == 2 and y.loc[2013, "mean_total"] == 928.5 and y.loc[2014, "peak_total"] == 938


def test_by_mission_prefers_gender_file_and_summarises():
    missions = pd.DataFrame(
        {
            "date": ["2014-02-28", "2014-03-31", "2014-03-31", "2014-03-31", "2014-03-31"],
            "mission": ["UNMISS", "UNMISS", "UNMISS", "UNMISS", "UNAMA"],
            "personnel_type": ["total", "total", "total", "troops", "total"],
            "sex": ["total", "total", "total", "total", "total"],
            "count": ["850", "861", "870", "850", "0"],
            "source_id": ["ipi_gender", "ipi_gender", "ipi_pk", "ipi_gender", "ipi_gender"],
            "locator": ["a", "b", "c", "d", "e"],
        }
    )
    pv = pk.by_mission(missions)
    assert pv.loc[pd.Timestamp("2014-03-31"), "UNMISS"] == 861
    s = pk.mission_summary(pv)
    assert list(s["mission"]) == ["UNMISS", "UNAMA"]
    assert s.loc[0, "peak"] == 861 and s.loc[0, "months"] == 2 and s.loc[0, "mean"] == 855.5
    assert s.loc[1, "months"] == 0


def test_sites_give_size_ranges_and_unknowns():
    dep = pd.DataFrame(
        {
            "mission": ["UNMISS", "UNMISS", "UNMISS", "UNAMID"],
            "year": ["2012", "2013", "2014", "2016"],
            "location": ["Bentiu", "Bentiu", "Bentiu", "Kabkabiya"],
            "host_country": ["South Sudan", "South Sudan", "South Sudan", "Sudan"],
            "latitude": ["9.26", "9.26", "9.26", "13.65"],
            "longitude": ["29.8", "29.8", "29.8", "24.09"],
            "mongolia_unit_size": ["965", "950", "300", ""],
            "unit_size_flag": ["estimate", "estimate", "estimate", "size_unknown"],
            "contributors_at_location": ["2", "2", "3", "2"],
            "source_id": ["geopko"] * 4,
            "locator": ["l"] * 4,
        }
    )
    s = pk.sites(dep)
    assert list(s["location"]) == ["Bentiu", "Kabkabiya"]
    assert s.loc[0, "unit_size_range"] == "300-965" and s.loc[0, "years"] == 3
    assert s.loc[1, "unit_size_range"] == "" and s.loc[1, "unknown_years"] == 1
    e = pk.estimated_strength_by_year(dep)
    assert e.loc[2013, "UNMISS"] == 950 and pd.isna(e.loc[2016, "UNAMID"])


def test_frameworks_counts_keep_zeros():
    d = pd.DataFrame(
        {
            "operation": ["ISAF", "UNMISS", "Iraq"],
            "country": ["Afghanistan", "South Sudan", "Iraq"],
            "framework": ["NATO", "UN", "coalition"],
            "start_year": ["2010", "2011", "2003"],
            "end_year": ["2014", "", "2008"],
            "source_id": ["art_growth"] * 3,
            "locator": ["para 7"] * 3,
        }
    )
    assert list(pk.frameworks(d)["operation"]) == ["UNMISS", "ISAF", "Iraq"]
    assert pk.framework_counts(d).to_dict() == {"UN": 1, "NATO": 1, "coalition": 1, "unknown": 0}
