"""The benchmarks' reports: tables of the steps and one table of the issue's targets, MET or NOT MET.

    python3 bench/report.py send OUT PREFIX [--quick true] ...   # bench/run.sh: OUT/steps.jsonl -> PREFIX.json, .md
    python3 bench/report.py scale OUT PREFIX ...                  # bench/scale.sh: the same, for the data-growth run
    python3 bench/report.py targets A.json [B.json ...]           # one table of the targets of several runs

OUT holds steps.jsonl (bench/steps.py record), passes.jsonl (one database each: what it is, its settings, the
indexes of messages) and gateways.jsonl (each gateway process: OutOfMemoryErrors, peak RSS).
"""

import argparse
import json
import os
import platform
import subprocess


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    os_name = next((line.split("=", 1)[1].strip().strip('"') for line in open("/etc/os-release")
                    if line.startswith("PRETTY_NAME")), platform.system())
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    try:
        jv = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    except (OSError, IndexError):
        jv = "java ?"
    return f"{platform.node()}; {cpu}; {os.cpu_count()} cores; {mem / 1024 / 1024:.0f} GiB; {os_name}; {jv}"


def load_average():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def fmt(v, digits=1):
    return "" if v is None else f"{v:,.{digits}f}"


class Targets:
    """Rows of the targets table: what was measured, the bound, MET / NOT MET (or NOT MEASURED)."""

    def __init__(self):
        self.rows = []

    def add(self, name, measured, bound, met):
        self.rows.append({"target": name, "measured": measured, "bound": bound,
                          "result": "NOT MEASURED" if met is None else "MET" if met else "NOT MET"})

    def report(self, name, measured, what):
        """A figure the issue asks to state, without a bound: REPORTED when measured."""
        self.rows.append({"target": name, "measured": measured or "", "bound": what,
                          "result": "REPORTED" if measured else "NOT MEASURED"})

    def lines(self, heading):
        out = [heading, "", "| target | measured | bound | result |", "|---|---|---|---|"]
        out += [f"| {r['target']} | {r['measured']} | {r['bound']} | **{r['result']}** |" for r in self.rows]
        return out


def find(steps, pass_, scenario, target, connections):
    return next((s for s in steps if s["kind"] == "measured" and (s["pass"], s["scenario"], s["target"],
                                                                   s["connections"]) == (pass_, scenario, target,
                                                                                         connections)), None)


def send_targets(steps, passes, gateways):
    t = Targets()
    for p in passes:
        name = p["pass"]
        for label, scenario, target in (("sandbox as its own process", "baseline", "gateway"),
                                        ("built-in sandbox in-process", "in-process", "gateway-inprocess")):
            g1, g32 = find(steps, name, scenario, target, 1), find(steps, name, scenario, target, 32)
            c1, c32 = find(steps, name, scenario, "ceiling", 1), find(steps, name, scenario, "ceiling", 32)
            ratio = g32["perSecond"] / c32["perSecond"] if g32 and c32 and c32["perSecond"] else None
            t.add(f"{name}, {label}: sends/s at 32 connections ÷ the ceiling's",
                  f"{ratio:.2f} ({g32['perSecond']:,.0f}/s ÷ {c32['perSecond']:,.0f}/s)" if ratio is not None else "",
                  "≥ 0.5", None if ratio is None else ratio >= 0.5)
            t.add(f"{name}, {label}: p99 at 32 connections",
                  f"{g32['latencyMs']['p99']:.1f} ms (ceiling {c32['latencyMs']['p99']:.1f} ms)" if g32 and c32 else
                  "", "≤ 50 ms", None if not g32 else g32["latencyMs"]["p99"] <= 50)
            t.add(f"{name}, {label}: p50 at 1 connection",
                  f"{g1['latencyMs']['p50']:.2f} ms (ceiling {c1['latencyMs']['p50']:.2f} ms)" if g1 and c1 else "",
                  "≤ 5 ms", None if not g1 else g1["latencyMs"]["p50"] <= 5)
        slow = find(steps, name, "slow-upstream", "gateway", 512)
        t.add(f"{name}: 200 ms upstream, 512 connections", f"{slow['perSecond']:,.0f} sends/s" if slow else "",
              "≥ 1,000 sends/s", None if not slow else slow["perSecond"] >= 1000)
        mine = [s for s in steps if s["pass"] == name]
        sent = [s for s in mine if s["target"].startswith("gateway")]
        errors = sum(s["errors"] for s in sent)
        t.add(f"{name}: errors in every send through the gateway (warm-ups too)",
              f"{errors} in {sum(s['requests'] for s in sent):,} requests", "0", None if not sent else errors == 0)
        unapplied = [s for s in sent if not s["checks"].get("every message sent reached read (its three statuses "
                                                            "applied)", False)]
        t.add(f"{name}: every message sent reached read (sent, delivered, read applied)",
              f"{len(sent) - len(unapplied)} of {len(sent)} steps", "every step",
              None if not sent else not unapplied)
        g = [x for x in gateways if x["pass"] == name]
        oom = sum(x["outOfMemoryErrors"] for x in g)
        t.add(f"{name}: the gateway at -Xmx256m", f"{oom} OutOfMemoryError; peak RSS "
              + ", ".join(f"{x['gateway']} {x['peakRssMb']} MB" for x in g), "no OutOfMemoryError",
              None if not g else oom == 0)
        t.add(f"{name}: every count checked", f"{sum(s['checked'] for s in mine)} of {len(mine)} steps", "every step",
              None if not mine else all(s["checked"] for s in mine))
        for scenario, target in (("baseline", "gateway"), ("in-process", "gateway-inprocess")):
            g32 = find(steps, name, scenario, target, 32)
            t.report(f"{name}, {target} at 32 connections: CPU and memory", cost_text(g32),
                     "CPU s per 1,000 sends and peak RSS, gateway and PostgreSQL (every step: above)")
            alloc = (g32 or {}).get("gatewayAllocatedBytesPerAnswer")
            t.report(f"{name}, {target} at 32 connections: the gateway's allocation per send (JFR)",
                     f"{alloc / 1024:,.1f} KB" if alloc else "", "BENCH_JFR=1")
    return t


