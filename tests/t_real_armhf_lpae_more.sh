#!/usr/bin/env bash
# 32-bit ARM LPAE real dump beyond ../shared (fixtures/realdumps/armhf-lpae-more,
# see its MANIFEST.md): the same Debian 6.1.0-50-armmp-lpae kernel with another
# workload: 9 test processes (two forked by one parent, one by another),
# MAP_SHARED anonymous, tmpfs file and memfd regions, PROT_NONE (4 KiB pages
# and a whole THP), MADV_DONTNEED holes, THPs split by COW and by
# MADV_DONTNEED, mremap, a mapping across 0x80000000 (pgd slots 1 and 2),
# mappings and a THP just below TASK_SIZE, a process that ran module code
# (its own modules PMD got entry 504 copied), user pages and pte tables in
# HIGHMEM and in lowmem.
#
# For each dump: maps and raw pagemap of every captured pid equal the
# in-guest truth (every page of every VMA); tasks, vtop, the JSON outputs and
# a clean check (check_cmds.py); then what vtop shows of the pgd slots:
# an address in the top user GiB goes through the process's own PMD (the one
# whose entries 504-511 are the modules area), not swapper's, and without
# L_PGD_SWAPPER; the kernel-half slot is swapper's PMD, with L_PGD_SWAPPER.
# PGT_ARMHF_LPAE_MORE_EXTRA may name more dumps of the same system (the lab's
# QEMU-written vmcore.elf, not committed) to run the same checks on.
. "$PGT_SRC/tests/lib/realdump.sh"
DS=${PGT_MORE_REALDUMPS:-$PGT_SRC/fixtures/realdumps}/armhf-lpae-more
if [ ! -s "$DS/vmcore.elf.xz" ] || [ ! -d "$DS/truth" ]; then
	echo "SKIP: $DS: vmcore.elf.xz or truth/ missing"
	exit 77
fi
command -v xz >/dev/null || { echo "SKIP: xz not installed"; exit 77; }
prof=$(real_profile 45842c3f98264c16cd311fa5fe49fed7c6e00b2c) || exit 1
work=$CACHE/armhf-lpae-more
mkdir -p "$work"
elf=$work/vmcore.elf
if [ ! -s "$elf" ] || [ "$DS/vmcore.elf.xz" -nt "$elf" ]; then
	xz -dc "$DS/vmcore.elf.xz" > "$elf.tmp" && mv "$elf.tmp" "$elf" || exit 1
fi

rc=0
for d in "$elf" ${PGT_ARMHF_LPAE_MORE_EXTRA:-}; do
	label=armhf-lpae-more:$(basename "$(dirname "$d")")/$(basename "$d")
	python3 "$PGT_SRC/tests/lib/compare_truth.py" --pgt "$PGT" --truth "$DS/truth" \
		--dump "$d" --profile "$prof" --label "$label" || rc=1
	echo "$label commands:"
	python3 "$PGT_SRC/tests/lib/check_cmds.py" --pgt "$PGT" --truth "$DS/truth" --dump "$d" \
		--profile "$prof" || rc=1
	python3 - "$PGT" "$prof" "$d" "$DS/truth" "$label" <<'EOF' || rc=1
import os, re, subprocess, sys
pgt, prof, dump, truth, label = sys.argv[1:6]
ok = bad = 0
def expect(c, what):
    global ok, bad
    if c:
        ok += 1
    else:
        bad += 1
        print("FAIL", label, what)

LINE = re.compile(r"^\s+(\w+)\s+table 0x([0-9a-f]+) \[\s*(\d+)\] entry 0x([0-9a-f]+) (\w+)"
                  r"(?:\s+-> 0x([0-9a-f]+)|\s+maps 0x([0-9a-f]+) \((\d+) KiB\))?\s+(.*)$")
def vtop(pid, va):
    """[(level, table, index, raw, kind, target, describe)], physical or None"""
    out = subprocess.run([pgt, "vtop", "--profile", prof, dump, "--pid", str(pid), "%x" % va],
                         capture_output=True, text=True).stdout.splitlines()
    steps, phys = [], None
    for l in out[1:]:
        m = LINE.match(l)
        if m:
            tgt = m.group(6) or m.group(7)
            steps.append((m.group(1), int(m.group(2), 16), int(m.group(3)), int(m.group(4), 16),
                          m.group(5), int(tgt, 16) if tgt else None, m.group(9)))
        m = re.match(r"0x[0-9a-f]+ -> physical 0x([0-9a-f]+)$", l)
        if m:
            phys = int(m.group(1), 16)
    return steps, phys

