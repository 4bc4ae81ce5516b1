"""Patching helper for tests: the file offset of a kernel direct-map address
in an x86_64 ELF core with physical PT_LOADs (QEMU's dump-guest-memory)."""
import struct

class Core:
    def __init__(self, path, direct=0xffff888000000000):
        self.f = open(path, "r+b")
        self.direct = direct          # page_offset_base of a nokaslr kernel
        hdr = self.f.read(64)
        phoff, = struct.unpack_from("<Q", hdr, 32)
        phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
        self.segs = []
        for i in range(phnum):
            self.f.seek(phoff + i * phentsize)
            t, _, off, va, pa, fs, ms, _ = struct.unpack("<IIQQQQQQ", self.f.read(56))
            if t == 1:
                self.segs.append((pa, off, fs))

    def offset(self, va):
        pa = va - self.direct
        for s, o, n in self.segs:
            if s <= pa < s + n:
                return o + pa - s
        raise SystemExit("address 0x%x not in the dump" % va)

    def read64(self, va):
        self.f.seek(self.offset(va))
        return struct.unpack("<Q", self.f.read(8))[0]

    def write64(self, va, v):
        self.f.seek(self.offset(va))
        self.f.write(struct.pack("<Q", v))
