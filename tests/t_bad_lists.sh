#!/usr/bin/env bash
# Corrupt kernel lists must end with a clear error, never loop: copies of the
# x86_64 real dump where pid 108's maple root node gets a child slot pointing
# back at itself, and where a task's tasks.next points back at an earlier
# task instead of going on to init_task.
. "$PGT_SRC/tests/lib/realdump.sh"
real_require x86_64
prof=$(real_profile eb4fbcd037e7253717950bf2b93bd5566f47c56f) || exit 1
elf=$(real_elf x86_64)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp "$elf" "$tmp/loop.elf"
python3 - "$tmp/loop.elf" "$prof" <<'PY' || exit 1
import struct, sys, subprocess
path, prof = sys.argv[1], sys.argv[2]
field = {}
for line in open(prof):
    w = line.split()
    if w and w[0] == "field":
        field[w[1]] = int(w[2])
# pid 108's mm, from the dataset's MANIFEST (independent of pgtinspect)
mm = 0xffff88800485a400
direct = 0xffff888000000000          # nokaslr page_offset_base
f = open(path, "r+b")
hdr = f.read(64)
phoff, = struct.unpack_from("<Q", hdr, 32)
phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
segs = []
for i in range(phnum):
    f.seek(phoff + i * phentsize)
    t, _, off, va, pa, fs, ms, _ = struct.unpack("<IIQQQQQQ", f.read(56))
    if t == 1:
        segs.append((pa, off, fs))
def at(va):
    pa = va - direct
    for s, o, n in segs:
        if s <= pa < s + n:
            return o + pa - s
    sys.exit("address 0x%x not in the dump" % va)
f.seek(at(mm + field["mm_struct.mm_mt"] + field["maple_tree.ma_root"]))
root, = struct.unpack("<Q", f.read(8))
assert root & 3 == 2, "root 0x%x is not a node" % root
node = root & ~0xff
typ = (root >> 3) & 0xf
slot = field["maple_arange_64.slot"] if typ == 3 else field["maple_range_64.slot"]
f.seek(at(node + slot + 8))
f.write(struct.pack("<Q", root & ~2))   # slot 1: the root node again
print("patched slot 1 of maple node 0x%x" % node)
PY
pass=0 fail=0
expect() { # WHAT PATTERN CMD...
	local what=$1 pat=$2; shift 2
	out=$(timeout 60 "$@" 2>&1); code=$?
	echo "$out" | tail -1
	if [ $code -eq 2 ] && grep -q "$pat" <<<"$out"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL $what: exit $code (want 2 with '$pat')"; fi
}
expect "maple loop" "reached twice" "$PGT" maps "$tmp/loop.elf" --profile "$prof" --pid 108

# the task list: the task after pid 109 is made to lead back to pid 109
cp "$elf" "$tmp/tasks.elf"
"$PGT" tasks --json "$elf" --profile "$prof" > "$tmp/tasks.json" || exit 1
python3 - "$tmp/tasks.elf" "$prof" "$tmp/tasks.json" <<'PY' || exit 1
import json, struct, sys
path, prof, tj = sys.argv[1:4]
off = {l.split()[1]: int(l.split()[2]) for l in open(prof) if l.startswith("field ")}["task_struct.tasks"]
tasks = {t["pid"]: int(t["task"], 16) for t in json.load(open(tj))["tasks"]}
direct = 0xffff888000000000
f = open(path, "r+b")
hdr = f.read(64)
phoff, = struct.unpack_from("<Q", hdr, 32)
phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
segs = []
for i in range(phnum):
    f.seek(phoff + i * phentsize)
    t, _, o, va, pa, fs, ms, _ = struct.unpack("<IIQQQQQQ", f.read(56))
    if t == 1:
        segs.append((pa, o, fs))
def at(va):
    pa = va - direct
    return next(o + pa - s for s, o, n in segs if s <= pa < s + n)
f.seek(at(tasks[110] + off))
f.write(struct.pack("<Q", tasks[109] + off))
print("tasks.next of pid 110 now leads back to pid 109")
PY
expect "task list loop" "loops at" "$PGT" tasks "$tmp/tasks.elf" --profile "$prof"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
