#!/usr/bin/env bash
# Writes docs/dashboard.png (or the path given): the operator's page of the shipped Host mid-run, as
# headless Chromium draws it. It is the dashboard spec's own run (tests/ActorPipeline.Tests/Host/
# DashboardSpecs.cs: the Host on its embedded default with the page on, 3 producers, 4 consumers, a few
# poison items), so the picture is of a page the spec has just compared with the coordinator's status.
#   scripts/dashboard-screenshot.sh [OUT.png]      needs Debian's chromium (or CHROMIUM=path)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/dashboard.png}")
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "no chromium: apt-get install chromium, or set CHROMIUM" >&2; exit 1; }
rm -f "$out"
ACTORPIPELINE_DASHBOARD_SCREENSHOT=$out dotnet test tests/ActorPipeline.Tests \
  --filter "FullyQualifiedName~DashboardSpecs.The_page_shows_the_coordinators_figures_during_the_run_and_at_its_end"
[ -s "$out" ] || { echo "the spec wrote no screenshot" >&2; exit 1; }
echo "wrote $out ($(stat -c %s "$out") bytes)"
