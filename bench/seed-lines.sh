#!/bin/sh
# The shipped Host with the seed's per-item lines on ("Producer 0 added <...>", "Consumer 3 got element <...>"), its
# log on stdout: ITEMS items, 5 producers and 10 consumers, no delays, a fresh folder removed afterwards. Against the
# seed program with its prints, both written to a file (docs/benchmarks.md):
#   /usr/bin/time -f '%e s %M KiB' sh -c 'bench/seed-lines.sh src/Host/bin/Release/net10.0/publish/ActorPipeline.Host.dll 200000 > /tmp/host.log'
#   /usr/bin/time -f '%e s %M KiB' sh -c 'python3 bench/peers/asyncio_queue.py 200000 5 10 10000 --prints > /tmp/asyncio.log'
set -eu
dll=$(realpath "$1"); items=$2; shift 2
each=$(( items / 5 ))
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
dotnet "$dll" -p 5 -c 10 --Demo:Producers:MinItems="$each" --Demo:Producers:MaxItems="$each" \
  --Demo:Producers:MinDelay=00:00:00 --Demo:Producers:MaxDelay=00:00:00 \
  --Demo:Consumers:MinDelay=00:00:00 --Demo:Consumers:MaxDelay=00:00:00 "$@"
