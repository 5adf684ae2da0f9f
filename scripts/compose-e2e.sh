#!/usr/bin/env bash
# End-to-end run of docker-compose.yml against whatever Docker engine DOCKER_HOST names (or the
# default one), with `docker compose` or `docker-compose`: builds the image, runs the batch job to
# the end, and checks from the JSON logs that a cluster of every service formed, every produced item
# was completed, consumers were cancelled after the run's join, and every app container exited 0; and
# that the hardening held: node links on TLS only, read-only root filesystems, no published port, and
# neither secret (journal password, certificate password) in any log or container environment.
# Only the delays are shortened (through the compose file's own variables); the file is what users run.
# The secrets are made afresh in a temporary folder (SECRETS_DIR), never the user's ./secrets.
set -euo pipefail
cd "$(dirname "$0")/.."

if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
export COMPOSE_PROJECT_NAME="actorpipeline-e2e-$$"
# Long enough (about ten seconds of producing) for every node's healthcheck to pass while the run goes.
export PRODUCER_MIN_DELAY=${PRODUCER_MIN_DELAY:-00:00:00.500}
export PRODUCER_MAX_DELAY=${PRODUCER_MAX_DELAY:-00:00:01.500}
export CONSUMER_MAX_DELAY=${CONSUMER_MAX_DELAY:-00:00:00.300}
logs=$(mktemp -d)
export SECRETS_DIR
SECRETS_DIR=$(mktemp -d)
started=$(date +%s)

cleanup() {
  "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$logs" "$SECRETS_DIR"
}
trap cleanup EXIT

scripts/make-secrets.sh "$SECRETS_DIR" >/dev/null
journal_password=$(sed -n 's/^POSTGRES_PASSWORD=//p' "$SECRETS_DIR/postgres.env")
certificate_password=$(cat "$SECRETS_DIR/node.pfx.password")

"${compose[@]}" config -q
"${compose[@]}" build --force-rm
# One consumer replica more than the file sets, as a user would scale it.
"${compose[@]}" up -d --scale consumers=3

apps=$("${compose[@]}" ps -q coordinator coordinator-standby producers consumers)

# Watch the app containers until all have exited, noting which were ever reported healthy
# (their healthcheck probes GET /health/ready); Docker keeps only the last few probe results.
declare -A healthy=()
deadline=$(( $(date +%s) + 300 ))
while :; do
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

failed=0
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
  if docker inspect -f '{{json .Config.Env}}' "$id" | grep -qF -e "$journal_password" -e "$certificate_password"; then
    echo "$name: a secret is in its environment"; failed=1
  fi
  if grep -qF -e "$journal_password" -e "$certificate_password" "$logs/$name.log"; then
    echo "$name: a secret is in its log"; failed=1
  fi
  grep -q 'akka\.ssl\.tcp://' "$logs/$name.log" || { echo "$name: no TLS (akka.ssl.tcp) address in its log"; failed=1; }
  if grep -q 'akka\.tcp://' "$logs/$name.log"; then echo "$name: a plain akka.tcp address in its log"; failed=1; fi
done

checks=0
python3 - "$logs" <<'PY' || checks=1
import json, pathlib, sys
logs = pathlib.Path(sys.argv[1])
def events(path):
    for line in path.read_text().splitlines():
        try:
            yield json.loads(line)
        except ValueError:
            pass  # Akka prints a last plain line itself after logging has closed
ADDED = "Producer {ProducerId} added <{Item}> to queue."
GOT = "Consumer {ConsumerId} got element <{Item}> in {Latency} seconds."
RUN_OVER = "Run over: every producer is done and every accepted item is done."
CANCELLED = "Consumer {ConsumerId} cancelled."
nodes = {p.stem: list(events(p)) for p in logs.glob("*.log")}
added, got, problems = [], set(), []
for name, evs in nodes.items():
    mts = [e.get("@mt") for e in evs]
    if RUN_OVER not in mts:
        problems.append(f"{name}: never heard that the run was over")
    added += [e["Item"] for e in evs if e.get("@mt") == ADDED]
    got |= {e["Item"] for e in evs if e.get("@mt") == GOT}
    if "_consumers_" in name:
        over = mts.index(RUN_OVER) if RUN_OVER in mts else len(mts)
        if any(i < over for i, m in enumerate(mts) if m == CANCELLED):
            problems.append(f"{name}: a consumer was cancelled before the join")
        if CANCELLED not in mts:
            problems.append(f"{name}: no consumer was cancelled")
consumer_nodes = [name for name in nodes if "_consumers_" in name]
if len(consumer_nodes) != 3:
    problems.append(f"{len(consumer_nodes)} consumer containers, not the 3 it was scaled to")
coordinator = next(evs for name, evs in nodes.items() if name.endswith("_coordinator_1"))
summary = [e for e in coordinator if e.get("@mt", "").startswith("Run summary")]
if not summary:
    problems.append("the coordinator logged no run summary")
else:
    s = summary[-1]
    print(f"coordinator summary: accepted {s['Accepted']}, completed {s['Completed']}, not completed {s['NotCompleted']}, "
          f"dead-lettered {s['DeadLettered']}, redelivered {s['Redelivered']}; {len(added)} items added on the producer nodes, "
          f"{len(got)} got on the consumer nodes, {len(nodes)} app containers")
    if not (s["Accepted"] == s["Completed"] == len(added) and s["NotCompleted"] == 0):
        problems.append("the accounting does not match the items produced")
if not set(added) <= got:
    problems.append(f"{len(set(added) - got)} produced items were never got")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY

echo "compose end-to-end run took $(( $(date +%s) - started )) s"
if [ "$failed" -ne 0 ] || [ "$checks" -ne 0 ]; then
  for f in "$logs"/*.log; do echo "==== $f"; tail -n 30 "$f"; done
  exit 1
fi
echo "compose end-to-end run passed"
