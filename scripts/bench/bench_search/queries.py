"""Deterministic query generation from the corpus.

Known-item types (each query has one expected document; see report.success_rank):
  title_accented      3-6 consecutive title words, diacritics and case as written (NFC)
  title_folded        the same fragment, lower case, all marks removed, đ -> d
  title_tone_variant  a fragment containing an oa/oe/uy open syllable, with the tone mark moved
                      to the other placement style (hóa <-> hoá, thủy <-> thuỷ, ...)
  docnum_exact        a legal document's own number as written in its title ("158/2025/NĐ-CP")
  docnum_folded       the same, folded ("158/2025/nd-cp")
  docnum_spaced       the same with spaces around '-' or '/' ("158/2025/NĐ - CP")
Number forms (issue "Official texts", section 3; see _number_form_queries), from the same own
numbers "<type> số <serial>[/<year>]/<symbol>" of legal titles:
  docnum_serial_year       "45/2010"                 serial/year alone
  docnum_type_year         "nghị định 45/2010"       type name (lower case) + serial/year
  docnum_type_year_folded  "nghi dinh 45/2010"       the same, folded
  docnum_abbrev_year       "nđ 45/2010"              first group of the symbol + serial/year
  docnum_symbol_first      "NĐ-CP 45/2010"           symbol, then serial/year
  docnum_type_serial       "nghi dinh so 45"         folded type + "so" + serial
  docnum_type_full         "quyết định 1950/QĐ-UBND" type name + the full number as written
Latency-only type:
  broad               one or two very common words (each query matches > 30% of documents)

A title fragment is used only if its folded word sequence occurs in exactly one distinct title
(titles are deduplicated by vitext.title_key), its words together (any order) occur in at most
MAX_BAG_TITLES distinct titles, and it contains at least one word with a diacritic (otherwise
the folded query would equal the accented one).
"""

from __future__ import annotations

import array
import collections
import json
import random
import re
import unicodedata
from dataclasses import asdict, dataclass

from . import vitext
from .corpus import Doc

NUMBER_FORM_TYPES = ("docnum_serial_year", "docnum_type_year", "docnum_type_year_folded",
                     "docnum_abbrev_year", "docnum_symbol_first", "docnum_type_serial",
                     "docnum_type_full")
KNOWN_ITEM_TYPES = ("title_accented", "title_folded", "title_tone_variant",
                    "docnum_exact", "docnum_folded", "docnum_spaced") + NUMBER_FORM_TYPES
# Every type that is a document number in some form (the >= 97% success@1 target).
DOCNUM_TYPES = ("docnum_exact", "docnum_folded", "docnum_spaced") + NUMBER_FORM_TYPES
ALL_TYPES = KNOWN_ITEM_TYPES + ("broad",)

BROAD_MIN_FRACTION = 0.30
MAX_BAG_TITLES = 5


@dataclass
class Query:
    type: str
    query: str
    expected_id: str | None = None      # None for broad queries
    expected_title: str | None = None
    kind: str | None = None             # kind of the expected document
    doc_fraction: float | None = None   # broad: fraction of documents containing all words


# --------------------------------------------------------------------------- title fragments

def _clean_runs(title: str) -> list[list[str]]:
    """Runs of consecutive 'clean' words of a title: whitespace-separated chunks, punctuation
    stripped from both ends, that are then purely alphanumeric (no internal '/', '-', stray
    combining mark...). A chunk that is not clean ends the run."""
    runs: list[list[str]] = [[]]
    for chunk in vitext.nfc(title).split():
        i, j = 0, len(chunk)
        while i < j and not chunk[i].isalnum():
            i += 1
        while j > i and not chunk[j - 1].isalnum():
            j -= 1
        w = chunk[i:j]
        if w and w.isalnum():
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


class _TitleIndex:
    """Over distinct titles (folded): in how many a word sequence occurs, and in how many all
    its words occur (in any order)."""

    def __init__(self, docs: list[Doc]):
        keys: dict[str, None] = {}
        for d in docs:
            keys.setdefault(vitext.title_key(d.title))
        self.blob = "\n".join(" " + " ".join(vitext.WORD_RE.findall(k)) + " " for k in keys)
        self.postings: dict[str, set[int]] = collections.defaultdict(set)
        for i, k in enumerate(keys):
            for w in vitext.WORD_RE.findall(k):
                self.postings[w].add(i)

    def count(self, words: list[str]) -> int:
        return self.blob.count(" " + " ".join(vitext.fold(w) for w in words) + " ")

    def bag_count(self, words: list[str]) -> int:
        sets = sorted((self.postings.get(vitext.fold(w), set()) for w in words), key=len)
        return len(set.intersection(*sets)) if sets else 0

    def distinctive(self, words: list[str]) -> bool:
        """The fragment identifies one title, and its words together occur in at most
        MAX_BAG_TITLES titles (skips fragments made only of very common words)."""
        return self.count(words) == 1 and self.bag_count(words) <= MAX_BAG_TITLES


