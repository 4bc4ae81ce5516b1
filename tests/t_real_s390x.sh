#!/usr/bin/env bash
# s390x real dumps (Debian 6.1.0-50-s390x, big-endian, nokaslr): the ELF core
# (VMCOREINFO note in the container) and QEMU's kdump-zlib (no VMCOREINFO
# there: found through the absolute lowcore) give the in-guest truth for
# maps and raw pagemap of every captured pid; each process's depth, ASCE
# type, root and top-level entries equal what the MANIFEST states; vtop of
# a 5-level process shows every level; check is clean.
. "$PGT_SRC/tests/lib/realdump.sh"
real_require s390x
bid=64191809e7272da77af306133aa6c566be0be242
prof=$(real_profile $bid) || exit 1
elf=$(real_elf s390x)
kdump=$REAL/s390x/vmcore.kdump-zlib
rc=0
real_compare s390x "$elf" "$prof" s390x-elf || rc=1
real_compare s390x "$kdump" "$prof" s390x-kdump || rc=1
for d in "$elf" "$kdump"; do
	python3 "$PGT_SRC/tests/lib/check_cmds.py" --pgt "$PGT" --truth "$REAL/s390x/truth" --dump "$d" \
		--profile "$prof" --order big || rc=1
done

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
good=0; bad=0
ok() { good=$((good+1)); }
fail() { bad=$((bad+1)); echo "FAIL $*"; }

# Where VMCOREINFO came from, and that it came before KASLR and the profile:
# KERNELOFFSET is read from it, and the build-id in it finds a cached profile.
out=$("$PGT" tasks -v --profile "$prof" "$kdump" 2>&1 >/dev/null)
grep -q "VMCOREINFO from the kernel's note at physical 0x1ef0000" <<<"$out" && ok || fail "kdump -v: $out"
grep -q "KASLR offset 0x0 (KERNELOFFSET in VMCOREINFO)" <<<"$out" && ok || fail "kdump KASLR: $out"
out=$("$PGT" tasks -v --profile "$prof" "$elf" 2>&1 >/dev/null)
grep -q "VMCOREINFO from the elf container" <<<"$out" && ok || fail "elf -v: $out"
mkdir -p "$tmp/xdg/pgtinspect"
cp "$prof" "$tmp/xdg/pgtinspect/$bid.profile"
out=$(XDG_CACHE_HOME=$tmp/xdg "$PGT" tasks -v "$kdump" 2>&1 >/dev/null); code=$?
[ $code -eq 0 ] && grep -q "cached profile" <<<"$out" && ok || fail "kdump profile by build-id (exit $code): $out"

# check: clean, exit 0, and it says why the kernel-half comparison is skipped.
for d in "$elf" "$kdump"; do
	out=$("$PGT" check --profile "$prof" "$d" 2>&1); code=$?
	[ $code -eq 0 ] && grep -q "0 errors, 0 warnings" <<<"$out" && ok || fail "check $d exit $code: $out"
	grep -q "kernel-entry check does not apply" <<<"$out" && ok || fail "check $d: no kernel-half note"
done

# Depth per process against the MANIFEST (an independent source: the lab's
# drgn run), and vtop of pid 84 (5 levels) against its pagemap.
for d in "$elf" "$kdump"; do
	python3 - "$PGT" "$prof" "$d" "$REAL/s390x" <<'EOF' || rc=1
import json, os, re, subprocess, sys
pgt, prof, dump, real = sys.argv[1:5]
ok = bad = 0
def expect(c, what):
    global ok, bad
    if c:
        ok += 1
    else:
        bad += 1
        print("FAIL", os.path.basename(dump), what)
def run(cmd, *a, addr=None):
    return subprocess.run([pgt, cmd, *a, "--profile", prof, dump] + ([addr] if addr else []),
                          capture_output=True, text=True)

man = open(os.path.join(real, "MANIFEST.src.md")).read()
# | pid | role | VMAs | pages | present | root (phys) | N (type, asce 0x.., asce_limit 0x..) | ...
depth = {}
for m in re.finditer(r"^\| (\d+) \| \w+ \| \d+ \| \d+ \| \d+ \| (0x[0-9a-f]+) \| (\d) \(([a-z-]+), asce (0x[0-9a-f]+)", man, re.M):
    depth[int(m.group(1))] = (int(m.group(2), 16), int(m.group(3)), m.group(4), int(m.group(5), 16))
