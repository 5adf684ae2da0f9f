#!/usr/bin/env bash
# End-to-end run of docker-compose.yml as a new user meets it, against whatever Docker engine DOCKER_HOST
# names (or the default one), with `docker compose` or `docker-compose`:
#   - a fresh copy of this checkout (tracked and new files; nothing git ignores, so no secrets made),
#   - one count changed in src/Host/appsettings.json, the file README says to edit,
#   - `up --build --scale producers=3 --scale consumers=3` with no total set anywhere,
#   - shorter delays only through the compose file's pass-through variables.
# It checks from the JSON logs that the secrets service made the secrets, the run took the count from
# appsettings, every produced item was completed, consumers were cancelled after the run's join, every
# app container exited 0, no container logged a warning or an error, the seed's closing line is each
# node's last, and README's timeline recipe reads the logs; and that the hardening held: node links on TLS
# only, read-only root filesystems, no published port, the CA key mounted in no node, and no secret
# (journal password, certificate password, dashboard token) in any log or container environment; and that
# the coordinator's operator page answers mid-run, refuses a requeue without the token and takes one with
# the token from the secrets volume; and that a job submitted mid-run with curl (the jobs API, turned on through
# the compose file's pass-through variable) is joined with an exact report and counted in the run's accounting.
# A second start of the secrets service reuses what the first made.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)

if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
export COMPOSE_PROJECT_NAME="actorpipeline-e2e-$$"
# Long enough for every node's healthcheck to pass while the run goes: each producer puts 10 items over
# 10-20 s, counted from its own start, so a node that joins last (seconds after the first, on a loaded
# machine) still has several probe intervals of the run ahead of it.
export Demo__Producers__MinItems=10
export Demo__Producers__MaxItems=10
export Demo__Producers__MinDelay=00:00:01
export Demo__Producers__MaxDelay=00:00:02
export Demo__Consumers__MaxDelay=00:00:00.300
export Operations__JobsApiEnabled=true
job_items=5
unset SECRETS_DIR
work=$(mktemp -d)
logs=$work/logs
copy=$work/checkout
mkdir -p "$logs" "$copy"
started=$(date +%s)

cleanup() {
  (cd "$copy" && "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1) || true
  rm -rf "$work"
}
trap cleanup EXIT

# A fresh clone, but with the working tree's changes: what git tracks plus new files it does not ignore.
(cd "$source_dir" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf -) | tar -C "$copy" -xf -
cd "$copy"
[ -z "$(find secrets -type f ! -name README.md)" ] || { echo "the copy holds secrets: it is not a fresh clone"; exit 1; }

# The user's edit: two producers per producer node instead of appsettings.json's five.
python3 - <<'PY'
import json, pathlib
path = pathlib.Path("src/Host/appsettings.json")
settings = json.loads(path.read_text())
assert settings["Pipeline"]["Producers"]["Count"] != 2
settings["Pipeline"]["Producers"]["Count"] = 2
path.write_text(json.dumps(settings, indent=2) + "\n")
PY

"${compose[@]}" config -q
"${compose[@]}" build --force-rm
# Scaled as a user would, with nothing else set: the run finds its producers itself.
"${compose[@]}" up -d --scale producers=3 --scale consumers=3

# By the engine's labels, which both clients set: `ps` differs between them for containers that have exited.
of_service() {
  for service in "$@"; do
    docker ps -a -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" --filter "label=com.docker.compose.service=$service"
  done
}
apps=$(of_service coordinator coordinator-standby producers consumers)
init=$(of_service secrets | head -n 1)

# The operator's page, from inside the coordinator's container (the e2e run publishes no port): its API,
# a requeue refused without the token, and one taken with the token from the secrets volume.
coordinator_id=$(of_service coordinator | head -n 1)
http_in_coordinator() {
  docker exec "$coordinator_id" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "%b" "$1" >&3 && cat <&3' _ "$1" 2>/dev/null || true
}
dashboard_checked=""
check_dashboard() {
  local overview refused accepted token
  overview=$(http_in_coordinator 'GET /api/overview HTTP/1.0\r\n\r\n')
  # Here-strings, not pipes: under pipefail a grep -q that stops reading early would fail the printf.
  grep -q '"answering":true' <<<"$overview" || return 0   # not up yet, or the coordinator not yet found
  grep -Eq '"phase":"(Producing|Draining)"' <<<"$overview" || return 0
  dashboard_checked=1
  echo "dashboard: answers mid-run: $(grep -o '"phase":"[A-Za-z]*"' <<<"$overview") $(grep -o '"accepted":[0-9]*' <<<"$overview" | head -n 1)"
  refused=$(http_in_coordinator 'POST /api/dead-letters/requeue HTTP/1.0\r\nContent-Length: 0\r\n\r\n')
  case "${refused%%$'\r'*}" in *" 401 "*) ;; *) echo "FAIL: the dashboard took a requeue without the token: ${refused%%$'\r'*}"; dashboard_failed=1;; esac
  # With the token: a requeue of an item id that never existed, which the coordinator answers and which moves nothing.
  token=$(read_secret dashboard.token)
  accepted=$(http_in_coordinator "POST /api/dead-letters/requeue HTTP/1.0\\r\\nAuthorization: Bearer $token\\r\\nContent-Type: application/json\\r\\nContent-Length: 16\\r\\n\\r\\n{\"itemIds\":[-1]}")
  grep -q '"requeued":0' <<<"$accepted" \
    || { echo "FAIL: the dashboard refused a requeue with the token from the secrets volume: ${accepted%%$'\r'*}"; dashboard_failed=1; }
  submit_job "$token"
}

