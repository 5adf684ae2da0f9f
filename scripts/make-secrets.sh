#!/usr/bin/env bash
# Makes the secrets docker-compose.yml mounts (README, Security), with openssl; nothing here is committed:
#   DIR/ca.pem               the cluster's CA certificate: what every node trusts (Cluster:Tls:TrustedCaPath)
#   DIR/ca.key               the CA's private key: keep it off the nodes; needed only to issue certificates
#   DIR/node.pfx             a node certificate + key signed by the CA (Cluster:Tls:CertificatePath)
#   DIR/node.pfx.password    its random password (Cluster:Tls:CertificatePasswordFile)
#   DIR/journal.connection   the journal's connection string with a random password (Pipeline:Persistence:ConnectionStringFile)
#   DIR/postgres.env         the same password for the postgres service (POSTGRES_PASSWORD)
#
# Usage: scripts/make-secrets.sh [--renew-node] [DIR]      (DIR defaults to ./secrets, which git ignores)
#   first run          creates all of the above
#   --renew-node       keeps the CA and the database password, issues a fresh node certificate
#                      (rotation without a trust change; restart the nodes one by one)
# The node certificate names the compose services and localhost in its SAN, so hostname validation can
# be switched on in compose; by default nodes are recognised by the CA alone.
set -euo pipefail

renew=false
if [[ "${1:-}" == "--renew-node" ]]; then
  renew=true
  shift
fi
dir="${1:-secrets}"
days_ca=1825
days_node=397

mkdir -p "$dir"
chmod 700 "$dir"
umask 077

if [[ -f "$dir/ca.pem" && "$renew" == false ]]; then
  echo "make-secrets: $dir/ca.pem exists; use --renew-node to issue a new node certificate, or remove $dir to start over" >&2
  exit 1
fi

if [[ ! -f "$dir/ca.pem" ]]; then
  openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days "$days_ca" \
    -subj "/CN=ActorPipeline cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Both serverAuth and clientAuth: every node dials and is dialled, and mutual TLS checks both ends.
cat >"$work/node.ext" <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:coordinator,DNS:coordinator-standby,DNS:producers,DNS:consumers,DNS:localhost,IP:127.0.0.1
EOF

openssl req -new -newkey rsa:3072 -nodes -sha256 -subj "/CN=actor-pipeline-node" \
  -keyout "$work/node.key" -out "$work/node.csr" 2>/dev/null
openssl x509 -req -sha256 -days "$days_node" -in "$work/node.csr" \
  -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -CAserial "$work/ca.srl" \
  -extfile "$work/node.ext" -out "$work/node.pem" 2>/dev/null

openssl rand -base64 32 | tr -d '\n' >"$dir/node.pfx.password"
openssl pkcs12 -export -inkey "$work/node.key" -in "$work/node.pem" -certfile "$dir/ca.pem" \
  -name actor-pipeline-node -passout "file:$dir/node.pfx.password" -out "$dir/node.pfx"

if [[ ! -f "$dir/postgres.env" ]]; then
  # Hex, so it needs no quoting in a connection string or an env file.
  password="$(openssl rand -hex 24)"
  printf 'POSTGRES_PASSWORD=%s\n' "$password" >"$dir/postgres.env"
  printf 'Host=postgres;Database=actor_pipeline;Username=actor_pipeline;Password=%s\n' "$password" >"$dir/journal.connection"
fi

# Compose mounts secrets as they are on disk, and the containers run as a non-root user that is not
# this one: the files they read must be readable by it. Keep DIR itself on a machine only you use.
chmod 644 "$dir/ca.pem" "$dir/node.pfx" "$dir/node.pfx.password" "$dir/journal.connection"
chmod 755 "$dir"

echo "make-secrets: CA $dir/ca.pem ($(openssl x509 -in "$dir/ca.pem" -noout -fingerprint -sha256 | cut -d= -f2))"
echo "make-secrets: node certificate $dir/node.pfx valid until $(openssl x509 -in "$work/node.pem" -noout -enddate | cut -d= -f2)"
echo "make-secrets: journal connection string $dir/journal.connection, database password $dir/postgres.env"
