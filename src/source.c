/* Physical memory access.  libkdumpfile reads every format it knows (ELF,
 * kdump-compressed, makedumpfile-filtered); an ELF core it refuses (for
 * example a 32-bit ARM one) is read directly through its PT_LOAD headers.
 * A small page cache sits in front of both: walks and struct reads hit the
 * same pages again and again. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "pgt/endian.h"
#include "pgt/source.h"

#define CACHE_PAGES 4096u   /* direct-mapped, 4 KiB lines: 16 MiB at most */
#define LINE 4096u

struct elf_seg {
	uint64_t pa, filesz, memsz, off;
};

struct pgt_source {
	char *path;
	int fd;
	kdump_ctx_t *kd;          /* NULL when the ELF reader is used */
	uint64_t file_size;       /* ELF reader: bounds of segment reads (0: unknown, kcore) */
	struct elf_seg *segs;
	unsigned nsegs;
	struct pgt_source_info info;
	char *vmci_owned;
	/* cache */
	uint64_t *tag;            /* line pa | 1 when valid */
	uint8_t *data;
};

static pgt_status elf_open(struct pgt_source *s, uint64_t fsize, struct pgt_err *err);
static pgt_status elf_read_line(struct pgt_source *s, uint64_t pa, uint8_t *buf);
static int is_kcore(int fd);
static void sys_vmcoreinfo(struct pgt_source *s);

static int kd_attr_num(kdump_ctx_t *kd, const char *key, uint64_t *out)
{
	kdump_attr_t a;
	if (kdump_get_attr(kd, key, &a) != KDUMP_OK || a.type != KDUMP_NUMBER)
		return 0;
	*out = a.val.number;
	return 1;
}

static int kd_attr_str(kdump_ctx_t *kd, const char *key, const char **out)
{
	kdump_attr_t a;
	if (kdump_get_attr(kd, key, &a) != KDUMP_OK || a.type != KDUMP_STRING)
		return 0;
	*out = a.val.string;
	return 1;
}

/* Normalises a utsname machine string to libkdumpfile's arch names. */
static const char *arch_from_machine(const char *m)
{
	char low[16];
	size_t i;
	for (i = 0; m[i] && i < sizeof low - 1; i++)
		low[i] = (char)(m[i] >= 'A' && m[i] <= 'Z' ? m[i] + 32 : m[i]);
	low[i] = 0;
	if (!strcmp(low, "x86_64"))
		return "x86_64";
	if (!strcmp(low, "s390x"))
		return "s390x";
	if (low[0] == 'i' && !strcmp(low + 2, "86"))
		return "ia32";
	if (!strncmp(low, "arm", 3))
		return "arm";
	return NULL;
}

/* QEMU's kdump files leave the machine to the header's utsname, which
 * libkdumpfile 0.5.1 does not turn into arch.name: read it there. */
static void diskdump_machine(struct pgt_source *s)
{
	char m[66] = {0};
	const char *a;
	/* disk_dump_header: signature[8], header_version, utsname: 5th of 6 x 65 */
	if (pread(s->fd, m, 65, 8 + 4 + 4 * 65) != 65)
		return;
	if ((a = arch_from_machine(m))) {
		snprintf(s->info.arch, sizeof s->info.arch, "%s", a);
		/* QEMU writes the 64-bit header layout for 32-bit guests too */
		if (!strcmp(a, "ia32") || !strcmp(a, "arm"))
			s->info.ptr_size = 4;
	}
}

/* libkdumpfile 0.5.1 keeps the note as a blob it may not parse further. */
static void kd_vmcoreinfo_blob(struct pgt_source *s)
{
	kdump_attr_t a;
	if (kdump_get_attr(s->kd, "linux.vmcoreinfo.raw", &a) != KDUMP_OK || a.type != KDUMP_BLOB) {
		kdump_clear_err(s->kd);
		return;
	}
	const char *p = kdump_blob_pin(a.val.blob);
	size_t n = kdump_blob_size(a.val.blob);
	char *t = p ? malloc(n + 1) : NULL;
	if (t) {
		memcpy(t, p, n);
		t[n] = 0;
		s->vmci_owned = t;
		s->info.vmcoreinfo = t;
	}
	if (p)
		kdump_blob_unpin(a.val.blob);
}

