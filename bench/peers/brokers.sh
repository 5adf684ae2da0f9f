#!/usr/bin/env bash
# The benchmark's broker peers from Debian's packages, on 127.0.0.1 ports of their own, nothing else
# of the machine touched (no service started by the package, no default ports):
#   brokers.sh start DIR    installs rabbitmq-server and redis-server if missing, starts both with their
#                           data and logs in DIR, waits until they answer, prints the ports as
#                           RABBITMQ_PORT=… REDIS_PORT=… (also written to DIR/ports)
#   brokers.sh stop DIR     stops both by the process-group ids recorded at start
set -euo pipefail

command=${1:?usage: brokers.sh start|stop DIR}
dir=${2:?usage: brokers.sh start|stop DIR}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "brokers: nothing answers on 127.0.0.1:$1" >&2
  return 1
}

case "$command" in
  start)
    if ! command -v redis-server >/dev/null || [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
      # policy-rc.d 101: the packages install without starting their system services.
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server redis-server >/dev/null
      rm -f /usr/sbin/policy-rc.d
    fi
    mkdir -p "$dir/rabbitmq/mnesia" "$dir/rabbitmq/log" "$dir/redis"
    rabbit=$(free_port); dist=$(free_port); epmd=$(free_port); redis=$(free_port)

    setsid redis-server --bind 127.0.0.1 --port "$redis" --dir "$dir/redis" --save '' --appendonly no \
      --protected-mode yes >"$dir/redis/server.log" 2>&1 &
    echo $! >"$dir/redis.pgid"

    # Its own epmd, in the foreground so that it has a PID to stop (RabbitMQ would start a daemon of its own).
    setsid epmd -port "$epmd" >"$dir/rabbitmq/epmd.log" 2>&1 &
    echo $! >"$dir/epmd.pgid"
    wait_port "$epmd"

    # Its own Erlang node name, distribution and epmd ports, cookie and folders: it cannot meet another RabbitMQ.
    HOME="$dir/rabbitmq" ERL_EPMD_PORT=$epmd RABBITMQ_NODENAME="bench-$rabbit@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
      RABBITMQ_NODE_PORT=$rabbit RABBITMQ_DIST_PORT=$dist RABBITMQ_MNESIA_BASE="$dir/rabbitmq/mnesia" \
      RABBITMQ_LOG_BASE="$dir/rabbitmq/log" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/rabbitmq/enabled_plugins" \
      RABBITMQ_CONFIG_FILE="$dir/rabbitmq/rabbitmq" \
      setsid /usr/lib/rabbitmq/bin/rabbitmq-server >"$dir/rabbitmq/server.log" 2>&1 &
    echo $! >"$dir/rabbitmq.pgid"
    echo "[]." >"$dir/rabbitmq/enabled_plugins"

    wait_port "$redis"
    wait_port "$rabbit"
    printf 'RABBITMQ_PORT=%s\nREDIS_PORT=%s\n' "$rabbit" "$redis" | tee "$dir/ports"
    ;;
  stop)
    for name in rabbitmq redis epmd; do
      [ -f "$dir/$name.pgid" ] || continue
      pgid=$(cat "$dir/$name.pgid")
      kill -TERM -- "-$pgid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL -- "-$pgid" 2>/dev/null || true
      rm -f "$dir/$name.pgid"
    done
    ;;
  *)
    echo "usage: brokers.sh start|stop DIR" >&2
    exit 2
    ;;
esac