def _fragments(rng: random.Random, title: str, want) -> list[list[str]]:
    """Candidate windows of 3-6 words in random order (a random preferred length first)."""
    runs = _clean_runs(title)
    length = rng.randint(3, 6)
    out: list[list[str]] = []
    for n in [length] + [k for k in (6, 5, 4, 3) if k != length]:
        cands = [r[i:i + n] for r in runs for i in range(len(r) - n + 1)]
        cands = [c for c in cands if want(c)]
        rng.shuffle(cands)
        out.extend(cands)
    return out


def _title_queries(docs: list[Doc], tindex: _TitleIndex, rng: random.Random,
                   per_type: int) -> list[Query]:
    order = list(range(len(docs)))
    rng.shuffle(order)
    used: set[str] = set()
    out: list[Query] = []
    for i in order:
        if len(out) >= 2 * per_type:
            break
        d = docs[i]
        key = vitext.title_key(d.title)
        if key in used:
            continue
        for frag in _fragments(rng, d.title, lambda c: any(vitext.has_diacritic(w) for w in c))[:12]:
            if tindex.distinctive(frag):
                used.add(key)
                text = " ".join(frag)
                out.append(Query("title_accented", text, d.id, d.title, d.kind))
                out.append(Query("title_folded", vitext.fold(text), d.id, d.title, d.kind))
                break
    return out


def _tone_queries(docs: list[Doc], tindex: _TitleIndex, rng: random.Random,
                  per_type: int) -> list[Query]:
    order = [i for i in range(len(docs))
             if any(vitext.swap_tone_placement(w) for r in _clean_runs(docs[i].title) for w in r)]
    rng.shuffle(order)
    used: set[str] = set()
    out: list[Query] = []
    for i in order:
        if len(out) >= per_type:
            break
        d = docs[i]
        key = vitext.title_key(d.title)
        if key in used:
            continue
        frags = _fragments(rng, d.title, lambda c: any(vitext.swap_tone_placement(w) for w in c))
        for frag in frags[:12]:
            if tindex.distinctive(frag):
                used.add(key)
                variant = [vitext.swap_tone_placement(w) or w for w in frag]
                out.append(Query("title_tone_variant", " ".join(variant), d.id, d.title, d.kind))
                break
    return out


# --------------------------------------------------------------------------- document numbers

# "158/2025/NĐ-CP", "113/NQ-CP", "58-NQ/TW", "01/2021/TT-BLĐTBXH", "72/2011/TTLT-BTC-BGTVT"
_NUM = r"\d+(?:[/-][^\s/\-,;:()\[\]]+)+"
_DOC_TYPES = ("Bộ luật", "Luật", "Pháp lệnh", "Lệnh", "Nghị định", "Nghị quyết liên tịch",
              "Nghị quyết", "Thông tư liên tịch", "Thông tư", "Quyết định", "Chỉ thị",
              "Văn bản hợp nhất", "Kết luận", "Quy định", "Hướng dẫn", "Thông báo", "Kế hoạch")
# The title starts with the document type heading, then "số <number>".
_OWN_NUM_RE = re.compile(r"^\s*(?:" + "|".join(_DOC_TYPES) + r")\s+số\s*:?\s*(" + _NUM + r")",
                         re.IGNORECASE)
_HEADER_NUM_RE = re.compile(r"\bSố\s*:\s*(" + _NUM + r")")


def _contains_number(title: str, num: str) -> bool:
    return re.search(r"(?<![\w/-])" + re.escape(num) + r"(?![\w/-])", title) is not None


def _spaced(rng: random.Random, num: str) -> str:
    styles = [s for s in ("-", "/") if s in num]
    sep = rng.choice(styles)
    return num.replace(sep, " " + sep + " ")


