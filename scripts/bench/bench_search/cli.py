"""scripts/bench/bench-search: build three indexes of the same documents, run one query set against
each, print one table and write .bench/results.json. See scripts/bench/README.md."""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import shutil
import sys
import time

from . import corpus, engine_fts5, engine_tantivy, engine_vanban, queries as qgen, report

ENGINES = ("naive-fts5", "tantivy", "vanban")
ALIASES = {"naive": "naive-fts5", "fts5": "naive-fts5", "sqlite": "naive-fts5"}


def repo_root() -> str:
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))


def parse_args(argv):
    root = repo_root()
    ap = argparse.ArgumentParser(
        prog="scripts/bench/bench-search",
        description="Side-by-side search benchmark: naive SQLite FTS5, Tantivy, VanBan.")
    ap.add_argument("--corpus", metavar="DIR", default=corpus.default_corpus_dir(root),
                    help="corpus directory (default: ../shared/corpus next to the repository)")
    ap.add_argument("--sample", action="store_true",
                    help="use sample.jsonl.gz (200 documents) for a quick smoke run")
    ap.add_argument("--limit", type=int, metavar="N", help="only the first N documents")
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help="comma-separated subset of: " + ", ".join(ENGINES) + " (default: all)")
    ap.add_argument("--seed", type=int, default=4, help="query generation seed (default 4)")
    ap.add_argument("--per-type", type=int, default=300, metavar="N",
                    help="known-item queries per type (default 300)")
    ap.add_argument("--broad", type=int, default=100, metavar="N",
                    help="broad (latency-only) queries (default 100)")
    ap.add_argument("--out", default=os.path.join(root, ".bench"), metavar="DIR",
                    help="output directory for queries.jsonl and results.json (default .bench/)")
    ap.add_argument("--workdir", metavar="DIR",
                    help="where the indexes are built (default <out>/work, wiped per run)")
    ap.add_argument("--keep", action="store_true", help="keep the indexes after the run")
    ap.add_argument("--vanban-bin", metavar="PATH",
                    help="use this vanban binary instead of `swift build -c release`")
    ap.add_argument("--tantivy-threads", type=int, default=0, metavar="N",
                    help="tantivy writer threads (default 0 = tantivy decides)")
    args = ap.parse_args(argv)
    names = []
    for n in args.engines.split(","):
        n = ALIASES.get(n.strip(), n.strip())
        if n not in ENGINES:
            ap.error(f"unknown engine {n!r}; choose from {', '.join(ENGINES)}")
        if n not in names:
            names.append(n)
    args.engines = names
    return args


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    t_start = time.perf_counter()
    load_start = os.getloadavg()

    def log(msg):
        print(f"[{time.perf_counter() - t_start:7.1f}s] {msg}", file=sys.stderr, flush=True)

    try:
        docs = corpus.load(args.corpus, sample=args.sample, limit=args.limit)
    except corpus.CorpusError as e:
        print(f"bench-search: {e}", file=sys.stderr)
        return 2
    nbytes = corpus.total_bytes(docs)
    log(f"corpus: {len(docs)} documents, {nbytes / 1e6:.1f} MB (title+text) from {args.corpus}"
        + (" [sample]" if args.sample else ""))

    os.makedirs(args.out, exist_ok=True)
    workdir = args.workdir or os.path.join(args.out, "work")
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)

    t0 = time.perf_counter()
    qs = qgen.generate(docs, seed=args.seed, per_type=args.per_type, broad=args.broad)
    qpath = os.path.join(args.out, "queries.jsonl")
    qgen.save(qs, qpath)
    phases = {"query_generation_s": round(time.perf_counter() - t0, 1)}
    log(f"queries: {qgen.counts(qs)} -> {qpath}")

    runs: dict[str, report.EngineRun] = {}
    for name in args.engines:
        t0 = time.perf_counter()
        if name == "naive-fts5":
            runs[name] = engine_fts5.run(docs, qs, workdir, nbytes, log)
        elif name == "tantivy":
            runs[name] = engine_tantivy.run(docs, qs, workdir, nbytes, log,
                                            threads=args.tantivy_threads)
        else:
            runs[name] = engine_vanban.run(docs, qs, workdir, nbytes, log,
                                           repo_root=repo_root(), binary=args.vanban_bin)
        phases[f"{name}_s"] = round(time.perf_counter() - t0, 1)

    metrics = {n: report.engine_metrics(r, qs) for n, r in runs.items()}
    tgts = report.targets(metrics)
    scope = ("sample" if args.sample else "full corpus") + (f", first {args.limit}" if args.limit else "")
    header = (f"bench-search: {len(docs):,} documents ({scope}), {nbytes / 1e6:,.1f} MB title+text, "
              f"{len(qs)} queries, seed {args.seed}")
    load = os.getloadavg()
    header += (f"\nload average {load_start[0]:.1f} at start, {load[0]:.1f} at end "
               f"({os.cpu_count()} CPUs): latencies are noisy when the machine is busy")
    if args.sample or args.limit:
        header += "\n(latency and size targets are defined over the full corpus)"
    print(report.table(metrics, args.engines, tgts, header))

    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    phases["total_s"] = round(time.perf_counter() - t_start, 1)
    payload = {
        "generated_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "scripts/bench/bench-search " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:])),
        "corpus": {"dir": args.corpus, "sample": args.sample, "limit": args.limit,
                   "documents": len(docs), "title_text_bytes": nbytes},
        "queries": {"file": qpath, "seed": args.seed, "counts": qgen.counts(qs)},
        "engines": metrics,
        "targets": tgts,
        "phases": phases,
        "load_average": {"start": load_start, "end": load},
        "cpus": os.cpu_count(),
    }
    rpath = os.path.join(args.out, "results.json")
    report.write_json(rpath, payload)
    print(f"results: {rpath}; queries: {qpath}; total {phases['total_s']:.0f} s")
    return 0
