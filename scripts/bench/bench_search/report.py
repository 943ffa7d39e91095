"""Metrics and report.

success@1  the top hit is the expected document: same id, or a title identical to the expected
           title (vitext.title_key: NFC, whitespace collapsed, lower case, folded), since
           duplicated titles are indistinguishable for a known-item query
MRR@10     mean of 1/rank of the first such hit in the top 10 (0 when absent)
misses     per known-item type, the first MISS_EXAMPLES queries without success@1 (query,
           expected title, what ranked first) in results.json; VanBan's misses of the
           document-number types are also printed under the table
latency    per query, in ms: measured in-process around the engine call for the baselines;
           VanBan's own took_ms for VanBan (plus its batch wall time / query count)
p50/p99    linear-interpolated percentiles
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field

from . import vitext
from .queries import DOCNUM_TYPES, KNOWN_ITEM_TYPES, NUMBER_FORM_TYPES

WARMUP = 50
MISS_EXAMPLES = 10
DOCNUM_SUCCESS = 0.97   # issue "Official texts", section 3: every document-number form


@dataclass
class QueryRun:
    hits: list            # [(id, title)] best first, at most 10
    latency_ms: float | None
    total: int | None
    error: str | None = None


@dataclass
class EngineRun:
    name: str
    available: bool = True
    reason: str | None = None
    index_seconds: float | None = None
    index_bytes: int | None = None
    input_bytes: int = 0
    runs: list = field(default_factory=list)     # QueryRun per query, same order as queries
    notes: dict = field(default_factory=dict)
    batch_wall_ms: float | None = None
    warnings: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- measuring

def measure_in_process(search, queries, warmup: int = WARMUP) -> list[QueryRun]:
    """search(query_text) -> (hits, total). The first `warmup` queries are run once untimed."""
    for q in queries[:warmup]:
        try:
            search(q.query)
        except Exception:
            pass
    runs = []
    for q in queries:
        t0 = time.perf_counter()
        try:
            hits, total = search(q.query)
            err = None
        except Exception as e:  # a baseline failing on a query counts as a miss
            hits, total, err = [], None, f"{type(e).__name__}: {e}"[:200]
        runs.append(QueryRun(list(hits), (time.perf_counter() - t0) * 1000.0, total, err))
    return runs


def dir_size(path: str) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def path_size(path: str) -> int:
    """A directory's files, or a file plus its SQLite sidecars (-wal, -shm, -journal)."""
    if os.path.isdir(path):
        return dir_size(path)
    return sum(os.path.getsize(path + s) for s in ("", "-wal", "-shm", "-journal")
               if os.path.isfile(path + s))


# --------------------------------------------------------------------------- metrics

def percentile(values: list[float], p: float) -> float | None:
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def success_rank(q, hits) -> int | None:
    key = vitext.title_key(q.expected_title or "")
    for rank, (hid, htitle) in enumerate(hits[:10], 1):
        if hid == q.expected_id or vitext.title_key(htitle or "") == key:
            return rank
    return None


def _latency(runs) -> dict:
    lat = [r.latency_ms for r in runs if r.latency_ms is not None]
    return {"p50_ms": _r(percentile(lat, 50)), "p99_ms": _r(percentile(lat, 99))}


def _r(x, nd=3):
    return None if x is None else round(x, nd)


def engine_metrics(er: EngineRun, queries) -> dict:
    out = {"available": er.available, "reason": er.reason, "notes": er.notes}
    if not er.available:
        return out
    mb = er.input_bytes / 1e6
    out["indexing"] = {"seconds": _r(er.index_seconds), "input_mb": _r(mb),
                       "mb_per_s": _r(mb / er.index_seconds if er.index_seconds else None),
                       "index_bytes": er.index_bytes}
    types = {}
    for t in KNOWN_ITEM_TYPES + ("broad",):
        idx = [i for i, q in enumerate(queries) if q.type == t]
        if not idx:
            continue
        runs = [er.runs[i] for i in idx]
        m = {"n": len(idx), "errors": sum(1 for r in runs if r.error)}
        if t != "broad":
            ranks = [success_rank(queries[i], er.runs[i].hits) for i in idx]
            m["success_at_1"] = _r(sum(1 for r in ranks if r == 1) / len(idx), 4)
            m["mrr_at_10"] = _r(sum(1.0 / r for r in ranks if r) / len(idx), 4)
            misses = [{"query": queries[i].query, "expected_title": queries[i].expected_title,
                       "expected_id": queries[i].expected_id, "rank": r,
                       "first": (er.runs[i].hits[0][1] if er.runs[i].hits else None),
                       "error": er.runs[i].error}
                      for i, r in zip(idx, ranks) if r != 1]
            m["misses"] = len(misses)
            if misses:
                m["miss_examples"] = misses[:MISS_EXAMPLES]
        else:
            totals = [r.total for r in runs if r.total is not None]
            m["median_total"] = percentile(totals, 50) if totals else None
        m.update(_latency(runs))
        types[t] = m
    out["types"] = types
    known = [er.runs[i] for i, q in enumerate(queries) if q.type != "broad"]
    out["all_known_item"] = {"n": len(known), **_latency(known)}
    if er.batch_wall_ms is not None:
        out["batch_wall_ms"] = _r(er.batch_wall_ms)
        out["batch_wall_per_query_ms"] = _r(er.batch_wall_ms / max(1, len(queries)))
    if er.extra:
        out["extra"] = er.extra
    if er.warnings:
        out["warnings"] = er.warnings
    errs = [(queries[i].query, r.error) for i, r in enumerate(er.runs) if r.error]
    if errs:
        out["error_examples"] = errs[:10]
    return out


