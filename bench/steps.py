"""One bench step's record, from the files bench/lib.sh's bench_step leaves in its step directory.

    python3 bench/steps.py settled DIR TARGET      # exit 0 when the servers' counts agree (the step can be read)
    python3 bench/steps.py record DIR STEPS ...    # appends the step to STEPS (JSON lines) and prints it
    python3 bench/steps.py allocation STEPS PASS GATEWAY JFR   # the gateway's allocated bytes per send (JFR)
    python3 bench/steps.py index-matches INDEXES.json   # SQL: how many of messages' indexes a row is in

DIR holds counts.before/after (the servers' counts), pg.before/after (WAL position, the database's clock, the
counters of messages), wrk.json (bench/post.lua's result), sampler.json (bench/sampler.py) and, for a send through
the gateway, statuses.json (the step's messages by status).
"""

import argparse
import datetime
import json
import os
import subprocess
import sys


def load(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        return default


def lsn(text):
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def settled(d, target):
    b, a = load(f"{d}/counts.before"), load(f"{d}/counts.after")
    if not target.startswith("gateway"):
        return True
    # every send the gateway answered (200, or 202 when it queued the message) reached the sandbox
    answered = a["gateway"]["ok"] + a["gateway"]["other"] - b["gateway"]["ok"] - b["gateway"]["other"]
    return a["sandboxForGateway"] - b["sandboxForGateway"] >= answered


def record(a):
    d = a.dir
    r = load(f"{d}/wrk.json")
    cb, ca = load(f"{d}/counts.before"), load(f"{d}/counts.after")
    pb, pa = load(f"{d}/pg.before"), load(f"{d}/pg.after")
    sampler = load(f"{d}/sampler.json", {})
    statuses = load(f"{d}/statuses.json")
    ok = r["status"].get("200", 0)
    # per answer: per request the target's server completed in the step (its own count), the requests wrk
    # abandoned at its end included, as their work is in the step's CPU, WAL and row counts
    sends = max(1, ca["server"] - cb["server"])
    step = {
        "pass": a.pass_, "target": a.target, "scenario": a.scenario, "kind": a.kind, "connections": a.connections,
        "t0": a.t0, "t1": a.t1, "seconds": r["seconds"], "requests": r["requests"], "ok": ok,
        "errors": r["socketErrors"] + sum(n for s, n in r["status"].items() if s != "200"),
        "statuses": r["status"], "socketErrors": r["socketErrors"],
        "perSecond": ok / r["seconds"], "latencyMs": r["latencyMs"],
        "serverCount": ca["server"] - cb["server"],
    }
    # what it cost: CPU seconds per 1,000 answers and peak memory of every process, WAL and row versions per answer
    step["processes"] = {
        name: {"cpuSecondsPer1000": 1000 * p["cpuSeconds"] / sends, "cpuPercent": 100 * p["cpuSeconds"] /
               max(sampler["wallSeconds"], 1e-9), "peakRssMb": p["peakRssMb"]}
        for name, p in sampler.items() if isinstance(p, dict)
    }
    step["machineCpuPercent"] = sampler.get("machineCpuPercent")
    versions = {k: pa[k] - pb[k] for k in ("inserts", "updates", "hotUpdates", "deletes")}
    step["database"] = {
        "walBytesPerAnswer": (lsn(pa["lsn"]) - lsn(pb["lsn"])) / sends,
        "messages": {k + "PerAnswer": v / sends for k, v in versions.items()},
    }
    checks = []
    gb, ga = cb["gateway"], ca["gateway"]
    sandbox_for_gateway = ca["sandboxForGateway"] - cb["sandboxForGateway"]
    if a.target.startswith("gateway"):
        gw_ok, gw_other = ga["ok"] - gb["ok"], ga["other"] - gb["other"]
        step["gateway200s"], step["gatewayOtherAnswers"] = gw_ok, gw_other
        dm = {k: ga.get(k, 0) - gb.get(k, 0) for k in ga}
        step["gatewayProfile"] = {
            "checkoutsPerSend": dm.get("acquire_count", 0) / max(1, gw_ok + gw_other),
            "poolWaitMsPerCheckout": 1000 * dm.get("acquire_sum", 0) / max(1, dm.get("acquire_count", 0)),
            "connectionHeldMsPerCheckout": 1000 * dm.get("usage_sum", 0) / max(1, dm.get("usage_count", 0)),
            "cloudApiMsPerCall": 1000 * dm.get("cloudApi_sum", 0) / max(1, dm.get("cloudApi_count", 0)),
        }
        step["sandboxReceivedForGateway"] = sandbox_for_gateway
        stored = (statuses or {}).get("rows", -1)
        step["messagesStored"] = stored
        checks.append(("the sandbox accepted every message the step stored, once", sandbox_for_gateway == stored))
        checks.append(("the gateway's 200s are messages it stored", gw_ok <= stored))
        non_hot = versions["inserts"] + versions["updates"] - versions["hotUpdates"]
        per_version = (statuses or {}).get("indexEntriesPerVersion") or 0
        step["database"]["messages"].update({
            "nonHotVersionsPerAnswer": non_hot / sends,
            "indexEntriesPerVersion": per_version,
            "indexWritesPerAnswer": non_hot * per_version / sends,
        })
        step["statusesApplied"] = statuses
        checks.append(("every message sent reached read (its three statuses applied)",
                       bool(statuses) and statuses["notRead"] == 0 and statuses["rows"] >= gw_ok))
    elif gateway_running(cb):
        checks.append(("the gateway sent nothing meanwhile", sandbox_for_gateway == 0 and
                       ga.get("ok", 0) == gb.get("ok", 0)))
    server = step["serverCount"]
    checks.append(("wrk's 200s = the server's count minus at most one abandoned request per connection",
                   server - step["connections"] <= ok <= server))
    step["checks"] = {name: passed for name, passed in checks}
    step["checked"] = all(passed for _, passed in checks)
    with open(a.steps, "a") as f:
        f.write(json.dumps(step) + "\n")
    print_step(step)


def gateway_running(counts):
    return bool(counts.get("gateway"))


def print_step(s):
    lat, p = s["latencyMs"], s["processes"]
    target = p.get("gateway" if s["target"].startswith(("gateway", "history")) else
                   "sandbox" if s["target"] == "direct" else s["target"], {})
    pg = p.get("postgres", {})
    db = s["database"]
    line = (f'{s["pass"]:>8} {s["scenario"]:>14} {s["target"]:>17} {s["connections"]:>4} conn {s["kind"]:>8}: '
            f'{s["perSecond"]:7.0f}/s  p50 {lat["p50"]:6.1f}  p99 {lat["p99"]:6.1f}  p99.9 {lat["p999"]:6.1f} ms  '
            f'errors {s["errors"]}  cpu s/1000: {target.get("cpuSecondsPer1000", 0):.2f} '
            f'(pg {pg.get("cpuSecondsPer1000", 0):.2f}, sandbox {p.get("sandbox", {}).get("cpuSecondsPer1000", 0):.2f})  '
            f'rss {target.get("peakRssMb", 0):.0f} MB (pg {pg.get("peakRssMb", 0):.0f})  '
            f'WAL {db["walBytesPerAnswer"]:.0f} B/answer')
    m = db["messages"]
    if "indexWritesPerAnswer" in m:
        line += (f'  messages per send: {m["insertsPerAnswer"]:.2f} ins {m["updatesPerAnswer"]:.2f} upd '
                 f'{m["hotUpdatesPerAnswer"]:.2f} hot, ~{m["indexWritesPerAnswer"]:.1f} index writes')
    line += f'  counts {"ok" if s["checked"] else "MISMATCH " + json.dumps(s["checks"])}'
    print(line, file=sys.stderr)


def allocation(a):
    """Sums jdk.ObjectAllocationSample's weights (bytes allocated since the thread's previous sample) in each step
    of one gateway's recording and divides by the step's answers."""
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "1", "--events", "jdk.ObjectAllocationSample",
                          a.jfr], capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    samples = []
    for e in events:
        v = e["values"]
        at = datetime.datetime.fromisoformat(v["startTime"].replace("Z", "+00:00")).timestamp() * 1e9
        samples.append((at, v["weight"]))
    with open(a.steps) as f:
        steps = [json.loads(line) for line in f if line.strip()]
    for s in steps:
        if s["pass"] == a.pass_ and s["target"] in a.targets.split(","):
            total = sum(w for at, w in samples if s["t0"] <= at <= s["t1"])
            s["gatewayAllocatedBytesPerAnswer"] = total / max(1, s["serverCount"])
    with open(a.steps, "w") as f:
        for s in steps:
            f.write(json.dumps(s) + "\n")


def index_matches(path):
    """An SQL expression: how many of messages' indexes (pg_index as lib.sh reads it) a row of messages is in."""
    indexes = load(path) or []
    return " + ".join(f"(CASE WHEN {i['predicate']} THEN 1 ELSE 0 END)" if i["predicate"] else "1" for i in indexes)


def main():
    if sys.argv[1] == "settled":
        sys.exit(0 if settled(sys.argv[2], sys.argv[3]) else 1)
    if sys.argv[1] == "index-matches":
        print(index_matches(sys.argv[2]) or "0")
        return
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command")
    r = sub.add_parser("record")
    r.add_argument("dir")
    r.add_argument("steps")
    r.add_argument("--pass", dest="pass_")
    r.add_argument("--target")
    r.add_argument("--connections", type=int)
    r.add_argument("--scenario")
    r.add_argument("--kind")
    r.add_argument("--t0", type=int)
    r.add_argument("--t1", type=int)
    al = sub.add_parser("allocation")
    al.add_argument("steps")
    al.add_argument("pass_")
    al.add_argument("targets")
    al.add_argument("jfr")
    a = p.parse_args()
    {"record": record, "allocation": allocation}[a.command](a)


if __name__ == "__main__":
    main()
