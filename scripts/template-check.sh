#!/usr/bin/env bash
# The packages and the `dotnet new` template as a user meets them, with nothing from this source tree but
# the packages: packs the solution into a fresh local folder feed, installs ActorPipeline.Templates from it
# into a private template hive, creates a project with `dotnet new actorpipeline-worker` in a temporary
# folder (outside this repository, so none of its Directory.*.props apply), restores it from that feed
# (ActorPipeline.*) and NuGet (everything else) into a private packages folder, builds it with warnings as
# errors, runs it to the end of its run and requires exit code 0 and the run's closing log lines.
# Needs only the .NET SDK and NuGet. Prints one line at the end:
#   template: packed N packages (VERSION), created NAME, built, ran to completion in S s (T s in all)
#
# Environment: TEMPLATE_CHECK_KEEP=1 keeps the temporary folder; TEMPLATE_CHECK_UPSTREAM names the feed for
# third-party packages instead of NuGet's (a mirror); TEMPLATE_CHECK_RUN_TIMEOUT (s, default 300) bounds the run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
upstream=${TEMPLATE_CHECK_UPSTREAM:-https://api.nuget.org/v3/index.json}
run_timeout=${TEMPLATE_CHECK_RUN_TIMEOUT:-300}
started=$(date +%s)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/template-check.XXXXXX")
feed=$tmp/feed          # the local feed: this checkout's packages and nothing else
hive=$tmp/hive          # dotnet new's template hive: nothing goes to the user's profile
packages=$tmp/packages  # the generated project's NuGet packages folder: no stale copy can be used
# A dotted name with a hyphen: the file names keep it, the namespace and the assembly take its C# form.
name=Acme.Prime-Worker
namespace=Acme.Prime_Worker
project=$tmp/$name
app_pid=""
installed=""

say() { echo "template-check: $*"; }
fail() { echo "template-check: FAILED: $*" >&2; exit 1; }
cleanup() {
  status=$?
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$installed" ]; then
    dotnet new uninstall ActorPipeline.Templates --debug:custom-hive "$hive" >/dev/null 2>&1 || true
  fi
  if [ "${TEMPLATE_CHECK_KEEP:-}" = 1 ] || [ "$status" -ne 0 ]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

# The check means something only if the generated project sees none of a surrounding repository's MSBuild files.
dir=$tmp
while [ "$dir" != / ]; do
  for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
    [ ! -e "$dir/$file" ] || fail "$dir/$file would apply to the generated project; set TMPDIR to a folder outside any repository"
  done
  dir=$(dirname "$dir")
done

# 1. Pack: the libraries and the template package, into an empty folder.
say "packing ActorPipeline.sln into $feed"
mkdir -p "$feed"
dotnet pack ActorPipeline.sln -c Release -o "$feed" -tl:off >"$tmp/pack.log" 2>&1 || { tail -n 40 "$tmp/pack.log" >&2; fail "dotnet pack"; }
count=0
for id in ActorPipeline.Coordinator ActorPipeline.Producers ActorPipeline.Consumers ActorPipeline.Hosting ActorPipeline.Templates; do
  matches=("$feed/$id".[0-9]*.nupkg)
  [ -f "${matches[0]}" ] || fail "no $id package in $feed"
  count=$((count + 1))
done
nupkgs=("$feed"/*.nupkg)
[ "${#nupkgs[@]}" -eq "$count" ] || fail "expected $count packages in $feed, found: $(cd "$feed" && echo *.nupkg)"
template_package=$(ls "$feed"/ActorPipeline.Templates.[0-9]*.nupkg)
version=${template_package##*/ActorPipeline.Templates.}
version=${version%.nupkg}
for id in ActorPipeline.Coordinator ActorPipeline.Producers ActorPipeline.Consumers ActorPipeline.Hosting; do
  [ -f "$feed/$id.$version.nupkg" ] || fail "$id is not at the template package's version $version"
  [ -f "$feed/$id.$version.snupkg" ] || fail "$id $version has no symbol package"
done
say "packed $count packages, version $version"

# 2. Install the template from the feed's package, into a private hive.
dotnet new install "$template_package" --debug:custom-hive "$hive" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; fail "dotnet new install"; }
installed=1
grep -q "actorpipeline-worker" "$tmp/install.log" || { cat "$tmp/install.log" >&2; fail "the package installed no actorpipeline-worker template"; }

# 3. Create a project from it, outside the repository.
dotnet new actorpipeline-worker -n "$name" -o "$project" --no-update-check --debug:custom-hive "$hive" >"$tmp/new.log" 2>&1 || { cat "$tmp/new.log" >&2; fail "dotnet new actorpipeline-worker"; }
for file in "$name.csproj" Program.cs NumberSource.cs FactorHandler.cs WorkerOptions.cs appsettings.json Dockerfile docker-compose.yml README.md .gitignore .dockerignore; do
  [ -f "$project/$file" ] || fail "the generated project has no $file"
done
grep -q "<PackageReference Include=\"ActorPipeline.Hosting\" Version=\"$version\" />" "$project/$name.csproj" \
  || fail "$name.csproj does not reference ActorPipeline.Hosting $version: $(grep ActorPipeline.Hosting "$project/$name.csproj")"
grep -q "namespace $namespace;" "$project/NumberSource.cs" || fail "the project's name did not become its namespace $namespace"
grep -q "ENTRYPOINT \[\"dotnet\", \"$namespace.dll\"\]" "$project/Dockerfile" || fail "the Dockerfile does not start $namespace.dll"
! grep -rl "ActorPipelineWorker\|actorpipelineworker\|0.0.0-actorpipeline-version" "$project" || fail "template placeholders were left in the files above"

# 4. Restore and build it against the feed: ActorPipeline.* only from the feed, the rest from upstream,
#    into a packages folder of its own.
cat >"$project/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$packages" />
  </config>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="upstream" value="$upstream" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="ActorPipeline.*" />
    </packageSource>
    <packageSource key="upstream">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders>
    <clear />
  </fallbackPackageFolders>
</configuration>
EOF
(
  cd "$project"
  export NUGET_PACKAGES=$packages
  dotnet build -c Release -tl:off -warnaserror >"$tmp/build.log" 2>&1
) || { tail -n 40 "$tmp/build.log" >&2; fail "dotnet build of the generated project"; }
grep -q " 0 Warning(s)" "$tmp/build.log" || { cat "$tmp/build.log" >&2; fail "the generated project built with warnings"; }
for id in ActorPipeline.Hosting ActorPipeline.Coordinator ActorPipeline.Producers ActorPipeline.Consumers; do
  lower=$(echo "$id" | tr '[:upper:]' '[:lower:]')
  restored=$packages/$lower/$version
  [ -f "$restored/$lower.$version.nupkg" ] || fail "$id $version was not restored into $packages"
  cmp -s "$restored/$lower.$version.nupkg" "$feed/$id.$version.nupkg" || fail "the restored $id differs from the one just packed"
  grep -q "\"source\": \"$feed\"" "$restored/.nupkg.metadata" || fail "$id was not restored from $feed: $(cat "$restored/.nupkg.metadata")"
done
if grep -rq "ProjectReference" "$project/$name.csproj"; then fail "the generated project references a project"; fi
# The assembly the Dockerfile starts.
dll=$project/bin/Release/net10.0/$namespace.dll
[ -f "$dll" ] || fail "no $dll: the Dockerfile would start nothing"
say "built $name against ActorPipeline.Hosting $version from the feed"

# 5. Run it to the end of its run, as `dotnet run` would (the project folder is the working directory, so the
#    SQLite journal goes to its data/ folder): 100 items, short pauses.
run_started=$(date +%s)
(
  cd "$project"
  exec timeout -k 30 "$run_timeout" dotnet "$dll" --Worker:Interval=00:00:00.010
) >"$tmp/run.log" 2>&1 &
app_pid=$!
run_status=0
wait "$app_pid" || run_status=$?
app_pid=""
run_seconds=$(( $(date +%s) - run_started ))
if [ "$run_status" -ne 0 ]; then
  tail -n 40 "$tmp/run.log" >&2
  fail "the generated worker exited $run_status (0 is every item done; 124 is the $run_timeout s timeout)"
fi
grep -q "Run over: every producer is done and every accepted item is done." "$tmp/run.log" || { tail -n 40 "$tmp/run.log" >&2; fail "no 'Run over' line"; }
grep -q "Run summary: 100 produced, 100 accepted, 100 completed, 0 dead-lettered" "$tmp/run.log" || { tail -n 40 "$tmp/run.log" >&2; fail "the run summary is not 100 of 100 completed"; }
grep -q "Program completed in" "$tmp/run.log" || { tail -n 40 "$tmp/run.log" >&2; fail "no 'Program completed' line"; }
handled=$(grep -c "Item [0-9]*: [0-9]* = " "$tmp/run.log" || true)
[ "$handled" -eq 100 ] || fail "the handler logged $handled items, not 100"
grep -q "Item 0: 1000000000000 = 2 × 2 × 2 × 2 × 2 × 2 × 2 × 2 × 2 × 2 × 2 × 2 × 5 × 5 × 5 × 5 × 5 × 5 × 5 × 5 × 5 × 5 × 5 × 5 " "$tmp/run.log" \
  || fail "item 0 was not factorised as 2^12 × 5^12"
[ -f "$project/data/actor-pipeline.db" ] || fail "no SQLite journal in $project/data"
say "$(grep -o 'Run summary: [^.]*' "$tmp/run.log" | head -n 1)"
say "$(grep -o 'Program completed in [0-9.]* seconds' "$tmp/run.log" | tail -n 1)"

# 6. Uninstall (the hive and the folder go with the trap).
dotnet new uninstall ActorPipeline.Templates --debug:custom-hive "$hive" >"$tmp/uninstall.log" 2>&1 || { cat "$tmp/uninstall.log" >&2; fail "dotnet new uninstall"; }
installed=""

echo "template: packed $count packages ($version), created $name, built, ran to completion in $run_seconds s ($(( $(date +%s) - started )) s in all)"
