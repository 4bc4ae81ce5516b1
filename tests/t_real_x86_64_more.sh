#!/usr/bin/env bash
# x86_64 real dumps committed in the repository (fixtures/realdumps/x86_64-*/,
# made by the lab, see each MANIFEST.md): for every dataset, maps and raw
# pagemap of every captured pid equal the in-guest truth, `check` is clean,
# and the KASLR offset equals _text - 0xffffffff81000000 from the guest's
# kallsyms.  Only the makedumpfile -c -d 31 form is committed (size); it keeps
# page tables and struct pages, which is all pagemap needs.
. "$PGT_SRC/tests/lib/realdump.sh"
DATA=${PGT_MORE_REALDUMPS:-$PGT_SRC/fixtures/realdumps}
rc=0 ran=0
shopt -s nullglob
for ds in "$DATA"/x86_64-*/; do
	ds=${ds%/}
	name=${ds##*/}
	dump=$ds/vmcore.makedumpfile-d31
	if [ -f "$ds/truth/inject.txt" ]; then
		echo "SKIP: $name: anomalies injected on purpose (t_real_injected checks it)"
		continue
	fi
	if [ ! -d "$ds/truth" ] || [ ! -s "$dump" ]; then
		echo "SKIP: $name: truth/ or vmcore.makedumpfile-d31 missing"
		continue
	fi
	# The dump names its kernel: VMCOREINFO is stored uncompressed.
	bid=$(grep -a -m1 -o 'BUILD-ID=[0-9a-f]\{40\}' "$dump" | head -1)
	prof=$(real_profile "${bid#BUILD-ID=}") || { rc=1; continue; }
	ran=$((ran + 1))
	python3 "$PGT_SRC/tests/lib/compare_truth.py" --pgt "$PGT" --truth "$ds/truth" \
		--dump "$dump" --profile "$prof" --label "$name" || rc=1
	if ! out=$("$PGT" --profile "$prof" check "$dump" 2>&1); then
		echo "FAIL $name: check is not clean"
		echo "$out"
		rc=1
	else
		echo "$name: check clean"
	fi
	text=$(awk '$3 == "_text" { print $1 }' "$ds/truth/system/kallsyms-selected")
	want=
	# 64-bit wrap-around in bash arithmetic gives the right difference.
	[ -z "$text" ] || want=$(printf '0x%x' $((0x$text - 0xffffffff81000000)))
	got=$("$PGT" --profile "$prof" tasks -v "$dump" 2>&1 >/dev/null |
		sed -n 's/.*KASLR offset \(0x[0-9a-f]*\).*/\1/p' | head -1)
	if [ -z "$want" ] || [ "$got" != "$want" ]; then
		echo "FAIL $name: KASLR offset ${got:-none}, guest kallsyms say ${want:-nothing}"
		rc=1
	else
		echo "$name: KASLR offset $got matches the guest's _text"
	fi
done
if [ $ran = 0 ]; then
	echo "SKIP: no x86_64 datasets with a dump under $DATA"
	exit 77
fi
exit $rc
