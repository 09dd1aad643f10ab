"""Public opinion and politics: the 2024 poll, neutrality, the ICC warrant and Putin's visits.

Small helpers for the opinion-and-politics chapter. They only select and reshape rows
of ``opinion``, ``events``, ``claims`` and ``conflicts``; what a source does *not* say
is read from the columns the table lacks (see :data:`POLL_ATTRIBUTES`), never typed.
"""

from __future__ import annotations

import re

import pandas as pd

from partnerships.analysis.profile import claims_table

# What a reader needs to judge a poll, and the opinion-table column that holds it
# (None: the table has no such column, because no source here gives it).
POLL_ATTRIBUTES = [
    ("year of the poll", "year"),
    ("topic of the question (paraphrased from the article)", "question"),
    ("answer reported", "response"),
    ("share of respondents (%)", "share_pct"),
    ("pollster", None),
    ("sample size", None),
    ("method (phone, face to face, online)", None),
    ("fieldwork dates", None),
    ("exact wording and answer options", None),
    ("margin of error", None),
]


def question_text(q: str) -> str:
    """The question without the table's trailing '(as the source reports it; ...)' remark."""
    return re.sub(r"\s*\(as the source reports it[^)]*\)\s*$", "", str(q)).strip()


def poll_table(opinion: pd.DataFrame) -> pd.DataFrame:
    """The reported poll figures: year, question, answer, share, source, where, note."""
    o = opinion.sort_values(["year", "share_pct"], ascending=[True, False], kind="mergesort")
    return pd.DataFrame(
        {
            "year": o["year"].astype(str),
            "question (as reported)": o["question"].map(question_text),
            "answer": o["response"],
            "share (%)": pd.to_numeric(o["share_pct"]).map(lambda v: f"{v:g}"),
            "source": o["source_id"],
            "where": o["locator"],
            "note": o["note"].fillna(""),
        }
    ).reset_index(drop=True)


def poll_unknowns(opinion: pd.DataFrame) -> pd.DataFrame:
    """For each attribute of :data:`POLL_ATTRIBUTES`: what the sources give, or 'not stated in any source here'."""
    rows = []
    for label, col in POLL_ATTRIBUTES:
        if col is not None and col in opinion and opinion[col].notna().any():
            vals = opinion[col].map(
                question_text if col == "question" else lambda v: f"{v:g}" if isinstance(v, float) else str(v)
            )
            rows.append(
                {
                    "what a reader needs": label,
                    "stated?": "yes",
                    "what the source gives": "; ".join(dict.fromkeys(vals)),
                }
            )
        else:
            rows.append(
                {
                    "what a reader needs": label,
                    "stated?": "no",
                    "what the source gives": "not stated in any source here",
                }
            )
    return pd.DataFrame(rows)


def icc_events(events: pd.DataFrame, partner: str = "Russia", since: int = 2019) -> pd.DataFrame:
    """Legal events and the partner's visits since ``since``, in date order, contradicted rows flagged."""
    ev = events.copy()
    year = pd.to_numeric(ev["year"], errors="coerce")
    keep = (ev["category"] == "legal") | (
        (ev["category"] == "visit") & (ev["partner"].fillna("") == partner) & (year >= since)
    )
    ev = ev[keep].sort_values(["date", "event_id"], kind="mergesort")
    return pd.DataFrame(
        {
            "date": ev["date"],
            "event": ev["event"],
            "status": ev["status"].str.replace("_", " "),
            "source": ev["source_id"],
            "where": ev["locator"],
        }
    ).reset_index(drop=True)


def claims_on(claims: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """The claims of the given topics, with verdict and what the check found."""
    return claims_table(claims[claims["topic"].isin(topics)], "what the source says", with_note=True)


def conflicts_about(conflicts: pd.DataFrame, claim_ids: list[str]) -> pd.DataFrame:
    """Conflicts that involve any of ``claim_ids`` (their ``claim_ids`` column is ';'-separated)."""
    wanted = set(claim_ids)
    mask = conflicts["claim_ids"].fillna("").map(lambda s: bool(wanted & set(p.strip() for p in s.split(";"))))
    return conflicts[mask].sort_values("conflict_id", kind="mergesort").reset_index(drop=True)


def days_between(a: str, b: str) -> int:
    """Days from ISO date ``a`` to ``b``."""
    return int((pd.Timestamp(b) - pd.Timestamp(a)).days)


def mentions(tables: dict[str, pd.DataFrame], pattern: str) -> pd.DataFrame:
    """Rows in any table whose text cells match ``pattern`` (case-insensitive): table, source, where, text."""
    rx = re.compile(pattern, re.I)
    out = []
    for name in sorted(tables):
        df = tables[name]
        if name == "sources" or "source_id" not in df:
            continue
        text_cols = [
            c
            for c in df.columns
            if (df[c].dtype == object or pd.api.types.is_string_dtype(df[c])) and c not in ("source_id", "locator")
        ]
        for _, r in df.iterrows():
            hit = next((str(r[c]) for c in text_cols if isinstance(r[c], str) and rx.search(r[c])), None)
            if hit is not None:
                out.append({"table": name, "source": r["source_id"], "where": r.get("locator", ""), "text": hit})
    return pd.DataFrame(out, columns=["table", "source", "where", "text"])


def verdict_table(claims: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """The claims of the given topics as a reader compares them: what the article says, which article
    (its tag), the verdict, and the sources it was checked against (tags); no ids or locators."""
    from partnerships import data

    c = claims[claims["topic"].isin(topics)].sort_values(["source_id", "claim_id"], kind="mergesort")
    return pd.DataFrame(
        {
            "What the article says": c["statement"].astype(str),
            "Article": c["source_id"].map(data.tag),
            "Verdict": c["verdict"].astype(str).str.replace("_", " "),
            "Checked against": c["checked_against"].fillna("").map(lambda s: data.tags(s) if s else "–"),
        }
    ).reset_index(drop=True)
