"""Baseline 1: naive SQLite FTS5 through python3's sqlite3.

- tokenize='unicode61 remove_diacritics 2' (note: 'đ' is a letter of its own, not a 'd' with a
  diacritic, so it is never folded: "da nang" does not find "Đà Nẵng");
- one FTS5 table holding title, body (= text) and the metadata as UNINDEXED columns, i.e. an
  ordinary content-storing FTS5 table; no 'optimize' after the bulk load;
- bm25() with equal column weights;
- query: each whitespace-separated word as an FTS5 string literal ("w1" "w2" ..., '"' doubled),
  implicitly ANDed; words without any letter or digit (a lone "-" or "/") are dropped because
  they tokenize to nothing;
- per query: a count(*) for the total (VanBan reports one too) and the top 10 by bm25.
"""

from __future__ import annotations

import os
import sqlite3
import time

from .corpus import Doc
from .report import EngineRun, measure_in_process

NAME = "naive-fts5"

NOTES = {
    "tokenizer": "unicode61 remove_diacritics 2",
    "schema": "fts5(title, body, id/source/kind/date/url UNINDEXED), content stored in the table",
    "ranking": "bm25(docs) with equal column weights",
    "query": 'each word as an FTS5 string literal, implicit AND; punctuation-only words dropped',
    "total": "separate SELECT count(*) ... MATCH, included in the latency",
    "sqlite_version": sqlite3.sqlite_version,
}


def match_expression(query: str) -> str:
    words = [w for w in query.split() if any(c.isalnum() for c in w)]
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def build(docs: list[Doc], path: str) -> float:
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        t0 = time.perf_counter()
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, id UNINDEXED, "
                    "source UNINDEXED, kind UNINDEXED, date UNINDEXED, url UNINDEXED, "
                    "tokenize='unicode61 remove_diacritics 2')")
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO docs(title, body, id, source, kind, date, url) VALUES (?,?,?,?,?,?,?)",
            ((d.title, d.text, d.id, d.source, d.kind, d.date, d.url) for d in docs))
        con.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        con.close()


def run(docs: list[Doc], queries, workdir: str, input_bytes: int, log) -> EngineRun:
    path = os.path.join(workdir, "naive-fts5.sqlite")
    log(f"{NAME}: indexing {len(docs)} documents ...")
    seconds = build(docs, path)
    size = os.path.getsize(path)
    log(f"{NAME}: indexed in {seconds:.1f} s, {size / 1e6:.1f} MB")

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def search(q: str):
        expr = match_expression(q)
        if not expr:
            return [], 0
        total = con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (expr,)).fetchone()[0]
        rows = con.execute("SELECT id, title FROM docs WHERE docs MATCH ? "
                           "ORDER BY bm25(docs) LIMIT 10", (expr,)).fetchall()
        return rows, total

    log(f"{NAME}: running {len(queries)} queries ...")
    runs = measure_in_process(search, queries)
    con.close()
    return EngineRun(name=NAME, index_seconds=seconds, index_bytes=size,
                     input_bytes=input_bytes, runs=runs, notes=dict(NOTES))
