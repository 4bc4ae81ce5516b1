/* Writes small ELF core files for tests: one PT_LOAD holding a memory
 * image, and a VMCOREINFO note when text is given, in either class and
 * byte order, as QEMU or a kexec /proc/vmcore would. */
#ifndef PGT_TEST_COREFILE_H
#define PGT_TEST_COREFILE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void core_put(uint8_t *p, uint64_t v, unsigned n, int big)
{
	for (unsigned i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* ELF header and program headers take the first 4 KiB, memory follows. */
static int write_core_file(const char *path, int is64, int big, unsigned machine, uint64_t paddr,
			   uint64_t vaddr, const void *mem, uint64_t len, const char *vmcoreinfo)
{
	uint8_t h[0x1000];
	const unsigned eh = is64 ? 64 : 52, phs = is64 ? 56 : 32;
	const unsigned nph = vmcoreinfo ? 2 : 1;
	uint32_t nlen = vmcoreinfo ? (uint32_t)strlen(vmcoreinfo) : 0;
	uint64_t noff = eh + nph * phs, nsz = 24 + ((nlen + 3) & ~3u);
	if (noff + nsz > sizeof h)
		return -1;
	memset(h, 0, sizeof h);
	memcpy(h, "\177ELF", 4);
	h[4] = is64 ? 2 : 1;
	h[5] = big ? 2 : 1;
	h[6] = 1;
	core_put(h + 16, 4, 2, big);            /* ET_CORE */
	core_put(h + 18, machine, 2, big);
	core_put(h + 20, 1, 4, big);            /* e_version */
	core_put(h + (is64 ? 32 : 28), eh, is64 ? 8 : 4, big);   /* e_phoff */
	core_put(h + (is64 ? 52 : 40), eh, 2, big);              /* e_ehsize */
	core_put(h + (is64 ? 54 : 42), phs, 2, big);             /* e_phentsize */
	core_put(h + (is64 ? 56 : 44), nph, 2, big);             /* e_phnum */
	uint8_t *ph = h + eh;
	if (vmcoreinfo) {                       /* PT_NOTE */
		core_put(ph, 4, 4, big);
		if (is64) {
			core_put(ph + 8, noff, 8, big);
			core_put(ph + 32, nsz, 8, big);
			core_put(ph + 40, nsz, 8, big);
		} else {
			core_put(ph + 4, noff, 4, big);
			core_put(ph + 16, nsz, 4, big);
			core_put(ph + 20, nsz, 4, big);
		}
		ph += phs;
		uint8_t *n = h + noff;          /* "VMCOREINFO\0" padded to 12 */
		core_put(n, 11, 4, big);
		core_put(n + 4, nlen, 4, big);
		memcpy(n + 12, "VMCOREINFO", 11);
		memcpy(n + 24, vmcoreinfo, nlen);
	}
	core_put(ph, 1, 4, big);                /* PT_LOAD, RWX */
	if (is64) {
		core_put(ph + 4, 7, 4, big);
		core_put(ph + 8, sizeof h, 8, big);
		core_put(ph + 16, vaddr, 8, big);
		core_put(ph + 24, paddr, 8, big);
		core_put(ph + 32, len, 8, big);
		core_put(ph + 40, len, 8, big);
	} else {
		core_put(ph + 4, sizeof h, 4, big);
		core_put(ph + 8, vaddr, 4, big);
		core_put(ph + 12, paddr, 4, big);
		core_put(ph + 16, len, 4, big);
		core_put(ph + 20, len, 4, big);
		core_put(ph + 24, 7, 4, big);
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(h, 1, sizeof h, f) == sizeof h && fwrite(mem, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

#endif
