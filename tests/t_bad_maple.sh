#!/usr/bin/env bash
# A corrupt VMA tree must end with a clear error, never loop: a copy of the
# x86_64 real dump whose maple root node (pid 108) gets a child slot pointing
# back at itself.
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
out=$(timeout 60 "$PGT" maps "$tmp/loop.elf" --profile "$prof" --pid 108 2>&1); code=$?
echo "$out" | tail -2
if [ $code -eq 2 ] && grep -q "reached twice" <<<"$out"; then
	echo "1 passed, 0 failed"
	exit 0
fi
echo "FAIL: exit $code (want 2 with 'reached twice')"
echo "0 passed, 1 failed"
exit 1
