"""Tables for the terminal and the JSON payload (.bench/relevance.json)."""

from __future__ import annotations

import json

from bench_search.report import percentile

from .metrics import NAMES


def _f(x, nd=3):
    return "n/a" if x is None else f"{x:.{nd}f}"


def _grid(head: list[str], rows: list[list[str]], right_from: int) -> list[str]:
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]

    def line(r):
        return "  ".join(c.rjust(widths[i]) if i >= right_from else c.ljust(widths[i])
                         for i, c in enumerate(r)).rstrip()
    sep = "-" * len(line(head))
    return [sep, line(head), sep] + [line(r) for r in rows] + [sep]


def summary(overall: dict, types: dict, engines, legal: list[str], legal_agg: dict | None) -> list[str]:
    """Rows: the query types, the legal types together, overall. Columns: per engine nDCG@10,
    P@5, success@1 and unjudged documents in the top 10 (+ queries with no hits)."""
    scopes = [(t + (" [legal]" if t in legal else ""), agg) for t, agg in types.items()]
    if legal_agg is not None and len(legal) > 1:
        scopes.append(("legal types", legal_agg))
    scopes.append(("overall", overall))
    head = ["scope", "n"]
    for e in engines:
        head += [f"{e} nDCG", "P@5", "s@1", "unj/0hit"]
    rows = []
    for label, agg in scopes:
        n = str(agg["scored"])
        if agg["unjudged_queries"] or agg["no_relevant"]:
            n += f" (+{agg['unjudged_queries']} unjudged, +{agg['no_relevant']} none rel.)"
        r = [label, n]
        for e in engines:
            m = agg["engines"].get(e)
            if m is None:
                r += ["n/a"] * 4
            else:
                r += [_f(m["ndcg10"]), _f(m["p5"]), _f(m["s1"]), f"{m['unjudged']}/{m['empty']}"]
        rows.append(r)
    lines = _grid(head, rows, 2)
    lines.append("n = scored queries (one judged document with grade >= 1 at least); "
                 "unj = unjudged documents in the top 10 (counted as 0); 0hit = queries with no hits")
    return lines


def per_query(rows: list[dict], engines) -> list[str]:
    head = ["qid", "type", "judged"] + [f"{e} nDCG P5 s1 unj/hits" for e in engines]
    out = []
    for r in rows:
        cells = [r["qid"], r["type"], f"{r['relevant']}/{r['judged']}"]
        for e in engines:
            m = r["engines"].get(e)
            if m is None:
                cells.append("n/a")
                continue
            cells.append(f"{_f(m['ndcg10'], 2)} {m['p5']:.1f} {int(m['s1'])} "
                         f"{m['unjudged']}/{m['hits']}")
        out.append(cells)
    lines = _grid(head, out, 3)
    lines.append("judged = relevant (grade >= 1) / judged documents; "
                 "unj/hits = unjudged documents in the top 10 / hits returned; nDCG n/a = nothing judged "
                 "relevant")
    return lines


def target_lines(tgts: list[dict]) -> list[str]:
    out = []
    for t in tgts:
        if t.get("why"):
            out.append(f"{t['status']:4}  {t['name']}: target >= {t['bound']:.2f} and above "
                       f"both peers [{t['why']}]")
            continue
        peers = ", ".join(f"{p} {_f(v)}" for p, v in t["peers"].items())
        line = (f"{t['status']:4}  {t['name']}: vanban {_f(t['value'])} "
                f"(target >= {t['bound']:.2f} and above {peers or 'both peers: none ran'})")
        if t.get("unjudged_in_top10"):
            line += f" [{t['unjudged_in_top10']} unjudged documents in the engines' top 10]"
        out.append(line)
    return out


def latency(run) -> dict:
    lat = [r.latency_ms for r in run.runs if r.latency_ms is not None]
    return {"n": len(lat), "p50_ms": percentile(lat, 50), "p99_ms": percentile(lat, 99)}


def write_json(path: str, payload: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
