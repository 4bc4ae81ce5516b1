#!/usr/bin/env bash
# s390x real dump beyond ../shared (fixtures/realdumps/s390x-more, see its
# MANIFEST.md): the same Debian 6.1.0-50-s390x kernel with other workloads,
# where the depth changes over a process's life and across fork(): 3-level
# children of 4-level parents and the reverse, 5 levels kept after the 8 PB
# mapping is gone, a 10 GiB sparse mapping across 8 TB, MAP_SHARED file and
# anonymous regions, PROT_NONE, MADV_DONTNEED holes, soft-dirty cleared and
# re-dirtied, young cleared, swap entries.  The committed ELF is the one
# QEMU wrote (no VMCOREINFO note: found through the absolute lowcore).
#
# For each dump: maps and raw pagemap (big-endian, every page of every VMA)
# of every captured pid equal the in-guest truth; each pid's depth in
# `tasks` equals the MANIFEST's (the workload's design) and vtop walks that
# many levels to the truth's PFN or swap entry; check is clean.
# PGT_S390X_MORE_EXTRA may name more dumps of the same system (the lab's
# kdump-zlib, 14 MiB, is not committed) to run the same checks on.
. "$PGT_SRC/tests/lib/realdump.sh"
DS=${PGT_MORE_REALDUMPS:-$PGT_SRC/fixtures/realdumps}/s390x-more
if [ ! -s "$DS/vmcore.elf.xz" ] || [ ! -d "$DS/truth" ]; then
	echo "SKIP: $DS: vmcore.elf.xz or truth/ missing"
	exit 77
fi
bid=64191809e7272da77af306133aa6c566be0be242
prof=$(real_profile $bid) || exit 1
work=$CACHE/s390x-more
mkdir -p "$work"
elf=$work/vmcore.elf
if [ ! -s "$elf" ] || [ "$DS/vmcore.elf.xz" -nt "$elf" ]; then
	xz -dc "$DS/vmcore.elf.xz" > "$elf.tmp.$$" && mv "$elf.tmp.$$" "$elf" || exit 1