static pgt_status kd_open(struct pgt_source *s, struct pgt_err *err)
{
	kdump_status st;
	const char *str;
	uint64_t n;
	char *raw = NULL;

	s->kd = kdump_new();
	if (!s->kd)
		return pgt_fail(err, PGT_ENOMEM, "%s: out of memory", s->path);
	st = kdump_open_fd(s->kd, s->fd);
	if (st != KDUMP_OK) {
		pgt_fail(err, PGT_EINPUT, "%s: not a dump libkdumpfile can read: %s", s->path,
			 kdump_get_err(s->kd));
		kdump_free(s->kd);
		s->kd = NULL;
		return PGT_EINPUT;
	}
	if (kd_attr_str(s->kd, KDUMP_ATTR_FILE_FORMAT, &str))
		snprintf(s->info.format, sizeof s->info.format, "%s", str);
	if (kd_attr_str(s->kd, KDUMP_ATTR_ARCH_NAME, &str))
		snprintf(s->info.arch, sizeof s->info.arch, "%s", str);
	if (kd_attr_num(s->kd, KDUMP_ATTR_BYTE_ORDER, &n))
		s->info.big_endian = (n == KDUMP_BIG_ENDIAN);
	if (kd_attr_num(s->kd, KDUMP_ATTR_PTR_SIZE, &n))
		s->info.ptr_size = (unsigned)n;
	if (kd_attr_num(s->kd, KDUMP_ATTR_PAGE_SIZE, &n))
		s->info.page_size = (unsigned)n;
	if (kd_attr_num(s->kd, "max_pfn", &n) && s->info.page_size)
		s->info.max_pa = n * s->info.page_size;
	if (!s->info.arch[0] && !strcmp(s->info.format, "diskdump"))
		diskdump_machine(s);
	if (kdump_vmcoreinfo_raw(s->kd, &raw) == KDUMP_OK && raw) {
		s->vmci_owned = raw;
		s->info.vmcoreinfo = raw;
	} else
		kd_vmcoreinfo_blob(s);
	return PGT_OK;
}

/* Whether the ELF header's section header table fits the file. */
static int elf_shdrs_sane(int fd, uint64_t fsize)
{
	unsigned char h[64];
	if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h)
		return 0;
	int is64 = h[EI_CLASS] == ELFCLASS64, big = h[EI_DATA] == ELFDATA2MSB;
	uint64_t shoff = is64 ? pgt_ldn(h + 0x28, 8, big) : pgt_ldn(h + 0x20, 4, big);
	uint64_t shentsize = pgt_ldn(h + (is64 ? 0x3a : 0x2e), 2, big);
	uint64_t shnum = pgt_ldn(h + (is64 ? 0x3c : 0x30), 2, big);
	if (!shoff && !shnum)
		return 1;
	if (shentsize != (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)))
		return 0;
	if (shoff > fsize || shnum * shentsize > fsize - shoff)
		return 0;
	/* every section with file contents must lie inside the file */
	for (uint64_t i = 0; i < shnum; i++) {
		unsigned char sh[64];
		if (pread(fd, sh, shentsize, (off_t)(shoff + i * shentsize)) != (ssize_t)shentsize)
			return 0;
		uint64_t type = pgt_ldn(sh + 4, 4, big);
		uint64_t off = is64 ? pgt_ldn(sh + 0x18, 8, big) : pgt_ldn(sh + 0x10, 4, big);
		uint64_t size = is64 ? pgt_ldn(sh + 0x20, 8, big) : pgt_ldn(sh + 0x14, 4, big);
		if (type != SHT_NOBITS && type != SHT_NULL && (off > fsize || size > fsize - off))
			return 0;
	}
	return 1;
}

/* An ELF core cut short still opens; say so before any read goes wrong. */
static pgt_status elf_check_complete(struct pgt_source *s, uint64_t fsize, struct pgt_err *err)
{
	Elf *e;
	size_t n;
	pgt_status st = PGT_OK;
	elf_version(EV_CURRENT);
	e = elf_begin(s->fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getphdrnum(e, &n)) {
		st = pgt_fail(err, PGT_EINPUT, "%s: ELF headers unreadable (truncated or not a core file)", s->path);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph)) {
			st = pgt_fail(err, PGT_EINPUT, "%s: program header %zu unreadable", s->path, i);
			break;
		}
		if ((ph.p_type == PT_LOAD || ph.p_type == PT_NOTE) &&
		    (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)) {
			st = pgt_fail(err, PGT_EINPUT,
				      "%s: truncated: segment %zu (physical 0x%llx) needs file bytes up to 0x%llx, the file has 0x%llx",
				      s->path, i, (unsigned long long)ph.p_paddr,
				      (unsigned long long)(ph.p_offset + ph.p_filesz), (unsigned long long)fsize);
			break;
		}
	}
