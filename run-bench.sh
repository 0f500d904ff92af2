#!/usr/bin/env bash
# Builds Release, installs the peers Minuet is compared with, runs the benchmarks and prints ratio tables.
#   ./run-bench.sh            every group
#   ./run-bench.sh micro      BenchmarkDotNet micro-benchmarks (ratio against each benchmark's baseline)
#   ./run-bench.sh dns        DNS: Minuet vs Knot DNS and NSD under dnsperf
#   ./run-bench.sh l4lb       L4 balancer: Minuet VIP vs direct, nftables DNAT and HAProxy
#   ./run-bench.sh control    control plane: allocation, /master/state, propagation
#   ./run-bench.sh scale      data-plane updates: one task change at 100k tasks, full build at 10k, memory held at 100k
#   ./run-bench.sh admin-router  GET /v2/apps straight to Marathon vs through Admin Router (ab; goal >= 0.8x)
#   ./run-bench.sh failover   up --masters 3: 20 kill -9 of the leading master (and 10 of the scheduler), p50/p99 failover (not in all)
#   ./run-bench.sh ha-scale   control run on etcd (10k agents, 100k tasks; --agents/--tasks) and the loaded leader's failover (not in all)
#   ./run-bench.sh jobs       jobs service: launch lateness of 10,000 random cron jobs (fake master; JOBS_MINUTES, default 3; not in all)
#   ./run-bench.sh edge       edge LB: wrk on :10000 while an app scales 1->5->1 x10 (failures, healthy->traffic), config for 1,000 apps
#   ./run-bench.sh chaos      up --agents 3 with a random part killed every 20 s for 10 min (CHAOS_SECONDS shortens; not in all)
# Extra arguments after the group go to that group's runner (for micro: BenchmarkDotNet's, e.g. --filter '*Hash*').
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

group="${1:-all}"
[ $# -gt 0 ] && shift

# Installs Debian packages that are missing; peers are compared in the same run, so they must be here.
ensure_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "run-bench.sh: need root to install ${missing[*]}" >&2
    return 1
  fi
  echo "run-bench.sh: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Peers' own services must not hold the ports we benchmark on; we start them ourselves.
  for svc in knot nsd haproxy; do
    systemctl disable --now "$svc" >/dev/null 2>&1 || service "$svc" stop >/dev/null 2>&1 || true
  done
}

run_micro() {
  echo "== micro: BenchmarkDotNet (Ratio = time / baseline in the same run) =="
  dotnet run -c Release --project bench/Minuet.Benchmarks -- --filter "${@:-*}" --join \
    --exporters markdown 2>&1 | tee /tmp/minuet-bench-micro.log \
    | sed -n '/^| *Method\|^| *Type\|^|-/,/^$/p'
}

# Incremental updates. BenchmarkDotNet runs in-process (a second build of the project can time out on a
# busy machine) with a fixed, short iteration count, since the in-process toolchain aborts a case that runs over
# about five minutes; then a standalone run at 100,000 tasks for RSS and the spread of 200 one-task changes.
run_scale() {
  echo "== scale: one task change (100k tasks), full build (10k tasks), memory held (100k tasks) =="
  dotnet build bench/Minuet.Benchmarks -c Release -v q --nologo >/tmp/minuet-bench-scale-build.log 2>&1 \
    || { cat /tmp/minuet-bench-scale-build.log >&2; return 1; }
  dotnet run -c Release --no-build --project bench/Minuet.Benchmarks -- \
    --filter '*IncrementalUpdateBenchmark*' '*FullBuildBenchmark*' --inProcess --warmupCount 3 --iterationCount 10 --join --exporters markdown "$@" 2>&1 \
    | tee /tmp/minuet-bench-scale.log | sed -n '/^| *Method\|^|-/,/^$/p'
  dotnet run -c Release --no-build --project bench/Minuet.Benchmarks -- scale-memory 100000
}

run_script_group() {
  local name="$1"; shift
  local script="bench/scripts/$name.sh"
  if [ -x "$script" ]; then
    "$script" "$@"
  else
    echo "== $name: not available in this checkout (no bench/scripts/$name.sh) =="
  fi
}

case "$group" in
  micro) run_micro "$@" ;;
  dns) ensure_packages knot nsd dnsperf dnsutils; run_script_group dns "$@" ;;
  l4lb) ensure_packages haproxy nftables wrk iptables ipset conntrack iproute2; run_script_group l4lb "$@" ;;
  control) run_script_group control "$@" ;;
  admin-router) ensure_packages apache2-utils; run_script_group admin-router "$@" ;;
  scale) run_scale "$@" ;;
  chaos) ensure_packages dnsutils iproute2; run_script_group chaos "$@" ;;
  failover) ensure_packages etcd-server iproute2 curl; run_script_group failover "$@" ;;
  ha-scale) ensure_packages etcd-server curl; run_script_group ha-scale "$@" ;;
  jobs)
    echo "== jobs: launch lateness, 10,000 jobs with random cron schedules (jobs core + a fake instant master) =="
    dotnet run -c Release --project bench/Minuet.Benchmarks -- jobs --jobs 10000 --minutes "${JOBS_MINUTES:-3}" "$@" ;;
  edge) ensure_packages haproxy wrk busybox-static iproute2; run_script_group edge "$@" ;;
  all)
    run_micro
    ensure_packages knot nsd dnsperf dnsutils haproxy nftables wrk iptables ipset conntrack iproute2
    run_script_group dns
    run_script_group l4lb
    run_script_group control
    ensure_packages apache2-utils
    run_script_group admin-router
    run_scale
    ;;
  *) echo "usage: $0 [all|micro|dns|l4lb|control|admin-router|scale|chaos|failover|ha-scale|jobs|edge] [args...]" >&2; exit 2 ;;
esac
