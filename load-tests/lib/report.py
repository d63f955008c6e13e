#!/usr/bin/env python3
"""Turns one run's results.jsonl into report.md (with an SVG latency chart per scenario) and summary.md
(the same tables without charts: load-tests/RESULTS.md).

    report.py RUN_DIR                 write report.md, summary.md and the charts
    report.py --nginx-table RUN_DIR   print only the nginx comparison table
"""
import html
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

TARGETS_ISSUE = "issue #7"


def load(run_dir):
    with open(os.path.join(run_dir, "results.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    runs = {r["key"]: r for r in rows if "key" in r}
    notes = [r for r in rows if r.get("kind") == "note"]
    cellular = [r for r in rows if r.get("kind") == "cellular"]
    resumable = [r for r in rows if r.get("kind") == "resumable"]
    return runs, notes, cellular, resumable


def ms(us):
    return f"{us / 1000:.2f}"


def run_row(r):
    errors = sum(r["errors"].values())
    per_response = r["bytes"] // max(r["requests"], 1)
    paced = f"paced {r['rate']}/s" if r.get("rate") else "saturation"
    return (f"| {r['label']} | {r['connections']} conns, {paced} | {r['rps']:,.0f} | {ms(r['p50'])} | {ms(r['p90'])} "
            f"| {ms(r['p99'])} | {ms(r['p999'])} | {ms(r['max'])} | {per_response:,} | {errors} |")


RUN_HEADER = ("| run | load | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | bytes/resp | errors |\n"
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")


def nginx_rounds(runs):
    """The nginx comparison's rounds in order, each {(preset, server): run}, from keys nginx.PRESET.SERVER.ROUND."""
    rounds = {}
    for key, r in runs.items():
        parts = key.split(".")
        if parts[0] == "nginx" and len(parts) == 4:
            rounds.setdefault(int(parts[3]), {})[(parts[1], parts[2])] = r
    return [rounds[n] for n in sorted(rounds)]


def paired(rounds, preset):
    """(imgedge run, nginx run) of each round that measured both for this preset."""
    return [(r[(preset, "imgedge")], r[(preset, "nginx")]) for r in rounds
            if (preset, "imgedge") in r and (preset, "nginx") in r]


def nginx_medians(runs, preset):
    """The medians over the rounds: ratio of req/s (each round's own ratio), req/s and p99 of each server."""
    pairs = paired(nginx_rounds(runs), preset)
    if not pairs:
        return None
    ratios = [ours["rps"] / theirs["rps"] for ours, theirs in pairs]
    return {"rounds": len(pairs), "ratios": ratios, "ratio": statistics.median(ratios),
            "ours_rps": statistics.median(ours["rps"] for ours, _ in pairs),
            "theirs_rps": statistics.median(theirs["rps"] for _, theirs in pairs),
            "ours_p99": statistics.median(ours["p99"] for ours, _ in pairs),
            "theirs_p99": statistics.median(theirs["p99"] for _, theirs in pairs),
            "bytes": pairs[0][0]["bytes"] // max(pairs[0][0]["requests"], 1)}


def median_round(runs):
    """The round whose small-variant ratio is the median one: the round the chart shows."""
    pairs = paired(nginx_rounds(runs), "small")
    if not pairs:
        return None
    order = sorted(range(len(pairs)), key=lambda i: pairs[i][0]["rps"] / pairs[i][1]["rps"])
    return order[len(order) // 2] + 1


# the JPEG variants, and with FORMAT=webp the same variants as WebP
NGINX_PRESETS = ("small", "medium", "small-webp", "medium-webp")


def nginx_table(runs):
    lines = ["| variant | round | imgedge req/s | nginx req/s | ratio | imgedge p99 ms | nginx p99 ms | bytes/resp |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for preset in NGINX_PRESETS:
        for n, (ours, theirs) in enumerate(paired(nginx_rounds(runs), preset), 1):
            lines.append(f"| {preset} | {n} | {ours['rps']:,.0f} | {theirs['rps']:,.0f} | {ours['rps'] / theirs['rps']:.2f}x "
                         f"| {ms(ours['p99'])} | {ms(theirs['p99'])} | {ours['bytes'] // max(ours['requests'], 1):,} |")
        m = nginx_medians(runs, preset)
        if m:
            lines.append(f"| **{preset}** | **median of {m['rounds']}** | **{m['ours_rps']:,.0f}** | **{m['theirs_rps']:,.0f}** "
                         f"| **{m['ratio']:.2f}x** | **{ms(m['ours_p99'])}** | **{ms(m['theirs_p99'])}** | {m['bytes']:,} |")
    return "\n".join(lines) + "\n"


def cellular_targets(cellular):
    """The placeholder and WebP goals on a cellular link, from the cellular rows of one run."""
    rows = []
    by = {(c["profile"], c.get("format", "jpeg")): c for c in cellular if c["mode"] == "variants"}
    jpeg, webp = by.get(("slow-4g", "jpeg")), by.get(("slow-4g", "webp"))
    if jpeg and webp:
        ratio = webp["gridSeconds"] / jpeg["gridSeconds"]
        rows.append(("Slow 4G: grid complete with WebP <= 0.7x JPEG, same run",
                     f"{webp['gridSeconds']:.2f} s vs {jpeg['gridSeconds']:.2f} s ({ratio:.2f}x); grid bytes "
                     f"{webp['gridBytes']:,} vs {jpeg['gridBytes']:,}", ratio <= 0.7))
    for (profile, fmt), c in sorted(by.items()):
        if profile == "slow-4g" and "firstPaintSeconds" in c:
            # "at the list's arrival": every cell had its placeholder in the list
            at_list = c["placeholders"] == c["grid"] and c["firstPaintSeconds"] <= c["listSeconds"]
            rows.append((f"Slow 4G ({fmt}): first paint when the list arrives (every cell has its placeholder)",
                         f"first paint {c['firstPaintSeconds']:.2f} s, list {c['listSeconds']:.2f} s, "
                         f"{c['placeholders']} of {c['grid']} placeholders", at_list))
    return rows


def targets(runs, cellular=()):
    """The issue's goals, each with what this run measured; a goal whose runs were not made is left out."""
    rows = []

    def add(goal, measured, met):
        rows.append(f"| {goal} | {measured} | {'yes' if met else 'no' if met is not None else '-'} |")

    medians = {preset: nginx_medians(runs, preset) for preset in NGINX_PRESETS}
    for preset, m in medians.items():
        if m:
            each = ", ".join(f"{r:.2f}x" for r in m["ratios"])
            add(f"cached {preset} variant >= 0.8x nginx's req/s, same bytes",
                f"median of {m['rounds']} rounds {m['ratio']:.2f}x ({each}); median req/s {m['ours_rps']:,.0f} vs "
                f"{m['theirs_rps']:,.0f}", m["ratio"] >= 0.8)
    for goal, measured, met in cellular_targets(cellular):
        add(goal, measured, met)
    small = medians["small"]
    if small:
        add("cached small variant p99 < 3 ms (saturation, 64 connections)",
            f"median of {small['rounds']} rounds {ms(small['ours_p99'])} ms (nginx {ms(small['theirs_p99'])} ms)",
            small["ours_p99"] < 3000)
    elif "small.saturation" in runs:
        p99 = runs["small.saturation"]["p99"]
        add("cached small variant p99 < 3 ms (saturation, 64 connections)", f"{ms(p99)} ms", p99 < 3000)
    full, not_modified = runs.get("revalidate.full"), runs.get("revalidate.304")
    if full and not_modified:
        add("If-None-Match answered 304 at least as fast as a full small GET",
            f"{not_modified['rps']:,.0f} vs {full['rps']:,.0f} req/s", not_modified["rps"] >= full["rps"])
    if "list.postgres" in runs:
        add("GET /v1/images?limit=50 >= 10,000 req/s on PostgreSQL", f"{runs['list.postgres']['rps']:,.0f} req/s",
            runs["list.postgres"]["rps"] >= 10000)
    if "list.sqlite" in runs:
        add("GET /v1/images?limit=50 on SQLite (reported)", f"{runs['list.sqlite']['rps']:,.0f} req/s", None)
    without = [r for k, r in runs.items() if k.startswith("idle.without.")]
    with_idle = [r for k, r in runs.items() if k.startswith("idle.with.")]
    if without and with_idle:
        p99_without = statistics.median(r["p99"] for r in without)
        p99_with = statistics.median(r["p99"] for r in with_idle)
        rise = p99_with / p99_without - 1
        opening = runs.get("idle.opening")
        transient = f" (in the first seconds after they opened: {ms(opening['p99'])} ms)" if opening else ""
        elsewhere = [r for k, r in runs.items() if k.startswith("idle.elsewhere.")]
        control = ""
        if elsewhere:
            p99_elsewhere = statistics.median(r["p99"] for r in elsewhere)
            control = (f"; control, as many idle connections held by another server: {ms(p99_elsewhere)} ms "
                       f"({p99_elsewhere / p99_without - 1:+.0%})")
        add("10,000 idle keep-alive connections: small-variant p99 rises < 20%",
            f"medians of {len(without)} and {len(with_idle)} runs {ms(p99_without)} -> {ms(p99_with)} ms "
            f"({rise:+.0%}){transient}; req/s {statistics.median(r['rps'] for r in without):,.0f} -> "
            f"{statistics.median(r['rps'] for r in with_idle):,.0f}{control}", rise < 0.2)
    if not rows:
        return ""
    return "| goal | measured | met |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def cellular_table(cellular):
    if not cellular:
        return ""
    lines = ["| profile | grid of | format | list s | first paint s | grid complete s | detail complete s | grid bytes "
             "| detail bytes | total bytes |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for c in cellular:
        grid = f"{c['grid']} small variants" if c["mode"] == "variants" else f"{c['grid']} originals"
        detail = "medium" if c["mode"] == "variants" else "original"
        # runs from before placeholders and formats have neither column
        paint = f"{c['firstPaintSeconds']:.2f} ({c['placeholders']} placeholders)" if "firstPaintSeconds" in c else "-"
        total = c.get("totalBytes", c["listBytes"] + c["gridBytes"] + c["detailBytes"])
        lines.append(f"| {c['profile']} ({c['down']} down, {c['up']} up, {c['rttMs']} ms RTT) | {grid} "
                     f"| {c.get('format', 'jpeg')} | {c['listSeconds']:.2f} | {paint} | {c['gridSeconds']:.2f} "
                     f"| {c['detailSeconds']:.2f} ({detail}) | {c['gridBytes']:,} | {c['detailBytes']:,} | {total:,} |")
    return "\n".join(lines) + "\n"


def resumable_table(resumable):
    lines = ["| photo | link | drop every | tus: s to finish | tus retries | plain POST: s to finish | POST attempts |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in resumable:
        post = r["postSeconds"] if r["postSeconds"] != "dnf" else f"did not finish in {r['postLimitSeconds']}"
        lines.append(f"| {r['bytes']:,} bytes | {r['profile']} | {r['cutSeconds']} s | {r['tusSeconds']} | {r['tusRetries']} "
                     f"| {post} | {r['postAttempts']} |")
    return "\n".join(lines) + "\n"


SCENARIOS = [  # key prefix, title
    ("small", "Cached small variant"), ("medium", "Cached medium variant"),
    ("revalidate", "Revalidation (If-None-Match -> 304)"), ("list", "List endpoint"),
    ("open-app", "Open the app (1 list + 30 small + 1 medium)"),
    ("idle", "Idle keep-alive connections"), ("nginx", "Against nginx"),
    ("burst", "Reads during an upload burst"),
]
NOTE_SCENARIO = {"upload-burst": "burst"}


def grouped(runs):
    for prefix, title in SCENARIOS:
        members = [r for k, r in runs.items() if k.split(".")[0] == prefix]
        if members:
            yield prefix, title, members


def svg_chart(title, members):
    """Latency by percentile: x is log10(1 / (1 - p)), so 90, 99, 99.9 ... are evenly spaced."""
    width, height, left, right, top, bottom = 760, 380, 64, 40, 36, 48
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    x_max = 5.0

    def x_of(p):
        return 0.0 if p <= 0 else min(x_max, math.log10(1 / (1 - p / 100))) if p < 100 else x_max

    top_ms = max(point[1] for r in members for point in r["curve"]) / 1000
    step = nice_step(top_ms / 5)
    y_max = step * math.ceil(top_ms / step) if top_ms > 0 else 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x):
        return left + x / x_max * plot_w

    def py(v):
        return top + plot_h - v / y_max * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="20" font-size="14" font-weight="bold">{html.escape(title)}: latency by percentile</text>']
    for i, label in enumerate(["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"]):
        x = px(i)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{label}</text>')
    value = 0.0
    while value <= y_max + 1e-9:
        y = py(value)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
        value += step
    out.append(f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">percentile</text>')
    out.append(f'<text x="16" y="{top + plot_h / 2}" text-anchor="middle" transform="rotate(-90 16 {top + plot_h / 2})">ms</text>')
    for i, r in enumerate(members):
        color = colors[i % len(colors)]
        points = " ".join(f"{px(x_of(p)):.1f},{py(us / 1000):.1f}" for p, us in r["curve"])
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        y = top + 14 + 16 * i
        out.append(f'<line x1="{left + 10}" y1="{y - 4}" x2="{left + 30}" y2="{y - 4}" stroke="{color}" stroke-width="3"/>')
        out.append(f'<text x="{left + 36}" y="{y}">{html.escape(r["label"])} ({r["rps"]:,.0f} req/s)</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def nice_step(raw):
    if raw <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def command_output(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def header(run_dir):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    commit = command_output("git", "-C", root, "rev-parse", "--short", "HEAD")
    dirty = " (with uncommitted changes)" if command_output("git", "-C", root, "status", "--porcelain", "--", "src", "pom.xml") else ""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    wrk = command_output("wrk", "-v").splitlines()[0:1] or ["wrk ?"]
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip().replace("nginx version: ", "")
    with open(os.path.join(run_dir, "command.txt")) as f:
        command = f.read().strip()
    settings_file = os.path.join(run_dir, "settings.txt")
    # one NAME=value per line; a value with spaces (FORMAT="jpeg webp") is quoted so the command runs as shown
    settings = [f'{n}="{v}"' if " " in v else f"{n}={v}"
                for n, v in (line.split("=", 1) for line in open(settings_file).read().splitlines() if "=" in line)] \
        if os.path.exists(settings_file) else []
    return (f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}{dirty}; {os.cpu_count()} cores ({cpu}), "
            f"Linux {platform.release()}; {wrk[0].split(' [')[0]}, {nginx}. The service and nginx on core 0, wrk and the "
            f"helpers on core 1.\n\n```sh\n{' '.join(settings + [command])}\n```\n")


def commands(run_dir):
    path = os.path.join(run_dir, "commands.txt")
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        body = f.read()
    return ("The load each row came from (`$WORK` is the run's temporary folder, holding the request files "
            "`load-tests/lib/requests.lua` reads; the last argument is the pause in ms of each connection "
            "after each response, 0 = saturation):\n\n```sh\n" + body + "```\n")


def main():
    if sys.argv[1] == "--nginx-table":
        runs, _, _, _ = load(sys.argv[2])
        print(nginx_table(runs), end="")
        return
    run_dir = sys.argv[1]
    runs, notes, cellular, resumable = load(run_dir)
    parts = ["# Load-test results\n", "Written by `load-tests/run.sh` (see `load-tests/README.md`); the latest run. "
             "Latency percentiles are wrk's, with its coordinated-omission caveat (README).\n", header(run_dir)]
    goals = targets(runs, cellular)
    if goals:
        parts += [f"## Goals ({TARGETS_ISSUE})\n", goals]
    summary_parts = list(parts)
    report_parts = list(parts)
    for prefix, title, members in grouped(runs):
        section = [f"## {title}\n", RUN_HEADER + "\n" + "\n".join(run_row(r) for r in members) + "\n"]
        if prefix == "nginx":
            section.append("\n" + nginx_table(runs))
        for n in notes:
            if NOTE_SCENARIO.get(n["scenario"], n["scenario"]) == prefix:
                section.append("\n" + n["text"] + "\n")
        summary_parts += section
        chart = f"{prefix}.svg"
        chosen = median_round(runs) if prefix == "nginx" else None
        if chosen:
            # every round on one chart is unreadable: the one with the median small-variant ratio
            members = [r for r in members if r["key"].split(".")[-1] == str(chosen)]
            title += f" (round {chosen}, the median)"
        with open(os.path.join(run_dir, chart), "w") as f:
            f.write(svg_chart(title, members))
        report_parts += section + [f"\n![{title}]({chart})\n"]
    if cellular:
        section = ["## Opening the app on a cellular link\n", cellular_table(cellular)]
        summary_parts += section
        report_parts += section
    if resumable:
        section = ["## A resumable upload over a link that drops\n", resumable_table(resumable)]
        summary_parts += section
        report_parts += section
    tail = ["## Commands\n", commands(run_dir)]
    with open(os.path.join(run_dir, "summary.md"), "w") as f:
        f.write("\n".join(summary_parts + tail))
    with open(os.path.join(run_dir, "report.md"), "w") as f:
        f.write("\n".join(report_parts + tail))


if __name__ == "__main__":
    main()
