#!/usr/bin/env bash
# i386 2-level real dump (Debian 686, non-PAE: PGD -> PTE, 4 MiB PSE pages for
# THP and hugetlb, no NX, nokaslr): pagemap --raw and maps of every captured
# process equal the in-guest truth; tasks, vtop and the JSON outputs agree
# with it and check is clean.  The dataset is small enough to live in
# fixtures/realdumps/; a copy in ../shared/realdumps is used when present.
. "$PGT_SRC/tests/lib/realdump.sh"
if [ ! -d "$REAL/i386-2level/truth" ]; then
	REAL=$PGT_SRC/fixtures/realdumps
fi
if [ ! -d "$REAL/i386-2level/truth" ] || [ ! -s "$REAL/i386-2level/vmcore.elf.xz" ]; then
	echo "SKIP: i386-2level dump absent (neither fixtures/realdumps/i386-2level nor ../shared/realdumps/i386-2level)"
	exit 77
fi
# real_elf keeps its uncompressed copy by name: drop it when the dump is newer.
[ "$REAL/i386-2level/vmcore.elf.xz" -nt "$CACHE/i386-2level/vmcore.elf" ] && rm -f "$CACHE/i386-2level/vmcore.elf"
prof=$(real_profile e53bebc4fd9b0992c212d7b0f7f84237a970890d) || exit 1
elf=$(real_elf i386-2level)
rc=0
real_compare i386-2level "$elf" "$prof" i386-2level-elf || rc=1
python3 "$PGT_SRC/tests/lib/check_cmds.py" --pgt "$PGT" --truth "$REAL/i386-2level/truth" --dump "$elf" \
	--profile "$prof" || rc=1
exit $rc
