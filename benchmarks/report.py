#!/usr/bin/env python3
"""Turns benchmarks/results (JMH JSON, the side-by-side tables, memory and soak output) into BENCHMARKS.md.

Usage: python3 benchmarks/report.py benchmarks/results "benchmarks/run ..." > BENCHMARKS.md
       python3 benchmarks/report.py --compact benchmarks/results/overhead.json   (drops raw samples)
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys



def compact(node):
    if isinstance(node, dict):
        return {k: compact(v) for k, v in node.items() if k not in ("rawData", "rawDataHistogram")}
    if isinstance(node, list):
        return [compact(v) for v in node]
    return node


if sys.argv[1] == "--compact":  # benchmarks/run: drop JMH's raw samples from a result file, keep the rest
    with open(sys.argv[2]) as f:
        data = compact(json.load(f))
    with open(sys.argv[2], "w") as f:
        json.dump(data, f, indent=1)
    sys.exit(0)

results, command = sys.argv[1], sys.argv[2]
# Hand-written analysis kept beside the generated tables: notes/<set>.md is printed after that set's section.
notes_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes")


def notes(name):
    path = os.path.join(notes_dir, name + ".md")
    if os.path.exists(path):
        with open(path) as f:
            print(f.read().strip() + "\n")


def load(name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read() if not name.endswith(".json") else json.load(f)


def short(bench):
    return bench.rsplit(".", 2)[-2] + "." + bench.rsplit(".", 1)[-1]


def params(r):
    return ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())


def pct(r, q):
    p = r["primaryMetric"].get("scorePercentiles") or {}
    return p.get(q)


def alloc(r):
    m = (r.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
    return m["score"] if m else None


def jmh_table(rows):
    out = ["| benchmark | params | mode | score | ± | unit | p50 | p99 | B/op |", "|---|---|---|---:|---:|---|---:|---:|---:|"]
    for r in rows:
        m = r["primaryMetric"]
        sample = r["mode"] == "sample"
        out.append("| {} | {} | {} | {:.3f} | {:.3f} | {} | {} | {} | {} |".format(
            short(r["benchmark"]), params(r), r["mode"], m["score"], m["scoreError"] if m["scoreError"] == m["scoreError"] else 0,
            m["scoreUnit"], f"{pct(r, '50.0'):.2f}" if sample else "", f"{pct(r, '99.0'):.2f}" if sample else "",
            f"{alloc(r):.0f}" if alloc(r) is not None else ""))
    return "\n".join(out)


def find(rows, method, **want):
    for r in rows or []:
        if r["benchmark"].endswith("." + method) and all(str((r.get("params") or {}).get(k)) == str(v) for k, v in want.items()):
            return r
    return None


def java_version():
    try:
        v = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
        return v[0] + (" / " + v[1] if len(v) > 1 else "")
    except OSError:
        return "unknown"


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            return m.group(1) if m else platform.processor()
    except OSError:
        return platform.processor()


targets = []  # (target, measured, verdict)


def verdict(ok):
    return "met" if ok else "**missed**"


overhead = load("overhead.json")
# The side-by-side run: one table per client, each from a JVM of its own in which raw OkHttp ran the same rounds
# (benchmarks/run says why); the first row at each concurrency is raw OkHttp's.
PAIRS = ("raw-timeout", "raw-untimed", "finops4j", "finops4j-always-store", "langchain4j", "spring-ai", "portkey")
pairs = []  # (client's row, raw OkHttp's row from the same JVM)
for name in PAIRS:
    text = load(os.path.join("side-by-side", name + ".md"))
    raw = {}
    for line in (text or "").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 14 or not cells[0].isdigit():
            continue
        row = {"key": name, "callers": int(cells[0]), "client": cells[1], "rate": float(cells[2]),
               "ratio": float(cells[3]), "p50": float(cells[4]), "p99": float(cells[5]), "cpu": float(cells[6]),
               "errors": cells[7], "gc": cells[8], "max_pause": cells[9], "promoted": cells[10], "copied": cells[11],
               "p99_ratio": float(cells[12]), "rounds": [float(x) for x in cells[13].split()]}
        if row["callers"] in raw:
            pairs.append((row, raw[row["callers"]]))
        else:
            raw[row["callers"]] = row


def pair(key, callers):
    """(client's row, raw OkHttp's row) of the client named {key} in PAIRS at this concurrency, or None."""
    return next(((r, raw) for r, raw in pairs if r["key"] == key and r["callers"] == callers), None)


memory = load("memory.md")
soak = load("soak.txt")
# Written whole by benchmarks/showback-at-scale (its own command, not part of benchmarks/run).
showback_at_scale = load("showback-at-scale.md")

if overhead:
    for size in (1024, 16384):
        f = find(overhead, "everyControlOn", promptBytes=size)
        d = find(overhead, "providerDirect", promptBytes=size)
        if f and d:
            p50 = pct(f, "50.0") - pct(d, "50.0")
            p99 = pct(f, "99.0") - pct(d, "99.0")
            b = (alloc(f) or 0) - (alloc(d) or 0)
            label = f"{size // 1024} KB"
            if size == 1024:
                targets.append((f"in-process overhead, every control on, {label}: p50 <= 15 us", f"{p50:.1f} us", verdict(p50 <= 15)))
                targets.append((f"in-process overhead, every control on, {label}: p99 <= 60 us", f"{p99:.1f} us", verdict(p99 <= 60)))
                targets.append((f"allocated per call by finops4j, {label}: <= 4 KB", f"{b / 1024:.1f} KB", verdict(b <= 4096)))
            else:
                targets.append((f"in-process overhead, every control on, {label} (no target; reported)", f"p50 {p50:.1f} us, p99 {p99:.1f} us, {b / 1024:.1f} KB", "-"))
    h = find(overhead, "exactCacheHit", promptBytes=1024)
    if h:
        targets.append(("exact-cache hit through llm.complete(), 1 KB: p50 <= 3 us", f"{pct(h, '50.0'):.2f} us", verdict(pct(h, "50.0") <= 3)))

def spread(rounds):
    """' (middle half of N rounds: a-b)': how far apart the per-round ratios behind a median are."""
    if len(rounds) < 4:
        return ""
    r = sorted(rounds)
    q = len(r) // 4
    return f" (middle half of {len(r)} rounds: {r[q]:.2f}-{r[len(r) - 1 - q]:.2f})"


for c in (16, 64):
    mine = pair("finops4j", c)
    others = [p[0] for p in (pair("langchain4j", c), pair("spring-ai", c)) if p]
    if mine:
        ratio = mine[0]["ratio"]
        targets.append((f"loopback throughput, every control on, {c} callers: >= 0.90 x raw OkHttp",
                        f"{ratio:.2f} x", verdict(ratio >= 0.90)))
        if others:
            best = max(others, key=lambda r: r["ratio"])
            targets.append((f"loopback throughput, {c} callers: >= LangChain4j and Spring AI",
                            ", ".join(f"{r['client']} {r['ratio']:.2f} x" for r in others),
                            verdict(ratio >= best["ratio"])))

budget = load("budget.json")
hot = find(budget, "reserveSettleHotBudgetTwoThreads")
if hot:
    rate = hot["primaryMetric"]["score"]
    targets.append(("in-memory reserve + settle, one hot budget, 2 threads: >= 2 M pairs/s", f"{rate / 1e6:.1f} M pairs/s", verdict(rate >= 2e6)))
redis = load("redis.json")
for r in redis or []:
    p = r.get("params") or {}
    if p.get("budgets") != "1":
        continue
    if p.get("mode") == "redis" and r["mode"] == "thrpt":
        rate = r["primaryMetric"]["score"] * 1e6
        targets.append(("Redis reserve + settle, 16 threads: >= 10k pairs/s", f"{rate / 1e3:.1f}k pairs/s", verdict(rate >= 1e4)))
    if p.get("mode") == "redis" and r["mode"] == "sample":
        p50, p99 = pct(r, "50.0"), pct(r, "99.0")
        targets.append(("Redis reserve + settle, 16 threads: p50 <= 200 us, p99 <= 1 ms", f"p50 {p50:.0f} us, p99 {p99:.0f} us", verdict(p50 <= 200 and p99 <= 1000)))
    if p.get("mode") == "leased" and r["mode"] == "sample":
        p50 = pct(r, "50.0")
        targets.append(("Redis lease mode: p50 <= 5 us", f"{p50:.2f} us", verdict(p50 <= 5)))

# Issue 24's targets, from the same results.
targets24 = []
for c in (1, 16, 64):
    mine = pair("finops4j", c)
    if mine:
        r, raw = mine
        who = f"{c} caller{'s' if c > 1 else ''}"
        targets24.append((f"loopback throughput, every control on, {who}: >= 0.90 x raw OkHttp",
                          f"{r['ratio']:.2f} x{spread(r['rounds'])}", verdict(r["ratio"] >= 0.90)))
        if c == 64:
            # the median of per-round ratios: each round's p99 against raw's in the same round
            targets24.append(("p99 at 64 callers: <= 1.2 x raw OkHttp's (median of per-round ratios)",
                              f"{r['p99_ratio']:.2f} x ({r['p99']:.0f} us, raw {raw['p99']:.0f} us: medians over"
                              " rounds)", verdict(r["p99_ratio"] <= 1.2)))
if overhead:
    f, d, h = (find(overhead, m, promptBytes=1024) for m in ("everyControlOn", "providerDirect", "exactCacheHit"))
    if f and d:
        p50, p99 = pct(f, "50.0") - pct(d, "50.0"), pct(f, "99.0") - pct(d, "99.0")
        targets24.append(("in-process overhead, every control on, 1 KB: p50 <= 4 us", f"{p50:.2f} us", verdict(p50 <= 4)))
        targets24.append(("in-process overhead, every control on, 1 KB: p99 <= 20 us", f"{p99:.1f} us", verdict(p99 <= 20)))
    if h and f:
        targets24.append(("exact-cache hit, 1 KB: p50 <= 3 us and below a miss's", f"{pct(h, '50.0'):.2f} us (miss {pct(f, '50.0'):.2f} us)",
                          verdict(pct(h, "50.0") <= 3 and pct(h, "50.0") < pct(f, "50.0"))))
for r in redis or []:
    p = r.get("params") or {}
    if p.get("budgets") == "1" and p.get("mode") == "redis" and r["mode"] == "sample" and p.get("redis", "node") == "node":
        targets24.append(("Redis reserve + settle, 16 threads: p50 <= 200 us", f"{pct(r, '50.0'):.0f} us", verdict(pct(r, "50.0") <= 200)))

if memory:
    m = re.search(r"budget counters.*?\|\s*([\d.]+) MB", memory)
    if m:
        targets.append(("memory per 100,000 budget keys: <= 32 MB", f"{m.group(1)} MB", verdict(float(m.group(1)) <= 32)))

if soak:
    ok = "PASS" in soak
    targets.append(("soak with 5% 429s, 1% 500s, 0.5% resets: no lost ledger rows, no leaked reservations, flat heap",
                    "PASS" if ok else "FAIL", verdict(ok)))

print("# finops4j benchmarks\n")
print("Generated by `benchmarks/report.py` from `benchmarks/results/`; reproduce everything with `benchmarks/run`")
print("(each set's exact command below; `benchmarks/run <set>` reruns one and keeps the others' results).\n")
SETS = ("overhead", "ablation", "cold", "loopback", "gateway", "budget", "redis", "memory", "soak", "adapter")
commands = [load(f"cmd-{s}.txt") for s in SETS]
print("```\n" + "\n".join(c.strip() for c in commands if c) + "\n```\n")
print(f"- date: {datetime.date.today().isoformat()}")
print(f"- machine: {os.cpu_count()} cores, {cpu()}, {platform.system()} {platform.release()}")
print(f"- JDK: {java_version()}")
print("- the machine is shared: absolute numbers drift between runs; ratios measured in one run (interleaved rounds) hold.\n")
if targets:
    print("## Targets (issue 12)\n")
    print("| target | measured | |\n|---|---|---|")
    for t in targets:
        print(f"| {t[0]} | {t[1]} | {t[2]} |")
    print()
if targets24:
    print("## Targets (issue 24)\n")
    print("Allocation per call net of the prompt (<= 3 KB) and a hit's CPU against a miss's are measured on the calling")
    print("thread by `CallCost` (load-independent); see the notes under the in-process tables.\n")
    print("| target | measured | |\n|---|---|---|")
    for t in targets24:
        print(f"| {t[0]} | {t[1]} | {t[2]} |")
    print()
notes("targets")
if pairs:
    print("## Side by side on one loopback server\n")
    print("""Raw OkHttp POST + Jackson parse, finops4j with every control on (routing, 3 budgets, cost cap, exact-cache
miss, telemetry with nothing to report to, JSONL ledger), LangChain4j's and Spring AI's OpenAI chat models,
Portkey's open-source gateway (a Node.js process from `npx`, called with raw OkHttp); one fixed OpenAI chat response
from a minimal HTTP/1.1 server in the same JVM. **Each client runs in a JVM of its own, against raw OkHttp in
interleaved rounds**: in a shared JVM the clients made the JIT recompile each other's code (the notes below say how
much). The ratio is per round against raw OkHttp in the same JVM and round, then the median; raw's columns are its
medians in that JVM. CPU us/call is the whole process (client, server, GC). The last column lists each round's
throughput ratio.
""")
    print("| callers | client | calls/s | raw's calls/s | x raw OkHttp | p50 us | p99 us | raw's p99 us | p99 x raw's"
          " | CPU us/call | raw's CPU us/call | errors | young GC pauses ms/s | max pause ms | promoted KB/s"
          " | copied KB per young GC | x raw OkHttp per round |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r, raw in sorted(pairs, key=lambda p: p[0]["callers"]):  # stable: PAIRS' order within a concurrency
        rounds = " ".join(f"{x:.2f}" for x in r["rounds"])
        print(f"| {r['callers']} | {r['client']} | {r['rate']:.0f} | {raw['rate']:.0f} | {r['ratio']:.2f}"
              f" | {r['p50']:.1f} | {r['p99']:.1f} | {raw['p99']:.1f} | {r['p99_ratio']:.2f} | {r['cpu']:.1f}"
              f" | {raw['cpu']:.1f} | {r['errors']} | {r['gc']} | {r['max_pause']} | {r['promoted']} | {r['copied']}"
              f" | {rounds} |")
    print()
notes("side-by-side")
for name, title, text in (("overhead.json", "In-process overhead (JMH, stub provider)",
                           "`everyControlOn` is `llm.complete()` with every control on a provider that answers at once; "
                           "`providerDirect` calls that provider directly; both build a fresh prompt per call. B/op from `-prof gc`."),
                          ("ablation.json", "Every control but one (1 KB, JMH)", "What each control costs: the difference to `all`."),
                          ("cold.json", "Cold caches (1 KB, JMH)",
                           "`ColdCallBenchmark`: the in-process calls above, each after a 64 MB walk (outside the timed part) "
                           "that evicts the previous call's code and data from L2, L3 and the TLB. `no-telemetry` is the path "
                           "every call takes with telemetry off, `routing-only` the same with telemetry on (reporting nowhere "
                           "here: since session 24 no span or meters, the log line's check); `second-request` is every control with no answer stored; `all` stores answers "
                           "until the cache fills, each store waking the cache's maintenance thread (calls come milliseconds "
                           "apart). The notes under the side-by-side table compare it with warm calls."),
                          ("budget.json", "Budget reserve + settle (in-memory store)",
                           "`reserveSettle*` is one reserve and settle on the store; `interceptThreeBudgetsAndACap` is the whole budget step of a call."),
                          ("redis.json", "Redis budget store (16 threads, one connection)", ""),
                          ("adapter.json", "Framework adapters (JMH, stub models)",
                           "A LangChain4j and a Spring AI `ChatModel` that answer at once (fixed response with usage), "
                           "called directly (`*Direct`) and through `finops4j-langchain4j` / `finops4j-spring-ai` "
                           "(`*ThroughFinops4j`) with every control that applies to an adapter call: 3 budgets, the "
                           "task's cost cap, telemetry with nothing to report to, JSONL ledger (the exact cache "
                           "does not apply to adapter calls); 1 KB prompts. The difference is what the adapter adds.")):
    rows = load(name)
    if rows:
        print(f"## {title}\n")
        if text:
            print(text + "\n")
        print(jmh_table(rows) + "\n")
    notes(name.split(".")[0])
if memory:
    print("## Memory\n\n| what | retained heap |\n|---|---:|\n" + memory.strip() + "\n")
notes("memory")
if soak:
    print("## Soak\n\n```\n" + soak.strip() + "\n```\n")
notes("soak")
if showback_at_scale and not os.path.exists(os.path.join(notes_dir, "showback-at-scale.md")):
    # the script's own table; the notes, where they exist, hold it with the analysis
    print(showback_at_scale.strip() + "\n")
notes("showback-at-scale")
