#!/usr/bin/env bash
# Prints figures: pgtinspect's type resolution (cold DWARF and with the
# profile), `dump` of a whole real dump, pages walked per second and peak RSS,
# next to drgn and crash doing the same work where they are installed.
# usage: bench/compare.sh [VMCORE.elf VMLINUX]   (defaults: the x86_64 real dump)
set -u
here=$(cd "$(dirname "$0")" && pwd); top=$(dirname "$here")
pgt=${PGT:-$top/build/pgtinspect}
real=$top/../shared/realdumps/x86_64
cache=${XDG_CACHE_HOME:-$HOME/.cache}
vmcore=${1:-$cache/pgtinspect-test/x86_64/vmcore.elf}
vmlinux=${2:-$cache/pgt-realdumps/x86_64/vmlinux-6.1.0-56-amd64}
[ -x "$pgt" ] || { echo "build pgtinspect first (cmake --build build)"; exit 1; }
if [ ! -s "$vmcore" ] && [ -z "${1:-}" ]; then
	mkdir -p "$(dirname "$vmcore")"; xz -dc "$real/vmcore.elf.xz" > "$vmcore"
fi
[ -s "$vmlinux" ] || vmlinux=$(bash "$top/../shared/realdumps/fetch-vmlinux.sh" x86_64)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/xdg

# measure LABEL CMD...: wall seconds and peak RSS of one run
measure() {
	local label=$1; shift
	/usr/bin/time -f "%e %M" -o "$tmp/t" "$@" > "$tmp/out" 2> "$tmp/err"
	local rc=$?
	read -r secs kb < "$tmp/t"
	printf '%-44s %8.3f s %8d KiB  exit %d\n' "$label" "$secs" "$kb" "$rc"
	eval "T_$(echo "$label" | tr -c 'a-zA-Z0-9\n' _)=$secs"
}
echo "vmcore:  $vmcore ($(du -h "$vmcore" | cut -f1))"
echo "vmlinux: $vmlinux ($(du -h "$vmlinux" | cut -f1))"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null && echo "(page cache dropped: cold file reads)"
measure "pgtinspect profile (DWARF, cold)" "$pgt" profile "$vmlinux" -o "$tmp/p.profile"
measure "pgtinspect profile (DWARF, warm)" "$pgt" profile "$vmlinux" -o "$tmp/p.profile"
measure "pgtinspect tasks -k vmlinux (DWARF)" "$pgt" tasks "$vmcore" -k "$vmlinux" --no-cache
measure "pgtinspect tasks --profile" "$pgt" tasks "$vmcore" --profile "$tmp/p.profile"
measure "pgtinspect dump --profile" "$pgt" dump "$vmcore" --profile "$tmp/p.profile"
pages=$(awk '/^  [0-9a-f]+-[0-9a-f]+ +[0-9]+ /{n+=$2} END{print n+0}' "$tmp/out")
measure "pgtinspect dump -k vmlinux (DWARF)" "$pgt" dump "$vmcore" -k "$vmlinux" --no-cache
measure "pgtinspect check --profile" "$pgt" check "$vmcore" --profile "$tmp/p.profile"
t=$(awk -v s="$T_pgtinspect_dump___profile" -v p="$pages" 'BEGIN{printf "%.0f", (s > 0 ? p / s : 0)}')
echo "pages in dump output: $pages  ->  $t pages/s end to end (incl. opening the dump)"

py=
for c in python3 /usr/bin/python3; do $c -c 'import drgn' 2>/dev/null && { py=$c; break; }; done
if [ -n "$py" ]; then
	/usr/bin/time -f "%e %M" -o "$tmp/t" $py "$here/drgn_walk.py" "$vmcore" "$vmlinux" > "$tmp/d" 2>&1
	read -r secs kb < "$tmp/t"
	printf '%-44s %8.3f s %8d KiB\n' "drgn: load + walk every VMA page" "$secs" "$kb"
	tail -1 "$tmp/d"
	dl=$(sed -n 's/^drgn load \([0-9.]*\) s.*/\1/p' "$tmp/d")
	[ -n "$dl" ] && awk -v a="$dl" -v b="$T_pgtinspect_tasks__k_vmlinux__DWARF_" \
		'BEGIN{printf "ratio: drgn load / pgtinspect cold open with DWARF = %.1fx\n", a / b}'
	awk -v a="$secs" -v b="$T_pgtinspect_dump__k_vmlinux__DWARF_" \
		'BEGIN{printf "ratio: drgn whole job / pgtinspect dump with DWARF = %.1fx\n", a / b}'
else
	echo "drgn: not installed (apt-get install python3-drgn)"
fi
if command -v crash >/dev/null; then
	printf 'foreach vm -p\nquit\n' > "$tmp/cmds"
	/usr/bin/time -f "%e %M" -o "$tmp/t" crash -s -i "$tmp/cmds" "$vmlinux" "$vmcore" > "$tmp/c" 2>&1
	read -r secs kb < "$tmp/t"
	printf '%-44s %8.3f s %8d KiB  (%s lines)\n' "crash: startup + foreach vm -p" "$secs" "$kb" "$(wc -l < "$tmp/c")"
	grep -m3 -iE 'cannot|error|invalid' "$tmp/c" | sed 's/^/  crash says: /'
	awk -v a="$secs" -v b="$T_pgtinspect_dump__k_vmlinux__DWARF_" \
		'BEGIN{printf "ratio: crash / pgtinspect dump with DWARF = %.1fx\n", a / b}'
else
	echo "crash: not installed"
fi
