"""Graded-relevance metrics over each engine's top 10.

nDCG@10     DCG = sum over ranks i = 1..10 of grade_i / log2(i + 1) (gain = grade, 0/1/2);
            ideal DCG from ALL judged documents of the query (grades sorted, best 10), not only
            those this engine returned
P@5         share of the top 5 with grade >= 1 (a list shorter than 5 still divides by 5)
success@1   the first hit has grade 2
unjudged    documents in the top 10 with no judgment: they count as grade 0, and are counted
            so that holes in the judgments are visible (re-pool with --pool --unjudged-only)

A query is scored when at least one of its judged documents has grade >= 1. Means are over the
scored queries; queries with no judgment at all, or judged with nothing relevant, are counted
apart and left out of every mean (for every engine alike).
"""

from __future__ import annotations

import math

K = 10
P_AT = 5


def dcg(grades) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(grades[:K]))


def query_metrics(hits: list[str], grades: dict[str, int]) -> dict:
    got = [grades.get(d) for d in hits[:K]]
    gains = [g or 0 for g in got]
    ideal = dcg(sorted(grades.values(), reverse=True))
    return {
        "ndcg10": dcg(gains) / ideal if ideal > 0 else None,
        "p5": sum(1 for g in gains[:P_AT] if g >= 1) / P_AT,
        "s1": 1.0 if gains and gains[0] == 2 else 0.0,
        "unjudged": sum(1 for g in got if g is None),
        "hits": len(hits[:K]),
        "grades": got,
    }


def status(grades: dict[str, int] | None) -> str:
    if not grades:
        return "unjudged"
    return "scored" if any(g >= 1 for g in grades.values()) else "no-relevant"


def per_query(queries, judged, tops: dict[str, list[list[str]]]) -> list[dict]:
    rows = []
    for i, q in enumerate(queries):
        grades = judged.get(q.qid, {})
        row = {"qid": q.qid, "type": q.type, "query": q.query, "status": status(grades),
               "judged": len(grades), "relevant": sum(1 for g in grades.values() if g >= 1),
               "engines": {}}
        for name, top in tops.items():
            hits = top[i] if i < len(top) else []
            m = query_metrics(hits, grades)
            m["top10"] = hits[:K]
            row["engines"][name] = m
        rows.append(row)
    return rows


def _mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def aggregate(rows: list[dict], engines) -> dict:
    scored = [r for r in rows if r["status"] == "scored"]
    out = {"queries": len(rows), "scored": len(scored),
           "no_relevant": sum(1 for r in rows if r["status"] == "no-relevant"),
           "unjudged_queries": sum(1 for r in rows if r["status"] == "unjudged"),
           "engines": {}}
    for e in engines:
        ms = [r["engines"][e] for r in scored if e in r["engines"]]
        out["engines"][e] = {
            "ndcg10": _mean(m["ndcg10"] for m in ms),
            "p5": _mean(m["p5"] for m in ms),
            "s1": _mean(m["s1"] for m in ms),
            "unjudged": sum(m["unjudged"] for m in ms),
            "queries_with_unjudged": sum(1 for m in ms if m["unjudged"]),
            "empty": sum(1 for m in ms if m["hits"] == 0),
        }
    return out


def by_type(rows: list[dict], engines) -> dict[str, dict]:
    types: dict[str, list[dict]] = {}
    for r in rows:
        types.setdefault(r["type"], []).append(r)
    return {t: aggregate(rs, engines) for t, rs in sorted(types.items())}


def legal_types(all_types, spec: str | None) -> list[str]:
    """--legal-types LIST, or every type whose name contains "legal"."""
    if spec:
        return [t.strip() for t in spec.split(",") if t.strip()]
    return sorted(t for t in all_types if "legal" in t.lower())


# --------------------------------------------------------------------------- targets

TARGETS = (("ndcg10", "overall", 0.85), ("ndcg10", "legal", 0.75), ("s1", "overall", 0.70))
NAMES = {"ndcg10": "nDCG@10", "p5": "P@5", "s1": "success@1"}


def targets(overall: dict, legal: dict | None, engines, main: str = "vanban") -> list[dict]:
    """Each target: VanBan >= the bound AND strictly above both peers (each that ran)."""
    out = []
    peers = [e for e in engines if e != main]
    for metric, scope, bound in TARGETS:
        agg = overall if scope == "overall" else legal
        label = f"{NAMES[metric]} {scope}"
        why = (f"{main} did not run" if main not in engines else "no legal types" if agg is None
               else "no scored queries" if agg["scored"] == 0 else None)
        if why:
            out.append({"name": label, "bound": bound, "value": None, "peers": {},
                        "status": "n/a", "why": why})
            continue
        v = agg["engines"][main][metric]
        pv = {p: agg["engines"][p][metric] for p in peers if p in agg["engines"]}
        ok = v is not None and v >= bound and all(x is None or v > x for x in pv.values())
        holes = sum(agg["engines"][e]["unjudged"] for e in agg["engines"])
        out.append({"name": label, "bound": bound, "value": v, "peers": pv,
                    "status": "PASS" if ok else "FAIL", "n": agg["scored"],
                    "unjudged_in_top10": holes})
    return out
