#!/usr/bin/env bash
# The server benchmark (`make bench-server`): `netpol serve` over TLS on loopback,
# loaded by oha with a typical NetworkPolicy AdmissionReview on POST /validate.
#
#   1. a fixed rate: 2,000 requests/s for 20 s (latency corrected for coordinated
#      omission), with the p99 latency, errors and resident memory before and after;
#   2. the highest sustained rate: rising fixed rates of 5 s each, the last one met
#      (within 5%) with p99 under 10 ms and no errors;
#   3. an open-loop run (no rate limit, 64 connections) for the peak throughput.
#
# usage: run.sh NETPOL_BINARY OUTPUT.md
set -euo pipefail
netpol=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -n "${KEEP_BENCH:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -keyout "$work/tls.key" -out "$work/tls.crt" -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null

"$netpol" serve --listen 127.0.0.1:0 --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" \
  2> "$work/server.log" &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(grep -o '"detail":"https://127.0.0.1:[0-9]*"' "$work/server.log" | grep -o '[0-9]*"$' | tr -d '"' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "netpol serve did not start" >&2; cat "$work/server.log" >&2; exit 1; }
url="https://127.0.0.1:$port/validate"
body="$here/review.json"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
load() { # load OUTPUT.json oha-arguments...
  local result=$1; shift
  oha --no-tui --output-format json --insecure -m POST -T application/json -D "$body" "$@" "$url" > "$result"
}

load_average=$(cut -d' ' -f1-3 /proc/loadavg)

# Warm-up (connections, allocator), then the fixed rate.
load "$work/warm.json" -z 3s -q 500 -c 16
rss_before=$(rss)
load "$work/fixed.json" -z 20s -q 2000 -c 32 --latency-correction
rss_after=$(rss)

# Rising rates: the highest one met.
sustained=0
sustained_p99=
for rate in 3000 4000 5000 6000 8000 10000 12000 16000 20000; do
  load "$work/rate-$rate.json" -z 5s -q "$rate" -c 64 --latency-correction
  verdict=$(python3 "$here/summary.py" verdict "$work/rate-$rate.json" "$rate")
  if [ "${verdict%% *}" = ok ]; then
    sustained=$rate
    sustained_p99=${verdict#ok }
  else
    break
  fi
done
load "$work/open.json" -z 10s -c 64
rss_peak=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")

python3 "$here/summary.py" markdown "$work/fixed.json" "$work/open.json" \
  "$rss_before" "$rss_after" "$rss_peak" "$sustained" "${sustained_p99:-}" "$(oha --version)" \
  "$load_average" > "$out"
cat "$out"
