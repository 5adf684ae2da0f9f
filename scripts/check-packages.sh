#!/usr/bin/env bash
# Lists vulnerable and deprecated NuGet packages of the whole solution, direct and transitive, and
# fails on a vulnerability of high or critical severity. NuGet learns of advisories from its sources'
# VulnerabilityInfo resource; a source without one (a mirror, an offline copy) makes `--vulnerable`
# report "no vulnerable packages" for want of data, so this script says so instead of passing silently.
set -euo pipefail
cd "$(dirname "$0")/.."

report=$(mktemp -d)
trap 'rm -rf "$report"' EXIT

dotnet list ActorPipeline.sln package --vulnerable --include-transitive --format json >"$report/vulnerable.json"
dotnet list ActorPipeline.sln package --deprecated --include-transitive --format json >"$report/deprecated.json"

with_data=0
for source in $(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1])).get("sources", [])))' "$report/vulnerable.json"); do
  if curl -fsS --max-time 20 "$source" 2>/dev/null | grep -q '"VulnerabilityInfo'; then
    with_data=1
  else
    echo "check-packages: $source publishes no vulnerability data (no VulnerabilityInfo resource in its service index)"
  fi
done

python3 - "$report" "$with_data" <<'PY'
import json, pathlib, sys
report, with_data = pathlib.Path(sys.argv[1]), sys.argv[2] == "1"

def packages(doc):
    for project in doc.get("projects", []):
        for framework in project.get("frameworks", []):
            for kind in ("topLevelPackages", "transitivePackages"):
                for package in framework.get(kind, []):
                    yield pathlib.Path(project["path"]).stem, kind, package

severe = []
for project, kind, package in packages(json.loads((report / "vulnerable.json").read_text())):
    for vulnerability in package.get("vulnerabilities", []):
        severity = vulnerability.get("severity", "?")
        print(f"vulnerable: {package['id']} {package.get('resolvedVersion')} ({severity}, {kind}) in {project}: {vulnerability.get('advisoryurl')}")
        if severity.lower() in ("high", "critical"):
            severe.append(package["id"])
for project, kind, package in packages(json.loads((report / "deprecated.json").read_text())):
    reasons = ", ".join(package.get("deprecationReasons", []))
    alternative = package.get("alternativePackage", {}).get("id", "none")
    print(f"deprecated: {package['id']} {package.get('resolvedVersion')} ({reasons}; alternative {alternative}, {kind}) in {project}")

if severe:
    print(f"check-packages: FAILED: high or critical vulnerabilities in {', '.join(sorted(set(severe)))}")
    sys.exit(1)
if with_data:
    print("check-packages: no high or critical vulnerabilities")
else:
    print("check-packages: no vulnerability data is available from the configured sources, so no advisory could be "
          "checked; run this script where nuget.org itself is reachable (its service index has VulnerabilityInfo)")
PY
