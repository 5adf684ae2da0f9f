#!/bin/bash
# Three Host processes on 127.0.0.1 as README's "A cluster of nodes" starts them by hand: a coordinator node (the seed,
# SQLite journal in its own folder), a producer node (5 producers) and a consumer node (10 consumers), ITEMS items in
# all, no delays, per-item lines off, the coordinator's progress every second. Timed from the first start to the last
# exit; prints each node's exit code and peak memory, and the completion rate while producers produced and after,
# from the coordinator's progress lines. Extra arguments go to every node (e.g. --Pipeline:Queue:Capacity=0).
#   dotnet publish src/Host -c Release -o src/Host/bin/Release/net10.0/publish
#   bench/cluster-run.sh src/Host/bin/Release/net10.0/publish/ActorPipeline.Host.dll 5000000
set -euo pipefail
# As the image runs its nodes (src/Host/Dockerfile): hot methods optimised at once. DOTNET_TC_CallCountingDelayMs=100 is .NET's default.
export DOTNET_TC_CallCountingDelayMs=${DOTNET_TC_CallCountingDelayMs:-0}
dll=$(realpath "$1"); items=$2; shift 2
dir=$(mktemp -d); trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
common=(--Cluster:SeedNodes=akka.tcp://actor-pipeline@127.0.0.1:$port --Cluster:MinimumMembers=3
  --Demo:Producers:MinItems=$((items / 5)) --Demo:Producers:MaxItems=$((items / 5))
  --Demo:Producers:MinDelay=00:00:00 --Demo:Producers:MaxDelay=00:00:00 --Demo:Consumers:MinDelay=00:00:00 --Demo:Consumers:MaxDelay=00:00:00
  --Pipeline:Queue:ProgressInterval=00:00:01
  # Every node waits for all three (MinimumMembers), so the coordinator need not wait for late producer nodes (README, ProducerJoinWindow).
  --Pipeline:Queue:ProducerJoinWindow=00:00:00
  --Serilog:MinimumLevel:Override:ActorPipeline.Producers.ProducerActor=Warning
  --Serilog:MinimumLevel:Override:ActorPipeline.Consumers.ConsumerActor=Warning)
node() { # name roles port extra...
  local name=$1 roles=$2 p=$3; shift 3
  mkdir -p "$dir/$name"
  (cd "$dir/$name" && /usr/bin/time -f "$name: exit %x, peak %M KiB, CPU %U s user %S s sys" -o "$dir/$name.time" dotnet "$dll" --Cluster:Roles=$roles --Cluster:Port=$p "${common[@]}" "$@" > "$dir/$name.log" 2>&1) &
}
echo "logs: $dir" >&2
start=$(date +%s.%N)
node coordinator coordinator "$port" "$@"
# As compose starts them (depends_on the seed's health): the other nodes once the seed is up, so that none reaches for
# it before it listens and waits out Akka's 5 s gate (README, "Nodes started at the same moment"). TOGETHER=1 starts
# all three at once, as three terminals opened together would.
if [ -z "${TOGETHER:-}" ]; then
  for _ in $(seq 300); do grep -q "Application started" "$dir/coordinator.log" 2>/dev/null && break; sleep 0.1; done
fi
node producer producer 0 -p 5 "$@"
node consumer consumer 0 -c 10 "$@"
wait
end=$(date +%s.%N)
cat "$dir"/*.time | grep -v "^Command"
python3 - "$dir/coordinator.log" "$start" "$end" "$items" <<'PY'
import re, sys
log, start, end, items = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"whole run: {end - start:.2f} s, {items / (end - start):,.0f} items/s")
producing, after = [], []
for line in open(log):
    m = re.search(r"Progress: done (\d+) of (\d+) accepted, ([\d.]+) items/s.*producers still producing: (\d+)", line)
    # The last line (all done) covers only part of a second: left out.
    if m and float(m.group(3)) > 0 and m.group(1) != m.group(2):
        (producing if int(m.group(4)) > 0 else after).append(float(m.group(3)))
avg = lambda xs: sum(xs) / len(xs) if xs else float("nan")
print("completions per second, in order: " + ", ".join(f"{r / 1000:.0f}k" for r in producing + after))
print(f"completions while producing: {avg(producing):,.0f} items/s over {len(producing)} s; after: {avg(after):,.0f} items/s over {len(after)} s")
PY