def _docnum_queries(docs: list[Doc], rng: random.Random, per_type: int) -> list[Query]:
    """A legal document's own number: the number after "<type> số" at the start of its title.
    Kept only if no other distinct title contains that number and no other document carries it
    as its "Số: ..." header (so the expected document is unambiguous)."""
    titles = {}
    for d in docs:
        titles.setdefault(vitext.title_key(d.title), vitext.nfc(d.title))
    header_owner: dict[str, set[str]] = collections.defaultdict(set)
    own: list[tuple[Doc, str]] = []
    for d in docs:
        if d.kind != "legal":
            continue
        m = _HEADER_NUM_RE.search(vitext.nfc(d.text[:20000]))
        if m:
            header_owner[m.group(1)].add(vitext.title_key(d.title))
        m = _OWN_NUM_RE.match(vitext.nfc(d.title))
        if m:
            own.append((d, m.group(1)))
    seen: set[str] = set()
    cands: list[tuple[Doc, str]] = []
    for d, num in own:
        key = vitext.title_key(d.title)
        if num in seen:
            continue
        seen.add(num)
        holders = [k for k, t in titles.items() if num in t and _contains_number(t, num)]
        if holders != [key]:
            continue
        if header_owner.get(num, {key}) - {key}:
            continue
        cands.append((d, num))
    rng.shuffle(cands)
    out: list[Query] = []
    for d, num in cands[:per_type]:
        out.append(Query("docnum_exact", num, d.id, d.title, d.kind))
        out.append(Query("docnum_folded", vitext.fold(num), d.id, d.title, d.kind))
        out.append(Query("docnum_spaced", _spaced(rng, num), d.id, d.title, d.kind))
    return out


# "<type> số <number>" with the type captured (same shape as _OWN_NUM_RE).
_OWN_TYPE_NUM_RE = re.compile(r"^\s*(" + "|".join(_DOC_TYPES) + r")\s+số\s*:?\s*(" + _NUM + r")",
                              re.IGNORECASE)
# serial [/ year] / symbol: "45/2010/NĐ-CP", "113/NQ-CP", "19/VBHN-BTC"
_NUM_PARTS_RE = re.compile(r"(\d+)/(?:((?:19|20)\d\d)/)?([^\d/][^/]*)")


@dataclass(frozen=True)
class _OwnNumber:
    title_key: str
    serial: int           # leading zeros ignored for uniqueness ("07" == "7")
    year: str | None
    abbrev: str           # first group of the symbol, folded ("nd", "tt", "qd", "vbhn", ...)
    symbol: str           # folded symbol


def _parse_number(num: str):
    m = _NUM_PARTS_RE.fullmatch(num)
    if not m:
        return None
    serial, year, symbol = m.groups()
    return serial, year, symbol


def _number_form_queries(docs: list[Doc], rng: random.Random,
                         limit: int | None = None) -> list[Query]:
    """One query type per common way of writing a legal document's own number (the number after
    "<type> số" at the start of its title; only numbers shaped serial[/year]/symbol).

    Every legal document's own numbers -- the title's and the "Số: ..." header's, documents
    identified by title_key -- form the reference set. A number is used only if it belongs to
    exactly one document of that set (documents that only cite it, in their title or text, are
    allowed: ranking the owner ahead of them is what these types measure). Each type keeps a
    query only if what the query names is unique among the reference set too:
      serial_year               serial + year
      type_year(_folded), abbrev_year   type (symbol's first group) + serial + year
      type_serial               type + serial (any year)
      symbol_first, type_full   the whole number
    Types with a year use only numbers that have one. Candidates are shuffled once (rng); each
    type takes the first `limit` that qualify (None: all of them; generate() passes None, so every
    eligible legal document is used, about 300)."""
    refs: set[_OwnNumber] = set()
    owned: list[tuple[Doc, str, str, tuple]] = []  # doc, type as written, number, parts

    def ref(key: str, num: str):
        parts = _parse_number(num)
        if parts is None:
            return None
        serial, year, symbol = parts
        r = _OwnNumber(key, int(serial), year, vitext.fold(symbol.split("-")[0]),
                       vitext.fold(symbol))
        refs.add(r)
        return parts

    for d in docs:
        if d.kind != "legal":
            continue
        key = vitext.title_key(d.title)
        m = _HEADER_NUM_RE.search(vitext.nfc(d.text[:20000]))
        if m:
            ref(key, m.group(1))
        m = _OWN_TYPE_NUM_RE.match(vitext.nfc(d.title))
        if m:
            parts = ref(key, m.group(2))
            if parts is not None:
                owned.append((d, m.group(1), m.group(2), parts))

    def owners(pred) -> set[str]:
        return {r.title_key for r in refs if pred(r)}

    seen: set[str] = set()
    cands = []
    for d, typ, num, (serial, year, symbol) in owned:
        if num in seen:
            continue
        seen.add(num)
        key = vitext.title_key(d.title)
        s, sym = int(serial), vitext.fold(symbol)
        if owners(lambda r: r.serial == s and r.year == year and r.symbol == sym) != {key}:
            continue
        cands.append((d, vitext.nfc(typ).lower(), num, serial, year, symbol, key))
    rng.shuffle(cands)

    out: list[Query] = []
    taken: collections.Counter = collections.Counter()

    def add(t: str, text: str, d: Doc):
        if limit is None or taken[t] < limit:
            taken[t] += 1
            out.append(Query(t, text, d.id, d.title, d.kind))

    for d, typ, num, serial, year, symbol, key in cands:
        s = int(serial)
        abbrev = symbol.split("-")[0]
        ab = vitext.fold(abbrev)
        if year:
            sy = f"{serial}/{year}"
            if owners(lambda r: r.serial == s and r.year == year) == {key}:
                add("docnum_serial_year", sy, d)
            if owners(lambda r: r.serial == s and r.year == year and r.abbrev == ab) == {key}:
                add("docnum_type_year", f"{typ} {sy}", d)
                add("docnum_type_year_folded", vitext.fold(f"{typ} {sy}"), d)
                add("docnum_abbrev_year", f"{abbrev.lower()} {sy}", d)
            add("docnum_symbol_first", f"{symbol} {sy}", d)
        if owners(lambda r: r.serial == s and r.abbrev == ab) == {key}:
            add("docnum_type_serial", f"{vitext.fold(typ)} so {serial}", d)
        add("docnum_type_full", f"{typ} {num}", d)
    return out


