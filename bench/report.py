"""bench/run.sh's results: <prefix>.json and <prefix>.md from the steps it recorded (one JSON object a line)."""

import argparse
import json


def main():
    p = argparse.ArgumentParser()
    p.add_argument("steps")
    p.add_argument("prefix")
    for name in ("machine", "load", "database", "quick", "out-of-memory", "gateway-peak-rss", "warmup", "duration"):
        p.add_argument("--" + name)
    a = p.parse_args()
    steps = [json.loads(line) for line in open(a.steps) if line.strip()]
    measured = [s for s in steps if s["kind"] == "measured"]

    def find(scenario, target, connections):
        return next((s for s in measured if (s["scenario"], s["target"], s["connections"]) ==
                     (scenario, target, connections)), None)

    ratios = {}
    for c in sorted({s["connections"] for s in measured if s["scenario"] == "baseline"}):
        g, ceiling, direct = (find("baseline", t, c) for t in ("gateway", "ceiling", "direct"))
        if g and ceiling and direct:
            ratios[c] = {"gatewayOverCeiling": g["perSecond"] / ceiling["perSecond"],
                         "gatewayOverDirect": g["perSecond"] / direct["perSecond"]}
    g32, slow = find("baseline", "gateway", 32), find("slow-upstream", "gateway", 512)
    gateway_errors = sum(s["errors"] for s in steps if s["target"] == "gateway")
    targets = {
        "gateway sends/s >= 0.5 x ceiling at 32 connections":
            bool(ratios.get(32)) and ratios[32]["gatewayOverCeiling"] >= 0.5,
        "gateway p99 <= 50 ms at 32 connections": bool(g32) and g32["latencyMs"]["p99"] <= 50,
        "200 ms upstream, 512 connections: >= 1,000 sends/s": bool(slow) and slow["perSecond"] >= 1000,
        "200 ms upstream, 512 connections: no errors": bool(slow) and slow["errors"] == 0,
        "the gateway ran the whole benchmark at -Xmx256m without an error":
            int(a.out_of_memory) == 0 and gateway_errors == 0,
        "every count checked": all(s["checked"] for s in steps),
    }
    result = {
        "machine": a.machine, "loadAverageAtEnd": a.load, "database": a.database, "quick": a.quick == "true",
        "warmupSeconds": int(a.warmup), "stepSeconds": int(a.duration),
        "gatewayPeakRssMb": int(a.gateway_peak_rss), "gatewayOutOfMemoryErrors": int(a.out_of_memory),
        "ratios": {str(c): r for c, r in ratios.items()}, "targets": targets, "steps": steps,
    }
    with open(a.prefix + ".json", "w") as f:
        json.dump(result, f, indent=2)

    lines = [
        f"# Send-path benchmark{' (quick)' if result['quick'] else ''}",
        "",
        f"- machine: {a.machine}; load average at the end {a.load}",
        f"- PostgreSQL: {a.database}",
        f"- wrk, 2 threads, a warm-up of {a.warmup} s per target, then {a.duration} s per step; the gateway at"
        f" -Xmx256m, peak RSS {a.gateway_peak_rss} MB; CPU is of the target's process (200 % = both cores)",
        "",
        "| scenario | target | connections | 200s/s | p50 ms | p99 ms | p99.9 ms | errors | CPU % | PostgreSQL CPU % |"
        " peak RSS MB | counts |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in measured:
        l, pg = s["latencyMs"], s.get("postgresCpuPercent")
        lines.append(
            f"| {s['scenario']} | {s['target']} | {s['connections']} | {s['perSecond']:,.0f} | {l['p50']:.1f} |"
            f" {l['p99']:.1f} | {l['p999']:.1f} | {s['errors']} | {s['serverCpuPercent']:.0f} |"
            f" {'' if pg is None else f'{pg:.0f}'} | {s['serverPeakRssMb']:.0f} |"
            f" {'checked' if s['checked'] else 'MISMATCH'}"
            f"{' (' + str(s['gateway200s']) + ' = ' + str(s['sandboxReceivedForGateway']) + ')' if 'gateway200s' in s else ''} |")
    profiled = [s for s in measured if "gatewayProfile" in s]
    if profiled:
        lines += ["", "Where a send's time went, from the gateway's own meters (Hikari, the Cloud API timer):", "",
                  "| scenario | connections | checkouts per send | pool wait ms per checkout |"
                  " connection held ms per checkout | Cloud API call ms |", "|---|---:|---:|---:|---:|---:|"]
        for s in profiled:
            g = s["gatewayProfile"]
            lines.append(f"| {s['scenario']} | {s['connections']} | {g['checkoutsPerSend']:.1f} |"
                         f" {g['poolWaitMsPerCheckout']:.1f} | {g['connectionHeldMsPerCheckout']:.1f} |"
                         f" {g['cloudApiMsPerCall']:.1f} |")
    lines += ["", "| connections | gateway ÷ ceiling | gateway ÷ direct |", "|---:|---:|---:|"]
    for c, r in ratios.items():
        lines.append(f"| {c} | {r['gatewayOverCeiling']:.2f} | {r['gatewayOverDirect']:.2f} |")
    lines += ["", "| target | holds |", "|---|---|"]
    for name, ok in targets.items():
        lines.append(f"| {name} | {'yes' if ok else 'NO'} |")
    text = "\n".join(lines) + "\n"
    with open(a.prefix + ".md", "w") as f:
        f.write(text)
    print(text)
    print(f"written: {a.prefix}.json, {a.prefix}.md")


if __name__ == "__main__":
    main()
