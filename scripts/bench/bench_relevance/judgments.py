"""Queries (scripts/bench/relevance/queries.jsonl) and judgments (judgments.tsv).

queries.jsonl: one JSON object a line, {"qid", "type", "query", "need", "notes"}; blank lines
skipped. qid and query are required and qids are unique; a query is one line of text (it is
sent as a line of `vanban search --batch`).

judgments.tsv: "qid<TAB>doc_id<TAB>grade", grade 0 (not relevant), 1 (partly relevant / useful)
or 2 (answers the need); '#' starts a comment line; blank lines skipped. A pair judged twice
must have the same grade. Judgments for qids that are not in the query file are reported and
ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


class InputError(Exception):
    pass


@dataclass
class Query:
    qid: str
    type: str
    query: str
    need: str = ""
    notes: str = ""


def load_queries(path: str) -> list[Query]:
    out: list[Query] = []
    seen: set[str] = set()
    try:
        fh = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read the queries: {e}")
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except ValueError as e:
                raise InputError(f"{path}:{n}: not JSON ({e})")
            if not isinstance(o, dict):
                raise InputError(f"{path}:{n}: not a JSON object")
            qid, text = str(o.get("qid") or "").strip(), o.get("query")
            if not qid or not isinstance(text, str) or not text.strip():
                raise InputError(f"{path}:{n}: needs a non-empty \"qid\" and \"query\"")
            if "\n" in text or "\r" in text:
                raise InputError(f"{path}:{n}: query {qid} spans several lines")
            if qid in seen:
                raise InputError(f"{path}:{n}: duplicate qid {qid}")
            if "\t" in qid or "/" in qid or qid.startswith("."):
                raise InputError(f"{path}:{n}: qid {qid!r} must not contain a tab or '/' "
                                 "(it names a file in --pool)")
            seen.add(qid)
            out.append(Query(qid=qid, type=str(o.get("type") or "untyped"), query=text.strip(),
                             need=str(o.get("need") or ""), notes=str(o.get("notes") or "")))
    if not out:
        raise InputError(f"{path}: no queries")
    return out


def load_judgments(path: str | None) -> tuple[dict[str, dict[str, int]], list[str]]:
    """{qid: {doc_id: grade}} and warnings. A missing path gives no judgments (first pooling)."""
    judged: dict[str, dict[str, int]] = {}
    warnings: list[str] = []
    if path is None:
        return judged, warnings
    try:
        fh = open(path, encoding="utf-8")
    except FileNotFoundError:
        warnings.append(f"{path}: not found, no judgments")
        return judged, warnings
    except OSError as e:
        raise InputError(f"cannot read the judgments: {e}")
    with fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("\t")]
            if len(parts) != 3 or not parts[0] or not parts[1]:
                raise InputError(f"{path}:{n}: expected qid<TAB>doc_id<TAB>grade, got {line!r}")
            qid, doc, g = parts
            if g not in ("0", "1", "2"):
                raise InputError(f"{path}:{n}: grade must be 0, 1 or 2, got {g!r}")
            grades = judged.setdefault(qid, {})
            if doc in grades and grades[doc] != int(g):
                raise InputError(f"{path}:{n}: {qid} {doc} judged {grades[doc]} before, now {g}")
            grades[doc] = int(g)
    return judged, warnings


def check(queries: list[Query], judged: dict[str, dict[str, int]], doc_ids) -> list[str]:
    """Warnings: judgments of unknown queries or of documents not in the corpus."""
    qids = {q.qid for q in queries}
    warnings = []
    stray = sorted(set(judged) - qids)
    if stray:
        warnings.append(f"judgments for {len(stray)} qids not in the query file (ignored): "
                        + ", ".join(stray[:10]) + (" ..." if len(stray) > 10 else ""))
    missing = [(q, d) for q, g in judged.items() if q in qids for d in g if d not in doc_ids]
    if missing:
        warnings.append(f"{len(missing)} judged documents are not in the corpus, e.g. "
                        + ", ".join(f"{q} {d}" for q, d in missing[:5]))
    return warnings
