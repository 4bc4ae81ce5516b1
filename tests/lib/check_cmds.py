#!/usr/bin/env python3
"""Commands other than pagemap against a real dump's truth:
- tasks: every process of the captured `ps` (but the capture's own sh/ps,
  which exited before the dump) is listed with its comm and state letter;
- tasks --json, maps --json, pagemap --json, dump --json, check --json parse,
  and JSON pagemap runs agree with the raw pagemap;
- vtop of the first present page of each captured pid ends at the truth pfn;
- check is clean (exit 0).
Ends with "N passed, N failed"."""
import argparse, json, os, re, subprocess, sys

def run(args):
    return subprocess.run(args, capture_output=True)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pgt", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--order", default="little")
    a = ap.parse_args()
    base = ["--profile", a.profile, a.dump]
    ok = bad = 0
    def expect(cond, what):
        nonlocal ok, bad
        if cond:
            ok += 1
        else:
            bad += 1
            print("FAIL", what)

    r = run([a.pgt, "tasks", "--json"] + base)
    expect(r.returncode == 0, "tasks --json exit %d: %s" % (r.returncode, r.stderr.decode()))
    tasks = {t["pid"]: t for t in json.loads(r.stdout)["tasks"]} if r.returncode == 0 else {}
    ps = os.path.join(a.truth, "system", "ps")
    if not os.path.exists(ps):
        ps = os.path.join(a.truth, "ps.txt")
    helpers = {"sh", "ps", "cat", "dd"}
    for line in open(ps).read().splitlines()[1:]:
        f = line.split()
        if len(f) < 4 or not f[0].isdigit():
            continue
        pid, stat, comm = int(f[0]), f[2], f[3]
        if pid not in tasks:
            expect(comm in helpers, "pid %d (%s) of ps missing from tasks" % (pid, comm))
            continue
        t = tasks[pid]
        # ps shows workqueue workers as comm-description; the task's comm is the prefix
        expect(comm.startswith(t["comm"][:15]), "pid %d comm %r vs ps %r" % (pid, t["comm"], comm))
        expect(t["state"] == stat[0], "pid %d state %s vs ps %s" % (pid, t["state"], stat))
        expect(t["kernel_thread"] == (t["mm"] is None), "pid %d kernel_thread flag" % pid)

    pids = sorted(int(p) for p in os.listdir(a.truth) if p.isdigit())
    for pid in pids:
        pmdir = os.path.join(a.truth, str(pid), "pagemap")
        r = run([a.pgt, "maps", "--json", "--pid", str(pid)] + base)
        expect(r.returncode == 0 and len(json.loads(r.stdout)["vmas"]) > 0, "maps --json pid %d" % pid)
        first = None
        for fn in sorted(os.listdir(pmdir)) if os.path.isdir(pmdir) else []:
            m = re.match(r"([0-9a-f]+)-([0-9a-f]+)\.bin$", fn)
            data = open(os.path.join(pmdir, fn), "rb").read()
            for k in range(len(data) // 8):
                v = int.from_bytes(data[8*k:8*k+8], a.order)
                if v >> 63 & 1:
                    first = (int(m.group(1), 16) + k * 4096, v & ((1 << 55) - 1), fn)
                    break
            if first:
                break
        if first:
            va, pfn, fn = first
            r = run([a.pgt, "vtop"] + base + ["--pid", str(pid), "%x" % va])
            out = r.stdout.decode()
            m = re.search(r"-> physical 0x([0-9a-f]+)", out)
            expect(r.returncode == 0 and m and int(m.group(1), 16) >> 12 == pfn,
                   "vtop pid %d 0x%x: want pfn 0x%x, got %s" % (pid, va, pfn, out.strip().splitlines()[-1:] ))
            # JSON runs of that VMA agree with the raw entries
            s, e = fn[:-4].split("-")
            r = run([a.pgt, "pagemap", "--json", "--pid", str(pid), "--range", "%s-%s" % (s, e)] + base)
            raw = run([a.pgt, "pagemap", "--raw", "--pid", str(pid), "--range", "%s-%s" % (s, e)] + base).stdout
            good = r.returncode == 0
            if good:
                for run_ in json.loads(r.stdout)["runs"]:
                    k = (int(run_["start"], 16) - int(s, 16)) // 4096
                    good &= int(run_["entry"], 16) == int.from_bytes(raw[8*k:8*k+8], a.order)
            expect(good, "pagemap --json runs vs raw, pid %d %s" % (pid, fn))

    r = run([a.pgt, "dump", "--json"] + base)
    expect(r.returncode == 0 and len(json.loads(r.stdout)["processes"]) >= len(pids), "dump --json")
    r = run([a.pgt, "check", "--json"] + base)
    expect(r.returncode == 0, "check exit %d (want 0, clean): %s" % (r.returncode, r.stdout.decode()[:2000]))
    if r.returncode in (0, 3):
        doc = json.loads(r.stdout)
        expect(doc["summary"]["errors"] == 0 and doc["summary"]["warnings"] == 0, "check summary %s" % doc["summary"])
    print("%d passed, %d failed" % (ok, bad))
    return 1 if bad or not ok else 0

if __name__ == "__main__":
    sys.exit(main())