# --------------------------------------------------------------------------- targets

def targets(metrics: dict) -> list[dict]:
    """The issue's targets for VanBan, evaluated against this run's baselines."""
    vb, nv, tv = (metrics.get(n, {}) for n in ("vanban", "naive-fts5", "tantivy"))
    ok = lambda m: m.get("available")  # noqa: E731
    out = []

    def add(name, target, value, passed):
        out.append({"name": name, "target": target, "value": value,
                    "status": "n/a" if passed is None else ("PASS" if passed else "FAIL")})

    def cmp(v, limit, ge):
        if v is None or limit is None:
            return None
        return v >= limit if ge else v <= limit

    nrate = nv["indexing"]["mb_per_s"] if ok(nv) else None
    nsize = nv["indexing"]["index_bytes"] if ok(nv) else None
    vrate = vb["indexing"]["mb_per_s"] if ok(vb) else None
    vsize = vb["indexing"]["index_bytes"] if ok(vb) else None
    add("indexing", f">= 0.75x naive ({_fmt(nrate and 0.75 * nrate, 2)} MB/s)", vrate,
        cmp(vrate, nrate and 0.75 * nrate, True))
    add("index size", f"<= 1.3x naive ({_fmt(nsize and 1.3 * nsize / 1e6, 1)} MB)",
        vsize, cmp(vsize, nsize and 1.3 * nsize, False))
    for t in KNOWN_ITEM_TYPES:
        tm = tv.get("types", {}).get(t) if ok(tv) else None
        vm = vb.get("types", {}).get(t) if ok(vb) else None
        if tm is None and vm is None:
            continue
        ts = tm and tm["success_at_1"]
        vs = vm and vm["success_at_1"]
        if t in DOCNUM_TYPES:  # >= 97% and >= tantivy
            both = [cmp(vs, DOCNUM_SUCCESS, True), cmp(vs, ts, True)]
            add(f"{t} success@1", f">= {_pct(DOCNUM_SUCCESS)}, >= tantivy ({_pct(ts)})", vs,
                None if None in both else all(both))
        else:
            add(f"{t} success@1", f">= tantivy ({_pct(ts)})", vs, cmp(vs, ts, True))
        p50, p99 = vm and vm["p50_ms"], vm and vm["p99_ms"]
        if t in NUMBER_FORM_TYPES:  # one latency row in the table
            both = [cmp(p50, 2.0, False), cmp(p99, 15.0, False)]
            add(f"{t} latency", "<= 2 / <= 15 ms", [p50, p99],
                None if None in both else all(both))
        else:
            add(f"{t} p50", "<= 2 ms", p50, cmp(p50, 2.0, False))
            add(f"{t} p99", "<= 15 ms", p99, cmp(p99, 15.0, False))
    ak = vb.get("all_known_item") if ok(vb) else None
    add("all known-item p50", "<= 2 ms", ak and ak["p50_ms"], cmp(ak and ak["p50_ms"], 2.0, False))
    add("all known-item p99", "<= 15 ms", ak and ak["p99_ms"],
        cmp(ak and ak["p99_ms"], 15.0, False))
    bm = vb.get("types", {}).get("broad") if ok(vb) else None
    add("broad p99", "<= 50 ms", bm and bm["p99_ms"], cmp(bm and bm["p99_ms"], 50.0, False))
    return out


# --------------------------------------------------------------------------- table

def _fmt(x, nd=2):
    return "n/a" if x is None else f"{x:,.{nd}f}"


def _pct(x):
    return "n/a" if x is None else f"{100 * x:.1f}%"