# * pid N: ASCE .. -> ...; valid top-level entries: [i]=0x.., [j]=0x..
tops = {}
for m in re.finditer(r"^\* pid (\d+): ASCE .*valid top-level entries: (.*)$", man, re.M):
    tops[int(m.group(1))] = {int(i): int(v, 16) for i, v in re.findall(r"\[(\d+)\]=(0x[0-9a-f]+)", m.group(2))}
expect(sorted(depth) == [1, 81, 82, 83, 84, 88], "MANIFEST table parsed: %s" % sorted(depth))
expect(depth.get(83, (0, 0))[1] == 4 and depth.get(84, (0, 0))[1] == 5, "MANIFEST says 83: 4 levels, 84: 5")
tname = {"region-first": "r1t", "region-second": "r2t", "region-third": "r3t", "segment": "sgt"}
shift = {"r1t": 53, "r2t": 42, "r3t": 31, "sgt": 20}

r = run("tasks", "--json")
tasks = {t["pid"]: t for t in json.loads(r.stdout)["tasks"]} if r.returncode == 0 else {}
for pid, (root, levels, typ, asce) in sorted(depth.items()):
    t = tasks.get(pid)
    if not t or "root" not in t:
        expect(False, "pid %d missing from tasks" % pid)
        continue
    desc = t["root"]
    expect("(%d levels" % levels in desc, "pid %d: %d levels, tasks says %r" % (pid, levels, desc))
    expect(desc.startswith("asce %s tl=%d " % (tname[typ], asce & 3)), "pid %d: %s, tasks says %r" % (pid, typ, desc))
    expect(int(t["pgd_pa"], 16) == root == asce & ~0xfff, "pid %d root 0x%x, tasks says %s" % (pid, root, t["pgd_pa"]))
    # vtop of each VMA's start: its first line is the top table's entry
    seen = {}
    for line in open(os.path.join(real, "truth", str(pid), "maps")):
        start = line.split("-")[0]
        out = run("vtop", "--pid", str(pid), addr=start).stdout.splitlines()
        if len(out) < 2:
            continue
        m = re.match(r"\s+(\w+)\s+table 0x([0-9a-f]+) \[\s*(\d+)\] entry 0x([0-9a-f]+)", out[1])
        if m:
            expect(m.group(1) == tname[typ] and int(m.group(2), 16) == root,
                   "pid %d vtop %s starts at %s 0x%s" % (pid, start, m.group(1), m.group(2)))
            seen[int(m.group(3))] = int(m.group(4), 16)
            expect(int(start, 16) >> shift[tname[typ]] == int(m.group(3)), "pid %d vtop %s index" % (pid, start))
    for i, v in tops.get(pid, {}).items():
        expect(seen.get(i) == v, "pid %d top entry [%d]: MANIFEST 0x%x, vtop 0x%x" % (pid, i, v, seen.get(i, 0)))

