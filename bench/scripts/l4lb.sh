#!/usr/bin/env bash
# L4 balancer end to end, side by side in one run, all inside network namespaces this script creates
# (198.18.0.0/15 addresses, no route out):
#   direct   client -> backends (connections spread over both, like the balanced targets)
#   nft      kernel nftables DNAT with a `numgen random` map (the kernel's own limit)
#   haproxy  HAProxy in TCP mode (what marathon-lb used)
#   minuet   Minuet VIP: SYN -> NFQUEUE -> choose -> ctnetlink DNAT entry -> accept
# Measures new connections/s and connect p50/p99 (client closes first with SO_LINGER 0, sources spread over
# 50 addresses, conntrack flushed between runs, so TIME_WAIT is not what gets measured), then a 1 GB transfer
# each way. Runs alternate between targets; medians of ROUNDS runs; ratios against nft and direct.
# Usage: bench/scripts/l4lb.sh [ROUNDS] [SECONDS]   (run by ./run-bench.sh l4lb, as root)
# L4LB_CONNECT_ONLY=1 runs only the new-connection part (no transfers, no scale run): quick before/after pairs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-3}"
seconds="${2:-5}"
bytes="${L4LB_BYTES:-1073741824}"
id="$$"
c="mlbb-c-$id"
b1="mlbb-1-$id"
b2="mlbb-2-$id"
work="$(mktemp -d)"
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # Give the daemons time for their clean exit (rules and set removal) before forcing.
  for _ in $(seq 1 50); do
    alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.1
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for ns in "$c" "$b1" "$b2" "mlbb-s-$id"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "l4lb.sh: needs root (network namespaces)" >&2; exit 1; }

echo "== l4lb: building Release =="
dotnet build -c Release -v q --nologo "$root/bench/Minuet.Benchmarks" >/dev/null
dotnet build -c Release -v q --nologo "$root/src/Cli" >/dev/null
load="dotnet $root/bench/Minuet.Benchmarks/bin/Release/net10.0/Minuet.Benchmarks.dll l4load"
minuet="dotnet $root/src/Cli/bin/Release/net10.0/minuet.dll"

# Topology: the client namespace routes to each backend over its own veth.
ip netns add "$c"; ip netns add "$b1"; ip netns add "$b2"
ip -n "$c" link set lo up
n=1
for b in "$b1" "$b2"; do
  ip -n "$b" link set lo up
  ip link add "vc$n-$id" netns "$c" type veth peer name "vb$n-$id" netns "$b"
  ip -n "$c" addr add "198.18.$n.1/24" dev "vc$n-$id"; ip -n "$c" link set "vc$n-$id" up
  ip -n "$b" addr add "198.18.$n.2/24" dev "vb$n-$id"; ip -n "$b" link set "vb$n-$id" up
  ip -n "$b" route add default via "198.18.$n.1"
  n=$((n + 1))
done
# VIPs need a route for the SYN to leave (DNAT re-routes it); client sources live on lo (no dummy module needed).
for i in $(seq 1 50); do ip -n "$c" addr add "198.18.250.$i/32" dev lo; done
ip -n "$c" route add 198.19.0.0/16 via 198.18.1.2 src 198.18.250.1
ip netns exec "$c" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"

for n in 1 2; do
  b="mlbb-$n-$id"
  ip netns exec "$b" $load serve "198.18.$n.2:80" --bytes "$bytes" & pids+=($!)
done

# nftables DNAT: VIP 198.19.0.20:80 -> random backend.
ip netns exec "$c" nft -f - <<NFT
table ip mlbbench {
  chain out {
    type nat hook output priority -100;
    ip daddr 198.19.0.20 tcp dport 80 dnat to numgen random mod 2 map { 0 : 198.18.1.2, 1 : 198.18.2.2 }
  }
}
NFT

# HAProxy in TCP mode on 198.18.250.1:9000.
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend vip
  bind 198.18.250.1:9000
  default_backend pool
backend pool
  balance roundrobin
  server b1 198.18.1.2:80
  server b2 198.18.2.2:80
CFG
ip netns exec "$c" haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & pids+=($!)

# Minuet: a Mesos-style state with one VIP 198.19.0.10:80 on two tasks (agents are the backends).
cat >"$work/state.json" <<JSON
{"frameworks":[{"id":"fw","name":"marathon","tasks":[
 {"id":"web.1","name":"web","framework_id":"fw","slave_id":"a1","state":"TASK_RUNNING","resources":{"ports":"[80-80]"},
  "discovery":{"name":"web","ports":{"ports":[{"number":80,"protocol":"tcp","labels":{"labels":[{"key":"VIP_0","value":"198.19.0.10:80"}]}}]}},
  "statuses":[{"state":"TASK_RUNNING","timestamp":1}]},
 {"id":"web.2","name":"web","framework_id":"fw","slave_id":"a2","state":"TASK_RUNNING","resources":{"ports":"[80-80]"},
  "discovery":{"name":"web","ports":{"ports":[{"number":80,"protocol":"tcp","labels":{"labels":[{"key":"VIP_0","value":"198.19.0.10:80"}]}}]}},
  "statuses":[{"state":"TASK_RUNNING","timestamp":1}]}]}],
 "slaves":[{"id":"a1","hostname":"198.18.1.2","pid":"slave(1)@198.18.1.2:5051"},{"id":"a2","hostname":"198.18.2.2","pid":"slave(1)@198.18.2.2:5051"}]}
