"""Reads oha's JSON results for benches/server/run.sh.

  summary.py verdict RESULT.json RATE   -> "ok P99_MS" when RATE was met (within 5%)
                                            with no errors and p99 under 10 ms, else "no ..."
  summary.py markdown FIXED.json OPEN.json RSS_BEFORE RSS_AFTER RSS_PEAK SUSTAINED P99 OHA LOAD
                                         -> the BENCHMARKS.md section
"""
import json
import sys

P99_LIMIT_MS = 10.0
ABORTED_AT_END = "aborted due to deadline"


def load(path):
    with open(path) as f:
        return json.load(f)


def figures(result):
    summary = result["summary"]
    codes = result.get("statusCodeDistribution", {})
    total = sum(codes.values())
    ok = codes.get("200", 0)
    # oha cancels the requests still in flight when the duration ends ("aborted due
    # to deadline"): not answers of the server, so not errors.
    failures = {
        k: v for k, v in result.get("errorDistribution", {}).items() if k != ABORTED_AT_END
    }
    errors = sum(failures.values()) + (total - ok)
    p = result["latencyPercentiles"]
    return {
        "rate": summary["requestsPerSec"],
        "total": total,
        "errors": errors,
        "p50": p["p50"] * 1000,
        "p99": p["p99"] * 1000,
        "max": summary["slowest"] * 1000,
    }


def verdict(path, rate):
    f = figures(load(path))
    met = f["rate"] >= 0.95 * rate and f["errors"] == 0 and f["p99"] < P99_LIMIT_MS
    print(("ok %.2f" if met else "no %.2f") % f["p99"])


def markdown(fixed_path, open_path, before, after, peak, sustained, sustained_p99, oha, load_average):
    fixed = figures(load(fixed_path))
    peak_run = figures(load(open_path))
    verdict_text = "met" if fixed["p99"] < P99_LIMIT_MS and fixed["errors"] == 0 else "NOT met"
    print("## Server (`netpol serve`, `make bench-server`)\n")
    print(
        "`POST /validate` with a typical NetworkPolicy AdmissionReview "
        "(`benches/server/review.json`), over TLS 1.3 and HTTP/1.1 keep-alive on "
        "loopback, the release build; load by %s, latencies corrected for "
        "coordinated omission at fixed rates. The load generator shares the machine's "
        "cores with the server; the machine's load average when the run started: %s. "
        "Errors are answers other than 200 and failed requests; requests oha cancels "
        "when a run's time is up are not counted.\n" % (oha.strip(), load_average.strip())
    )
    print("| run | requests | errors | achieved req/s | p50 | p99 | max |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, f in [("2,000 req/s for 20 s", fixed), ("open loop, 64 connections, 10 s", peak_run)]:
        print(
            "| %s | %d | %d | %.0f | %.2f ms | %.2f ms | %.2f ms |"
            % (name, f["total"], f["errors"], f["rate"], f["p50"], f["p99"], f["max"])
        )
    print()
    print("- Target at 2,000 req/s: p99 under %.0f ms with no errors: **%s**." % (P99_LIMIT_MS, verdict_text))
    print(
        "- Resident memory: %s KiB before the fixed-rate run, %s KiB after it; "
        "peak over the whole benchmark %s KiB." % (before, after, peak)
    )
    if int(sustained) > 0:
        print(
            "- Highest sustained fixed rate (5 s steps; met within 5%%, no errors, p99 "
            "under 10 ms): **%s req/s** (p99 %s ms)." % (sustained, sustained_p99)
        )
    else:
        print("- No fixed rate above 2,000 req/s was sustained within the p99 limit.")
    print()


if __name__ == "__main__":
    if sys.argv[1] == "verdict":
        verdict(sys.argv[2], float(sys.argv[3]))
    else:
        markdown(*sys.argv[2:11])
