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


def test_ordinal():
    assert [pk.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 24, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "24th",
        "101st",
        "111th",
    ]


def test_size_classes_are_inclusive_upper_bounds():
    assert [pk.size_class(v) for v in (10, 50, 51, 150, 151, 350, 351, 965)] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert pk.size_class(float("nan")) is None and pk.size_class(None) is None


def test_site_years_tell_unknown_size_from_absence():
    dep = pd.DataFrame(
        {
            "mission": ["UNMIL", "UNMISS", "UNMISS", "UNAMID"],
            "year": ["2006", "2012", "2014", "2013"],
            "location": ["Monrovia", "Bentiu", "Bentiu", "Kabkabiya"],
            "host_country": ["Liberia", "South Sudan", "South Sudan", "Sudan"],
            "latitude": ["6.3", "9.26", "9.26", "13.65"],
            "longitude": ["-10.8", "29.8", "29.8", "24.09"],
            "mongolia_unit_size": ["150", "965", "650", ""],
            "unit_size_flag": ["estimate", "estimate", "estimate", "size_unknown"],
            "contributors_at_location": ["1", "2", "2", "2"],
            "source_id": ["geopko"] * 4,
            "locator": ["l"] * 4,
        }
    )
    t = pk.site_years(dep)
    assert list(t.index) == ["Monrovia, Liberia (UNMIL)", "Bentiu, South Sudan (UNMISS)", "Kabkabiya, Sudan (UNAMID)"]
    assert list(t.columns) == list(range(2006, 2015))  # every year, also those no location has
    present = t.attrs["present"]
    bentiu, kab = "Bentiu, South Sudan (UNMISS)", "Kabkabiya, Sudan (UNAMID)"
    assert t.loc[bentiu, 2012] == 965 and present.loc[bentiu, 2012]
    assert not present.loc[bentiu, 2013] and pd.isna(t.loc[bentiu, 2013])  # a gap year is absent
    assert present.loc[kab, 2013] and pd.isna(t.loc[kab, 2013])  # present, size unknown
    from partnerships.analysis import charts

    d = charts.attached_data(pk.plot_site_years(t))
    assert len(d) == 4  # one row per recorded location-year, the unknown size kept
