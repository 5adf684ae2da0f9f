#!/bin/sh
# One whole run of the shipped Host on its embedded default (SQLite journal, in a fresh folder that is
# removed afterwards): 5 producers x 200,000 items and 10 consumers with no delays, the per-item log
# lines off. Extra arguments go to the Host (e.g. --Operations:DashboardEnabled=true --Operations:HttpPort=18199 for the page on).
# Time it as a whole process, alternating the builds compared (docs/benchmarks.md, the operator's page):
#   dotnet publish src/Host -c Release -o src/Host/bin/Release/net10.0/publish   (the Host as it ships: ReadyToRun)
#   /usr/bin/time -f '%e s %M KiB' bench/host-run.sh src/Host/bin/Release/net10.0/publish/ActorPipeline.Host.dll
set -eu
dll=$(realpath "$1"); shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
dotnet "$dll" -p 5 -c 10 --Demo:Producers:MinItems=200000 --Demo:Producers:MaxItems=200000 \
  --Demo:Producers:MinDelay=00:00:00 --Demo:Producers:MaxDelay=00:00:00 \
  --Demo:Consumers:MinDelay=00:00:00 --Demo:Consumers:MaxDelay=00:00:00 \
  --Serilog:MinimumLevel:Override:ActorPipeline.Producers.ProducerActor=Warning \
  --Serilog:MinimumLevel:Override:ActorPipeline.Consumers.ConsumerActor=Warning "$@" >/dev/null