JSON
ip netns exec "$c" $minuet dataplane --state-file "$work/state.json" --vip-range 198.19.0.0/16 \
  --http-listen 127.0.0.1:61421 --dns-listen 127.0.0.1:8053 --no-forward --l4lb on --queue-balance 50 \
  >"$work/minuet.log" 2>&1 & pids+=($!)

# Wait until every target answers (bounded); a target that never does is reported, not waited on forever.
for target in 198.18.1.2:80 198.18.2.2:80 198.19.0.20:80 198.18.250.1:9000 198.19.0.10:80; do
  ok=0
  for _ in $(seq 1 60); do
    if ip netns exec "$c" $load connect "$target" --seconds 0.2 --concurrency 1 2>/dev/null | grep -q ' errors=0'; then ok=1; break; fi
    sleep 0.5
  done
  [ "$ok" = 1 ] || { echo "l4lb.sh: $target does not answer" >&2; tail -20 "$work/minuet.log" >&2; }
done

declare -A targets=([direct]=198.18.1.2:80,198.18.2.2:80 [nft]=198.19.0.20:80 [haproxy]=198.18.250.1:9000 [minuet]=198.19.0.10:80)
order=(direct nft haproxy minuet)
declare -A rate p50 p99 down up
for t in "${order[@]}"; do rate[$t]=""; p50[$t]=""; p99[$t]=""; down[$t]=""; up[$t]=""; done

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else print a[int((NR+1)/2)]}'; }

echo "== l4lb: new connections, $rounds rounds x ${seconds}s per target, alternating =="
for r in $(seq 1 "$rounds"); do
  for t in "${order[@]}"; do
    ip netns exec "$c" conntrack -F >/dev/null 2>&1 || true
    line="$(ip netns exec "$c" $load connect "${targets[$t]}" --seconds "$seconds" --concurrency 32 --sources 198.18.250.1-50)"
    echo "  round $r $t: $line"
    rate[$t]+="$(sed -E 's/.*rate=([0-9]+).*/\1/' <<<"$line") "
    p50[$t]+="$(sed -E 's/.*p50_us=([0-9]+).*/\1/' <<<"$line") "
    p99[$t]+="$(sed -E 's/.*p99_us=([0-9]+).*/\1/' <<<"$line") "
  done
done

connect_only="${L4LB_CONNECT_ONLY:-0}"
[ "$connect_only" = 1 ] || echo "== l4lb: ${bytes}-byte transfer each way, $rounds rounds, alternating =="
for r in $(seq 1 "$rounds"); do
  [ "$connect_only" = 1 ] && break
  for t in "${order[@]}"; do
    d="$(ip netns exec "$c" $load download "${targets[$t]%%,*}" --bytes "$bytes" | sed -E 's/seconds=([0-9.]+).*/\1/')"
    u="$(ip netns exec "$c" $load upload "${targets[$t]%%,*}" --bytes "$bytes" | sed -E 's/seconds=([0-9.]+).*/\1/')"
    echo "  round $r $t: download ${d}s upload ${u}s"
    down[$t]+="$d "; up[$t]+="$u "
  done
done

m() { tr ' ' '\n' <<<"$1" | { grep -v '^$' || true; } | median; }
nft_rate="$(m "${rate[nft]}")"; direct_rate="$(m "${rate[direct]}")"
direct_down="$(m "${down[direct]}")"; direct_up="$(m "${up[direct]}")"
echo
echo "| target | conn/s | vs nft | vs direct | p50 us | p99 us | 1GB down s | vs direct | 1GB up s | vs direct |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for t in "${order[@]}"; do
  cr="$(m "${rate[$t]}")"; dn="$(m "${down[$t]}")"; upm="$(m "${up[$t]}")"
  awk -v t="$t" -v cr="$cr" -v nr="$nft_rate" -v dr="$direct_rate" -v p5="$(m "${p50[$t]}")" -v p9="$(m "${p99[$t]}")" \
      -v dn="$dn" -v dd="$direct_down" -v up="$upm" -v du="$direct_up" \
      'BEGIN { printf "| %s | %d | %.2f | %.2f | %d | %d | %.2f | %.2f | %.2f | %.2f |\n", t, cr, (nr>0?cr/nr:0), (dr>0?cr/dr:0), p5, p9, dn, (dd>0?dn/dd:0), up, (du>0?up/du:0) }'
