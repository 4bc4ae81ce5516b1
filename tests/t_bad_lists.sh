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
PYTHONPATH=$PGT_SRC/tests/lib python3 - "$tmp/loop.elf" "$prof" <<'PY' || exit 1
import sys
from elfcore import Core
path, prof = sys.argv[1], sys.argv[2]
field = {l.split()[1]: int(l.split()[2]) for l in open(prof) if l.startswith("field ")}
core = Core(path)
# pid 108's mm, from the dataset's MANIFEST (independent of pgtinspect)
mm = 0xffff88800485a400
root = core.read64(mm + field["mm_struct.mm_mt"] + field["maple_tree.ma_root"])
assert root & 3 == 2, "root 0x%x is not a node" % root
node = root & ~0xff
slot = field["maple_arange_64.slot" if (root >> 3) & 0xf == 3 else "maple_range_64.slot"]
core.write64(node + slot + 8, root & ~2)   # slot 1: the root node again
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
PYTHONPATH=$PGT_SRC/tests/lib python3 - "$tmp/tasks.elf" "$prof" "$tmp/tasks.json" <<'PY' || exit 1
import json, sys
from elfcore import Core
path, prof, tj = sys.argv[1:4]
off = {l.split()[1]: int(l.split()[2]) for l in open(prof) if l.startswith("field ")}["task_struct.tasks"]
tasks = {t["pid"]: int(t["task"], 16) for t in json.load(open(tj))["tasks"]}
Core(path).write64(tasks[110] + off, tasks[109] + off)
print("tasks.next of pid 110 now leads back to pid 109")
PY
expect "task list loop" "loops at" "$PGT" tasks "$tmp/tasks.elf" --profile "$prof"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
