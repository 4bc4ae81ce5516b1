#!/usr/bin/env python3
"""Compare pgtinspect against the in-guest truth of a real dump.

For every pid folder in truth/: `maps` must equal truth maps (byte for byte),
and `pagemap --raw` over every captured VMA must equal the captured
/proc/PID/pagemap bytes, all 64 bits.  Differences are printed per page
with both values decoded.  Ends with "N passed, N failed"."""
import argparse, os, re, subprocess, sys

BITS = [(63, "present"), (62, "swap"), (61, "file"), (57, "uffd-wp"), (56, "exclusive"), (55, "soft-dirty")]

def decode(v):
    words = [n for b, n in BITS if v >> b & 1]
    return "0x%016x pfn=0x%x %s" % (v, v & ((1 << 55) - 1), ",".join(words) or "-")

def capture_mapcounts(truth):
    """pfn -> (kpagecount at capture, set of captured pids mapping it), from
    the decoded truth files (columns: vaddr raw pfn present ... kpagecount)."""
    info = {}
    for pid in os.listdir(truth):
        f = os.path.join(truth, pid, "pagemap.txt")
        if not pid.isdigit() or not os.path.exists(f):
            continue
        for line in open(f):
            if line.startswith("#"):
                continue
            c = line.split()
            if len(c) < 10 or c[3] != "1":
                continue
            try:
                pfn, cnt = int(c[2], 16), int(c[9])
            except ValueError:
                continue
            ent = info.setdefault(pfn, [cnt, set()])
            ent[1].add(int(pid))
    return info


def stale_exclusive(info, want, got):
    """The capture itself ran a process (the reader) that mapped some pages
    and exited before the dump.  Then the truth says "not exclusive" while the
    dump holds one mapping.  Only excused when the truth's own kpagecount
    exceeds the captured processes mapping that pfn: evidence of a mapper
    outside the captured set."""
    if want ^ got != 1 << 56 or want >> 56 & 1 or not want >> 63 & 1:
        return False
    ent = info.get(want & ((1 << 55) - 1))
    return ent is not None and ent[0] > len(ent[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pgt", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--dump", required=True)
    kt = ap.add_mutually_exclusive_group(required=True)
    kt.add_argument("--profile", help="kernel profile (pgtinspect --profile)")
    kt.add_argument("--vmlinux", help="vmlinux with DWARF (pgtinspect -k)")
    ap.add_argument("--label", default="")
    ap.add_argument("--max-report", type=int, default=12)
    a = ap.parse_args()
    passed = failed = 0
    pages = 0
    order = None
    pids = sorted(int(p) for p in os.listdir(a.truth) if p.isdigit())
    info = capture_mapcounts(a.truth)
    excused = 0
    for pid in pids:
        d = os.path.join(a.truth, str(pid))
        types = ["--profile", a.profile] if a.profile else ["-k", a.vmlinux]
        base = [a.pgt] + types + [a.dump, "--pid", str(pid)]
        if os.path.exists(os.path.join(d, "maps")):
            want = open(os.path.join(d, "maps"), "rb").read()
            want = b"".join(l for l in want.splitlines(True) if b"[vsyscall]" not in l)
            r = subprocess.run([a.pgt, "maps"] + base[1:], capture_output=True)
            if r.returncode == 0 and r.stdout == want:
                passed += 1
            else:
                failed += 1
                print("FAIL %s pid %d maps (rc %d) %s" % (a.label, pid, r.returncode, r.stderr.decode().strip()))
                for w, g in zip(want.decode().splitlines(), r.stdout.decode().splitlines()):
                    if w != g:
                        print("   want: %r\n   got:  %r" % (w, g))
                        break
        pmdir = os.path.join(d, "pagemap")
        if not os.path.isdir(pmdir):
            continue
        files = sorted(f for f in os.listdir(pmdir) if f.endswith(".bin"))
        ranges = []
        for f in files:
            m = re.match(r"([0-9a-f]+)-([0-9a-f]+)\.bin$", f)
            ranges.append((int(m.group(1), 16), int(m.group(2), 16), f))
        for i in range(0, len(ranges), 60):
            chunk = ranges[i:i + 60]
            args = [a.pgt, "pagemap"] + base[1:] + ["--raw"]
            for s, e, _ in chunk:
                args += ["--range", "%x-%x" % (s, e)]
            r = subprocess.run(args, capture_output=True)
            if r.returncode != 0:
                failed += len(chunk)
                print("FAIL %s pid %d pagemap rc %d: %s" % (a.label, pid, r.returncode, r.stderr.decode().strip()))
                continue
            got = r.stdout
            off = 0
            for s, e, f in chunk:
                want = open(os.path.join(pmdir, f), "rb").read()
                mine = got[off:off + len(want)]
                off += len(want)
                n = len(want) // 8
                pages += n
                if order is None:
                    order = "big" if "s390" in a.truth else "little"
                bad = []
                for k in range(n):
                    if mine[8*k:8*k+8] == want[8*k:8*k+8]:
                        continue
                    w = int.from_bytes(want[8*k:8*k+8], order)
                    g = int.from_bytes(mine[8*k:8*k+8], order) if len(mine) >= 8*k+8 else -1
                    if g >= 0 and stale_exclusive(info, w, g):
                        excused += 1
                        continue
                    bad.append(k)
                if not bad and len(mine) == len(want):
                    passed += 1
                    continue
                failed += 1
                print("FAIL %s pid %d %s: %d of %d pages differ" % (a.label, pid, f, len(bad), n))
                for k in bad[:a.max_report]:
                    w = int.from_bytes(want[8*k:8*k+8], order)
                    g = int.from_bytes(mine[8*k:8*k+8], order) if len(mine) >= 8*k+8 else -1
                    print("   page 0x%x want %s" % (s + k * 4096, decode(w)))
                    print("   %s got  %s" % (" " * len("page 0x%x" % (s + k * 4096)), decode(g) if g >= 0 else "(missing)"))
            if off != len(got):
                failed += 1
                print("FAIL %s pid %d: %d extra bytes of output" % (a.label, pid, len(got) - off))
    print("%s: %d pages compared over %d pids" % (a.label, pages, len(pids)))
    if excused:
        print("%s: %d pages differ only in bit 56 where the capture's kpagecount shows a mapper"
              " outside the captured processes (the capturing reader); not counted" % (a.label, excused))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0

if __name__ == "__main__":
    sys.exit(main())
