#!/usr/bin/env bash
# Remakes the committed kernel profiles (fixtures/profiles/BUILD-ID.profile)
# after include/pgt/kfields.def changed, from whichever of their vmlinux
# files are found under the given folders (default: the usual caches).
# usage: scripts/refresh-profiles.sh [DIR...]
set -euo pipefail
cd "$(dirname "$0")/.."
pgt=${PGT:-build/pgtinspect}
[ -x "$pgt" ] || { echo "build pgtinspect first" >&2; exit 1; }
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("${XDG_CACHE_HOME:-$HOME/.cache}/pgt-realdumps" /usr/lib/debug)
declare -A seen=()
while IFS= read -r -d '' f; do
	id=$(readelf -n "$f" 2>/dev/null | sed -n 's/.*Build ID: //p' | head -1)
	[ -n "$id" ] && [ -f "fixtures/profiles/$id.profile" ] && [ -z "${seen[$id]:-}" ] || continue
	seen[$id]=1
	"$pgt" profile "$f" -o "fixtures/profiles/$id.profile" && echo "remade $id from $f"
done < <(find "${dirs[@]}" -type f -name 'vmlinux*' -size +1M -print0 2>/dev/null)
for p in fixtures/profiles/*.profile; do
	id=$(basename "$p" .profile)
	[ -n "${seen[$id]:-}" ] || echo "not remade (no vmlinux found): $p"
done
