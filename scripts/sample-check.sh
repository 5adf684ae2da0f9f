#!/usr/bin/env bash
# Runs samples/FileHasher on a generated tree of about 3000 files and checks every line of its output against
# sha256sum's. Prints "sample: N files, N hashes match sha256sum"; exits non-zero on any difference or if the
# sample exits non-zero. Run after `dotnet build ActorPipeline.sln` (it builds the sample itself if needed).
# SAMPLE_FILES=N changes the number of files.
set -euo pipefail
cd "$(dirname "$0")/.."

files=${SAMPLE_FILES:-3000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build samples/FileHasher -c Debug --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dll=$PWD/samples/FileHasher/bin/Debug/net10.0/FileHasher.dll

# The tree: nested folders, sizes 0..64 KiB, every 40th file empty, names with spaces, non-ASCII letters, a leading
# dot, and one each with a backslash and a line break (which sha256sum escapes); plus a symbolic link, which
# neither find -type f nor FileHasher counts as a file. Sizes and names repeat (RANDOM is seeded); contents do not.
tree=$work/tree
mkdir -p "$tree"
RANDOM=444
names=("file" "report final" "größe" "данные" "日本語 メモ" ".hidden" "a-b_c")
for ((i = 0; i < files; i++)); do
  dir="$tree/d$((i % 7))"
  if ((i % 3 == 0)); then dir="$dir/sub $((i % 5))"; fi
  if ((i % 11 == 0)); then dir="$dir/deeper/still"; fi
  mkdir -p "$dir"
  if ((i % 40 == 0)); then size=0; else size=$(((RANDOM * 2 + RANDOM % 2) % 65537)); fi
  head -c "$size" /dev/urandom >"$dir/${names[i % ${#names[@]}]} $i.bin"
done
printf 'backslash' >"$tree/d0/back\\slash"
printf 'line break' >"$tree/d1/line"$'\n'"break"
ln -s "../d0/back\\slash" "$tree/d2/a link"
# Counted by -print0, since one name holds a line break.
count=$(find "$tree" -type f -print0 | tr -dc '\0' | wc -c)

# A fresh data folder (the journal) in the work folder, which is the working directory of the run.
start=$(date +%s%N)
status=0
(cd "$work" && dotnet "$dll" --Hashing:Root="$tree" --Hashing:Output="$work/hashes.txt") >"$work/run.log" 2>&1 || status=$?
elapsed=$((($(date +%s%N) - start) / 1000000))
elapsed=$((elapsed / 1000)).$(printf '%03d' $((elapsed % 1000)))
if [ "$status" -ne 0 ]; then
  tail -n 40 "$work/run.log"
  echo "sample: exited $status after ${elapsed} s" >&2
  exit 1
fi

# sha256sum prints ./path (after its escape mark, if any); FileHasher prints the path relative to the root.
(cd "$tree" && find . -type f -print0 | sort -z | xargs -0 sha256sum) \
  | sed -E 's#^(\\?[0-9a-f]{64}  )\./#\1#' | LC_ALL=C sort >"$work/expected.txt"
LC_ALL=C sort "$work/hashes.txt" >"$work/actual.txt"
if ! diff "$work/expected.txt" "$work/actual.txt" >"$work/diff.txt"; then
  head -n 40 "$work/diff.txt"
  echo "sample: $count files, $(wc -l <"$work/actual.txt") lines written; they differ from sha256sum's (above: < sha256sum, > FileHasher)" >&2
  exit 1
fi
hashes=$(wc -l <"$work/actual.txt")
echo "sample: ran in ${elapsed} s, exit 0"
echo "sample: $count files, $hashes hashes match sha256sum"