def table(metrics: dict, engines: list[str], tgts: list[dict], header: str) -> str:
    tmap = {t["name"]: t for t in tgts}
    rows: list[list[str]] = []

    def col(name, getter, fmt):
        m = metrics.get(name, {})
        if not m.get("available"):
            return "n/a"
        try:
            return fmt(getter(m))
        except (KeyError, TypeError):
            return "n/a"

    def row(label, metric, getter, fmt, target=None):
        t = tmap.get(target) if target else None
        rows.append([label, metric] + [col(e, getter, fmt) for e in engines]
                    + ([t["target"], t["status"]] if t else ["", ""]))

    naive_size = metrics.get("naive-fts5", {}).get("indexing", {}).get("index_bytes")
    row("indexing", "MB/s", lambda m: m["indexing"]["mb_per_s"], _fmt, "indexing")
    row("", "seconds", lambda m: m["indexing"]["seconds"], lambda x: _fmt(x, 1))
    row("index size", "MB", lambda m: m["indexing"]["index_bytes"] / 1e6,
        lambda x: _fmt(x, 1), "index size")
    row("", "x naive", lambda m: m["indexing"]["index_bytes"] / naive_size, _fmt)
    for t in KNOWN_ITEM_TYPES:
        n = next((m["types"][t]["n"] for m in metrics.values()
                  if m.get("available") and t in m.get("types", {})), None)
        if n is None:
            continue
        g = lambda k, t=t: (lambda m: m["types"][t][k])  # noqa: E731
        row(f"{t} (n={n})", "success@1", g("success_at_1"), _pct, f"{t} success@1")
        row("", "MRR@10", g("mrr_at_10"), lambda x: f"{x:.3f}")
        if t in NUMBER_FORM_TYPES:
            row("", "p50/p99 ms", lambda m, t=t: (m["types"][t]["p50_ms"], m["types"][t]["p99_ms"]),
                lambda x: f"{_fmt(x[0])}/{_fmt(x[1])}", f"{t} latency")
        else:
            row("", "p50 ms", g("p50_ms"), _fmt, f"{t} p50")
            row("", "p99 ms", g("p99_ms"), _fmt, f"{t} p99")
    row("all known-item", "p50 ms", lambda m: m["all_known_item"]["p50_ms"], _fmt,
        "all known-item p50")
    row("", "p99 ms", lambda m: m["all_known_item"]["p99_ms"], _fmt, "all known-item p99")
    nb = next((m["types"]["broad"]["n"] for m in metrics.values()
               if m.get("available") and "broad" in m.get("types", {})), None)
    if nb:
        row(f"broad (n={nb})", "p50 ms", lambda m: m["types"]["broad"]["p50_ms"], _fmt)
        row("", "p99 ms", lambda m: m["types"]["broad"]["p99_ms"], _fmt, "broad p99")
    if metrics.get("vanban", {}).get("batch_wall_per_query_ms") is not None:
        row("batch", "wall/query ms", lambda m: m.get("batch_wall_per_query_ms"), _fmt)

    head = ["", ""] + engines + ["target (vanban)", ""]
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    right = set(range(2, 2 + len(engines)))

    def line(r):
        return "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i])
                         for i, c in enumerate(r)).rstrip()

    sep = "-" * len(line(head))
    out = [header, sep, line(head), sep] + [line(r) for r in rows] + [sep]
    for e in engines:
        m = metrics.get(e, {})
        if not m.get("available"):
            out.append(f"{e}: not available ({m.get('reason')})")
        for w in m.get("warnings", []):
            out.append(f"{e}: warning: {w}")
        errs = sum(tm.get("errors", 0) for tm in m.get("types", {}).values())
        if errs:
            out.append(f"{e}: {errs} queries failed (examples in results.json)")
    vb = metrics.get("vanban", {})
    if vb.get("available"):
        for t in DOCNUM_TYPES:
            tm = vb.get("types", {}).get(t)
            if not tm or not tm.get("misses"):
                continue
            out.append(f"vanban misses, {t}: {tm['misses']} of {tm['n']}"
                       + (f" (first {PRINTED_MISSES})" if tm["misses"] > PRINTED_MISSES else ""))
            for x in tm.get("miss_examples", [])[:PRINTED_MISSES]:
                rank = f"rank {x['rank']}" if x["rank"] else "not in top 10"
                out.append(f"  {x['query']!r} -> {_short(x['expected_title'])} ({rank}); "
                           f"first: {_short(x['first']) if x['first'] else x['error'] or 'no hits'}")
    return "\n".join(out)


PRINTED_MISSES = 5


def _short(s, n=70):
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[:n - 1] + "…"


def write_json(path: str, payload: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