def truth_entry(pid, va):
    d = os.path.join(truth, str(pid), "pagemap")
    for f in os.listdir(d):
        s, e = (int(x, 16) for x in f[:-4].split("-"))
        if s <= va < e:
            with open(os.path.join(d, f), "rb") as fh:
                fh.seek((va - s) // 4096 * 8)
                return int.from_bytes(fh.read(8), "little")
    return None

roles = {}
for line in open(os.path.join(truth, "pids.txt")).read().splitlines()[1:]:
    p, r = line.split()
    roles[r] = int(p)
for r in ("mix", "mixkid", "mixkid2", "files", "files2", "blk", "hog", "top2", "topchild", "init"):
    expect(r in roles, "role %s captured" % r)
SWAPPER = 1 << 55   # L_PGD_SWAPPER

# The kernel's own slots: every one carries L_PGD_SWAPPER.
kslot = {}
for s, va in enumerate((0x0, 0x40000000, 0xbee00000, 0xc0001000)):
    st, _ = vtop(0, va)
    expect(st and st[0][0] == "pgd" and st[0][2] == s and st[0][3] & SWAPPER and
           "L_PGD_SWAPPER" in st[0][6], "kernel pgd slot %d: %s" % (s, st[:1]))
    kslot[s] = st[0] if st else None
kmod, _ = vtop(0, 0xbf000000)   # swapper's modules pmd entry 504

# Every process: slot 3 is swapper's PMD, flagged; slot 2 is its own, unflagged.
own = {}
for r, pid in sorted(roles.items()):
    st, phys = vtop(pid, 0xc0001000)
    expect(phys == 0x40001000, "%s vtop c0001000 -> %s" % (r, phys))
    expect(st and st[0][2] == 3 and kslot[3] and st[0][3] == kslot[3][3] and st[0][5] == kslot[3][5] and
           "L_PGD_SWAPPER" in st[0][6], "%s kernel-half pgd slot 3: %s" % (r, st[:1]))
    st, _ = vtop(pid, 0xbf000000)
    expect(len(st) >= 2 and st[0][2] == 2 and not st[0][3] & SWAPPER and "L_PGD_SWAPPER" not in st[0][6] and
           st[0][5] != kslot[2][5] and st[1][0] == "pmd" and st[1][1] == st[0][5] and st[1][2] == 504,
           "%s modules slot 2 is its own PMD: %s" % (r, st[:2]))
    own[r] = st[0][5] if st else None
    if len(st) >= 2 and r == "blk":
        # ran virtio_blk: do_translation_fault() copied swapper's entry 504
        expect(st[1][4] == "table" and len(kmod) >= 2 and st[1][3] == kmod[1][3] != 0,
               "blk pmd 504 %s equals swapper's %s" % (st[1:2], kmod[1:2]))
expect(len(set(own.values())) == len(own), "every mm has its own modules PMD: %s" % own)

# The top user GiB: user entries in the process's own modules PMD.
def top(r, va, pmd_index, leaf_kib):
    pid = roles[r]
    st, phys = vtop(pid, va)
    want = truth_entry(pid, va)
    expect(len(st) >= 2 and st[0][2] == 2 and st[0][5] == own[r] and not st[0][3] & SWAPPER and
           st[0][5] != kslot[2][5] and st[1][1] == own[r] and st[1][2] == pmd_index,
           "%s vtop %x goes through its own modules PMD 0x%x, entry %d: %s" % (r, va, own[r] or 0, pmd_index, st[:2]))
    expect(st and st[-1][4] == "leaf" and st[-1][0] == ("pmd" if leaf_kib == 2048 else "pte"),
           "%s vtop %x ends in a %d KiB leaf: %s" % (r, va, leaf_kib, st[-1:]))
    expect(want is not None and want >> 63 and phys is not None and phys >> 12 == want & ((1 << 55) - 1),
           "%s vtop %x -> %s, truth entry %s" % (r, va, phys, want and hex(want)))
top("top2", 0xbee00000, 503, 4)       # beside the stack's pte table
top("top2", 0xbec01000, 502, 2048)    # THP
top("topchild", 0xbee01000, 503, 4)   # written by the child only
top("topchild", 0xbec00000, 502, 4)   # THP split by the child's COW
top("top2", 0xbe600000, 499, 4)       # across pmd entries 498/499
top("mix", 0xb0400000, 386, 2048)     # THP, its pmd kept by the parent

# Slots 1 and 2 both hold pieces of mixX; both are the process's own tables.
st1, _ = vtop(roles["mix"], 0x7ff00000)
st2, _ = vtop(roles["mix"], 0x80000000)
expect(st1 and st2 and st1[0][2] == 1 and st2[0][2] == 2 and not (st1[0][3] | st2[0][3]) & SWAPPER and
       st1[0][5] not in (kslot[1][5], st2[0][5]), "mixX across slots 1/2: %s %s" % (st1[:1], st2[:1]))

# The PROT_NONE THP: a leaf for vtop, a hole for pagemap (6.1 pmd_present()).
st, _ = vtop(roles["mix"], 0xb0800000)
expect(len(st) == 2 and st[1][4] == "leaf" and "PROT_NONE block" in st[1][6] and not st[1][3] & 1,
       "mix PROT_NONE THP: %s" % st[1:])
raw = subprocess.run([pgt, "pagemap", "--raw", "--profile", prof, dump, "--pid", str(roles["mix"]),
                      "--range", "b0800000-b0a00000"], capture_output=True).stdout
expect(len(raw) == 512 * 8 and not any(raw) and truth_entry(roles["mix"], 0xb0800000) == 0,
       "mix PROT_NONE THP reads as 512 holes (%d bytes)" % len(raw))

# check: clean; the modules entries of the private PMDs were compared
out = subprocess.run([pgt, "check", "-v", "--profile", prof, dump], capture_output=True, text=True)
text = out.stdout + out.stderr
expect(out.returncode == 0 and "# 0 errors, 0 warnings" in text, "check exit %d: %s" % (out.returncode, text[-400:]))
def unsynced(pid, va):
    return re.search(r"kernel-entry-unsynced\s+pid %d \(.*pmd 0x%x-" % (pid, va), text) is not None
expect(unsynced(roles["top2"], 0xbf000000), "top2: modules entry 504 reported not yet copied")
expect(not unsynced(roles["blk"], 0xbf000000) and unsynced(roles["blk"], 0xbfe00000),
       "blk: entry 504 copied (compared equal), pkmap entry 511 not")
print("%s pgd slots/vtop/check: %d passed, %d failed" % (label, ok, bad))
sys.exit(1 if bad or not ok else 0)
EOF
done
exit $rc
