#!/usr/bin/env bash
# Synthetic x86_64 dumps (fixtures/synth, generated at build time into
# $PGT_BUILD/fixtures/out): pgtinspect against the truth the generator
# computed from what it placed, with the types taken from the synthetic
# vmlinux's DWARF (its offsets differ from any real kernel's).
#  - clean: maps and raw pagemap of every process (and one thread) equal the
#    truth, through -k and through a saved profile; tasks lists every task;
#    check finds nothing; vtop undoes the L1TF inversion of a PROT_NONE pte.
#  - the same world with its zero pages left out of the file (compact/, like
#    makedumpfile's ELF output) gives the same answers, and check reports the
#    page tables that were left out as unreadable rather than empty.
#  - the committed copy in fixtures/bundled still matches its truth.
#  - empty, truncated: exit 2 with a message naming the file.
#  - selfloop, pfn-past-end, leak, kernel-mismatch: no hang or crash, and
#    check reports exactly what the generator planted (anomalies.txt).
# Ends with "N passed, N failed".
set -u
: "${PGT:?PGT must name the pgtinspect binary}"
: "${PGT_SRC:?PGT_SRC must name the source tree}"
: "${PGT_BUILD:?PGT_BUILD must name the build tree}"
OUT=$PGT_BUILD/fixtures/out
VML=$OUT/vmlinux-synth
BUNDLED=$PGT_SRC/fixtures/bundled
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Tests must not depend on (or fill) the user's profile cache.
export XDG_CACHE_HOME=$TMP/xdg

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

# run NAME cmd...: stdout in $TMP/NAME.out, stderr in $TMP/NAME.err, status
# in $rc; a hang (timeout) or a signal is a failure of its own.
run() {
	local name=$1
	shift
	timeout 20 "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	if [ $rc -eq 124 ]; then
		bad "$name: no answer within 20 s (hang?): $*"
	elif [ $rc -gt 128 ]; then
		bad "$name: killed by signal $((rc - 128)): $*"
	fi
}

# want_finding SCEN KIND PATTERN: a finding line of that kind matching PATTERN
want_finding() {
	if grep -E "^(error|warning) +$2 " "$TMP/check-$1.out" | grep -qE "$3"; then
		ok "$1: check reports $2 ($3)"
	else
		bad "$1: check does not report $2 matching '$3'"
	fi
}
# only_findings SCEN N: exactly N error/warning lines
only_findings() {
	local n
	n=$(grep -cE '^(error|warning) ' "$TMP/check-$1.out")
	if [ "$n" -eq "$2" ]; then
		ok "$1: check reports nothing beyond the $2 planted problem(s)"
	else
		bad "$1: check reports $n problems, $2 were planted:"
		grep -E '^(error|warning) ' "$TMP/check-$1.out" | cut -c1-220 | sed 's/^/     /'
	fi
}
# compare LABEL TRUTH DUMP TYPES...: compare_truth.py's own pass/fail counts
# are added to ours.
compare() {
	local label=$1 truth=$2 dump=$3
	shift 3
	python3 "$PGT_SRC/tests/lib/compare_truth.py" --pgt "$PGT" --truth "$truth" --dump "$dump" \
		--label "$label" "$@" >"$TMP/cmp.out" 2>&1
	sed 's/^/     /' "$TMP/cmp.out"
	local line p f
	line=$(tail -n 1 "$TMP/cmp.out")
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
		pass=$((pass + p))
		fail=$((fail + f))
		echo "$([ "$f" -eq 0 ] && echo "ok  " || echo "FAIL") $label: truth comparison $p passed, $f failed"
	else
		bad "$label: compare_truth.py did not finish"
	fi
}

for f in "$VML" "$OUT/clean.vmcore" "$OUT/clean.truth/tasks.tsv"; do
	if [ ! -s "$f" ]; then
		bad "$f missing: build the synth_fixtures target (cmake --build $PGT_BUILD)"
		finish
	fi
done

# ---- clean: truth through DWARF and through a saved profile ----
compare synth-clean "$OUT/clean.truth" "$OUT/clean.vmcore" --vmlinux "$VML"
run profile "$PGT" profile "$VML" -o "$TMP/synth.profile"
if [ $rc -eq 0 ] && [ -s "$TMP/synth.profile" ]; then
	ok "profile written from the synthetic vmlinux"
	compare synth-clean-profile "$OUT/clean.truth" "$OUT/clean.vmcore" --profile "$TMP/synth.profile"
