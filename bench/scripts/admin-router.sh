#!/usr/bin/env bash
# Admin Router overhead (./run-bench.sh admin-router): Marathon's GET /v2/apps straight to the scheduler and
# through Admin Router (auth on, a real token checked on every request), same ab concurrency, same run.
# Goal: through >= 0.8x direct requests/s. Numbers on a shared 2-core VM are noisy; only the ratio means much.
#   bench/scripts/admin-router.sh [-c CONCURRENCY] [-n REQUESTS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
concurrency=16
requests=20000
while getopts "c:n:" opt; do
  case "$opt" in
    c) concurrency="$OPTARG" ;;
    n) requests="$OPTARG" ;;
    *) echo "usage: $0 [-c CONCURRENCY] [-n REQUESTS]" >&2; exit 2 ;;
  esac
done

echo "== admin-router: GET /v2/apps direct vs through Admin Router (ab -k -c $concurrency -n $requests) =="
command -v ab >/dev/null || { echo "admin-router: ab (apache2-utils) is not installed" >&2; exit 1; }
dir="$(mktemp -d /tmp/minuet-bench-ar.XXXXXX)"
base=$(( 20000 + RANDOM % 20000 ))
master="127.0.0.1:$base"; marathon="127.0.0.1:$((base + 1))"; router="127.0.0.1:$((base + 2))"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

wait_up() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "admin-router: $1 never answered" >&2; exit 1; }

./minuet version >/dev/null # builds the Release CLI once; then run the binary so $! is each part itself
bin="$root/.build/cli/minuet"
"$bin" master --listen "$master" --state-dir "$dir/master" --log-level warning >"$dir/master.log" 2>&1 & pids+=($!)
wait_up "http://$master/health"
"$bin" scheduler --master "http://$master" --marathon-listen "$marathon" --state-dir "$dir/scheduler" --log-level warning >"$dir/scheduler.log" 2>&1 & pids+=($!)
wait_up "http://$marathon/ping"
"$bin" admin-router --listen "$router" --mesos "http://$master" --marathon "http://$marathon" --state-dir "$dir/router" --log-level warning >"$dir/router.log" 2>&1 & pids+=($!)
wait_up "http://$router/dcos-metadata/dcos-version.json"

# Twenty apps (none can run: no agent), so /v2/apps has a body of realistic size.
for i in $(seq 1 20); do
  curl -sf -o /dev/null -H 'Content-Type: application/json' -X POST "http://$marathon/v2/apps" \
    -d "{\"id\":\"/bench/app$i\",\"cmd\":\"sleep 1000\",\"cpus\":0.1,\"mem\":32,\"instances\":1,\"labels\":{\"DCOS_SERVICE_NAME\":\"app$i\"}}"
done
token=$(curl -sf -X POST "http://$router/acs/api/v1/auth/login" -d '{"uid":"bench","password":"bench-password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
[ -n "$token" ] || { echo "admin-router: login failed" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: token=$token" "http://$router/marathon/v2/apps")
[ "$code" = 200 ] || { echo "admin-router: through the router /v2/apps answered $code" >&2; exit 1; }

run_ab() { # URL [header] -> "RPS P99MS"
  local out
  if [ $# -gt 1 ]; then out=$(ab -q -k -c "$concurrency" -n "$requests" -H "$2" "$1" 2>&1); else out=$(ab -q -k -c "$concurrency" -n "$requests" "$1" 2>&1); fi
  local rps p99 failed
  rps=$(awk '/^Requests per second/ {print $4}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  failed=$(awk '/^Failed requests/ {print $3}' <<<"$out")
  non2xx=$(awk '/^Non-2xx responses/ {print $3}' <<<"$out")
  [ "${failed:-0}" = 0 ] && [ -z "${non2xx:-}" ] || echo "admin-router: $1: $failed failed, ${non2xx:-0} non-2xx" >&2
  echo "$rps $p99"
}
# Warm both paths (JIT, connection pools) before measuring.
ab -q -k -c "$concurrency" -n 2000 "http://$marathon/v2/apps" >/dev/null 2>&1
ab -q -k -c "$concurrency" -n 2000 -H "Authorization: token=$token" "http://$router/marathon/v2/apps" >/dev/null 2>&1
read -r direct_rps direct_p99 <<<"$(run_ab "http://$marathon/v2/apps")"
read -r router_rps router_p99 <<<"$(run_ab "http://$router/marathon/v2/apps" "Authorization: token=$token")"
ratio=$(awk -v a="$router_rps" -v b="$direct_rps" 'BEGIN { printf "%.2f", a / b }')
printf '| %-32s | %10s | %8s |\n' "GET /v2/apps (c=$concurrency)" "req/s" "p99 ms"
printf '| %-32s | %10.0f | %8s |\n' "Marathon direct" "$direct_rps" "$direct_p99"
printf '| %-32s | %10.0f | %8s |\n' "through Admin Router (token)" "$router_rps" "$router_p99"
echo "Admin Router / direct: ${ratio}x requests/s (goal >= 0.8x)"