# A job, as another language submits one: curl from this machine to the coordinator's HTTP server in the compose
# network (no port is published). Opened, given five items, closed and joined while the batch run goes on.
job_checked=""
submit_job() {
  local token=$1 address base opened id put closed joined
  address=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$coordinator_id" | awk '{print $1}')
  base="http://$address:8080/api/jobs"
  opened=$(curl -sS -m 30 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"name":"compose e2e"}' "$base") \
    || { echo "FAIL: curl could not open a job at $base"; dashboard_failed=1; return; }
  id=$(jq -r '.id // empty' <<<"$opened")
  [ -n "$id" ] || { echo "FAIL: opening a job answered $opened"; dashboard_failed=1; return; }
  put=$(curl -sS -m 60 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '["/wE=","/wI=","/wM=","/wQ=","/wU="]' "$base/$id/items")
  [ "$(jq -r '.accepted // empty' <<<"$put")" = "$job_items" ] || { echo "FAIL: putting into job $id answered $put"; dashboard_failed=1; return; }
  closed=$(curl -sS -m 30 -X POST -H "Authorization: Bearer $token" "$base/$id/close")
  [ "$(jq -r '.state // empty' <<<"$closed")" != "" ] || { echo "FAIL: closing job $id answered $closed"; dashboard_failed=1; return; }
  joined=$(curl -sS -m 90 -w '\n%{http_code}' "$base/$id/join?timeout=60s")
  if [ "${joined##*$'\n'}" = 200 ] && [ "$(jq -c '[.state, .accepted, .completed, .deadLettered, .unfinished]' <<<"${joined%$'\n'*}")" = "[\"settled\",$job_items,$job_items,0,0]" ]; then
    job_checked=1
    echo "job: $id joined with curl: $(jq -c '{state, accepted, completed, duration}' <<<"${joined%$'\n'*}")"
  else
    echo "FAIL: joining job $id answered ${joined//$'\n'/ }"; dashboard_failed=1
  fi
}
dashboard_failed=0
secrets_volume="${COMPOSE_PROJECT_NAME//[^a-zA-Z0-9_-]/}_secrets"
read_secret() { docker run --rm --entrypoint cat -v "$secrets_volume:/s:ro" actor-pipeline:local "/s/$1"; }

