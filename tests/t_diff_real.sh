#!/usr/bin/env bash
# diff on the x86_64 real dump: pgtinspect's pagemap of each captured pid
# equals the in-guest truth folder; a copy of the truth with 3 PFNs and 1
# soft-dirty bit altered is reported at exactly those pages and fields.
. "$PGT_SRC/tests/lib/realdump.sh"
real_require x86_64
prof=$(real_profile eb4fbcd037e7253717950bf2b93bd5566f47c56f) || exit 1
elf=$(real_elf x86_64)
T=$REAL/x86_64/truth
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# Every pid whose truth matches as captured.
for pid in 1 108 109 111 112; do
	out=$("$PGT" diff "$elf" "$T/$pid/pagemap" --pid "$pid" --profile "$prof" 2>"$tmp/err")
	rc=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	if [ $rc -eq 0 ] && [[ $last =~ ^[1-9][0-9]*\ pages\ compared,\ 0\ differ$ ]] &&
	   printf '%s\n' "$out" | grep -qx '0 pages only in A, 0 pages only in B'; then
		ok "pid $pid: $last"
	else
		bad "pid $pid: rc $rc: $last $(cat "$tmp/err")"
		printf '%s\n' "$out" | head -n 20
	fi
done

# pid 110: its /bin/busybox VMA differs in bit 56 only (the capturing reader
# also mapped those pages; tests/lib/compare_truth.py explains).
out=$("$PGT" diff "$elf" "$T/110/pagemap" --pid 110 --profile "$prof" --json 2>"$tmp/err")
rc=$?
if [ $rc -eq 3 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["differ"] > 0 and d["differ"] == d["totals"]["exclusive"], d["totals"]
for g in d["groups"]:
    assert g["fields"] == ["exclusive"], g
    assert 0x18400000 <= int(g["start"], 16) < int(g["end"], 16) <= 0x18440000, g
'; then
	ok "pid 110: differs in exclusive only, inside the busybox VMA (exit 3)"
else
	bad "pid 110 without --ignore: rc $rc $(cat "$tmp/err")"
fi
out=$("$PGT" diff "$elf" "$T/110/pagemap" --pid 110 --profile "$prof" --ignore exclusive 2>"$tmp/err")
rc=$?
last=$(printf '%s\n' "$out" | tail -n 1)
[ $rc -eq 0 ] && [[ $last == *" 0 differ" ]] && ok "pid 110 --ignore exclusive: $last" ||
	bad "pid 110 --ignore exclusive: rc $rc: $last $(cat "$tmp/err")"

# The kdump-compressed form and the other side order (truth as A) agree too.
out=$("$PGT" diff "$T/108/pagemap" "$REAL/x86_64/vmcore.kdump-zlib" --pid 108 --profile "$prof" 2>"$tmp/err")
rc=$?
[ $rc -eq 0 ] && ok "pid 108 kdump-zlib (truth as A): $(printf '%s\n' "$out" | tail -n 1)" ||
	bad "pid 108 kdump-zlib: rc $rc $(cat "$tmp/err")"

# A raw capture without a name: its address from --range, as pagemap --raw -o wrote it.
"$PGT" pagemap "$elf" --pid 108 --profile "$prof" --raw --range 10000000-10040000 --range 12000000-12020000 \
	-o "$tmp/pm.out" 2>"$tmp/err" || bad "pagemap --raw -o: $(cat "$tmp/err")"
out=$("$PGT" diff "$tmp/pm.out" "$T/108/pagemap" --range 10000000-10040000 --range 12000000-12020000 2>"$tmp/err")
rc=$?
last=$(printf '%s\n' "$out" | tail -n 1)
[ $rc -eq 0 ] && [ "$last" = "96 pages compared, 0 differ" ] && ok "unnamed raw file with --range: $last" ||
	bad "unnamed raw file with --range: rc $rc: $last $(cat "$tmp/err")"

# A deliberately altered copy of pid 108's truth.
cp -r "$T/108/pagemap" "$tmp/alt"
python3 - "$tmp/alt" > "$tmp/expect.json" <<'EOF' || bad "could not alter the copy"
import json, os, re, sys
d = sys.argv[1]
pages = []   # (vaddr, file, index, value) of present pages with a frame
for f in sorted(os.listdir(d)):
    m = re.match(r"([0-9a-f]+)-([0-9a-f]+)\.bin$", f)
    b = open(os.path.join(d, f), "rb").read()
    for k in range(len(b) // 8):
        v = int.from_bytes(b[8*k:8*k+8], "little")
        if v >> 63 & 1 and v & ((1 << 55) - 1):
            pages.append((int(m.group(1), 16) + 4096 * k, f, k, v))
# two neighbours (one group), one page far away, and a fourth for soft-dirty
i = next(i for i in range(len(pages) - 1) if pages[i + 1][0] == pages[i][0] + 4096)
far = next(p for p in reversed(pages) if p[0] > pages[i + 1][0] + 0x100000)
sd = pages[len(pages) // 2]
if sd in (pages[i], pages[i + 1], far):
    sd = next(p for p in pages if p not in (pages[i], pages[i + 1], far))
expect = {}
def alter(p, mask, field):
    va, f, k, v = p
    path = os.path.join(d, f)
    b = bytearray(open(path, "rb").read())
    b[8*k:8*k+8] = (v ^ mask).to_bytes(8, "little")
    open(path, "wb").write(b)
    expect["0x%x" % va] = [field]
for p in (pages[i], pages[i + 1], far):
    alter(p, 1 << 20, "pfn")
alter(sd, 1 << 55, "soft-dirty")
json.dump(expect, sys.stdout)
EOF
out=$("$PGT" diff "$elf" "$tmp/alt" --pid 108 --profile "$prof" --json 2>"$tmp/err")
rc=$?
if [ $rc -eq 3 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
want = json.load(open(sys.argv[1]))
got = {}
for g in d["groups"]:
    for va in range(int(g["start"], 16), int(g["end"], 16), 4096):
        got["0x%x" % va] = g["fields"]
assert got == want, (got, want)
assert len(d["groups"]) == 3, d["groups"]
t = d["totals"]
assert (t["pfn"], t["soft-dirty"], d["differ"]) == (3, 1, 4), t
assert sum(t.values()) == 4, t
' "$tmp/expect.json"; then
	ok "altered copy (JSON): exactly $(cat "$tmp/expect.json") reported, exit 3"
else
	bad "altered copy (JSON): rc $rc $(cat "$tmp/err")"
	printf '%s\n' "$out" | head -c 2000
fi
out=$("$PGT" diff "$elf" "$tmp/alt" --pid 108 --profile "$prof" 2>"$tmp/err")
rc=$?
ngroups=$(printf '%s\n' "$out" | grep -c '^0x')
if [ $rc -eq 3 ] && [ "$ngroups" = 3 ] &&
   printf '%s\n' "$out" | grep -q '^totals: present 0, pfn 3, swap 0, soft-dirty 1, exclusive 0, uffd-wp 0, file 0$' &&
   printf '%s\n' "$out" | tail -n 1 | grep -qx '371 pages compared, 4 differ'; then
	ok "altered copy (text): 3 lines, totals pfn 3 soft-dirty 1, exit 3"
else
	bad "altered copy (text): rc $rc, $ngroups group lines"
	printf '%s\n' "$out"
fi
out=$("$PGT" diff "$elf" "$tmp/alt" --pid 108 --profile "$prof" --ignore pfn,soft-dirty 2>"$tmp/err")
rc=$?
[ $rc -eq 0 ] && ok "altered copy --ignore pfn,soft-dirty: exit 0" || bad "altered copy --ignore pfn,soft-dirty: rc $rc"

# Errors: a missing file is named (exit 2); no --pid for a dump is a usage error (exit 1).
"$PGT" diff "$elf" "$tmp/nonexistent/400000-401000.bin" --pid 108 --profile "$prof" 2>"$tmp/err" >/dev/null
rc=$?
[ $rc -eq 2 ] && grep -q nonexistent "$tmp/err" && ok "missing file: exit 2, named" || bad "missing file: rc $rc $(cat "$tmp/err")"
"$PGT" diff "$elf" "$T/108/pagemap" --profile "$prof" 2>/dev/null >/dev/null
rc=$?
[ $rc -eq 1 ] && ok "dump without --pid: exit 1" || bad "dump without --pid: rc $rc"

[ $fail -eq 0 ] && echo "all passed" || echo "some failed"
exit $fail
