#!/bin/sh
# A small job on the shipped Host's embedded default, start to exit: ITEMS items (5 producers and 10 consumers,
# fewer producers when there are fewer items, one consumer for one item), no delays, the per-item lines off, in a
# fresh folder removed afterwards (a new SQLite journal each run). Extra arguments go to the Host.
# Time it as a whole process (docs/benchmarks.md, "Small jobs"):
#   dotnet publish src/Host -c Release -o src/Host/bin/Release/net10.0/publish
#   /usr/bin/time -f '%e s %M KiB' bench/small-job.sh src/Host/bin/Release/net10.0/publish/ActorPipeline.Host.dll 100
set -eu
dll=$(realpath "$1"); items=$2; shift 2
producers=$(( items < 5 ? items : 5 )); consumers=$(( items < 10 ? items : 10 ))
each=$(( items / producers ))
[ $(( each * producers )) -eq "$items" ] || { echo "small-job: $items items do not split evenly over $producers producers" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
dotnet "$dll" -p "$producers" -c "$consumers" --Demo:Producers:MinItems="$each" --Demo:Producers:MaxItems="$each" \
  --Demo:Producers:MinDelay=00:00:00 --Demo:Producers:MaxDelay=00:00:00 \
  --Demo:Consumers:MinDelay=00:00:00 --Demo:Consumers:MaxDelay=00:00:00 \
  --Serilog:MinimumLevel:Override:ActorPipeline.Producers.ProducerActor=Warning \
  --Serilog:MinimumLevel:Override:ActorPipeline.Consumers.ConsumerActor=Warning "$@" >/dev/null