out:
	if (e)
		elf_end(e);
	return st;
}

pgt_status pgt_source_open(struct pgt_source **out, const char *path, struct pgt_err *err)
{
	struct pgt_source *s = calloc(1, sizeof *s);
	struct stat stbuf;
	pgt_status st;
	uint8_t magic[4] = {0};

	if (!s)
		return pgt_fail(err, PGT_ENOMEM, "out of memory");
	s->path = strdup(path);
	s->fd = open(path, O_RDONLY);
	if (s->fd < 0) {
		if ((errno == EACCES || errno == EPERM) && !strcmp(path, "/proc/kcore"))
			pgt_fail(err, PGT_EINPUT, "%s: cannot open: %s (reading a live kernel needs root)", path,
				 strerror(errno));
		else if (errno == ENOENT && !strcmp(path, "/proc/kcore"))
			pgt_fail(err, PGT_EINPUT, "%s: this kernel has no /proc/kcore (CONFIG_PROC_KCORE off)", path);
		else
			pgt_fail(err, PGT_EINPUT, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(s->fd, &stbuf) < 0 || !S_ISREG(stbuf.st_mode)) {
		pgt_fail(err, PGT_EINPUT, "%s: not a regular file", path);
		goto fail;
	}
	if (stbuf.st_size == 0) {
		pgt_fail(err, PGT_EINPUT, "%s: empty file", path);
		goto fail;
	}
	if (pread(s->fd, magic, 4, 0) != 4) {
		pgt_fail(err, PGT_EINPUT, "%s: too short to be a dump (%lld bytes)", path,
			 (long long)stbuf.st_size);
		goto fail;
	}
	if (is_kcore(s->fd)) {
		/* A live kernel: its own ELF view, read with pread, never mapped. */
		if (elf_open(s, 0, err) != PGT_OK)
			goto fail;
		snprintf(s->info.format, sizeof s->info.format, "kcore");
		/* Before 4.11 kcore gave no physical addresses (all p_paddr 0). */
		unsigned zero = 0;
		for (unsigned i = 0; i < s->nsegs; i++)
			zero += s->segs[i].pa == 0;
		if (zero > 1) {
			pgt_fail(err, PGT_EINPUT,
				 "%s: this kernel's kcore gives no physical addresses (kernels before 4.11): not supported",
				 path);
			goto fail;
		}
		if (!s->info.vmcoreinfo)
			sys_vmcoreinfo(s);
		goto opened;
	}
	if (!memcmp(magic, ELFMAG, SELFMAG) && elf_check_complete(s, (uint64_t)stbuf.st_size, err))
		goto fail;
	/* A section header table that cannot be right (QEMU 7.2 writes it in
	 * host byte order for big-endian guests) makes libkdumpfile size an
	 * allocation from garbage: read such a core directly. */
	st = !memcmp(magic, ELFMAG, SELFMAG) && !elf_shdrs_sane(s->fd, (uint64_t)stbuf.st_size)
		     ? PGT_EINPUT
		     : kd_open(s, err);
	if (st != PGT_OK) {
		if (memcmp(magic, ELFMAG, SELFMAG))
			goto fail;
		if (elf_open(s, (uint64_t)stbuf.st_size, err) != PGT_OK)
			goto fail;
	}
opened:
	s->tag = calloc(CACHE_PAGES, sizeof *s->tag);
	s->data = malloc((size_t)CACHE_PAGES * LINE);
	if (!s->tag || !s->data) {
		pgt_fail(err, PGT_ENOMEM, "out of memory");
		goto fail;
	}
	*out = s;
	return PGT_OK;
fail:
	pgt_source_close(s);
	return err ? err->status : PGT_EINPUT;
}

void pgt_source_close(struct pgt_source *s)
{
	if (!s)
		return;
	if (s->kd)
		kdump_free(s->kd);
	if (s->fd >= 0)
		close(s->fd);
	free(s->segs);
	free(s->vmci_owned);
	free(s->tag);
	free(s->data);
	free(s->path);
	free(s);
}

const struct pgt_source_info *pgt_source_info(const struct pgt_source *s)
{
	return &s->info;
}

void pgt_source_set_vmcoreinfo(struct pgt_source *s, const char *text)
{
	char *copy = strdup(text);
	if (!copy)
		return;
	free(s->vmci_owned);
	s->vmci_owned = copy;
	s->info.vmcoreinfo = copy;
}

/* ---- ELF reader, for cores libkdumpfile will not open, and /proc/kcore ---- */

static int is_kcore(int fd)
{
	struct statfs sf;
	/* a procfs file holding an ELF view of the running kernel */
	return fstatfs(fd, &sf) == 0 && sf.f_type == 0x9fa0;
}

/* Kernels whose kcore lacks the VMCOREINFO note: /sys/kernel/vmcoreinfo
 * gives the physical address and size of the note. */
static void sys_vmcoreinfo(struct pgt_source *s)
{
	FILE *f = fopen("/sys/kernel/vmcoreinfo", "r");
	unsigned long long pa = 0;
	unsigned sz = 0;
	if (!f)
		return;
	int ok = fscanf(f, "%llx %x", &pa, &sz) == 2;
	fclose(f);
	if (!ok || sz < 16 || sz > (1u << 20))
		return;
	uint8_t *buf = malloc(sz + 1);
	uint8_t line[LINE];
	if (!buf)
		return;
	for (uint32_t off = 0; off < sz;) {
		uint64_t a = pa + off, base = a & ~(uint64_t)(LINE - 1);
		uint32_t in = (uint32_t)(a - base), chunk = LINE - in;
		if (chunk > sz - off)
			chunk = sz - off;
		if (elf_read_line(s, base, line) != PGT_OK) {
			free(buf);
			return;
		}
		memcpy(buf + off, line + in, chunk);
		off += chunk;
	}
	/* an ELF note: namesz, descsz, type, "VMCOREINFO" padded to 4, text */
	uint32_t namesz, descsz;
	memcpy(&namesz, buf, 4);
	memcpy(&descsz, buf + 4, 4);
	uint32_t doff = 12 + ((namesz + 3) & ~3u);
	if (namesz == 11 && !memcmp(buf + 12, "VMCOREINFO", 10) && doff <= sz && descsz <= sz - doff) {
		buf[doff + descsz] = 0;
		pgt_source_set_vmcoreinfo(s, (char *)buf + doff);
	}
	free(buf);
}


static void elf_find_vmcoreinfo(struct pgt_source *s, Elf *e)
{
	size_t n;
	if (elf_getphdrnum(e, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		Elf_Data *d = elf_getdata_rawchunk(e, ph.p_offset, ph.p_filesz, ELF_T_NHDR);
		if (!d)
			continue;
		size_t off = 0, noff, doff;
		GElf_Nhdr nh;
		while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
			const char *name = (const char *)d->d_buf + noff;
			if (nh.n_namesz >= 10 && !strncmp(name, "VMCOREINFO", 10)) {
				char *t = malloc(nh.n_descsz + 1);
				if (!t)
					return;
				memcpy(t, (const char *)d->d_buf + doff, nh.n_descsz);
				t[nh.n_descsz] = 0;
				free(s->vmci_owned);
				s->vmci_owned = t;
				s->info.vmcoreinfo = t;
				return;
			}
		}
	}
}

static pgt_status elf_open(struct pgt_source *s, uint64_t fsize, struct pgt_err *err)
{
	Elf *e;
	GElf_Ehdr eh;
	size_t n;

	s->file_size = fsize;
	elf_version(EV_CURRENT);
	e = elf_begin(s->fd, ELF_C_READ, NULL);
	if (!e || !gelf_getehdr(e, &eh) || eh.e_type != ET_CORE) {
		if (e)
			elf_end(e);
		return pgt_fail(err, PGT_EINPUT, "%s: not an ELF core file", s->path);
	}
	if (elf_getphdrnum(e, &n) || n == 0) {
		elf_end(e);
		return pgt_fail(err, PGT_EINPUT, "%s: ELF core without program headers", s->path);
	}
	s->segs = calloc(n, sizeof *s->segs);
	for (size_t i = 0; s->segs && i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (ph.p_paddr == (uint64_t)-1 || (eh.e_ident[EI_CLASS] == ELFCLASS32 && ph.p_paddr == 0xffffffffu))
			continue;   /* kcore: vmalloc and module space have no physical address */
		if (fsize && (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)) {
			pgt_fail(err, PGT_EINPUT,
				 "%s: truncated: segment at physical 0x%llx needs file bytes up to 0x%llx, file has 0x%llx",
				 s->path, (unsigned long long)ph.p_paddr,
				 (unsigned long long)(ph.p_offset + ph.p_filesz), (unsigned long long)fsize);
			elf_end(e);
			return PGT_EINPUT;
		}
		s->segs[s->nsegs++] = (struct elf_seg){ph.p_paddr, ph.p_filesz, ph.p_memsz, ph.p_offset};
		if (ph.p_paddr + ph.p_memsz > s->info.max_pa)
			s->info.max_pa = ph.p_paddr + ph.p_memsz;
		if (ph.p_vaddr)
			s->info.elf_vaddr_segments = 1;
	}
	snprintf(s->info.format, sizeof s->info.format, "elf");
	s->info.big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	s->info.ptr_size = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	switch (eh.e_machine) {
	case EM_X86_64: snprintf(s->info.arch, sizeof s->info.arch, "x86_64"); break;
	case EM_386: snprintf(s->info.arch, sizeof s->info.arch, "ia32"); break;
	case EM_ARM: snprintf(s->info.arch, sizeof s->info.arch, "arm"); break;
	case EM_S390: snprintf(s->info.arch, sizeof s->info.arch, "s390x"); break;
	default:
		elf_end(e);
		return pgt_fail(err, PGT_EINPUT, "%s: unsupported ELF machine %u", s->path, eh.e_machine);
	}
	elf_find_vmcoreinfo(s, e);
	elf_end(e);
	if (!s->nsegs)
		return pgt_fail(err, PGT_EINPUT, "%s: ELF core has no PT_LOAD segment with a physical address", s->path);
	return PGT_OK;
}

static pgt_status elf_read_line(struct pgt_source *s, uint64_t pa, uint8_t *buf)
{
	for (unsigned i = 0; i < s->nsegs; i++) {
		const struct elf_seg *g = &s->segs[i];
		if (pa < g->pa || pa - g->pa >= g->memsz)
			continue;
		uint64_t rel = pa - g->pa;
		size_t want = LINE;
		if (rel + want > g->memsz)
			return PGT_ENOMAP;
		if (rel >= g->filesz)
			memset(buf, 0, want);
		else {
			size_t have = (size_t)(g->filesz - rel < want ? g->filesz - rel : want);
			ssize_t got = pread(s->fd, buf, have, (off_t)(g->off + rel));
			if (got != (ssize_t)have)
				return PGT_ENOMAP;
			memset(buf + have, 0, want - have);
		}
		return PGT_OK;
	}
	return PGT_ENOMAP;
}

static pgt_status read_line(struct pgt_source *s, uint64_t pa, uint8_t *buf)
{
	if (!s->kd)
		return elf_read_line(s, pa, buf);
	size_t len = LINE;
	kdump_status st = kdump_read(s->kd, KDUMP_MACHPHYSADDR, pa, buf, &len);
	if (st == KDUMP_OK && len == LINE)
		return PGT_OK;
	kdump_clear_err(s->kd);
	/* Only a compressed dump's bitmap excludes pages: elsewhere "no data" is a gap. */
	return st == KDUMP_ERR_NODATA && !strcmp(s->info.format, "diskdump") ? PGT_EFILTERED : PGT_ENOMAP;
}

pgt_status pgt_source_read(struct pgt_source *s, uint64_t pa, void *buf, size_t len,
			   struct pgt_err *err)
{
	uint8_t *out = buf;
	while (len) {
		uint64_t line = pa & ~(uint64_t)(LINE - 1);
		unsigned off = (unsigned)(pa - line);
		size_t chunk = LINE - off < len ? LINE - off : len;
		unsigned slot = (unsigned)((line / LINE) % CACHE_PAGES);
		uint8_t *data = s->data + (size_t)slot * LINE;
		if (s->tag[slot] != (line | 1)) {
			pgt_status st = read_line(s, line, data);
			if (st != PGT_OK) {
				s->tag[slot] = 0;
				return pgt_fail(err, st, "%s: physical address 0x%llx %s", s->path,
						(unsigned long long)pa,
						st == PGT_EFILTERED ? "was filtered out of the dump"
						: s->info.max_pa && pa < s->info.max_pa
							? "is not in the dump (incomplete or truncated file?)"
							: "is not in the dump");
			}
			s->tag[slot] = line | 1;
		}
		memcpy(out, data + off, chunk);
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
	return PGT_OK;
}