def cost_text(s):
    """CPU seconds per 1,000 sends and peak RSS of the gateway and PostgreSQL, WAL and index writes per send."""
    if not s:
        return ""
    p = s.get("processes", {})
    g, pg = p.get("gateway", {}), p.get("postgres", {})
    m = s["database"]["messages"]
    return (f"gateway {g.get('cpuSecondsPer1000', 0):.2f} s, {g.get('peakRssMb', 0):.0f} MB; PostgreSQL "
            f"{pg.get('cpuSecondsPer1000', 0):.2f} s, {pg.get('peakRssMb', 0):.0f} MB; WAL "
            f"{s['database']['walBytesPerAnswer']:,.0f} B and ~{m.get('indexWritesPerAnswer', 0):.1f} index writes"
            " per send")


def steps_tables(steps, pass_):
    mine = [s for s in steps if s["pass"] == pass_ and s["kind"] == "measured"]
    lines = ["The machine's CPU is every core's busy time over the step (100 % = one core of "
             f"{os.cpu_count()}): the bench's processes, wrk and whatever else runs; the bench's own processes are "
             "the target's, PostgreSQL's and the sandbox's below. A step far above them shared the machine.", "",
             "| scenario | target | connections | 200s/s | p50 ms | p99 ms | p99.9 ms | errors | machine CPU % |"
             " bench processes' CPU % | counts |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for s in mine:
        lat = s["latencyMs"]
        lines.append(
            f"| {s['scenario']} | {s['target']} | {s['connections']} | {s['perSecond']:,.0f} | {lat['p50']:.2f} |"
            f" {lat['p99']:.1f} | {lat['p999']:.1f} | {s['errors']} | {fmt(s.get('machineCpuPercent'), 0)} |"
            f" {fmt(sum(p.get('cpuPercent', 0) for p in s.get('processes', {}).values()), 0)} |"
            f" {'checked' if s['checked'] else 'MISMATCH ' + ', '.join(k for k, v in s['checks'].items() if not v)}"
            f"{' (' + str(s['messagesStored']) + ' stored = ' + str(s['sandboxReceivedForGateway']) + ' accepted)' if 'messagesStored' in s else ''} |")
    lines += ["", "What each answer cost: CPU seconds per 1,000 answers (user + system) and peak memory (RSS; PostgreSQL:"
              " the sum of its processes' Pss) of each process during the step; WAL bytes per answer "
              "(pg_current_wal_lsn); for sends, `messages`' row versions per send (pg_stat_user_tables) and the index "
              "writes they make (see below); with BENCH_JFR=1 the gateway's allocated bytes per send.", "",
              "| scenario | target | conn. | target CPU s/1000 | PostgreSQL CPU s/1000 | sandbox CPU s/1000 |"
              " target RSS MB | PostgreSQL MB | sandbox RSS MB | WAL B/answer | inserts/send | updates/send |"
              " HOT/send | index writes/send | allocated KB/send |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in mine:
        p = s.get("processes", {})
        own = "gateway" if s["target"].startswith(("gateway", "history")) else \
            "sandbox" if s["target"] == "direct" else s["target"]
        tp, pg, sb = p.get(own, {}), p.get("postgres", {}), p.get("sandbox", {})
        m = s["database"]["messages"]
        sends = "indexWritesPerAnswer" in m
        alloc = s.get("gatewayAllocatedBytesPerAnswer")
        lines.append(
            f"| {s['scenario']} | {s['target']} | {s['connections']} | {fmt(tp.get('cpuSecondsPer1000'), 2)} |"
            f" {fmt(pg.get('cpuSecondsPer1000'), 2)} | {fmt(sb.get('cpuSecondsPer1000'), 2) if own != 'sandbox' else ''} |"
            f" {fmt(tp.get('peakRssMb'), 0)} | {fmt(pg.get('peakRssMb'), 0)} |"
            f" {fmt(sb.get('peakRssMb'), 0) if own != 'sandbox' else ''} | {s['database']['walBytesPerAnswer']:,.0f} |"
            f" {fmt(m['insertsPerAnswer'], 2) if sends else ''} | {fmt(m['updatesPerAnswer'], 2) if sends else ''} |"
            f" {fmt(m['hotUpdatesPerAnswer'], 2) if sends else ''} |"
            f" {fmt(m['indexWritesPerAnswer'], 1) if sends else ''} | {fmt(alloc / 1024, 1) if alloc else ''} |")
    profiled = [s for s in mine if "gatewayProfile" in s]
    if profiled:
        lines += ["", "Where a send's time went, from the gateway's own meters (Hikari, the Cloud API timer):", "",
                  "| scenario | target | connections | checkouts per send | pool wait ms per checkout |"
                  " connection held ms per checkout | Cloud API call ms |", "|---|---|---:|---:|---:|---:|---:|"]
        for s in profiled:
            g = s["gatewayProfile"]
            lines.append(f"| {s['scenario']} | {s['target']} | {s['connections']} | {g['checkoutsPerSend']:.1f} |"
                         f" {g['poolWaitMsPerCheckout']:.1f} | {g['connectionHeldMsPerCheckout']:.1f} |"
                         f" {g['cloudApiMsPerCall']:.1f} |")
    return lines


def index_lines(pass_info):
    ix = pass_info.get("messagesIndexes") or []
    lines = ["Index writes per send = (inserts + updates − HOT updates of `messages`) × the indexes a row version is "
             "written to: every index for a non-HOT version, a partial one only when the row matches its predicate "
             "(averaged over the step's rows in their final state). The indexes of `messages`:", ""]
    lines += [f"- `{i['name']}`" + (f" where `{i['predicate']}`" if i["predicate"] else "") for i in ix]
    return lines


def send(a):
    steps = read_lines(os.path.join(a.out, "steps.jsonl"))
    passes = read_lines(os.path.join(a.out, "passes.jsonl"))
    gateways = read_lines(os.path.join(a.out, "gateways.jsonl"))
    m = machine()
    targets = send_targets(steps, passes, gateways)
    result = {"machine": m, "loadAverageAtEnd": load_average(), "quick": a.quick == "true",
              "warmupSeconds": int(a.warmup), "stepSeconds": int(a.duration), "passes": passes,
              "gateways": gateways, "targets": targets.rows, "steps": steps}
    lines = [f"# Send-path benchmark{' (quick)' if result['quick'] else ''}", "",
             f"- machine: {m}; load average at the end {result['loadAverageAtEnd']}",
             f"- wrk, 2 threads (1 at one connection), a warm-up of {a.warmup} s per target, then {a.duration} s per"
             " step; the gateway at -Xmx256m; the sandbox posts sent, delivered and read for every message"]
    for p in passes:
        lines.append(f"- {p['pass']}: {p['database']}; "
                     + ", ".join(f"{k} {v}" for k, v in sorted(p.get("settings", {}).items())))
    for p in passes:
        lines += ["", f"## {p['pass']}", ""] + steps_tables(steps, p["pass"])
    if passes:
        lines += [""] + index_lines(passes[0])
    lines += [""] + targets.lines(f"## Targets ({m})")
    write(a.prefix, result, lines)


def scale(a):
    steps = read_lines(os.path.join(a.out, "steps.jsonl"))
    passes = read_lines(os.path.join(a.out, "passes.jsonl"))
    gateways = read_lines(os.path.join(a.out, "gateways.jsonl"))
    seed = json.load(open(os.path.join(a.out, "seed.json")))
    m = machine()
    t = Targets()
    name = passes[0]["pass"] if passes else "?"
    e32, s32 = find(steps, name, "empty", "gateway", 32), find(steps, name, "seeded", "gateway", 32)
    change = (s32["perSecond"] - e32["perSecond"]) / e32["perSecond"] if e32 and s32 and e32["perSecond"] else None
    t.add(f"{name}: single send at 32 connections, {seed['messages']:,} messages stored vs an empty table",
          f"{s32['perSecond']:,.0f}/s vs {e32['perSecond']:,.0f}/s ({100 * change:+.1f} %)" if change is not None else "",
          "within 10 %", None if change is None else abs(change) <= 0.10)
    for scenario in ("empty", "seeded"):
        for target, label in (("history", "the bench customer"), ("history-seeded", "a seeded customer")):
            h = find(steps, name, scenario, target, 32)
            if h or scenario == "seeded":
                t.add(f"{name}, {scenario}: {label}'s last 50 messages (GET /whatsapp/messages), 32 connections",
                      f"p99 {h['latencyMs']['p99']:.1f} ms ({h['perSecond']:,.0f}/s)" if h else "", "p99 ≤ 20 ms",
                      None if not h else h["latencyMs"]["p99"] <= 20)
    for scenario, g in (("empty", e32), ("seeded", s32)):
        t.report(f"{name}, {scenario}: the send's cost at 32 connections", cost_text(g),
                 "WAL bytes and index writes per send, before and after; CPU and memory")
    errors = sum(s["errors"] for s in steps)
    t.add(f"{name}: errors and counts", f"{errors} errors; {sum(s['checked'] for s in steps)} of {len(steps)} steps"
          " checked", "0; every step", None if not steps else errors == 0 and all(s["checked"] for s in steps))
    result = {"machine": m, "loadAverageAtEnd": load_average(), "quick": a.quick == "true", "seed": seed,
              "passes": passes, "gateways": gateways, "targets": t.rows, "steps": steps}
    lines = [f"# Data growth{' (quick)' if result['quick'] else ''}: the send and the history on an empty and on a"
             " seeded table", "", f"- machine: {m}; load average at the end {result['loadAverageAtEnd']}"]
    for p in passes:
        lines.append(f"- {p['pass']}: {p['database']}")
    lines.append(f"- seeded: {seed['messages']:,} messages across {seed['orgs']:,} orgs ({seed['customers']:,}"
                 f" customers, {seed['users']:,} users) in {seed['seconds']:,.0f} s; `messages` and its indexes"
                 f" {seed['messagesSize']}, the database {seed['databaseSize']}; disk before: {seed['diskBefore']}")
    for p in passes:
        lines += [""] + steps_tables(steps, p["pass"])
    if passes:
        lines += [""] + index_lines(passes[0])
    lines += [""] + t.lines(f"## Targets ({m})")
    write(a.prefix, result, lines)


def targets(a):
    lines = []
    for path in a.results:
        r = json.load(open(path))
        t = Targets()
        t.rows = r["targets"]
        lines += t.lines(f"## {os.path.basename(path)} ({r['machine']}{', quick' if r.get('quick') else ''})") + [""]
    print("\n".join(lines))


def write(prefix, result, lines):
    with open(prefix + ".json", "w") as f:
        json.dump(result, f, indent=2)
    text = "\n".join(lines) + "\n"
    with open(prefix + ".md", "w") as f:
        f.write(text)
    print(text)
    print(f"written: {prefix}.json, {prefix}.md")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("send", "scale"):
        s = sub.add_parser(name)
        s.add_argument("out")
        s.add_argument("prefix")
        s.add_argument("--quick", default="false")
        s.add_argument("--warmup", default="0")
        s.add_argument("--duration", default="0")
    t = sub.add_parser("targets")
    t.add_argument("results", nargs="+")
    a = p.parse_args()
    {"send": send, "scale": scale, "targets": targets}[a.command](a)


if __name__ == "__main__":
    main()