else
	bad "profile: rc $rc: $(cat "$TMP/profile.err")"
fi

# ---- tasks: every task, in order, with tgid, state and kernel/user ----
run tasks "$PGT" tasks "$OUT/clean.vmcore" -k "$VML"
if [ $rc -ne 0 ]; then
	bad "tasks: rc $rc: $(cat "$TMP/tasks.err")"
else
	grep -v '^#' "$OUT/clean.truth/tasks.tsv" |
		awk -F'\t' '{print $1, $2, $3, $4, $5}' >"$TMP/tasks.want"
	awk 'NR > 1 { print $1, $2, $3, $4, (/kernel thread$/ ? "kernel" : "user") }' \
		"$TMP/tasks.out" >"$TMP/tasks.got"
	if cmp -s "$TMP/tasks.want" "$TMP/tasks.got"; then
		ok "tasks: $(wc -l <"$TMP/tasks.want") tasks (pid tgid state comm kernel/user) as created"
	else
		bad "tasks differ from the tasks the generator created (want / got):"
		diff "$TMP/tasks.want" "$TMP/tasks.got" | sed 's/^/     /'
	fi
fi

# ---- clean check ----
run check-clean "$PGT" check "$OUT/clean.vmcore" -k "$VML"
if [ $rc -eq 0 ] && grep -q '^# 0 errors, 0 warnings' "$TMP/check-clean.out"; then
	ok "check on the clean dump: nothing found"
else
	bad "check on the clean dump: rc $rc:"
	sed 's/^/     /' "$TMP/check-clean.out" "$TMP/check-clean.err"
fi

# ---- vtop through a PROT_NONE pte: the frame is stored inverted ----
pn=$(ls "$OUT/clean.truth/100/pagemap/" | grep '^000010020000-')
if [ -n "$pn" ]; then
	ent=$(od -An -tx8 -N8 "$OUT/clean.truth/100/pagemap/$pn" | tr -d ' ')
	pfn=$(printf '%x' $((0x$ent & ((1 << 55) - 1))))
	run vtop "$PGT" vtop "$OUT/clean.vmcore" -k "$VML" --pid 100 10020000
	if [ $rc -eq 0 ] && grep -q "^0x10020000 -> physical 0x${pfn}000$" "$TMP/vtop.out"; then
		ok "vtop of a PROT_NONE page gives pfn 0x$pfn"
	else
		bad "vtop --pid 100 10020000: rc $rc, want physical 0x${pfn}000:"
		sed 's/^/     /' "$TMP/vtop.out" "$TMP/vtop.err"
	fi
else
	bad "truth lacks the PROT_NONE VMA of pid 100"
fi

# ---- compact: many PT_LOADs, zero pages not in the file ----
C=$OUT/compact
compare synth-compact "$C/clean.truth" "$C/clean.vmcore" --vmlinux "$VML"
run check-compact "$PGT" check "$C/clean.vmcore" -k "$VML"
# a table a process walk needs must be reported as unreadable, not taken
# as empty (deposited tables are never read; kernel ones are not asserted)
n=0
while read -r _ pa _; do
	want_finding compact unreadable-table "physical address ${pa#pa=} is not in the dump"
	n=$((n + 1))
done < <(grep '^filtered-table .* kind=user ' "$C/clean.truth/anomalies.txt")
only_findings compact $n

# ---- the committed copy ----
if [ -s "$BUNDLED/synth-clean.vmcore.xz" ]; then
	xz -dc "$BUNDLED/synth-clean.vmcore.xz" >"$TMP/bundled.vmcore"
	compare synth-bundled "$BUNDLED/synth-clean.truth" "$TMP/bundled.vmcore" --vmlinux "$BUNDLED/vmlinux-synth"
else
	bad "$BUNDLED/synth-clean.vmcore.xz missing"
fi

# ---- unreadable dumps: exit 2, the file named ----
for s in empty truncated; do
	run "$s" "$PGT" tasks "$OUT/$s.vmcore" -k "$VML"
	if [ $rc -eq 2 ] && grep -qF "$OUT/$s.vmcore" "$TMP/$s.err"; then
		ok "$s: exit 2: $(head -n 1 "$TMP/$s.err")"
	else
		bad "$s: want exit 2 and the file named; rc $rc: $(head -n 3 "$TMP/$s.err")"
	fi
