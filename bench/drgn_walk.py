"""The same work as `pgtinspect dump` done with drgn, for bench/compare.sh:
load the kernel, list tasks and VMAs, and translate every page of every VMA.
drgn 0.0.22 reads QEMU's physical-only ELF only with the kernel image and the
direct map described as segments; its page-table walk for user memory is
reached through access_process_vm() one page at a time.
usage: python3 drgn_walk.py VMCORE VMLINUX"""
import sys, time
t0 = time.time()
import drgn
from drgn import FaultError, Program
from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.mm import access_process_vm

vmcore, vmlinux = sys.argv[1], sys.argv[2]
segs = []
with open(vmcore, "rb") as f:
    import struct
    hdr = f.read(64)
    phoff, = struct.unpack_from("<Q", hdr, 32)
    phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p_type, p_flags, p_off, p_va, p_pa, p_fs, p_ms, _ = struct.unpack("<IIQQQQQQ", f.read(56))
        if p_type == 1:
            segs.append((p_pa, p_off, p_fs))
fh = open(vmcore, "rb")

def phys_reader(base_va, base_pa):
    def read(address, count, offset, physical):
        pa = base_pa + offset
        for s_pa, s_off, s_fs in segs:
            if s_pa <= pa and pa + count <= s_pa + s_fs:
                fh.seek(s_off + pa - s_pa)
                return fh.read(count)
        raise FaultError("not in dump", address)
    return read

prog = Program()
prog.set_core_dump(vmcore)
top = max(s[0] + s[2] for s in segs)
prog.add_memory_segment(0xffffffff80000000, 0x40000000, phys_reader(0xffffffff80000000, 0))
prog.add_memory_segment(0xffff888000000000, top, phys_reader(0xffff888000000000, 0))
prog.load_debug_info([vmlinux])
t_load = time.time() - t0

def vmas(mm):
    """VMAs from mm->mm_mt: drgn 0.0.22 has no maple-tree helper."""
    out = []
    def node(enc, depth):
        addr, typ = enc & ~0xff, (enc >> 3) & 0xf
        if typ == 3:
            n = drgn.Object(prog, "struct maple_arange_64", address=addr)
        else:
            n = drgn.Object(prog, "struct maple_range_64", address=addr)
        for i in range(len(n.slot)):
            v = int(n.slot[i])
            if i and i - 1 < len(n.pivot) and int(n.pivot[i - 1]) == 0:
                break
            if not v:
                continue
            if typ == 1:
                out.append(drgn.Object(prog, "struct vm_area_struct *", value=v))
            elif depth < 32:
                node(v, depth + 1)
    root = int(mm.mm_mt.ma_root)
    if root & 3 == 2 and root > 4096:
        node(root, 0)
    return out

t1 = time.time()
pages = present = tasks = 0
for task in for_each_task(prog):
    tasks += 1
    mm = task.mm
    if not mm or int(task.pid) != int(task.tgid):
        continue
    for vma in vmas(mm):
        start, end = int(vma.vm_start), int(vma.vm_end)
        if start >= 1 << 47:
            continue
        for addr in range(start, end, 4096):
            pages += 1
            try:
                access_process_vm(task, addr, 1)
                present += 1
            except FaultError:
                pass
t_walk = time.time() - t1
print("drgn load %.3f s, walk %.3f s, %d tasks, %d pages (%d readable), %.0f pages/s"
      % (t_load, t_walk, tasks, pages, present, pages / t_walk if t_walk else 0))
