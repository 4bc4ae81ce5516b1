#!/usr/bin/env bash
# A real x86_64 dump with anomalies injected into the live kernel
# (fixtures/inject/pgt_inject.ko, see fixtures/realdumps/x86_64-injected/
# MANIFEST.md): `check` must report exactly what the module's own log
# (truth/inject.txt) says it did: a leaked PTE table, one kernel-half top
# slot cleared, one repointed, one orphan PageTable page; check name, pid,
# virtual range, table address and entries, and nothing else.  The pagemap
# of every captured VMA must still equal the in-guest truth.
# PGT_INJECTED_DUMPS: more forms of the same system to hold to the same
# truth (e.g. the ELF kept outside the repository), separated by spaces.
. "$PGT_SRC/tests/lib/realdump.sh"
DS=${PGT_INJECTED:-$PGT_SRC/fixtures/realdumps/x86_64-injected}
log=$DS/truth/inject.txt
dump=$DS/vmcore-injected.makedumpfile-d31
if [ ! -s "$log" ]; then
	echo "SKIP: $log not present"
	exit 77
fi
if [ ! -s "$dump" ]; then
	echo "SKIP: $dump not present (made by the lab with fixtures/inject, see $DS/MANIFEST.md)"
	exit 77
fi
rc=0
for d in "$dump" ${PGT_INJECTED_DUMPS:-}; do
	# VMCOREINFO names the kernel; it is stored uncompressed in every form.
	bid=$(grep -a -m1 -o 'BUILD-ID=[0-9a-f]\{40\}' "$d" | head -1)
	prof=$(real_profile "${bid#BUILD-ID=}") || { rc=1; continue; }
	name=x86_64-injected:${d##*/}
	python3 "$PGT_SRC/tests/lib/compare_truth.py" --pgt "$PGT" --truth "$DS/truth" \
		--dump "$d" --profile "$prof" --label "$name" || rc=1
	out=$(mktemp); "$PGT" --profile "$prof" check --json "$d" > "$out"; code=$?
	python3 - "$log" "$out" "$code" "$DS/truth" "$name" <<'EOF' || rc=1
import json, os, sys
log, out, code, truth, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
fail = []

# The module's log: "pgt_inject: KIND key=value ...".
acts, done = [], False
for line in open(log):
    w = line.split()
    if len(w) < 2 or w[0] != "pgt_inject:":
        continue
    if w[1] == "done" and "rc=0" in w:
        done = True
    if w[1] in ("leak", "unsynced", "mismatch", "orphan"):
        acts.append((w[1], dict(x.split("=", 1) for x in w[2:] if "=" in x)))
if not done or len(acts) < 4:
    sys.exit("FAIL %s: %s does not say the injection completed (%d actions)" % (name, log, len(acts)))

h = lambda s: int(s, 16)
def vmas(pid):
    for line in open(os.path.join(truth, str(pid), "maps")):
        a, b = line.split()[0].split("-")
        yield h(a), h(b)

# What check must say for each action (all numbers as integers).
want = []
for kind, a in acts:
    if kind == "orphan":
        want.append(dict(check="orphan-table", pid=-1, table=h(a["table"])))
        continue
    pid, start, end = int(a["pid"]), h(a["start"]), h(a["end"])
    if kind == "leak":
        # the premise, from the truth: no VMA of that process in the span
        if any(s < end and e > start for s, e in vmas(pid)):
            fail.append("leak 0x%x-0x%x overlaps a VMA of pid %d in the truth" % (start, end, pid))
        want.append(dict(check="leaked-table", pid=pid, level="pte", start=start, end=end,
                         table=h(a["table"]), entries=[h(a["new"])]))
        continue
    # kernel-half slots: the process's old entry was the kernel's own
    if h(a["kernel"]) != h(a["old"]) or not h(a["old"]):
        fail.append("%s slot %s: old 0x%x is not the kernel's 0x%x" % (kind, a["index"], h(a["old"]), h(a["kernel"])))
    want.append(dict(check="kernel-entry-" + kind, pid=pid, level="pgd", start=start, end=end,
                     table=h(a["table"]), entries=[h(a["new"]), h(a["kernel"])]))

got = json.load(open(out))["findings"]
def norm(f):
    return dict(check=f["check"], pid=f["pid"], level=f["level"], start=h(f["start"]), end=h(f["end"]),
                table=h(f["table"]), entries=[h(x) for x in f["entries"]])
def fits(w, g):
    return all(g[k] == v for k, v in w.items())
def show(f):
    return "{%s}" % ", ".join("%s: %s" % (k, "[%s]" % ", ".join(hex(x) for x in v) if isinstance(v, list)
                                          else hex(v) if isinstance(v, int) and k != "pid" else v)
                              for k, v in f.items())
left = [norm(f) for f in got]
for w in want:
    m = [g for g in left if fits(w, g)]
    if len(m) != 1:
        fail.append("expected once, found %d times: %s" % (len(m), show(w)))
    for g in m:
        left.remove(g)
for g in left:
    fail.append("not injected (false alarm): %s" % show(g))
if code != 3:
    fail.append("check exited %d, not 3" % code)
for f in fail:
    print("FAIL %s: %s" % (name, f))
if not fail:
    print("%s: check reports exactly the %d injected anomalies (%s)" %
          (name, len(want), ", ".join(w["check"] for w in want)))
sys.exit(1 if fail else 0)
EOF
	rm -f "$out"
done
exit $rc
