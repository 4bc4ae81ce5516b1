#!/usr/bin/env bash
# x86_64 with 5-level paging (LA57), real dump in fixtures/realdumps/x86_64-la57
# (maps, pagemap and check are covered by t_real_x86_64_more).  Here: the dump
# is read as 5-level, and `vtop` of the test process's mappings above the
# 47-bit limit walks pgd, p4d, pud, pmd (and pte) with the 5-level indices and
# ends at the frame the guest's own /proc/PID/pagemap reported.
. "$PGT_SRC/tests/lib/realdump.sh"
ds=${PGT_MORE_REALDUMPS:-$PGT_SRC/fixtures/realdumps}/x86_64-la57
dump=$ds/vmcore.makedumpfile-d31
if [ ! -d "$ds/truth" ] || [ ! -s "$dump" ]; then
	echo "SKIP: $ds (truth/ and vmcore.makedumpfile-d31) not present"
	exit 77
fi
bid=$(grep -a -m1 -o 'BUILD-ID=[0-9a-f]\{40\}' "$dump" | head -1)
prof=$(real_profile "${bid#BUILD-ID=}") || exit 1
rc=0
fail() { echo "FAIL: $*"; rc=1; }

desc=$(grep -l '^region la57-top ' "$ds"/truth/*/desc.txt | head -1)
[ -n "$desc" ] || { echo "FAIL: no la57-top region in $ds/truth/*/desc.txt"; exit 1; }
pid=$(basename "$(dirname "$desc")")

info=$("$PGT" --profile "$prof" tasks -v "$dump" 2>&1 >/dev/null)
grep -q 'x86_64 5-level' <<<"$info" || fail "dump not read as 5-level: $info"

# truth_pfn VA: the pfn the guest's pagemap gave for VA (empty if not present)
truth_pfn() {
	python3 - "$ds/truth/$pid/pagemap" "$1" <<'EOF'
import os, sys
d, va = sys.argv[1], int(sys.argv[2], 16)
for f in os.listdir(d):
    s, e = (int(x, 16) for x in f[:-4].split("-"))
    if s <= va < e:
        with open(os.path.join(d, f), "rb") as fh:
            fh.seek((va - s) // 4096 * 8)
            v = int.from_bytes(fh.read(8), "little")
        if v >> 63:
            print("0x%x" % (v & ((1 << 55) - 1)))
EOF
}

region() { # NAME -> start address (hex) from desc.txt
	sed -n "s/^region $1 start=\(0x[0-9a-f]*\) .*/\1/p" "$desc"
}

# check_vtop VA LEVELS...: vtop walks exactly LEVELS, with the 5-level
# index of VA at each, and ends at the truth's pfn.
check_vtop() {
	local va=$1
	shift
	local want_levels="$*" out got_levels pfn want shift_ idx lvl i=0
	out=$("$PGT" --profile "$prof" vtop "$dump" --pid "$pid" "$va" 2>&1) || {
		fail "vtop $va: exit $?: $out"
		return
	}
	echo "$out"
	got_levels=$(awk '$2 == "table" { printf "%s%s", sep, $1; sep = " " }' <<<"$out")
	[ "$got_levels" = "$want_levels" ] || fail "vtop $va walked '$got_levels', want '$want_levels'"
	for lvl in $want_levels; do
		shift_=$((48 - 9 * i))
		idx=$(awk -v l="$lvl" '$1 == l && $2 == "table" { s = $0; sub(/.*\[ */, "", s); sub(/\].*/, "", s); print s }' <<<"$out")
		[ "$idx" = "$(((va >> shift_) & 511))" ] || fail "vtop $va: $lvl index ${idx:-none}, want $(((va >> shift_) & 511))"
		i=$((i + 1))
	done
	pfn=$(sed -n 's/.* -> physical \(0x[0-9a-f]*\)$/\1/p' <<<"$out")
	want=$(truth_pfn "$va")
	if [ -z "$want" ] || [ -z "$pfn" ] || [ $((pfn >> 12)) != $((want)) ]; then
		fail "vtop $va ends at ${pfn:-nothing}, the guest's pagemap says pfn ${want:-not present}"
	else
		echo "ok: $va -> pfn $want as in the truth"
	fi
}

top=$(region la57-top)
cross=$(region la57-cross-pgd)
thp=$(region la57-thp)
[ -n "$top" ] && [ -n "$cross" ] && [ -n "$thp" ] || { echo "FAIL: la57 regions missing in $desc"; exit 1; }
# near the top of the 56-bit user space (5-level pgd slot 255)
check_vtop "$top" pgd p4d pud pmd pte
# page 16 of the region: the first page of 5-level pgd slot 1 (0x1000000000000)
check_vtop "$(printf '0x%x' $((cross + 16 * 4096)))" pgd p4d pud pmd pte
# the last subpage of a PMD-mapped THP just above 47 bits: pmd leaf
check_vtop "$(printf '0x%x' $((thp + 511 * 4096)))" pgd p4d pud pmd
exit $rc
