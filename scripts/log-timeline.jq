#!/usr/bin/env -S jq -Rrnf
# A run's timeline across nodes from `docker compose logs --no-color` (or `docker-compose logs --no-color`):
# one line per event, oldest first: time, container, level, message with its values filled in.
#   docker compose logs --no-color | scripts/log-timeline.jq
#   docker compose logs --no-color coordinator producers | scripts/log-timeline.jq | grep -e 'Run summary' -e ' finished'
# Both clients prefix each line with "<container> | "; lines that are not a JSON event ("Attaching to ...",
# a plain line printed after logging has closed) are skipped.
[ inputs
  | capture("^(?<node>[^ |]+) *\\| (?<event>\\{.*)$")?
  | .node as $node
  | (.event | fromjson?) as $e
  | select($e != null)
  | { t: $e."@t", node: $node, level: ($e."@l" // "Information"),
      message: (reduce ($e | keys_unsorted[] | select(startswith("@") | not)) as $k
                  ($e."@mt"; gsub("\\{" + $k + "(:[^}]*)?\\}"; $e[$k] | tostring))) } ]
| sort_by(.t)[]
| "\(.t) \(.node) \({Verbose: "VRB", Debug: "DBG", Information: "INF", Warning: "WRN", Error: "ERR", Fatal: "FTL"}[.level] // .level) \(.message)"