done

# ---- damaged tables: no hang, and check names each planted problem ----
for s in selfloop pfn-past-end leak kernel-mismatch; do
	a=$OUT/$s.truth/anomalies.txt
	run "dump-$s" "$PGT" dump "$OUT/$s.vmcore" -k "$VML"
	if [ $rc -eq 0 ] || [ $rc -eq 2 ]; then
		ok "$s: dump of every process finishes (rc $rc)"
	else
		bad "$s: dump rc $rc: $(head -n 3 "$TMP/dump-$s.err")"
	fi
	run "check-$s" "$PGT" check "$OUT/$s.vmcore" -k "$VML"
	if [ $rc -eq 3 ]; then
		ok "$s: check exits 3 (found something)"
	else
		bad "$s: check rc $rc, want 3: $(head -n 3 "$TMP/check-$s.err")"
	fi
	case $s in
	selfloop)
		# check names the table each looping entry points back to
		while read -r _ pid level va _ to; do
			want_finding $s table-loop "pid ${pid#pid=} .* ${level#level=} ${va#va=}-.*table ${to#points_to=}"
		done < <(grep '^loop ' "$a")
		only_findings $s 2
		# dump warns, naming the file, the process and a looping table
		tables=$(grep '^loop ' "$a" | sed 's/.*points_to=//' | paste -sd'|')
		if grep -F "$OUT/$s.vmcore" "$TMP/dump-$s.err" | grep -E "pid 110: .*table at ($tables) is reached a second time" >/dev/null; then
			ok "$s: dump warns: $(grep -m1 'reached a second time' "$TMP/dump-$s.err" | cut -c1-160)"
		else
			bad "$s: dump names no looping table ($tables): $(head -c 300 "$TMP/dump-$s.err")"
		fi
		;;
	pfn-past-end)
		read -r _ pid va table pfn phys _ < <(grep '^pfn-past-end ' "$a")
		want_finding $s past-ram "pid ${pid#pid=} .*pte ${va#va=}-.*table ${table#pte_table=}.*${phys#phys=}"
		only_findings $s 1
		if grep -qE "^  0*${va#va=0x}-.* present +pfn ${pfn#pfn=}( |$)" "$TMP/dump-$s.out"; then
			ok "$s: dump shows ${va#va=} present at ${pfn}"
		else
			bad "$s: dump does not show ${va#va=} at ${pfn}"
		fi
		# the kernel reports the frame, with no struct page behind it: no
		# exclusive/file bits (vm_normal_page() gives NULL past the memmap)
		want=$(od -An -tx8 -j $((8 * ((${va#va=} - 0x405000) / 4096))) -N8 \
			"$OUT/$s.truth/100/pagemap/000000405000-000000407000.bin" | tr -d ' ')
		run "pm-$s" "$PGT" pagemap "$OUT/$s.vmcore" -k "$VML" --pid 100 --raw --range "${va#va=0x}-$(printf '%x' $((${va#va=} + 4096)))"
		got=$(od -An -tx8 -N8 "$TMP/pm-$s.out" | tr -d ' ')
		if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
			ok "$s: pagemap of ${va#va=} is 0x$want (${pfn})"
		else
			bad "$s: pagemap of ${va#va=}: rc $rc, got 0x$got, want 0x$want"
		fi
		;;
	leak)
		n=0
		while read -r _ pid level table range inside; do
			[ -n "$inside" ] && continue   # inside a leaked table: reported with it
			want_finding $s leaked-table "pid ${pid#pid=} .* ${level#level=} ${range#va=} table ${table#table=}"
			n=$((n + 1))
		done < <(grep '^leak ' "$a")
		only_findings $s $n
		;;
	kernel-mismatch)
		while read -r _ pid idx kind _ process; do
			case ${kind#kind=} in
			different) k=kernel-entry-mismatch ;;
			missing) k=kernel-entry-unsynced ;;
			esac
			want_finding $s $k "pid ${pid#pid=} .*entry 0x0*${process#process=0x}.*slot ${idx#pgd_index=}"
		done < <(grep '^kernel-mismatch ' "$a")
		only_findings $s 2
		;;
	esac
done

finish
