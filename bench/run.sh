#!/usr/bin/env bash
# Every load scenario behind docs/benchmarks.md, in order, on an otherwise idle machine:
#   bench/run.sh [OUTPUT]        (default bench/results.txt; about 15 minutes on 2 cores)
# The BenchmarkDotNet hot paths are separate:
#   dotnet run -c Release --project bench/ActorPipeline.Benchmarks -- micro --filter '*' --inProcess --memory
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results.txt}
dotnet build bench/ActorPipeline.Benchmarks -c Release -v q -nologo >/dev/null
run() { echo "\$ bench $*"; dotnet bench/ActorPipeline.Benchmarks/bin/Release/net10.0/ActorPipeline.Benchmarks.dll "$@"; echo; }
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, .NET SDK $(dotnet --version), $(python3 --version)"
  run inproc --items 1000000
  run cross --items 1000000
  run durable --items 1000000
  run memory --items 1000000 --batch 1000 --window 10000
  # Latency at about half of the peak measured above (in-process ~2.2M items/s, three processes ~300k).
  run coordinator --items 2000000 --rate 1100000
  run remote --items 1000000 --rate 150000
  # How cost grows (ephemeral coordinator in-process unless said).
  for items in 10000 100000 1000000 10000000; do run coordinator --items "$items"; done
  run channel --items 10000000
  for consumers in 1 4 16 64 256; do run coordinator --items 1000000 --consumers "$consumers"; done
  for batch in 1 10 100 1000; do run coordinator --items 1000000 --batch "$batch" --window $((batch * 10)); done
  for batch in 1 10 100 1000; do run remote --items $((batch == 1 ? 100000 : 500000)) --batch "$batch" --window $((batch * 10)); done
  for nodes in 1 2 3 4; do run remote --items 500000 --nodes "$nodes"; done
} 2>&1 | tee "$out"
