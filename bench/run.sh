#!/usr/bin/env bash
# Every load scenario behind docs/benchmarks.md, in order, on an otherwise idle machine:
#   bench/run.sh [OUTPUT]        (default bench/results.txt; about 30 minutes on 2 cores, the soak 10 of them)
# The BenchmarkDotNet hot paths are separate:
#   dotnet run -c Release --project bench/ActorPipeline.Benchmarks -- micro --filter '*' --inProcess --memory
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results.txt}
# The Host binary too, published as the image has it (ReadyToRun): the shipped and host-cluster scenarios run it as users do.
dotnet publish src/Host -c Release -o src/Host/bin/Release/net10.0/publish -v q -nologo >/dev/null
dotnet build bench/ActorPipeline.Benchmarks -c Release -v q -nologo >/dev/null
run() { echo "\$ bench $*"; dotnet bench/ActorPipeline.Benchmarks/bin/Release/net10.0/ActorPipeline.Benchmarks.dll "$@"; echo; }
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, .NET SDK $(dotnet --version), $(python3 --version)"
  # What users run: the Host binary, whole processes, next to the asyncio program; and a short run for start-up's share.
  run shipped --items 1000000
  run shipped --items 10000
  run inproc --items 1000000
  run cross --items 1000000
  run durable --items 1000000
  run memory --items 1000000 --batch 1000 --window 10000
  # Latency at about half of the in-process peak measured above, backpressure on (capacity 10,000).
  run coordinator --items 2000000 --rate 500000
  # How cost grows (ephemeral, shipped actors in-process unless said).
  for items in 10000 100000 1000000 10000000; do run coordinator --items "$items"; done
  for consumers in 1 4 16 64; do run coordinator --items 1000000 --consumers "$consumers"; done
  for batch in 1 10 100; do run coordinator --items 1000000 --batch "$batch" --window $((batch * 10)); done
  for nodes in 1 2; do run host-cluster --items 1000000 --nodes "$nodes"; done
  run soak --minutes 10
} 2>&1 | tee "$out"
