"""Baseline 2: Tantivy through the pip package `tantivy`.

- analyzer "vi_fold": Tokenizer.simple() + Filter.lowercase() + Filter.ascii_fold(), registered
  on the index, used by the title and body fields; id (raw) and title are stored, body is
  indexed only (tantivy-py loads whole stored documents, so a stored body would make every
  top-10 fetch decompress the long legal texts);
- query: index.parse_query(expr, ["title", "body"], conjunction_by_default=True), no field
  boosts (the default query parser over both fields, AND semantics like the FTS5 baseline);
  run(..., conjunction=False) gives the OR variant ("tantivy-or", used by bench-relevance):
  the same index and parser with conjunction_by_default=False, ranked by BM25;
- escaping: each whitespace-separated word is passed as a quoted literal ('"' and '\\' escaped),
  so no character of user input is query syntax; a word that tokenizes into several tokens
  ("45/2010/NĐ-CP") becomes a phrase, as in FTS5; punctuation-only words are dropped;
- writer: default heap (128 MB) and thread count (0 = tantivy decides); indexing time includes
  commit() and wait_merging_threads();
- per query: parse, search (count=True, for the total), fetch id and title of the top 10.
"""

from __future__ import annotations

import os
import shutil
import time

from .corpus import Doc
from .report import EngineRun, dir_size, measure_in_process

NAME = "tantivy"


def _analyzer(tantivy):
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())


def query_expression(query: str) -> str:
    words = [w for w in query.split() if any(c.isalnum() for c in w)]
    return " ".join('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' for w in words)


def run(docs: list[Doc], queries, workdir: str, input_bytes: int, log,
        threads: int = 0, conjunction: bool = True) -> EngineRun:
    """conjunction=True: bench-search's AND baseline ("tantivy"); False: OR ("tantivy-or")."""
    name = NAME if conjunction else NAME + "-or"
    try:
        import tantivy
    except ImportError as e:
        return EngineRun(name=name, available=False,
                         reason=f"python module tantivy not importable ({e}); pip install tantivy")

    notes = {
        "tantivy_python": getattr(tantivy, "__version__", "?"),
        "analyzer": "simple + lowercase + ascii_fold (TextAnalyzerBuilder), title and body",
        "query": f"parse_query over [title, body], conjunction_by_default={conjunction}, no boosts; "
                 "each word a quoted literal; punctuation-only words dropped",
        "writer": f"heap 128 MB, num_threads={threads} (0 = auto)",
        "stored": "id, title (body indexed, not stored)",
        "total": "search(count=True), included in the latency",
    }
    path = os.path.join(workdir, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)

    log(f"{name}: indexing {len(docs)} documents ...")
    t0 = time.perf_counter()
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True, tokenizer_name="vi_fold")
    sb.add_text_field("body", stored=False, tokenizer_name="vi_fold")
    index = tantivy.Index(sb.build(), path=path)
    index.register_tokenizer("vi_fold", _analyzer(tantivy))
    writer = index.writer(num_threads=threads)
    for d in docs:
        writer.add_document(tantivy.Document(id=d.id, title=d.title, body=d.text))
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - t0
    size = dir_size(path)
    log(f"{name}: indexed in {seconds:.1f} s, {size / 1e6:.1f} MB")

    index.reload()
    searcher = index.searcher()
    fields = ["title", "body"]

    def search(q: str):
        expr = query_expression(q)
        if not expr:
            return [], 0
        parsed = index.parse_query(expr, fields, conjunction_by_default=conjunction)
        res = searcher.search(parsed, 10)
        hits = []
        for _score, addr in res.hits:
            doc = searcher.doc(addr)
            hits.append((doc["id"][0], doc["title"][0]))
        return hits, res.count

    log(f"{name}: running {len(queries)} queries ...")
    runs = measure_in_process(search, queries)
    return EngineRun(name=name, index_seconds=seconds, index_bytes=size,
                     input_bytes=input_bytes, runs=runs, notes=notes)