# Watch the app containers until all have exited, noting which were ever reported healthy
# (their healthcheck probes GET /health/ready); Docker keeps only the last few probe results.
declare -A healthy=()
deadline=$(( $(date +%s) + 300 ))
while :; do
  [ -n "$dashboard_checked" ] || check_dashboard
  running=0
  for id in $apps; do
    state=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")
    [ "${state#* }" = healthy ] && healthy[$id]=1
    [ "${state%% *}" = exited ] || running=1
  done
  [ "$running" = 0 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { echo "app containers still running after 300 s"; break; }
  sleep 1
done
# A node whose part of the run is short can be healthy only between two rounds of the loop (the dashboard
# check can hold one up on a loaded machine): its last probes, which Docker keeps, say whether one passed.
for id in $apps; do
  [ -n "${healthy[$id]:-}" ] && continue
  probes=$(docker inspect -f '{{if .State.Health}}{{range .State.Health.Log}}{{.ExitCode}} {{end}}{{end}}' "$id")
  [[ " $probes" == *" 0 "* ]] && healthy[$id]=1
done

failed=$dashboard_failed
[ -n "$dashboard_checked" ] || { echo "the coordinator's dashboard never answered mid-run"; failed=1; }
[ -n "$job_checked" ] || { echo "no job was submitted and joined with curl"; failed=1; }
journal_password=$(read_secret postgres.password)
certificate_password=$(read_secret node.pfx.password)
dashboard_token=$(read_secret dashboard.token)
[ -n "$journal_password" ] && [ -n "$certificate_password" ] && [ -n "$dashboard_token" ] || { echo "the secrets volume lacks a password or the dashboard token"; failed=1; }

docker logs "$init" >"$logs/secrets.txt" 2>&1 || true
echo "secrets service: exit $(docker inspect -f '{{.State.ExitCode}}' "$init"); $(tr '\n' ' ' <"$logs/secrets.txt")"
[ "$(docker inspect -f '{{.State.ExitCode}}' "$init")" = 0 ] || { echo "the secrets service failed"; failed=1; }
grep -q 'made' "$logs/secrets.txt" || { echo "the secrets service made nothing on a fresh clone"; failed=1; }

for id in $apps; do
  name=$(docker inspect -f '{{.Name}}' "$id" | tr -d /)
  code=$(docker inspect -f '{{.State.ExitCode}} {{.State.Status}}' "$id")
  docker logs "$id" >"$logs/$name.log" 2>&1 || true
  echo "$name: exit ${code% *} (${code#* }), healthy seen: ${healthy[$id]:-no}"
  [ "$code" = "0 exited" ] || failed=1
  [ -n "${healthy[$id]:-}" ] || { echo "$name was never healthy"; failed=1; }

  # Hardening, as the engine reports it.
  [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$id")" = true ] || { echo "$name: root filesystem is writable"; failed=1; }
  [ "$(docker inspect -f '{{.Config.User}}' "$id")" != "" ] && [ "$(docker inspect -f '{{.Config.User}}' "$id")" != root ] \
    || { echo "$name: runs as root"; failed=1; }
  ports=$(docker inspect -f '{{range $p, $b := .HostConfig.PortBindings}}{{$p}} {{end}}' "$id")
  [ -z "$ports" ] || { echo "$name: publishes $ports"; failed=1; }
  if docker inspect -f '{{range .Mounts}}{{.Name}} {{end}}' "$id" | grep -q '_ca\b'; then echo "$name: mounts the CA's key"; failed=1; fi
  if docker inspect -f '{{json .Config.Env}}' "$id" | grep -qF -e "$journal_password" -e "$certificate_password" -e "$dashboard_token"; then
    echo "$name: a secret is in its environment"; failed=1
  fi
  if grep -qF -e "$journal_password" -e "$certificate_password" -e "$dashboard_token" "$logs/$name.log"; then
    echo "$name: a secret is in its log"; failed=1
  fi
  grep -q 'akka\.ssl\.tcp://' "$logs/$name.log" || { echo "$name: no TLS (akka.ssl.tcp) address in its log"; failed=1; }
  if grep -q 'akka\.tcp://' "$logs/$name.log"; then echo "$name: a plain akka.tcp address in its log"; failed=1; fi
done
if grep -qF -e "$journal_password" -e "$certificate_password" -e "$dashboard_token" "$logs/secrets.txt"; then echo "secrets: a secret is in its log"; failed=1; fi

checks=0
python3 - "$logs" "$job_items" <<'PY' || checks=1
import json, pathlib, sys
logs = pathlib.Path(sys.argv[1])
job_items = int(sys.argv[2])  # the curl job's, which the run's accounting counts beside the producers'
def events(path):
    for line in path.read_text().splitlines():
        try:
            yield json.loads(line)
        except ValueError:
            pass  # not an event: a plain line, if any, is reported below
ADDED = "Producer {ProducerId} added <{Item}> to queue."
GOT = "Consumer {ConsumerId} got element <{Item}> in {Latency} seconds."
RUN_OVER = "Run over: every producer is done and every accepted item is done."
CANCELLED = "Consumer {ConsumerId} cancelled."
COMPLETED = "Program completed in {Elapsed} seconds."
nodes = {p.stem: list(events(p)) for p in logs.glob("*.log")}
added, got, problems = [], set(), []
for name, evs in nodes.items():
    mts = [e.get("@mt") for e in evs]
    if RUN_OVER not in mts:
        problems.append(f"{name}: never heard that the run was over")
    # The one warning this script provokes: its own requeue without the token, which the dashboard must refuse.
    loud = [e for e in evs if e.get("@l") in ("Warning", "Error", "Fatal") and e.get("@mt") != "Refused a requeue from {Remote}: {Reason}."]
    for e in loud:
        problems.append(f"{name}: logged {e['@l']}: {e.get('@mt')}")
    if not mts or mts[-1] != COMPLETED:
        problems.append(f"{name}: its last event is {mts[-1] if mts else None!r}, not the seed's closing line")
    plain = [l for l in (logs / f"{name}.log").read_text().splitlines() if l.strip() and not l.startswith("{")]
    if plain:
        problems.append(f"{name}: plain lines among its JSON events: {plain[:2]}")
    added += [e["Item"] for e in evs if e.get("@mt") == ADDED]
    got |= {e["Item"] for e in evs if e.get("@mt") == GOT}
    if "_consumers_" in name or "-consumers-" in name:
        over = mts.index(RUN_OVER) if RUN_OVER in mts else len(mts)
        if any(i < over for i, m in enumerate(mts) if m == CANCELLED):
            problems.append(f"{name}: a consumer was cancelled before the join")
        if CANCELLED not in mts:
            problems.append(f"{name}: no consumer was cancelled")
    if "_producers_" in name or "-producers-" in name:
        ids = {e["ProducerId"] for e in evs if e.get("@mt") == ADDED}
        starting = [e for e in evs if "Producers" in e and "ItemType" in e]
        if not starting or starting[0]["Producers"] != 2:
            problems.append(f"{name}: started with {starting[0]['Producers'] if starting else '?'} producers, not appsettings.json's 2")
        if len(ids) > 2:
            problems.append(f"{name}: {len(ids)} producers added items, not appsettings.json's 2")
producer_nodes = [n for n in nodes if "_producers_" in n or "-producers-" in n]
consumer_nodes = [n for n in nodes if "_consumers_" in n or "-consumers-" in n]
if (len(producer_nodes), len(consumer_nodes)) != (3, 3):
    problems.append(f"{len(producer_nodes)} producer and {len(consumer_nodes)} consumer containers, not the 3 and 3 it was scaled to")
coordinator = next(evs for name, evs in nodes.items() if name.endswith("_coordinator_1") or name.endswith("-coordinator-1"))
summary = [e for e in coordinator if e.get("@mt", "").startswith("Run summary")]
if not summary:
    problems.append("the coordinator logged no run summary")
else:
    s = summary[-1]
    print(f"coordinator summary: accepted {s['Accepted']}, completed {s['Completed']}, not completed {s['NotCompleted']}, "
          f"dead-lettered {s['DeadLettered']}, redelivered {s['Redelivered']}; {len(added)} items added on the producer nodes, "
          f"{len(got)} got on the consumer nodes, {len(nodes)} app containers")
    if not (s["Accepted"] == s["Completed"] == len(added) + job_items and s["NotCompleted"] == 0):
        problems.append("the accounting does not match the items produced")
if not set(added) <= got:
    problems.append(f"{len(set(added) - got)} produced items were never got")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY

# README's timeline recipe, with this client: every app container in it, the run's summary and each node's last line.
"${compose[@]}" logs --no-color >"$logs/all.txt" 2>&1 || true
scripts/log-timeline.jq <"$logs/all.txt" >"$logs/timeline.txt" || { echo "the timeline recipe failed"; checks=1; }
for id in $apps; do
  # The clients prefix differently: docker-compose "coordinator_1", docker compose "coordinator-1" (or the full name).
  service=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id")
  number=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.container-number"}}' "$id")
  grep -Eq " (\S*[-_])?${service}[-_]${number} INF Program completed in " "$logs/timeline.txt" \
    || { echo "the timeline lacks ${service} ${number}'s closing line"; checks=1; }
done
grep -q 'INF Run summary: ' "$logs/timeline.txt" || { echo "the timeline lacks the run summary"; checks=1; }
echo "timeline (README's recipe), its last lines:"
tail -n 12 "$logs/timeline.txt"

# A second start reuses the secrets (the journal's volume was initialised with that password).
"${compose[@]}" run --rm --no-deps secrets >"$logs/secrets-again.txt" 2>&1 || { echo "the secrets service failed on its second start"; checks=1; }
grep -q 'reus' "$logs/secrets-again.txt" || { echo "the second start of the secrets service did not reuse them: $(cat "$logs/secrets-again.txt")"; checks=1; }
[ "$(read_secret postgres.password)" = "$journal_password" ] || { echo "the journal password changed on the second start"; checks=1; }

echo "compose end-to-end run took $(( $(date +%s) - started )) s"
if [ "$failed" -ne 0 ] || [ "$checks" -ne 0 ]; then
  for f in "$logs"/*.log; do echo "==== $f"; tail -n 30 "$f"; done
  exit 1
fi
echo "compose end-to-end run passed"
