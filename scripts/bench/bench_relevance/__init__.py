"""Relevance benchmark for VanBan: graded judgments, nDCG@10 / P@5 / success@1 against Tantivy
(OR, BM25) and naive SQLite FTS5 (AND), and pooling of the engines' top 10 for human judging.

Modules:
  judgments  load queries.jsonl and judgments.tsv
  engines    run the three engines (bench_search's engine modules) and collect the top 10
  metrics    nDCG@10, P@5, success@1, unjudged counts; per type, overall; the targets
  pooling    --pool: union of the top 10s, one Markdown file per query, pool.tsv
  report     tables (summary, per query) and the JSON payload
  cli        argument parsing and orchestration
"""