# --------------------------------------------------------------------------- broad queries

def _broad_queries(docs: list[Doc], rng: random.Random, count: int) -> list[Query]:
    """Single words and pairs of words (lower case, accented) that each match more than 30% of
    documents (document frequency over title + text), plus folded forms of some of them."""
    n = len(docs)

    def words(d: Doc) -> set[str]:
        s = d.title + "\n" + d.text
        if not unicodedata.is_normalized("NFC", s):
            s = unicodedata.normalize("NFC", s)
        return set(vitext.WORD_RE.findall(s.lower()))

    df: collections.Counter = collections.Counter()
    for d in docs:  # pass 1: document frequencies
        df.update(words(d))
    common = sorted((w for w, c in df.items()
                     if c > BROAD_MIN_FRACTION * n and len(w) > 1 and not w.isdigit()),
                    key=lambda w: (-df[w], w))
    postings: dict[str, set[int]] = {w: set() for w in common}
    if common:
        for i, d in enumerate(docs):  # pass 2: postings of the common words only
            for w in words(d).intersection(postings):
                postings[w].add(i)
    singles = [(w, df[w] / n) for w in common]
    rng.shuffle(singles)
    pair_idx = [(a, b) for a in range(len(common)) for b in range(a + 1, len(common))]
    rng.shuffle(pair_idx)
    pairs = []
    for a, b in pair_idx:  # AND of two common words, still matching > 30%
        if len(pairs) >= count:
            break
        c = len(postings[common[a]] & postings[common[b]])
        if c > BROAD_MIN_FRACTION * n:
            pairs.append((common[a] + " " + common[b], c / n))
    k_fold = count // 4
    n_base = count - k_fold
    n_single = min(len(singles), max(1, n_base // 3))
    base = singles[:n_single] + pairs[: n_base - n_single]
    base += singles[n_single: n_single + n_base - len(base)]
    out = [Query("broad", q, doc_fraction=round(f, 4)) for q, f in base]
    seen = {q.query for q in out}
    for q, f in base:  # folded forms: they match a superset, so still > 30%
        if len(out) >= count:
            break
        fq = vitext.fold(q)
        if fq not in seen:
            seen.add(fq)
            out.append(Query("broad", fq, doc_fraction=round(f, 4)))
    return out


# --------------------------------------------------------------------------- entry points

def generate(docs: list[Doc], seed: int, per_type: int, broad: int) -> list[Query]:
    tindex = _TitleIndex(docs)
    qs: list[Query] = []
    qs += _title_queries(docs, tindex, random.Random(f"{seed}:title"), per_type)
    qs += _tone_queries(docs, tindex, random.Random(f"{seed}:tone"), per_type)
    qs += _docnum_queries(docs, random.Random(f"{seed}:docnum"), per_type)
    qs += _number_form_queries(docs, random.Random(f"{seed}:numform"))  # all eligible
    qs += _broad_queries(docs, random.Random(f"{seed}:broad"), broad)
    for q in qs:  # one query per line in --batch files
        q.query = " ".join(q.query.split())
    order = {t: i for i, t in enumerate(ALL_TYPES)}
    qs.sort(key=lambda q: order[q.type])  # stable: keeps generation order within a type
    return qs


def save(queries: list[Query], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for q in queries:
            fh.write(json.dumps(asdict(q), ensure_ascii=False) + "\n")


def counts(queries: list[Query]) -> dict[str, int]:
    c = collections.Counter(q.type for q in queries)
    return {t: c.get(t, 0) for t in ALL_TYPES}
