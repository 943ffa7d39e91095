"""Search benchmark harness for VanBan (issue 4, "Benchmarks").

Modules:
  corpus          locate and load the shared corpus
  vitext          small Vietnamese text helpers (NFC, folding, tone-placement variants)
  queries         deterministic known-item + broad query generation
  engine_fts5     baseline: naive SQLite FTS5 (unicode61 remove_diacritics 2)
  engine_tantivy  baseline: Tantivy (simple + lowercase + ascii_fold)
  engine_vanban   VanBan through its CLI (import / reindex / search --batch)
  report          metrics (success@1, MRR@10, latency percentiles), table, results.json
  cli             argument parsing and orchestration
"""
