"""Shared by bench-word-statistics and bench-repost-cost: the full corpus indexed from memory
(`vanban-bench index`, no archive) with and without one feature, alternating runs so machine
load hits both alike; each run into a fresh index directory."""
import gzip
import json
import os
import resource
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")


def compare(runs: int, corpus: str, with_label: str, with_args: list[str], without_args: list[str]):
    """Prints each run and returns (best MB/s with, best MB/s without, least CPU s with, without)."""
    subprocess.run(["swift", "build", "-c", "release", "--product", "vanban-bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bench = os.path.join(ROOT, ".build", "release", "vanban-bench")
    work = tempfile.mkdtemp(prefix="vanban-index-cost-")
    try:
        path = os.path.join(work, "corpus.bin")
        with open(path, "wb") as out:
            for name in ("vi_legal_congbao.jsonl.gz", "vi_news_baomoi.jsonl.gz"):
                for line in gzip.open(os.path.join(corpus, name), "rt", encoding="utf-8"):
                    o = json.loads(line)
                    doc = ((o.get("title") or "") + "\n" + (o.get("text") or "")).encode()
                    out.write(len(doc).to_bytes(4, "little") + doc)
        best, cpus = {}, {}
        print(f"load average {os.getloadavg()[0]:.1f} at start ({os.cpu_count()} CPUs)")
        for run in range(runs):
            for label, extra in ((with_label, with_args), ("without", without_args)):
                index = os.path.join(work, "index")
                shutil.rmtree(index, ignore_errors=True)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                out = subprocess.run([bench, "index", path, index, *extra], capture_output=True, text=True, check=True).stdout
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                r = json.loads(out)
                best[label] = max(best.get(label, 0), r["mb_per_s"])
                cpus[label] = min(cpus.get(label, 1e9), cpu)
                print(f"run {run + 1} {label:16} {r['documents']} documents, {r['seconds']:.1f} s, {r['mb_per_s']:.1f} MB/s, "
                      f"{cpu:.1f} s CPU (whole process, reading the input included)")
        return best[with_label], best["without"], cpus[with_label], cpus["without"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
        print(f"load average {os.getloadavg()[0]:.1f} at end")