done
echo
echo "minuet counters and per-SYN decision time (from its /metrics):"
ip netns exec "$c" curl -s http://127.0.0.1:61421/metrics | grep -E '^minuet_l4lb_(syns|natted|nat_errors|stale|queue)' || true
# Quantiles from the cumulative histogram: the first bucket holding the quantile's share (an upper bound).
ip netns exec "$c" curl -s http://127.0.0.1:61421/metrics | awk '/^minuet_l4lb_decision_seconds_bucket/ {split($1,a,"\""); b[++n]=a[2]; v[n]=$2}
  function q(f,  i) { for (i=1;i<=n;i++) if (v[i] >= f*v[n]) return (b[i]=="+Inf" ? "+Inf" : sprintf("%g us", b[i]*1e6)); return "?" }
  END { if (n==0 || v[n]==0) { print "decision: no SYNs recorded"; exit }
        print "decision per SYN (" v[n] " SYNs): p50 <= " q(0.5) ", p99 <= " q(0.99) }'
ip netns exec "$c" curl -s http://127.0.0.1:61421/metrics | grep -E '^minuet_l4lb_(wakeups|batch)' || true

# L4LB_STRACE=1: one more short minuet run with strace counting the queue workers' syscalls (slows that run;
# its figures are not in the table): syscalls per SYN and per wake-up, where the per-SYN cost goes.
if [ "${L4LB_STRACE:-0}" = 1 ]; then
  dp="$(pgrep -f -- "--http-listen 127.0.0.1:61421" | head -1 || true)"
  tids="$(for t in /proc/"$dp"/task/*; do if grep -q '^minuet nfqueue' "$t/comm" 2>/dev/null; then basename "$t"; fi; done | sed 's/^/-p /' | tr '\n' ' ')"
  syns_before="$(ip netns exec "$c" curl -s http://127.0.0.1:61421/metrics | awk '/^minuet_l4lb_syns_total/ {print $2}')"
  # shellcheck disable=SC2086
  strace -c -o "$work/strace.txt" $tids & strace_pid=$!
  sleep 1
  ip netns exec "$c" conntrack -F >/dev/null 2>&1 || true
  echo "  strace run: $(ip netns exec "$c" $load connect "${targets[minuet]}" --seconds 3 --concurrency 32 --sources 198.18.250.1-50)"
  sleep 0.5; kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null || true
  syns_after="$(ip netns exec "$c" curl -s http://127.0.0.1:61421/metrics | awk '/^minuet_l4lb_syns_total/ {print $2}')"
  syns=$(( ${syns_after%.*} - ${syns_before%.*} ))
  echo "queue worker syscalls during the strace run ($syns SYNs):"
  awk -v n="$syns" '$1 ~ /^[0-9.]+$/ && NF >= 5 { name=$NF; calls=$4; if (name != "total") printf "  %-12s %8d calls  %.2f per SYN\n", name, calls, (n>0?calls/n:0) }' "$work/strace.txt"
fi

[ "$connect_only" = 1 ] && exit 0

# Scale: 10,000 VIPs x 10 backends from a fresh daemon (its own namespace, nothing else running there).
scale_vips="${L4LB_SCALE_VIPS:-10000}"
echo "== l4lb: scale, $scale_vips VIPs x 10 backends =="
s="mlbb-s-$id"
ip netns add "$s"; ip -n "$s" link set lo up
$load state "$scale_vips" 10 >"$work/scale.json"
start_ns="$(date +%s%N)"
ip netns exec "$s" $minuet dataplane --state-file "$work/scale.json" --vip-range 198.19.0.0/16 \
  --http-listen 127.0.0.1:61422 --dns-listen 127.0.0.1:8054 --no-forward --l4lb on --queue-balance 50 \
  >"$work/scale.log" 2>&1 & scale_pid=$!; pids+=($scale_pid)
programmed=""
for _ in $(seq 1 600); do
  n="$( (ip netns exec "$s" ipset list minuet-vips -t 2>/dev/null || true) | awk -F': ' '/Number of entries/ {print $2}')"
  if [ "${n:-0}" -ge "$scale_vips" ]; then programmed="$(( ($(date +%s%N) - start_ns) / 1000000 ))"; break; fi
  sleep 0.1
done
sleep 1
rss="$(awk '/VmRSS/ {print $2}' "/proc/$scale_pid/status" 2>/dev/null || echo 0)"
echo "daemon start to $scale_vips VIPs in the kernel set: ${programmed:-timeout} ms (includes process start, state parse, DNS records)"
grep -E 'VIP table applied|Published snapshot' "$work/scale.log" | head -2 || true
echo "daemon RSS after programming: $((rss / 1024)) MB"
# The data plane trims its heap 5 s after a burst of snapshot builds settles (MemoryTrimmer): the steady figure.
sleep 7
rss="$(awk '/VmRSS/ {print $2}' "/proc/$scale_pid/status" 2>/dev/null || echo 0)"
echo "daemon RSS settled (8 s after programming): $((rss / 1024)) MB (goal < 200 MB)"
kill -TERM "$scale_pid" 2>/dev/null || true
ip netns del "$s" 2>/dev/null || true
