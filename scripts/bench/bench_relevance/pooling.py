"""--pool OUTDIR: the documents a human judge reads.

For every query, the union of the engines' top 10 (with --unjudged-only, minus the documents
already in judgments.tsv) goes to OUTDIR/<qid>.md: the query, its type, the need, and per
document its corpus id, kind, date, title, the first ~700 characters of its text (whitespace
collapsed) and up to 6 keyword-in-context lines (~200 characters) around the query words,
matched folded (lower case, marks removed, đ -> d). The documents are listed in an order that
does not depend on the engines (a hash of qid + id), so the judge cannot tell who found what.
OUTDIR/pool.tsv lists every pooled pair, "qid<TAB>doc_id"; each .md ends with the same pairs
as judgment lines to fill in.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import unicodedata

from bench_search import vitext

HEAD_CHARS = 700
KWIC_LINES = 6
KWIC_WIDTH = 200

_FOLD_CACHE: dict[str, str] = {}


def _fold_char(c: str) -> str:
    f = _FOLD_CACHE.get(c)
    if f is None:
        f = vitext.fold(c)
        if len(f) != 1:  # keep positions aligned with the original text
            f = c.lower() if len(c.lower()) == 1 else c
        _FOLD_CACHE[c] = f
    return f


def fold_aligned(text: str) -> str:
    """vitext.fold, one character for one character (text must be NFC)."""
    table = {ord(c): _fold_char(c) for c in set(text)}
    return text.translate(table)


def query_words(query: str) -> list[str]:
    seen, out = set(), []
    for w in vitext.folded_words(query):
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _collapse(s: str) -> str:
    return " ".join(s.split())


def head(text: str, n: int = HEAD_CHARS) -> str:
    s = _collapse(text)
    if len(s) <= n:
        return s
    cut = s.rfind(" ", 0, n)
    return s[:cut if cut > n * 0.8 else n] + " …"


def kwic(text: str, words: list[str], lines: int = KWIC_LINES, width: int = KWIC_WIDTH,
         exact: set[str] | None = None) -> list[str]:
    """Up to `lines` windows of about `width` characters, best first. Matching is folded; a
    window scores the distinct query words it holds, each weighted by its rarity in this
    document (and halved when it only matches folded, e.g. "báo" for "bảo", when `exact` holds
    the query's own lower-case spellings), plus half a point per adjacent pair of query words
    found next to each other in the text."""
    if not words or not text:
        return []
    text = vitext.nfc(text)
    folded = fold_aligned(text)
    lower = text.translate({ord(c): c.lower() if len(c.lower()) == 1 else c
                            for c in set(text)}) if exact else None
    matches: list[tuple[int, int, str, bool]] = []
    for w in words:
        for m in re.finditer(r"(?<!\w)" + re.escape(w) + r"(?!\w)", folded):
            ex = True if not exact else lower[m.start():m.end()] in exact
            matches.append((m.start(), m.end(), w, ex))
    if not matches:
        return []
    matches.sort()
    count: dict[str, int] = {}
    for m in matches:
        count[m[2]] = count.get(m[2], 0) + 1
    weight = {w: 1.0 / (1.0 + math.log(c)) for w, c in count.items()}
    pairs = set(zip(words, words[1:]))
    adjacent = [a[1] < b[0] <= a[1] + 3 and (a[2], b[2]) in pairs
                and not any(ch.isalnum() for ch in folded[a[1]:b[0]])
                for a, b in zip(matches, matches[1:])] + [False]
    half = width // 2
    cands = []
    j0 = 0
    for s, e, _w, _x in matches:
        lo, hi = max(0, s - half), min(len(text), e + half)
        while matches[j0][0] < lo:
            j0 += 1
        got: dict[str, float] = {}
        bigrams = set()
        j = j0
        while j < len(matches) and matches[j][0] < hi:
            ms, me, w, ex = matches[j]
            if me <= hi:
                got[w] = max(got.get(w, 0.0), weight[w] * (1.0 if ex else 0.5))
                if adjacent[j] and j + 1 < len(matches) and matches[j + 1][1] <= hi:
                    bigrams.add((w, matches[j + 1][2]))
            j += 1
        cands.append((sum(got.values()) + 0.5 * len(bigrams), -s, lo, hi))
    cands.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for _score, _ns, lo, hi in cands:
        if len(chosen) >= lines:
            break
        if not any(lo < b and a < hi for a, b in chosen):
            chosen.append((lo, hi))
    out = []
    for lo, hi in chosen:
        # widen to word boundaries
        while lo > 0 and not text[lo - 1].isspace() and hi - lo < width + 30:
            lo -= 1
        while hi < len(text) and not text[hi].isspace() and hi - lo < width + 60:
            hi += 1
        marked = _mark(text[lo:hi], folded[lo:hi], words)
        out.append(("… " if lo > 0 else "") + _collapse(marked) + (" …" if hi < len(text) else ""))
    return out


def _mark(orig: str, folded: str, words: list[str]) -> str:
    spans = []
    for w in words:
        for m in re.finditer(r"(?<!\w)" + re.escape(w) + r"(?!\w)", folded):
            spans.append((m.start(), m.end()))
    spans.sort()
    out, pos = [], 0
    for s, e in spans:
        if s < pos:
            continue
        out.append(_md(orig[pos:s]))
        out.append("**" + _md(orig[s:e]) + "**")
        pos = e
    out.append(_md(orig[pos:]))
    return "".join(out)


def _md(s: str) -> str:
    return s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def _order_key(qid: str, doc_id: str) -> str:
    return hashlib.sha1(f"{qid}\t{doc_id}".encode("utf-8")).hexdigest()


NOTED_ID_RE = re.compile(r"\b(?:baomoi|congbao)-[A-Za-z0-9-]*[A-Za-z0-9]")


def pool(queries, tops: dict[str, list[list[str]]], judged, unjudged_only: bool) -> dict[str, list[str]]:
    """{qid: [doc ids]} in the blind order: the engines' top 10s, plus the relevant documents
    the query's author noted while writing it (so recall holes of all three engines are judged)."""
    out = {}
    for i, q in enumerate(queries):
        ids = set(NOTED_ID_RE.findall(getattr(q, "notes", "") or ""))
        for top in tops.values():
            if i < len(top):
                ids.update(top[i])
        if unjudged_only:
            ids -= set(judged.get(q.qid, {}))
        out[q.qid] = sorted(ids, key=lambda d: _order_key(q.qid, d))
    return out


def render(q, doc_ids: list[str], docs_by_id, judged_count: int, engines, unjudged_only: bool) -> str:
    words = query_words(q.query)
    exact = set(vitext.WORD_RE.findall(vitext.nfc(q.query).lower()))
    lines = [f"# {q.qid}: {q.query}", "",
             f"- type: {q.type}",
             f"- need: {q.need or '(none written)'}"]
    if q.notes:
        lines.append(f"- notes: {q.notes}")
    lines += [f"- pooled: {len(doc_ids)} documents, top 10 of {', '.join(engines)}"
              + (f" not yet judged ({judged_count} judged before)" if unjudged_only else ""),
              f"- query words (folded): {' '.join(words) or '(none)'}",
              "- grades: 2 = answers the need, 1 = partly relevant or useful, 0 = not relevant",
              ""]
    for n, d in enumerate(doc_ids, 1):
        doc = docs_by_id.get(d)
        lines.append(f"## {n}. `{d}`")
        lines.append("")
        if doc is None:
            lines += ["(not in the corpus)", ""]
            continue
        meta = f"kind: {doc.kind}" + (f", date: {doc.date}" if doc.date else "")
        lines += [f"**{_md(_collapse(doc.title)) or '(no title)'}**", "", meta, "",
                  "> " + _md(head(doc.text)), ""]
        kw = kwic(doc.title + "\n" + doc.text, words, exact=exact) if words else []
        if kw:
            lines += [f"- {k}" for k in kw]
        else:
            lines.append("- (no query word in the text)")
        lines.append("")
    lines += ["## judgments (fill in the grade, append to judgments.tsv)", "", "```"]
    lines += [f"{q.qid}\t{d}\t" for d in doc_ids]
    lines += ["```", ""]
    return "\n".join(lines)


def write(outdir: str, queries, pooled: dict[str, list[str]], docs_by_id, judged, engines,
          unjudged_only: bool) -> tuple[int, int]:
    """Writes <qid>.md per query (with pooled documents) and pool.tsv; (files, pairs)."""
    os.makedirs(outdir, exist_ok=True)
    files = pairs = 0
    with open(os.path.join(outdir, "pool.tsv"), "w", encoding="utf-8") as tsv:
        for q in queries:
            ids = pooled.get(q.qid, [])
            for d in ids:
                tsv.write(f"{q.qid}\t{d}\n")
            pairs += len(ids)
            path = os.path.join(outdir, f"{q.qid}.md")
            if not ids and unjudged_only:
                if os.path.exists(path):
                    os.remove(path)  # nothing new to judge for this query
                continue
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(render(q, ids, docs_by_id, len(judged.get(q.qid, {})), engines,
                                unjudged_only))
            files += 1
    return files, pairs
