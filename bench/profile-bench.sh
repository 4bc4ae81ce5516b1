#!/usr/bin/env bash
# Time the kernel-profile resolver (ELF symbols + DWARF) on a real vmlinux:
# wall time and peak RSS, warm (file in the page cache) and cold (the file's
# pages dropped first).  The resolver is built alone from the source tree, so
# the rest of the project need not build.
#
# Usage: bench/profile-bench.sh [VMLINUX...] [-n RUNS]
# Default: the Debian 6.1 x86_64 vmlinux of /work/shared/realdumps (see
# fetch-vmlinux.sh there).  Needs GNU time (package "time").
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
runs=5
files=()
while [ $# -gt 0 ]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || files=("${XDG_CACHE_HOME:-$HOME/.cache}/pgt-realdumps/x86_64/vmlinux-6.1.0-56-amd64")
[ -x /usr/bin/time ] || { echo "profile-bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -g -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -I"$src/include" \
  "$src/bench/profile-resolve.c" "$src/src/err.c" "$src/src/profile.c" "$src/src/elfutil.c" \
  "$src/src/dwarf_resolve.c" -ldwarf -lelf -lz -o "$tmp/resolve"

# One run: prints "wall_seconds peak_kb cpu_seconds" (wall in ns resolution,
# GNU time's own is 10 ms).
run() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M %U %S' -o "$tmp/t" "$tmp/resolve" "$1" > "$tmp/out"
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) '{ printf "%.4f %d %.2f\n", ns / 1e9, $1, $2 + $3 }' "$tmp/t"
}
drop() { dd if="$1" iflag=nocache count=0 status=none; }

for f in "${files[@]}"; do
  [ -r "$f" ] || { echo "profile-bench: $f: not readable" >&2; exit 1; }
  echo "== $f ($(( $(stat -c %s "$f") >> 20 )) MB)"
  run "$f" > /dev/null
  echo "   $(grep -c . "$tmp/out") profile lines, build_id $(sed -n 's/^build_id //p' "$tmp/out")"
  for mode in warm cold; do
    : > "$tmp/all"
    for _ in $(seq "$runs"); do
      [ $mode = cold ] && drop "$f"
      run "$f" >> "$tmp/all"
    done
    sort -n "$tmp/all" | awk -v m=$mode -v n="$runs" '
      { t[NR] = $1; if ($2 > rss) rss = $2; cpu += $3 }
      END { printf "   %s: wall min %.3f s, median %.3f s, max %.3f s; cpu %.3f s/run; peak RSS %.1f MB (%d runs)\n",
                   m, t[1], t[int((n + 1) / 2)], t[n], cpu / n, rss / 1024, n }'
  done
done
