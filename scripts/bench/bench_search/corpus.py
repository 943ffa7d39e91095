"""Locate and load the shared benchmark corpus (see ../shared/corpus/README.md)."""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass

FULL_FILES = ("vi_legal_congbao.jsonl.gz", "vi_news_baomoi.jsonl.gz")
SAMPLE_FILE = "sample.jsonl.gz"


class CorpusError(Exception):
    pass


@dataclass
class Doc:
    id: str
    title: str
    text: str
    source: str
    kind: str
    date: str
    url: str

    @property
    def nbytes(self) -> int:
        """UTF-8 bytes of title + text: the unit of the indexing rate."""
        return len(self.title.encode("utf-8")) + len(self.text.encode("utf-8"))


def default_corpus_dir(repo_root: str) -> str:
    # The worktree sits next to ../shared, e.g. /work/wt-bench -> /work/shared/corpus.
    return os.path.normpath(os.path.join(repo_root, "..", "shared", "corpus"))


def corpus_files(corpus_dir: str, sample: bool) -> list[str]:
    names = (SAMPLE_FILE,) if sample else FULL_FILES
    paths = [os.path.join(corpus_dir, n) for n in names]
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        raise CorpusError(
            "corpus not found: missing " + ", ".join(missing)
            + "\n  (expected the shared corpus in " + corpus_dir
            + "; pass --corpus DIR to point elsewhere)")
    return paths


def load(corpus_dir: str, sample: bool = False, limit: int | None = None) -> list[Doc]:
    """Documents in file order (legal first, then news); the first `limit` if given."""
    docs: list[Doc] = []
    for path in corpus_files(corpus_dir, sample):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if limit is not None and len(docs) >= limit:
                    return docs
                if not line.strip():
                    continue
                o = json.loads(line)
                docs.append(Doc(
                    id=o["id"], title=o.get("title") or "", text=o.get("text") or "",
                    source=o.get("source") or "", kind=o.get("kind") or "",
                    date=o.get("date") or "", url=o.get("url") or ""))
    if not docs:
        raise CorpusError("corpus is empty: " + corpus_dir)
    return docs


def total_bytes(docs: list[Doc]) -> int:
    return sum(d.nbytes for d in docs)
