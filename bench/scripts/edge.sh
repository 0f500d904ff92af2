#!/usr/bin/env bash
# Edge load balancer under load (./run-bench.sh edge): minuet up and minuet edge-lb in a network namespace of their
# own, an app of busybox httpd tasks behind 127.0.0.1:10000, wrk constant load while the app is scaled 1->5->1
# CYCLES times (the app drains 2 s between TASK_KILLING and SIGTERM, label MINUET_DRAIN_SECONDS): failed requests
# (non-2xx and refused/reset connections; the goal is 0; wrk timeouts, requests slower than 2 s, are counted apart),
# reloads vs runtime-API updates, and the time from a task becoming healthy (Marathon's event) to HAProxy's first
# request to it (p50/p99). Then configuration generation time for 1,000 apps.
#   bench/scripts/edge.sh [CYCLES]     (default 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cycles="${1:-10}"
[ "$(id -u)" = 0 ] || { echo "edge: needs root (network namespace)" >&2; exit 1; }
for tool in wrk haproxy busybox python3; do command -v "$tool" >/dev/null || { echo "edge: $tool is not installed" >&2; exit 1; }; done

echo "== edge: wrk on 127.0.0.1:10000 while /web scales 1->5->1 x$cycles; healthy->traffic latency; config generation =="
ns="minuet-bench-edge-$RANDOM"
dir="$(mktemp -d /tmp/minuet-bench-edge.XXXXXX)"
cleanup() {
  for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  sleep 2
  for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
ip netns add "$ns"; ip -n "$ns" link set lo up
./minuet version >/dev/null # builds the Release CLI once
bin="$root/.build/cli/minuet"
in_ns() { ip netns exec "$ns" "$@"; }

in_ns "$bin" up --state-dir "$dir/state" --auth off --no-docker --l4lb off --admin-router-listen 127.0.0.1:8800 >"$dir/up.log" 2>&1 &
for _ in $(seq 1 600); do in_ns curl -sf -o /dev/null http://127.0.0.1:8080/ping && break; sleep 0.2; done
in_ns "$bin" edge-lb --marathon http://127.0.0.1:8080 --group external --haproxy-dir "$dir/haproxy" --log-level warning >"$dir/edge-lb.log" 2>&1 &
mkdir -p "$dir/www"; echo ok >"$dir/www/index.html"
in_ns curl -sf -o /dev/null -H 'Content-Type: application/json' -X POST http://127.0.0.1:8080/v2/apps -d "{
  \"id\":\"/web\",\"cmd\":\"exec busybox httpd -f -p \$PORT0 -h $dir/www\",\"instances\":1,\"cpus\":0.05,\"mem\":16,
  \"portDefinitions\":[{\"port\":10000}],\"labels\":{\"HAPROXY_GROUP\":\"external\",\"MINUET_DRAIN_SECONDS\":\"2\"},
  \"healthChecks\":[{\"protocol\":\"HTTP\",\"path\":\"/\",\"portIndex\":0,\"gracePeriodSeconds\":30,\"intervalSeconds\":1,\"timeoutSeconds\":2,\"maxConsecutiveFailures\":3}],
  \"upgradeStrategy\":{\"minimumHealthCapacity\":0,\"maximumOverCapacity\":0}}"
in_ns python3 bench/scripts/edge_driver.py "$cycles" || { tail -20 "$dir/edge-lb.log" >&2; exit 1; }

dotnet build bench/Minuet.Benchmarks -c Release -v q --nologo >"$dir/bench-build.log" 2>&1 || { cat "$dir/bench-build.log" >&2; exit 1; }
dotnet run -c Release --no-build --project bench/Minuet.Benchmarks -- edge-config 1000
