"""The three engines of the relevance benchmark, all through bench_search's engine modules.

  vanban      engine_vanban.run(reuse=True): the archive + index in <workdir>/vanban are built
              once (import --jsonl, reindex) and kept; search --batch --json --limit 10
  tantivy-or  engine_tantivy.run(conjunction=False): simple + lowercase + ascii_fold on title
              and body, default query parser over both fields, OR, BM25, no boosts
  naive-fts5  engine_fts5.run: bench-search's baseline (unicode61 remove_diacritics 2, AND, bm25)

The baselines are rebuilt in <workdir> on every run (they never change).
"""

from __future__ import annotations

import os
import shutil

from bench_search import engine_fts5, engine_tantivy, engine_vanban
from bench_search.report import EngineRun

ENGINES = ("vanban", "tantivy-or", "naive-fts5")
ALIASES = {"tantivy": "tantivy-or", "naive": "naive-fts5", "fts5": "naive-fts5",
           "sqlite": "naive-fts5"}


def run_all(names, docs, queries, workdir: str, log, repo_root: str, vanban_bin: str | None,
            reindex: bool = False) -> dict[str, EngineRun]:
    """{engine: EngineRun} with one QueryRun per query, in query order."""
    os.makedirs(workdir, exist_ok=True)
    nbytes = sum(d.nbytes for d in docs)
    runs: dict[str, EngineRun] = {}
    for name in names:
        if name == "vanban":
            runs[name] = engine_vanban.run(docs, queries, workdir, nbytes, log,
                                           repo_root=repo_root, binary=vanban_bin,
                                           reuse=True, reuse_reindex=reindex)
        elif name == "tantivy-or":
            runs[name] = engine_tantivy.run(docs, queries, workdir, nbytes, log,
                                            conjunction=False)
            shutil.rmtree(os.path.join(workdir, "tantivy-or"), ignore_errors=True)
        elif name == "naive-fts5":
            runs[name] = engine_fts5.run(docs, queries, workdir, nbytes, log)
            for suffix in ("", "-journal", "-wal", "-shm"):
                p = os.path.join(workdir, "naive-fts5.sqlite" + suffix)
                if os.path.exists(p):
                    os.remove(p)
        else:
            raise ValueError(name)
    return runs


def top_ids(run: EngineRun, k: int = 10) -> list[list[str]]:
    """Per query, the ids of the top k hits (empty for an unavailable engine or a failed query)."""
    if not run.available:
        return []
    return [[h[0] for h in r.hits[:k] if h and h[0]] for r in run.runs]
