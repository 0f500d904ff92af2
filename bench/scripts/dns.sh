#!/usr/bin/env bash
# DNS comparison: Minuet vs Knot DNS and NSD serving the same records (1,000 apps x 3 tasks), dnsperf over
# UDP and TCP on loopback, runs alternated, medians and ratios printed. Called by ./run-bench.sh dns
# (which installs knot, nsd, dnsperf, dnsutils).
#   bench/scripts/dns.sh [RUNS] [SECONDS]         defaults: 3 runs of 8 s per server and transport
# Environment: DNS_APPS (1000), DNS_CLIENTS (4), DNS_OUTSTANDING (200), MINUET_WORKERS (1),
#   MINUET_HOST=bench|cli (default: cli when `minuet dataplane` takes --dns-listen, else the bench host),
#   DNS_RT=1 runs servers and dnsperf under SCHED_FIFO (chrt -f 10) so builds and other load on a shared machine
#   do not decide the result. On a busy VM without it, a server that never sleeps under load (Minuet's batched
#   worker) waits behind other runnable threads while one that sleeps often gets wake-up preference: the numbers
#   then measure the scheduler, not the servers.
# Layout follows the notes' method: dnsperf pinned to core 0, every server pinned to the last core.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs="${1:-3}"
seconds="${2:-8}"
apps="${DNS_APPS:-1000}"
clients="${DNS_CLIENTS:-4}"
outstanding="${DNS_OUTSTANDING:-200}"
workers="${MINUET_WORKERS:-1}"
ncpu="$(nproc)"
client_cpu=0
server_cpu=$((ncpu > 1 ? ncpu - 1 : 0))
rt=()
if [ "${DNS_RT:-0}" = 1 ]; then rt=(chrt -f 10); fi
load="$(cut -d' ' -f1 /proc/loadavg)"
if [ "${DNS_RT:-0}" != 1 ] && awk -v l="$load" -v n="$ncpu" 'BEGIN {exit !(l > n)}'; then
  echo "dns.sh: load average $load on $ncpu cpus: results will be scheduler noise; DNS_RT=1 gives fairer numbers" >&2
fi

for tool in knotd nsd dnsperf dig taskset; do
  command -v "$tool" >/dev/null || { echo "dns.sh: $tool missing (run via ./run-bench.sh dns)" >&2; exit 1; }
done

work="$(mktemp -d /tmp/minuet-dns-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== dns: building Minuet (Release) =="
dotnet build bench/Minuet.Benchmarks -c Release -v q --nologo >/dev/null
bench_dll="bench/Minuet.Benchmarks/bin/Release/net10.0/Minuet.Benchmarks.dll"
dotnet "$bench_dll" dns-fixture "$work" "$apps"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
p_minuet="$(free_port)"; p_knot="$(free_port)"; p_nsd="$(free_port)"; p_http="$(free_port)"

host="${MINUET_HOST:-}"
if [ -z "$host" ]; then
  if ./minuet dataplane --help 2>&1 | grep -q -- '--dns-listen'; then host=cli; else host=bench; fi
fi
if [ "$host" = cli ]; then
  "${rt[@]}" taskset -c "$server_cpu" ./minuet dataplane --state-file "$work/state.json" --dns-listen "127.0.0.1:$p_minuet" \
    --http-listen "127.0.0.1:$p_http" --l4lb off --no-forward >"$work/minuet.log" 2>&1 &
else
  DOTNET_TieredPGO=1 DOTNET_gcServer=0 "${rt[@]}" taskset -c "$server_cpu" dotnet "$bench_dll" dns-serve "$work/state.json" \
    "127.0.0.1:$p_minuet" "$workers" >"$work/minuet.log" 2>&1 &
fi
pids+=($!)

mkdir -p "$work/knot"
cat >"$work/knot.conf" <<CONF
server:
    rundir: "$work/knot"
    listen: 127.0.0.1@$p_knot
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$work/knot"
log:
  - target: stderr
    any: error
zone:
  - domain: mesos
    storage: "$work"
    file: "mesos.zone"
    semantic-checks: off
    zonefile-sync: -1
    journal-content: none
CONF
"${rt[@]}" taskset -c "$server_cpu" knotd -c "$work/knot.conf" >"$work/knot.log" 2>&1 &
pids+=($!)

cat >"$work/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@$p_nsd
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$work"
    database: ""
    zonelistfile: "$work/zone.list"
    xfrdfile: "$work/xfrd.state"
    xfrdir: "$work"
    pidfile: "$work/nsd.pid"
    verbosity: 0
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
    tcp-count: 256
remote-control:
    control-enable: no
zone:
    name: mesos
    zonefile: mesos.zone
CONF
"${rt[@]}" taskset -c "$server_cpu" nsd -d -c "$work/nsd.conf" >"$work/nsd.log" 2>&1 &
pids+=($!)

probe="$(head -1 "$work/queries.txt" | cut -d' ' -f1)"
wait_ready() {
  local name="$1" port="$2"
  for _ in $(seq 1 100); do
    if dig +tries=1 +time=1 -p "$port" @127.0.0.1 "$probe" A 2>/dev/null | grep -q "status: NOERROR\|status: NXDOMAIN"; then return 0; fi
    sleep 0.2
  done
  echo "dns.sh: $name did not come up on port $port" >&2
  cat "$work/$name.log" >&2 || true
  exit 1
}
wait_ready minuet "$p_minuet"; wait_ready knot "$p_knot"; wait_ready nsd "$p_nsd"

