"""Opinion and politics helpers: the poll's known and unknown attributes, the ICC sequence."""

import pandas as pd

from partnerships.analysis import politics


def opinion():
    return pd.DataFrame(
        {
            "year": [2024, 2024],
            "question": ["Best partner? (as the source reports it; it names no pollster)", "Support neutrality?"],
            "response": ["Russia", "supports neutrality"],
            "share_pct": [69.0, 68.9],
            "source_id": ["art_forefront"] * 2,
            "locator": ["para 12"] * 2,
            "note": ["n1", None],
        }
    )


def events():
    return pd.DataFrame(
        {
            "event_id": ["v19", "v21", "w23", "v24", "f24", "kfor"],
            "date": ["2019", "2021-09", "2023-03-17", "2024-09-03", "2024-10-24", "2005-10"],
            "year": ["2019", "2021", "2023", "2024", "2024", "2005"],
            "event": ["visit 2019", "claimed visit", "warrant", "visit 2024", "finding", "KFOR"],
            "partner": ["Russia", "Russia", "Russia", "Russia", "", "Kosovo"],
            "category": ["visit", "visit", "legal", "visit", "legal", "deployment"],
            "status": ["as_reported", "contradicted", "confirmed", "confirmed", "confirmed", "confirmed"],
            "source_id": ["fc_t", "art_forefront", "fc_w", "fc_t", "fc_f", "fc_k"],
            "locator": ["a", "b", "c", "d", "e", "f"],
        }
    )


def test_poll_table_strips_the_remark_and_formats_shares():
    t = politics.poll_table(opinion())
    assert t["question (as reported)"].tolist() == ["Best partner?", "Support neutrality?"]
    assert t["share (%)"].tolist() == ["69", "68.9"]


def test_poll_unknowns_follow_the_missing_columns():
    u = politics.poll_unknowns(opinion()).set_index("what a reader needs")
    assert u.loc["year of the poll", "what the source gives"] == "2024"
    assert u.loc["share of respondents (%)", "what the source gives"] == "69; 68.9"
    assert u.loc["pollster", "stated?"] == "no"
    assert (u["stated?"] == "no").sum() == 6
    # if a pollster column ever appears it is not picked up silently: the attribute list maps it to None
    assert dict(politics.POLL_ATTRIBUTES)["pollster"] is None


def test_icc_events_in_date_order_with_contradicted_flag():
    e = politics.icc_events(events())
    assert e["event"].tolist() == ["visit 2019", "claimed visit", "warrant", "visit 2024", "finding"]
    assert e.loc[1, "status"] == "contradicted"
    assert politics.days_between("2024-09-03", "2024-10-24") == 51


def test_claims_and_conflicts_about_topics():
    claims = pd.DataFrame(
        {
            "claim_id": ["forefront_13", "forefront_16", "growth_01"],
            "topic": ["legal", "opinion", "history"],
            "statement": ["refused in 2023", "69%", "left"],
            "source_id": ["art_forefront", "art_forefront", "art_growth"],
            "locator": ["p11", "p12", "p6"],
            "verdict": ["partly_supported", "unverifiable", "unverifiable"],
            "checked_against": ["fc_w;fc_f", "", ""],
            "note": ["", "", ""],
        }
    )
    c = politics.claims_on(claims, ["legal", "opinion"])
    assert c["claim"].tolist() == ["forefront_13", "forefront_16"]
    assert c.loc[0, "verdict"] == "partly supported" and c.loc[0, "checked against"] == "fc_w; fc_f"
    conflicts = pd.DataFrame(
        {"conflict_id": ["c02", "c01"], "claim_ids": ["forefront_13", "forefront_05;forefront_06"]}
    )
    assert politics.conflicts_about(conflicts, c["claim"].tolist())["conflict_id"].tolist() == ["c02"]


def test_mentions_scans_text_cells():
    tables = {
        "opinion": opinion(),
        "events": events(),
        "sources": pd.DataFrame({"source_id": ["x"], "title": ["neutral"]}),
    }
    m = politics.mentions(tables, r"neutral")
    assert m[["table", "source"]].values.tolist() == [["opinion", "art_forefront"]]


def test_verdict_table_names_articles_and_checks_by_tag_never_by_id():
    claims = pd.DataFrame(
        {
            "claim_id": ["forefront_13", "growth_09", "forefront_16", "growth_01"],
            "topic": ["legal", "policy", "opinion", "history"],
            "statement": ["refused in 2023", "brings investment", "69%", "left"],
            "source_id": ["art_forefront", "art_growth", "art_forefront", "art_growth"],
            "locator": ["p11", "p2", "p12", "p6"],
            "verdict": ["partly_supported", "not_checked", "unverifiable", "unverifiable"],
            "checked_against": ["fc_icc_warrant_2023;fc_tass_putin_visit_2024", "", "", ""],
            "note": ["", "", "see opinion.csv", ""],
        }
    )
    t = politics.verdict_table(claims, ["legal", "opinion", "policy"])
    assert t.columns.tolist() == ["What the article says", "Article", "Verdict", "Checked against"]
    assert t["Article"].tolist() == ["Article B", "Article B", "Article A"]  # grouped by article
    assert t.loc[0, "Verdict"] == "partly supported" and t.loc[0, "Checked against"] == "ICC 2023; TASS 2024"
    assert t.loc[1, "Checked against"] == "–"
    text = " ".join(t.astype(str).to_numpy().ravel())
    assert not any(tok in text for tok in ("forefront_", "growth_", "art_", "fc_", ".csv", "p11"))
