"""VanBan through its command-line interface (release build).

  swift build -c release
  vanban import --jsonl <corpus.jsonl> --archive <A> --index <I> --json > /dev/null   (untimed*)
  vanban reindex --archive <A> --index <I>                                            (timed)
  vanban search --batch <queries.txt> --json --limit 10 --archive <A> --index <I>

(*) the import time is recorded in results.json as extra information; the indexing rate is the
reindex. The converted JSONL has one object per document:
{"text", "title", "key": corpus id, "source", "kind", "date", "url"}; hits are mapped back by
"key". `search --batch` must print exactly one JSON line per input line:
{"query", "total", "took_ms", "hits": [{"id", "key", "title", ...}]} or {"query", "error"}.

Anything missing (no swift, build failure, no subcommand, a command failing) makes the engine
"not available (reason)" instead of stopping the benchmark.

run(..., reuse=True) (bench-relevance) keeps <workdir>/vanban between runs: when its marker
(built.json: the corpus ids and sizes, the binary, the times) matches the documents, import and
reindex are skipped; reuse_reindex=True still reruns the (timed) reindex, with this run's binary,
on the kept archive. bench-search never passes reuse and rebuilds from scratch every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time

from .corpus import Doc
from .report import EngineRun, QueryRun, dir_size, path_size

NAME = "vanban"
WARMUP = 50


class Unavailable(Exception):
    pass


def _tail(text: str, n: int = 3) -> str:
    lines = [l.strip() for l in (text or "").strip().splitlines() if l.strip()]
    return " | ".join(lines[-n:])[-400:]


def _run(cmd: list[str], timeout: float, what: str, **kw) -> subprocess.CompletedProcess:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    except FileNotFoundError as e:
        raise Unavailable(f"{what}: {e}")
    except subprocess.TimeoutExpired:
        raise Unavailable(f"{what}: timed out after {timeout:.0f} s")
    if p.returncode != 0:
        raise Unavailable(f"{what} exited with {p.returncode}: {_tail(p.stderr or p.stdout)}")
    return p


def build_binary(repo_root: str, log) -> str:
    if shutil.which("swift") is None:
        raise Unavailable("swift not found on PATH")
    log(f"{NAME}: swift build -c release (in {repo_root}) ...")
    t0 = time.perf_counter()
    _run(["swift", "build", "-c", "release"], 3600, "swift build -c release", cwd=repo_root)
    log(f"{NAME}: built in {time.perf_counter() - t0:.0f} s")
    binary = os.path.join(repo_root, ".build", "release", "vanban")
    if not os.access(binary, os.X_OK):
        raise Unavailable(f"no executable at {binary} after the build")
    return binary


def probe(binary: str) -> None:
    """The subcommands and options the harness relies on must exist."""
    need = {"import": ["--jsonl", "--archive", "--index"],
            "reindex": ["--archive", "--index"],
            "search": ["--batch", "--json", "--limit"]}
    for sub, opts in need.items():
        try:
            p = subprocess.run([binary, sub, "--help"], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise Unavailable(f"`vanban {sub} --help` failed: {e}")
        out = (p.stdout or "") + (p.stderr or "")
        if p.returncode != 0 or f"vanban {sub}" not in out:
            raise Unavailable(f"no `{sub}` subcommand (`vanban {sub} --help`: {_tail(out, 1)})")
        missing = [o for o in opts if o not in out]
        if missing:
            raise Unavailable(f"`vanban {sub}` has no {', '.join(missing)}")


def write_jsonl(docs: list[Doc], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps({"text": d.text, "title": d.title, "key": d.id,
                                 "source": d.source, "kind": d.kind, "date": d.date,
                                 "url": d.url}, ensure_ascii=False) + "\n")


def _parse_batch(stdout: str, queries) -> tuple[list[QueryRun], list[str]]:
    warnings: list[str] = []
    lines = stdout.splitlines()
    if len(lines) != len(queries):
        warnings.append(f"search --batch printed {len(lines)} lines for {len(queries)} queries")
    runs: list[QueryRun] = []
    for i, q in enumerate(queries):
        if i >= len(lines):
            runs.append(QueryRun([], None, None, error="no output line"))
            continue
        try:
            o = json.loads(lines[i])
        except ValueError:
            runs.append(QueryRun([], None, None, error="not JSON: " + lines[i][:80]))
            continue
        if "error" in o:
            runs.append(QueryRun([], o.get("took_ms"), None, error=str(o["error"])[:200]))
            continue
        hits = [(h.get("key"), h.get("title") or "") for h in (o.get("hits") or [])]
        runs.append(QueryRun(hits, o.get("took_ms"), o.get("total")))
    return runs, warnings


def run(docs: list[Doc], queries, workdir: str, input_bytes: int, log, repo_root: str,
        binary: str | None = None, reuse: bool = False,
        reuse_reindex: bool = False) -> EngineRun:
    try:
        return _run_vanban(docs, queries, workdir, input_bytes, log, repo_root, binary,
                           reuse, reuse_reindex)
    except Unavailable as e:
        log(f"{NAME}: not available ({e})")
        return EngineRun(name=NAME, available=False, reason=str(e))


MARKER = "built.json"


def corpus_stamp(docs: list[Doc]) -> dict:
    h = hashlib.sha1()
    for d in docs:
        h.update(d.id.encode("utf-8") + b"\0" + str(d.nbytes).encode() + b"\n")
    return {"documents": len(docs), "ids_sizes_sha1": h.hexdigest()}


def _read_marker(base: str) -> dict | None:
    try:
        with open(os.path.join(base, MARKER), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def _write_marker(base: str, payload: dict) -> None:
    with open(os.path.join(base, MARKER), "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=2)
        fh.write("\n")


def _reindex(binary: str, loc: list[str], index: str, log) -> tuple[float, int]:
    log(f"{NAME}: reindex ...")
    t0 = time.perf_counter()
    _run([binary, "reindex", *loc], 7200, "vanban reindex")
    seconds = time.perf_counter() - t0
    size = path_size(index)
    log(f"{NAME}: reindexed in {seconds:.1f} s, {size / 1e6:.1f} MB")
    return seconds, size


def _run_vanban(docs, queries, workdir, input_bytes, log, repo_root, binary,
                reuse=False, reuse_reindex=False) -> EngineRun:
    binary = binary or build_binary(repo_root, log)
    probe(binary)
    base = os.path.join(workdir, "vanban")
    archive, index = os.path.join(base, "archive"), os.path.join(base, "index")
    loc = ["--archive", archive, "--index", index]
    warnings: list[str] = []
    if reuse:
        stamp = corpus_stamp(docs)
        built = _read_marker(base)
        if (built and built.get("corpus") == stamp and os.path.exists(archive)
                and os.path.exists(index)):
            if reuse_reindex:
                seconds, size = _reindex(binary, loc, index, log)
                built.update(index_binary=os.path.abspath(binary), reindex_seconds=round(seconds, 3))
                _write_marker(base, built)
            else:
                log(f"{NAME}: reusing the archive and index in {base} "
                    f"(index built by {built.get('index_binary')})")
                if os.path.abspath(binary) != built.get("index_binary"):
                    warnings.append(f"index in {base} was built by {built.get('index_binary')}, "
                                    f"searched with {os.path.abspath(binary)} (reindex to rebuild it)")
                seconds, size = built.get("reindex_seconds"), path_size(index)
            return _search(binary, queries, base, loc, input_bytes, log, seconds, size,
                           built.get("import_seconds"), archive, warnings,
                           {"reused": not reuse_reindex, "index_binary": built.get("index_binary")})
        if built or os.path.exists(base):
            log(f"{NAME}: {base} does not match this corpus or is incomplete: rebuilding it")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    jsonl = os.path.join(base, "corpus.jsonl")
    write_jsonl(docs, jsonl)

    log(f"{NAME}: import {len(docs)} documents ...")
    t0 = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        try:
            p = subprocess.run([binary, "import", "--jsonl", jsonl, *loc, "--json"],
                               stdout=devnull, stderr=subprocess.PIPE, text=True, timeout=7200)
        except subprocess.TimeoutExpired:
            raise Unavailable("vanban import: timed out")
    if p.returncode != 0:
        raise Unavailable(f"vanban import exited with {p.returncode}: {_tail(p.stderr)}")
    import_seconds = time.perf_counter() - t0

    seconds, size = _reindex(binary, loc, index, log)
    if reuse:
        os.remove(jsonl)  # only the import reads it
        _write_marker(base, {"corpus": corpus_stamp(docs), "import_binary": os.path.abspath(binary),
                             "index_binary": os.path.abspath(binary),
                             "import_seconds": round(import_seconds, 3),
                             "reindex_seconds": round(seconds, 3)})
    return _search(binary, queries, base, loc, input_bytes, log, seconds, size, import_seconds,
                   archive, warnings, {})


def _search(binary, queries, base, loc, input_bytes, log, seconds, size, import_seconds,
            archive, warnings, extra) -> EngineRun:
    qfile = os.path.join(base, "queries.txt")
    with open(qfile, "w", encoding="utf-8") as fh:
        fh.writelines(q.query + "\n" for q in queries)
    wfile = os.path.join(base, "warmup.txt")
    with open(wfile, "w", encoding="utf-8") as fh:
        fh.writelines(q.query + "\n" for q in queries[:WARMUP])
    search = [binary, "search", "--json", "--limit", "10", *loc, "--batch"]
    _run(search + [wfile], 600, "vanban search --batch (warm-up)")

    log(f"{NAME}: running {len(queries)} queries through one `search --batch` ...")
    t0 = time.perf_counter()
    p = _run(search + [qfile], max(600.0, 2.0 * len(queries)), "vanban search --batch")
    wall_ms = (time.perf_counter() - t0) * 1000.0
    runs, parse_warnings = _parse_batch(p.stdout, queries)
    warnings = warnings + parse_warnings

    notes = {"binary": binary,
             "latency": "took_ms reported by search --batch; batch wall time / count also given",
             "index_size": "everything under --index (file plus -wal/-shm, or directory)"}
    return EngineRun(name=NAME, index_seconds=seconds, index_bytes=size, input_bytes=input_bytes,
                     runs=runs, notes=notes, batch_wall_ms=wall_ms, warnings=warnings,
                     extra={"import_seconds": None if import_seconds is None
                            else round(import_seconds, 3),
                            "archive_bytes": dir_size(archive) if os.path.isdir(archive)
                            else path_size(archive), **extra})