# Knot pins its UDP worker threads itself (worker i to cpu i), which would put it on the client's core and spare it
# the cross-core packet costs the others pay: after start-up, every thread of every server goes back to server_cpu.
for pattern in "$work/knot.conf" "$work/nsd.conf" "127.0.0.1:$p_minuet"; do
  for p in $(pgrep -f -- "$pattern"); do taskset -a -p -c "$server_cpu" "$p" >/dev/null 2>&1 || true; done
done

# Same answers from every server (counts per section) for one query of each kind.
echo "== dns: answer check (answer/authority/additional counts, rcode) =="
for q in $(awk '{print $1"/"$2}' "$work/queries.txt" | awk -F/ '!seen[$2 ($1 ~ /^missing/)]++' | head -6); do
  name="${q%/*}"; type="${q#*/}"
  line=""
  for s in minuet:$p_minuet knot:$p_knot nsd:$p_nsd; do
    out="$(dig +tries=1 +time=2 +norecurse -p "${s#*:}" @127.0.0.1 "$name" "$type")"
    st="$(grep -o 'status: [A-Z]*' <<<"$out" | cut -d' ' -f2)"
    cnt="$(grep -o 'ANSWER: [0-9]*, AUTHORITY: [0-9]*, ADDITIONAL: [0-9]*' <<<"$out" | tr -dc '0-9,')"
    line="$line ${s%%:*}=$st($cnt)"
  done
  echo "  $name $type:$line"
done

# dnsperf output: "Queries per second:   12345.6" and "Average Latency (s):  0.000123 (min ...)".
run_one() {
  local port="$1" mode="$2"
  "${rt[@]}" taskset -c "$client_cpu" dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -m "$mode" \
    -c "$clients" -q "$outstanding" -l "$seconds" 2>&1 \
    | awk '/Queries per second/ {q=$4} /Average Latency/ && l == "" {l=$4} /Queries lost/ {lost=$3} END {printf "%s %s %s\n", q, l*1000, lost}'
}

# Warm-up (JIT tiering in Minuet, caches in all): one short untimed run per server and transport.
for mode in udp tcp; do
  for s in minuet knot nsd; do
    port_var="p_$s"
    "${rt[@]}" taskset -c "$client_cpu" dnsperf -s 127.0.0.1 -p "${!port_var}" -d "$work/queries.txt" -m "$mode" \
      -c "$clients" -q "$outstanding" -l 1 >/dev/null 2>&1 || true
  done
done

declare -A results
echo "== dns: dnsperf ($runs alternating runs x ${seconds}s, -c $clients -q $outstanding, client cpu $client_cpu, servers cpu $server_cpu) =="
for r in $(seq 1 "$runs"); do
  for mode in udp tcp; do
    for s in minuet knot nsd; do
      port_var="p_$s"
      res="$(run_one "${!port_var}" "$mode")"
      results["$s,$mode,$r"]="$res"
      printf '  run %d %-3s %-6s qps %10.0f  avg %7.3f ms  lost %s\n' "$r" "$mode" "$s" $res
    done
  done
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
med() { # server mode field(1=qps,2=latency)
  for r in $(seq 1 "$runs"); do echo "${results[$1,$2,$r]}" | cut -d' ' -f"$3"; done | median
}

echo
echo "== dns: medians (qps higher is better, latency lower is better) =="
printf '| %-9s | %-6s | %12s | %12s |\n' "transport" "server" "qps" "avg ms"
printf '|-----------|--------|--------------|--------------|\n'
for mode in udp tcp; do
  for s in minuet knot nsd; do
    printf '| %-9s | %-6s | %12.0f | %12.3f |\n' "$mode" "$s" "$(med $s $mode 1)" "$(med $s $mode 2)"
  done
done
echo
echo "== dns: ratios of medians (Minuet / peer; qps > 1 and latency < 1 favour Minuet) =="
printf '| %-9s | %-12s | %-12s | %-12s | %-12s |\n' "transport" "qps/Knot" "qps/NSD" "lat/Knot" "lat/NSD"
printf '|-----------|--------------|--------------|--------------|--------------|\n'
for mode in udp tcp; do
  mq="$(med minuet $mode 1)"; ml="$(med minuet $mode 2)"
  kq="$(med knot $mode 1)"; kl="$(med knot $mode 2)"
  nq="$(med nsd $mode 1)"; nl="$(med nsd $mode 2)"
  awk -v m="$mode" -v mq="$mq" -v kq="$kq" -v nq="$nq" -v ml="$ml" -v kl="$kl" -v nl="$nl" \
    'function r(a,b){return b>0 ? sprintf("%.2f", a/b) : "n/a"}
     BEGIN {printf "| %-9s | %-12s | %-12s | %-12s | %-12s |\n", m, r(mq,kq), r(mq,nq), r(ml,kl), r(ml,nl)}'
done
echo "(host: $host, minuet workers: $([ "$host" = cli ] && echo "default (one per cpu)" || echo "$workers"), realtime: ${DNS_RT:-0}, load before: $load; numbers from a shared VM are noisy, compare ratios within one run)"
