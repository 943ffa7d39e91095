"""scripts/bench/bench-relevance: graded relevance of VanBan vs Tantivy (OR) vs naive FTS5 on a
judged query set, and pooling for judging. See scripts/bench/README.md."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import shutil
import sys
import time

from bench_search import corpus

from . import engines as eng, judgments as jd, metrics, pooling, report


def repo_root() -> str:
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))


def parse_args(argv):
    root = repo_root()
    rel = os.path.join(root, "scripts", "bench", "relevance")
    ap = argparse.ArgumentParser(
        prog="scripts/bench/bench-relevance",
        description="Graded relevance (nDCG@10, P@5, success@1) of VanBan, Tantivy (OR, BM25) "
                    "and naive SQLite FTS5 (AND) on judged queries; --pool writes the documents "
                    "to judge.")
    ap.add_argument("--queries", metavar="PATH", default=os.path.join(rel, "queries.jsonl"),
                    help="queries, JSON Lines (default scripts/bench/relevance/queries.jsonl)")
    ap.add_argument("--judgments", metavar="PATH", default=os.path.join(rel, "judgments.tsv"),
                    help="qid<TAB>doc_id<TAB>grade (default scripts/bench/relevance/judgments.tsv)")
    ap.add_argument("--corpus", metavar="DIR", default=corpus.default_corpus_dir(root),
                    help="corpus directory (default ../shared/corpus next to the repository)")
    ap.add_argument("--sample", action="store_true",
                    help="sample.jsonl.gz (200 documents): a smoke run of the harness only")
    ap.add_argument("--engines", default=",".join(eng.ENGINES),
                    help="comma-separated subset of " + ", ".join(eng.ENGINES) + " (default all)")
    ap.add_argument("--vanban-bin", metavar="PATH",
                    help="use this vanban binary instead of `swift build -c release` in the repo")
    ap.add_argument("--workdir", metavar="DIR",
                    help="work directory (default .bench/relevance-work, or relevance-work-sample "
                         "with --sample); <workdir>/vanban keeps the archive + index between runs")
    ap.add_argument("--reindex", action="store_true",
                    help="rerun `vanban reindex` (with --vanban-bin) on the kept archive")
    ap.add_argument("--fresh", action="store_true",
                    help="delete <workdir>/vanban first: import and reindex again")
    ap.add_argument("--legal-types", metavar="LIST",
                    help="query types counted as legal for the legal target (default: every type "
                         "whose name contains 'legal')")
    ap.add_argument("--per-query", action="store_true", help="also print one row per query")
    ap.add_argument("--json", metavar="PATH", default=os.path.join(root, ".bench", "relevance.json"),
                    help="JSON output (default .bench/relevance.json)")
    ap.add_argument("--pool", metavar="OUTDIR",
                    help="write OUTDIR/<qid>.md per query and OUTDIR/pool.tsv (outside the "
                         "repository or under .bench/)")
    ap.add_argument("--unjudged-only", action="store_true",
                    help="with --pool: only documents not yet in the judgments")
    ap.add_argument("--pool-tops", metavar="PATH", action="append", default=[],
                    help="with --pool: also pool the top 10s in PATH (`scripts/dev/tune-ranking --tops`: "
                         "{setting: {qid: [ids]}}), so the settings tried are judged too (repeatable)")
    args = ap.parse_args(argv)
    names = []
    for n in args.engines.split(","):
        n = eng.ALIASES.get(n.strip(), n.strip())
        if n not in eng.ENGINES:
            ap.error(f"unknown engine {n!r}; choose from {', '.join(eng.ENGINES)}")
        if n not in names:
            names.append(n)
    args.engines = [e for e in eng.ENGINES if e in names]
    if args.pool_tops and not args.pool:
        ap.error("--pool-tops needs --pool OUTDIR")
    if args.unjudged_only and not args.pool:
        ap.error("--unjudged-only needs --pool OUTDIR")
    if args.pool:
        out = os.path.realpath(args.pool)
        r = os.path.realpath(root)
        if (out == r or out.startswith(r + os.sep)) and not out.startswith(
                os.path.join(r, ".bench") + os.sep):
            ap.error("--pool OUTDIR holds corpus text: put it outside the repository or under .bench/")
    if args.workdir is None:
        args.workdir = os.path.join(root, ".bench",
                                    "relevance-work-sample" if args.sample else "relevance-work")
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    t_start = time.perf_counter()
    load_start = os.getloadavg()

    def log(msg):
        print(f"[{time.perf_counter() - t_start:7.1f}s] {msg}", file=sys.stderr, flush=True)

    try:
        queries = jd.load_queries(args.queries)
        judged, warnings = jd.load_judgments(args.judgments)
        docs = corpus.load(args.corpus, sample=args.sample)
    except (jd.InputError, corpus.CorpusError) as e:
        print(f"bench-relevance: {e}", file=sys.stderr)
        return 2
    docs_by_id = {d.id: d for d in docs}
    warnings += jd.check(queries, judged, docs_by_id)
    njudged = sum(len(g) for q, g in judged.items())
    log(f"corpus: {len(docs)} documents; {len(queries)} queries from {args.queries}; "
        f"{njudged} judgments from {args.judgments}")

    if args.fresh:
        shutil.rmtree(os.path.join(args.workdir, "vanban"), ignore_errors=True)
    phases = {}
    t0 = time.perf_counter()
    runs = eng.run_all(args.engines, docs, queries, args.workdir, log, repo_root(),
                       args.vanban_bin, reindex=args.reindex)
    phases["engines_s"] = round(time.perf_counter() - t0, 1)
    tops = {e: eng.top_ids(r) for e, r in runs.items() if r.available}
    ran = list(tops)

    rows = metrics.per_query(queries, judged, tops)
    overall = metrics.aggregate(rows, ran)
    types = metrics.by_type(rows, ran)
    legal = metrics.legal_types(types, args.legal_types)
    legal_rows = [r for r in rows if r["type"] in legal]
    legal_agg = metrics.aggregate(legal_rows, ran) if legal_rows else None
    tgts = metrics.targets(overall, legal_agg, ran)

    out = []
    scope = "sample" if args.sample else "full corpus"
    load = os.getloadavg()
    out.append(f"bench-relevance: {len(docs):,} documents ({scope}), {len(queries)} queries, "
               f"{njudged} judgments; top 10 of {', '.join(ran) or 'no engine'}")
    out.append(f"queries {args.queries}; judgments {args.judgments}")
    out.append(f"legal types: {', '.join(legal) or '(none)'}; load average "
               f"{load_start[0]:.1f} at start, {load[0]:.1f} at end ({os.cpu_count()} CPUs)")
    out += report.summary(overall, types, ran, legal, legal_agg)
    if args.per_query:
        out += report.per_query(rows, ran)
    out += report.target_lines(tgts)
    lat = None
    if "vanban" in runs and runs["vanban"].available:
        lat = report.latency(runs["vanban"])
        out.append(f"vanban latency (took_ms, {lat['n']} queries): p50 "
                   f"{report._f(lat['p50_ms'], 2)} ms, p99 {report._f(lat['p99_ms'], 2)} ms")
    for e, r in runs.items():
        if not r.available:
            out.append(f"{e}: not available ({r.reason})")
        for w in r.warnings:
            out.append(f"{e}: warning: {w}")
        errs = [(queries[i].qid, x.error) for i, x in enumerate(r.runs) if x.error]
        if errs:
            out.append(f"{e}: {len(errs)} queries failed, e.g. "
                       + "; ".join(f"{q}: {m}" for q, m in errs[:3]))
    for w in warnings:
        out.append(f"warning: {w}")
    holes = sum(overall["engines"][e]["unjudged"] for e in ran)
    if holes:
        out.append(f"{holes} unjudged documents in the top 10s of scored queries (counted as 0): "
                   "judge them after `--pool DIR --unjudged-only`")

    pool_info = None
    if args.pool:
        pooled_tops = dict(tops)
        for path in args.pool_tops:
            with open(path, encoding="utf-8") as fh:
                for setting, by_qid in json.load(fh).items():
                    pooled_tops[f"{path}:{setting}"] = [by_qid.get(q.qid, []) for q in queries]
        pooled = pooling.pool(queries, pooled_tops, judged, args.unjudged_only)
        files, pairs = pooling.write(args.pool, queries, pooled, docs_by_id, judged, ran,
                                     args.unjudged_only)
        pool_info = {"dir": args.pool, "unjudged_only": args.unjudged_only, "files": files,
                     "pairs": pairs}
        out.append(f"pool: {pairs} (query, document) pairs"
                   + (" not yet judged" if args.unjudged_only else "")
                   + f", {files} files in {args.pool} (pool.tsv lists the pairs)")

    phases["total_s"] = round(time.perf_counter() - t_start, 1)
    payload = {
        "generated_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "scripts/bench/bench-relevance " + " ".join(shlex.quote(a) for a in argv),
        "corpus": {"dir": args.corpus, "sample": args.sample, "documents": len(docs)},
        "queries": {"file": args.queries, "n": len(queries)},
        "judgments": {"file": args.judgments, "n": njudged},
        "legal_types": legal,
        "overall": overall, "types": types, "legal": legal_agg, "targets": tgts,
        "vanban_latency": lat,
        "engines": {e: {"available": r.available, "reason": r.reason, "notes": r.notes,
                        "index_seconds": r.index_seconds, "index_bytes": r.index_bytes,
                        "extra": r.extra, "warnings": r.warnings} for e, r in runs.items()},
        "per_query": rows,
        "pool": pool_info,
        "warnings": warnings,
        "phases": phases,
        "load_average": {"start": load_start, "end": load},
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    report.write_json(args.json, payload)
    out.append(f"results: {args.json}; total {phases['total_s']:.0f} s")
    print("\n".join(out))
    return 0