# pid 84: a present page of the region above 8 PB, through all 5 levels
pm = os.path.join(real, "truth", "84", "pagemap", "30000000000000-30000000010000.bin")
data = open(pm, "rb").read()
va = pfn = None
for k in range(len(data) // 8):
    v = int.from_bytes(data[8*k:8*k+8], "big")
    if v >> 63 & 1:
        va, pfn = 0x30000000000000 + k * 4096 + 0x123, v & ((1 << 55) - 1)
        break
expect(va is not None, "pid 84 has a present page above 8 PB")
if va is not None:
    out = run("vtop", "--pid", "84", addr="%x" % va).stdout.splitlines()
    lv = [l.split()[0] for l in out[1:-1]]
    expect(lv == ["r1t", "r2t", "r3t", "sgt", "pte"], "pid 84 vtop levels %s" % lv)
    for l in out[1:4]:
        expect(re.search(r"TT=(r1t|r2t|r3t) .*TF=0 TL=3", l), "region line shows TT/TF/TL: %s" % l)
    for name, l in zip(["r1t", "r2t", "r3t", "sgt"], out[1:5]):
        expect("TT=%s" % name in l, "entry TT matches its table: %s" % l)
    m = re.search(r"-> physical 0x([0-9a-f]+)", out[-1] if out else "")
    expect(m and int(m.group(1), 16) == (pfn << 12) + 0x123,
           "pid 84 vtop 0x%x: want 0x%x, got %s" % (va, (pfn << 12) + 0x123, out[-1:]))
    # the same address in a 3-level process is past its 4 TB limit
    out = run("vtop", "--pid", "81", addr="%x" % va).stdout
    expect("beyond this address space's limit" in out, "pid 81 vtop above 4T: %s" % out.strip())
print("%s levels/vtop: %d passed, %d failed" % (os.path.basename(dump), ok, bad))
sys.exit(1 if bad or not ok else 0)
EOF
done

# Fragments (two 2 KiB PTE tables per page; _refcount's upper byte says
# which half is allocated, 0x01 lower / 0x02 upper, or waiting for RCU,
# 0x10 / 0x20).  On a patched copy of the ELF core:
#  - pid 82's sgt 0x2be8000[1918] emptied: the upper fragment 0x2b24800 of
#    page 0x2b24 (bits 0x03) is allocated and no longer reached: orphan;
#  - page 0x2b11 (lower half reached by pid 149) marked lower-pending: a
#    table in use that the kernel is freeing;
#  - page 0x2ac3 (lower half in use) given an upper half pending RCU: fine;
#  - pid 82's pgtables_bytes keeps the orphan's 2 KiB: a warning.
# struct page addresses come from the kernel's own tables (vmemmap).
page_pa() { # PFN -> physical address of its struct page
	"$PGT" vtop --profile "$prof" "$elf" --pid 0 "$(printf %x $((0x37200000000 + $1 * 64)))" |
		sed -n 's/.*-> physical 0x\([0-9a-f]*\)$/\1/p'
}
p2b11=$(page_pa 0x2b11); p2ac3=$(page_pa 0x2ac3)
rcoff=$(awk '$1 == "field" && $2 == "page._refcount" {print $3}' "$prof")
if [ -n "$p2b11" ] && [ -n "$p2ac3" ] && [ -n "$rcoff" ] && cp --reflink=auto "$elf" "$tmp/frag.elf"; then
	python3 - "$tmp/frag.elf" "$p2b11" "$p2ac3" "$rcoff" <<'EOF'
import struct, sys
path, p2b11, p2ac3, rcoff = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), int(sys.argv[4])
f = open(path, "r+b")
h = f.read(64)
phoff, = struct.unpack(">Q", h[32:40])
phentsize, phnum = struct.unpack(">HH", h[54:58])
loads = []
for i in range(phnum):
    f.seek(phoff + i * phentsize)
    p_type, _, off, _, paddr, filesz = struct.unpack(">IIQQQQ", f.read(40))
    if p_type == 1:
        loads.append((off, paddr))
assert len(loads) == 1 and loads[0][1] == 0  # one PT_LOAD from physical 0
off = loads[0][0]
def patch(pa, data):
    f.seek(off + pa)
    f.write(data)
patch(0x2be8000 + 1918 * 8, struct.pack(">Q", 0x20))   # _SEGMENT_ENTRY_EMPTY
patch(p2b11 + rcoff, b"\x10")                           # upper byte, big-endian
patch(p2ac3 + rcoff, b"\x21")
EOF
	out=$("$PGT" check --profile "$prof" "$tmp/frag.elf" 2>&1); code=$?
	[ $code -eq 3 ] && grep -q "2 errors, 1 warnings" <<<"$out" && ok || fail "fragments: exit $code: $out"
	# the orphan's 2 KiB are still in pid 82's counter
	grep -q "^warning pgtables-bytes .*pid 82 .*is 45056 but the tables this mm reaches hold 43008" <<<"$out" \
		&& ok || fail "fragments: no pgtables-bytes warning for pid 82: $out"
	grep -q "^error   orphan-table .*table 0x2b24800: page-table fragment 0x2b24800 (upper half of page 0x2b24000.*bits 0x03) is allocated" <<<"$out" \
		&& ok || fail "fragments: no orphan 0x2b24800: $out"
	grep -q "^error   freed-table-in-use .*table 0x2b11000: .*bits 0x10) is in use but the kernel is freeing it" <<<"$out" \
		&& ok || fail "fragments: no freed-table-in-use 0x2b11000: $out"
	rm -f "$tmp/frag.elf"
else
	fail "fragments: struct page of pfn 0x2b11/0x2ac3 not found or no copy"
fi

echo "s390x commands: $good passed, $bad failed"
[ $bad -eq 0 ] || rc=1
exit $rc