fi
# Pagemaps of the sparse mapping (20 MiB) are committed xz-packed: unpack a
# copy of the truth for this run.  The path keeps "s390" in it:
# compare_truth.py reads the pagemap files as big-endian then.
tmp=$(mktemp -d "$work/run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
truth=$tmp/truth
cp -a "$DS/truth" "$truth" && find "$truth" -name '*.bin.xz' -exec xz -d {} + || exit 1

rc=0
# QEMU's ELF has no VMCOREINFO note: it must come from the kernel's own note,
# at the address the guest's /sys/kernel/vmcoreinfo gave.
note=$(printf '0x%x' "$(cut -d' ' -f1 "$truth/sys-kernel-vmcoreinfo.txt")")
out=$("$PGT" tasks -v --profile "$prof" "$elf" 2>&1 >/dev/null)
if grep -q "VMCOREINFO from the kernel's note at physical $note " <<<"$out"; then
	echo "s390x-more: VMCOREINFO found through the lowcore at $note"
else
	echo "FAIL s390x-more: VMCOREINFO not from the note at $note: $out"
	rc=1
fi
for d in "$elf" ${PGT_S390X_MORE_EXTRA:-}; do
	label=s390x-more-$(basename "$d")
	python3 "$PGT_SRC/tests/lib/compare_truth.py" --pgt "$PGT" --truth "$truth" \
		--dump "$d" --profile "$prof" --label "$label" || rc=1
	out=$("$PGT" check --profile "$prof" "$d" 2>&1); code=$?
	if [ $code -eq 0 ] && grep -q "0 errors, 0 warnings" <<<"$out"; then
		echo "$label: check clean"
	else
		echo "FAIL $label: check exit $code"
		echo "$out"
		rc=1
	fi
	python3 - "$PGT" "$prof" "$d" "$DS/MANIFEST.md" "$truth" "$label" <<'EOF' || rc=1
import json, os, re, subprocess, sys
pgt, prof, dump, manifest, truth, label = sys.argv[1:7]
ok = bad = 0
def expect(c, what):
    global ok, bad
    if c:
        ok += 1
    else:
        bad += 1
        print("FAIL", label, what)
def pgt_run(cmd, *a):
    return subprocess.run([pgt, cmd, "--profile", prof, dump, *a], capture_output=True, text=True)

# MANIFEST: | pid | role | parent | levels | top table | why |
man = {}
for m in re.finditer(r"^\| (\d+) \| ([\w-]+) \| (\S+) \| (\d) \| (r1t|r2t|r3t) \|", open(manifest).read(), re.M):
    man[int(m.group(1))] = (m.group(2), int(m.group(4)), m.group(5))
roles = {}
for line in open(os.path.join(truth, "pids.txt")).read().splitlines()[1:]:
    p, r = line.split()
    roles[int(p)] = r
expect(man and sorted(man) == sorted(roles), "MANIFEST pids %s, truth pids %s" % (sorted(man), sorted(roles)))
expect({l for _, l, _ in man.values()} == {3, 4, 5}, "MANIFEST has 3-, 4- and 5-level processes")
by_role = {r: p for p, (r, _, _) in man.items()}

r = pgt_run("tasks", "--json")
tasks = {t["pid"]: t for t in json.loads(r.stdout)["tasks"]} if r.returncode == 0 else {}
names = ["r1t", "r2t", "r3t", "sgt", "pte"]
for pid, (role, levels, top) in sorted(man.items()):
    expect(roles.get(pid) == role, "pid %d: MANIFEST role %s, truth %s" % (pid, role, roles.get(pid)))
    # the workload wrote its designed depth into its description too
    m = re.search(r"^levels (\d)", open(os.path.join(truth, str(pid), "role.txt")).read(), re.M)
    expect(role == "init" or (m and int(m.group(1)) == levels),
           "pid %d: role.txt says %s levels, MANIFEST %d" % (pid, m and m.group(1), levels))
    t = tasks.get(pid, {})
    desc = t.get("root", "")
    expect("(%d levels" % levels in desc and desc.startswith("asce %s " % top),
           "pid %d (%s): MANIFEST %d levels (%s), tasks says %r" % (pid, role, levels, top, desc))
    # vtop of the first present and the first swapped page of every VMA
    # walks `levels` tables, top first, to the truth's PFN or swap entry
    pmdir = os.path.join(truth, str(pid), "pagemap")
    for f in sorted(os.listdir(pmdir)):
        s = int(f.split("-")[0], 16)
        data = open(os.path.join(pmdir, f), "rb").read()
        want = {}
        for k in range(len(data) // 8):
            v = int.from_bytes(data[8 * k:8 * k + 8], "big")
            kind = "present" if v >> 63 & 1 else "swap" if v >> 62 & 1 else None
            if kind and kind not in want:
                want[kind] = (s + k * 4096, v & ((1 << 55) - 1))
        for kind, (va, frame) in want.items():
            out = pgt_run("vtop", "--pid", str(pid), "%x" % (va + 0x18)).stdout.splitlines()
            lv = [l.split()[0] for l in out[1:] if l.startswith("  ")]
            expect(lv == names[5 - levels:], "pid %d vtop %x walks %s" % (pid, va, lv))
            last = out[-1] if out else ""
            if kind == "present":
                expect(last.endswith("-> physical 0x%x" % ((frame << 12) + 0x18)),
                       "pid %d vtop %x: pfn 0x%x, got %r" % (pid, va, frame, last))
            else:
                expect(len(out) > 1 and "swap type %d offset 0x%x" % (frame & 31, frame >> 5) in out[-2],
                       "pid %d vtop %x: swap %d/0x%x, got %r" % (pid, va, frame & 31, frame >> 5, out[-2:]))

# What the depth means for addresses outside any VMA.
def vtop_says(role, va, text):
    pid = by_role.get(role)
    out = pgt_run("vtop", "--pid", str(pid), "%x" % va).stdout if pid else ""
    expect(text in out, "%s vtop %x: want %r, got %r" % (role, va, text, out.strip().splitlines()[-1:]))
# 8 PB mapping unmapped, still 5 levels: the region-first entry is empty
vtop_says("hi5unmap", 0x30000000000000, "not mapped (r1t entry empty)")
# 4 TB mapping unmapped after the fork: the region-second entry is empty
vtop_says("hi5unmap", 0x50000000000, "not mapped (r2t entry empty)")
# forked at 3 levels: the parent's later 4 TB mapping is out of reach
vtop_says("forkhi-c1", 0x50000000000, "beyond this address space's limit 0x40000000000")
vtop_says("forklo", 0x30000000000000, "beyond this address space's limit 0x40000000000")
# 4 levels: 8 PB is past the region-second table
vtop_says("sparse", 0x30000000000000, "beyond this address space's limit 0x20000000000000")
print("%s depths/vtop: %d passed, %d failed" % (label, ok, bad))
sys.exit(1 if bad or not ok else 0)
EOF
done
exit $rc
