#!/usr/bin/env bash
# Push propagation (./run-bench.sh control runs it after control.sh's master run):
#   - `minuet up --agents 10` (master, scheduler, 10 agents, data plane following the master's push stream)
#   - 200 scale events (app /prop 1 -> 2 instances, back to 1): from the new task's TASK_RUNNING timestamp (the agent's,
#     read from the master's /master/state) to the SRV answer carrying its port at a UDP DNS client, and (as root) to the
#     first connect() to the VIP answered by the new task; p50/p95/p99/max and misses (not seen within 5 s); goal p99 <= 100 ms
#   - time to deploy 1,000 instances on the 10 agents (all RUNNING, all in DNS); --deploy 0 skips it
# Context: Mesos-DNS polls the master every 60 s by default, Minuteman about every 11 s.
# As root the cluster runs in a network namespace this script creates (no route out; the L4 balancer's rules stay
# inside it; VIPs from 198.19.0.0/16); otherwise on 127.0.0.1 with the balancer off (no VIP numbers).
#   bench/scripts/propagation.sh [--events N] [--deploy N] [--api]   (--api: also the old API-read figures)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
events=200
api=""
deploy=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --deploy) deploy="$2"; shift 2 ;;
    --api) api="--api"; shift ;;
    *) shift ;;
  esac
done

echo "== control: push propagation and deploy time (minuet up --agents 10) =="
dotnet build bench/Minuet.Benchmarks -c Release -v q --nologo >/tmp/minuet-bench-prop-build.log 2>&1 \
  || { cat /tmp/minuet-bench-prop-build.log >&2; exit 1; }
./minuet version >/dev/null

state_dir="$(mktemp -d /tmp/minuet-bench-prop.XXXXXX)"
chmod 755 "$state_dir"
# The app answers each connection with its task id; in C so it listens within ~1 ms of spawn (see the source).
app=()
if command -v cc >/dev/null && cc -O2 -o "$state_dir/prop-app" bench/scripts/propagation-app.c; then
  app=(--app "$state_dir/prop-app")
else
  echo "(no C compiler: the app is a Python server; its startup counts in the VIP figure and can get the backend benched)"
fi
ns=""
up_pid=""
run=()
up_args=(--agents 10 --state-dir "$state_dir/cluster" --master-listen 127.0.0.1:25050 --marathon-listen 127.0.0.1:28080
         --http-listen 127.0.0.1:26142 --dns-listen 127.0.0.1:28053)
vips=""
if [ "$(id -u)" = 0 ]; then
  ns="minuet-prop-$$"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  run=(ip netns exec "$ns")
  up_args+=(--l4lb on --vip-range 198.19.0.0/16)
  vips="--vips"
else
  up_args+=(--l4lb off)
  echo "(not root: L4 balancer off, no VIP numbers)"
fi

cleanup() {
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then
    kill -TERM "$up_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$up_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -n "$ns" ]; then
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  fi
  rm -rf "$state_dir"
}
trap cleanup EXIT

"${run[@]}" "$root/.build/cli/minuet" up "${up_args[@]}" >"$state_dir/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 1 600); do
  grep -q "cluster running" "$state_dir/up.log" 2>/dev/null && break
  kill -0 "$up_pid" 2>/dev/null || { cat "$state_dir/up.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "cluster running" "$state_dir/up.log" || { echo "minuet up did not start" >&2; cat "$state_dir/up.log" >&2; exit 1; }
sleep 3 # agents' first offers

"${run[@]}" dotnet bench/Minuet.Benchmarks/bin/Release/net10.0/Minuet.Benchmarks.dll propagation \
  --marathon http://127.0.0.1:28080 --master http://127.0.0.1:25050 --dataplane http://127.0.0.1:26142 --dns 127.0.0.1:28053 \
  "${app[@]}" --events "$events" --deploy "$deploy" $vips $api
echo "(numbers from a shared 2-core VM: noisy; clients poll every ~1 ms and the agent's timestamp has 1 ms resolution, so add up to ~2 ms)"
