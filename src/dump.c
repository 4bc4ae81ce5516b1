/* Opening a dump: physical source, kernel profile (saved profile, cache or
 * vmlinux DWARF), KASLR offset, paging format; and kernel virtual reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pgt/dump.h"
#include "pgt/endian.h"
#include "pgt/kaslr.h"
#include "pgt/vmcoreinfo.h"
#include "pgt/walk.h"

static int file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static void cache_path(char *buf, size_t len, const char *build_id)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, len, "%s/pgtinspect/%s.profile", xdg, build_id);
	else
		snprintf(buf, len, "%s/.cache/pgtinspect/%s.profile", home ? home : "/tmp", build_id);
}

/* Debian's and the usual debug locations of a kernel's vmlinux. */
static int find_vmlinux(const char *osrel, const char *build_id, char *out, size_t len)
{
	const char *fmts[] = {
		"/usr/lib/debug/boot/vmlinux-%s",
		"/usr/lib/debug/lib/modules/%s/vmlinux",
		"/lib/modules/%s/build/vmlinux",
		"/boot/vmlinux-%s",
	};
	if (osrel && *osrel)
		for (unsigned i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
			snprintf(out, len, fmts[i], osrel);
			if (file_exists(out))
				return 1;
		}
	if (build_id && strlen(build_id) > 2) {
		snprintf(out, len, "/usr/lib/debug/.build-id/%.2s/%s.debug", build_id, build_id + 2);
		if (file_exists(out))
			return 1;
	}
	return 0;
}

/* The profile must describe the kernel that wrote the dump. */
static pgt_status check_match(struct pgt_dump *d, struct pgt_err *err)
{
	const char *vi = d->si->vmcoreinfo;
	char rel[128], bid[96];
	if (!vi)
		return PGT_OK;
	if (pgt_vmci_get(vi, "BUILD-ID", bid, sizeof bid) && d->prof.build_id[0] &&
	    strcmp(bid, d->prof.build_id))
		return pgt_fail(err, PGT_EINPUT,
				"%s: kernel types do not belong to dump %s: build-id %s, dump's kernel has %s",
				d->prof.source, d->path, d->prof.build_id, bid);
	if (pgt_vmci_get(vi, "OSRELEASE", rel, sizeof rel) && d->prof.osrelease[0] &&
	    strcmp(rel, d->prof.osrelease))
		return pgt_fail(err, PGT_EINPUT,
				"%s: kernel types do not belong to dump %s: release %s, dump's kernel is %s",
				d->prof.source, d->path, d->prof.osrelease, rel);
	return PGT_OK;
}

static pgt_status load_profile(struct pgt_dump *d, const struct pgt_open_opts *o, struct pgt_err *err)
{
	const char *vi = d->si->vmcoreinfo;
	char rel[128] = "", bid[96] = "", path[1024], cpath[1024];
	pgt_status st;

	if (vi) {
		pgt_vmci_get(vi, "OSRELEASE", rel, sizeof rel);
		pgt_vmci_get(vi, "BUILD-ID", bid, sizeof bid);
	}
	if (o->profile) {
		st = pgt_profile_load(&d->prof, o->profile, err);
		if (st)
			return st;
		if (d->prof.stale)
			fprintf(stderr, "pgtinspect: %s was made for another list of kernel facts than this "
					"pgtinspect reads; some may be missing: remake it with `pgtinspect profile VMLINUX -o FILE`\n",
				o->profile);
		snprintf(d->profile_how, sizeof d->profile_how, "profile %s", o->profile);
		return check_match(d, err);
	}
	if (!o->vmlinux && bid[0] && !o->no_cache) {
		cache_path(cpath, sizeof cpath, bid);
		/* a cached profile made by another pgtinspect is remade when the vmlinux is at hand */
		char vpath[1024];
		if (file_exists(cpath) && pgt_profile_load(&d->prof, cpath, err) == PGT_OK &&
		    (!d->prof.stale || !find_vmlinux(rel, bid, vpath, sizeof vpath))) {
			snprintf(d->profile_how, sizeof d->profile_how, "cached profile %s", cpath);
			return check_match(d, err);
		}
	}
	if (o->vmlinux)
		snprintf(path, sizeof path, "%s", o->vmlinux);
	else if (!find_vmlinux(rel, bid, path, sizeof path))
		return pgt_fail(err, PGT_EINPUT,
				"%s: no kernel types: give the vmlinux with -k or a profile with --profile "
				"(looked for release '%s', build-id '%s' in the debug paths and the cache)",
				d->path, rel[0] ? rel : "?", bid[0] ? bid : "?");
	st = pgt_profile_from_vmlinux(&d->prof, path, err);
	if (st)
		return st;
	snprintf(d->profile_how, sizeof d->profile_how, "DWARF of %s", path);
	st = check_match(d, err);
	if (st)
		return st;
	if (!o->no_cache && d->prof.build_id[0]) {
		struct pgt_err e2 = {0};
		cache_path(cpath, sizeof cpath, d->prof.build_id);
		if (pgt_profile_save(&d->prof, cpath, &e2) != PGT_OK && d->verbose)
			fprintf(stderr, "pgtinspect: note: profile cache not written: %s\n", e2.msg);
	}
	return PGT_OK;
}

/* KERNELOFFSET when the kernel states it; else the one offset on which the
 * dump's SYMBOL() entries and the profile's link-time symbols agree. */
static pgt_status find_kaslr(struct pgt_dump *d, struct pgt_err *err)
{
	struct pgt_err e = {0};
	pgt_status st = pgt_kaslr_from_vmcoreinfo(d->si->vmcoreinfo, &d->prof, &d->kaslr, d->kaslr_how,
						  sizeof d->kaslr_how, &e);
	if (st == PGT_ENOTFOUND) {
		d->kaslr = 0;
		snprintf(d->kaslr_how, sizeof d->kaslr_how, "none found (assumed 0)");
		return PGT_OK;
	}
	if (st) {
		*err = e;
		return pgt_wrap(err, "%s", d->path);
	}
	return PGT_OK;
}

static pgt_status setup_paging(struct pgt_dump *d, struct pgt_err *err)
{
	const struct pgt_arch_ops *const *c = pgt_arch_candidates(d->si->arch);
	pgt_status st = PGT_ENOTFOUND;
	if (!*c)
		return pgt_fail(err, PGT_EINPUT, "%s: no paging decoder for architecture '%s'", d->path,
				d->si->arch);
	for (; *c; c++) {
		memset(&d->pg, 0, sizeof d->pg);
		d->pg.ops = *c;
		d->pg.max_pa = d->si->max_pa;
		d->pg.big_endian = d->si->big_endian;
		d->pg.page_shift = 12;
		d->pg.swp_type_bits = 5;
		d->pg.has_pte_special = 1;
		st = (*c)->setup(&d->pg, d, err);
		if (st != PGT_ENOTFOUND)
			break;
	}
	if (st == PGT_ENOTFOUND)
		return pgt_fail(err, PGT_EINPUT, "%s: no paging format of '%s' fits this dump", d->path,
				d->si->arch);
	if (st == PGT_OK && !d->pg.pfn_swap_count && d->pg.migration_count) {
		d->pg.pfn_swap_first = d->pg.swp_first_special;
		d->pg.pfn_swap_count = d->pg.migration_first + d->pg.migration_count - d->pg.swp_first_special;
	}
	if (st == PGT_OK && !d->pg.kroot.pa && d->pg.kernel_root_pa) {
		struct pgt_mm_regs regs = {.pgd_pa = d->pg.kernel_root_pa};
		st = d->pg.ops->mm_root(&d->pg, &regs, &d->pg.kroot, err);
	}
	return st;
}

/* highest_memmap_pfn and the zero page, for vm_normal_page()'s rules. */
static void memmap_facts(struct pgt_dump *d)
{
	struct pgt_err e = {0};
	uint64_t v, pa;
	const unsigned shift = d->pg.page_shift;
	if (pgt_sym(d, Y_max_pfn) && pgt_read_ptr(d, pgt_sym(d, Y_max_pfn), &v, &e) == PGT_OK && v)
		d->max_pfn = v;
	else if (d->si->max_pa)
		d->max_pfn = d->si->max_pa >> shift;
	/* setup() may know better (ARM's empty_zero_page is a struct page *) */
	if (!d->zero_pfn && pgt_sym(d, Y_empty_zero_page) &&
	    pgt_kva_to_pa(d, pgt_sym(d, Y_empty_zero_page), &pa, &e) == PGT_OK)
		d->zero_pfn = pa >> shift;
}

pgt_status pgt_dump_open(struct pgt_dump **out, const struct pgt_open_opts *o, struct pgt_err *err)
{
	struct pgt_dump *d = calloc(1, sizeof *d);
	pgt_status st;

	if (!d)
		return pgt_fail(err, PGT_ENOMEM, "out of memory");
	d->path = o->dump_path;
	d->verbose = o->verbose;
	d->huge_zero_pfn = ~0ull;
	pgt_profile_init(&d->prof);
	st = pgt_source_open(&d->src, o->dump_path, err);
	if (st)
		goto fail;
	d->si = pgt_source_info(d->src);
	if (!d->si->vmcoreinfo)
		for (const struct pgt_arch_ops *const *c = pgt_arch_candidates(d->si->arch); *c; c++)
			if ((*c)->early) {
				(*c)->early(d);
				break;
			}
	st = load_profile(d, o, err);
	if (st)
		goto fail;
	if (d->prof.arch[0] && strcmp(d->prof.arch, d->si->arch) &&
	    !(strcmp(d->prof.arch, "i386") == 0 && strcmp(d->si->arch, "ia32") == 0)) {
		st = pgt_fail(err, PGT_EINPUT, "%s: kernel types are for %s but dump %s is %s",
			      d->prof.source, d->prof.arch, d->path, d->si->arch);
		goto fail;
	}
	d->page_size = d->si->page_size ? d->si->page_size : 4096;
	st = find_kaslr(d, err);
	if (st)
		goto fail;
	st = setup_paging(d, err);
	if (st)
		goto fail;
	memmap_facts(d);
	*out = d;
	return PGT_OK;
fail:
	pgt_dump_close(d);
	return st;
}

void pgt_dump_close(struct pgt_dump *d)
{
	if (!d)
		return;
	pgt_source_close(d->src);
	free(d);
}

uint64_t pgt_sym(const struct pgt_dump *d, enum pgt_ksym_id id)
{
	return d->prof.sym[id] ? d->prof.sym[id] + d->kaslr : 0;
}

pgt_status pgt_read_pa(struct pgt_dump *d, uint64_t pa, void *buf, size_t len, struct pgt_err *err)
{
	return pgt_source_read(d->src, pa, buf, len, err);
}

pgt_status pgt_kva_to_pa(struct pgt_dump *d, uint64_t va, uint64_t *pa, struct pgt_err *err)
{
	struct pgt_root root;
	if (d->pg.ops->kva_linear && d->pg.ops->kva_linear(&d->pg, va, pa))
		return PGT_OK;
	if (!d->pg.kroot.pa)
		return pgt_fail(err, PGT_ENOMAP, "%s: kernel address 0x%llx: no kernel page table known",
				d->path, (unsigned long long)va);
	const uint64_t pmask = (uint64_t)d->page_size - 1, vpage = va & ~pmask;
	unsigned slot = (unsigned)((va / d->page_size) % PGT_KTLB);
	if (d->ktlb_va[slot] == (vpage | 1)) {
		*pa = d->ktlb_pa[slot] | (va & pmask);
		return PGT_OK;
	}
	root = d->pg.kroot;
	pgt_status st = pgt_translate(d, &root, va, pa, NULL, err);
	if (st == PGT_OK) {
		d->ktlb_va[slot] = vpage | 1;
		d->ktlb_pa[slot] = *pa & ~pmask;
	}
	if (st == PGT_ENOMAP)
		return pgt_fail(err, PGT_ENOMAP, "%s: kernel address 0x%llx is not mapped in the kernel page table",
				d->path, (unsigned long long)va);
	return st;
}

pgt_status pgt_read_kva(struct pgt_dump *d, uint64_t va, void *buf, size_t len, struct pgt_err *err)
{
	uint8_t *out = buf;
	while (len) {
		uint64_t pa, pgoff = va & (d->page_size - 1);
		size_t chunk = d->page_size - pgoff < len ? d->page_size - pgoff : len;
		pgt_status st = pgt_kva_to_pa(d, va, &pa, err);
		if (!st)
			st = pgt_read_pa(d, pa, out, chunk, err);
		if (st)
			return pgt_wrap(err, "reading kernel address 0x%llx", (unsigned long long)va);
		out += chunk;
		va += chunk;
		len -= chunk;
	}
	return PGT_OK;
}

pgt_status pgt_read_uint(struct pgt_dump *d, uint64_t va, unsigned n, uint64_t *out, struct pgt_err *err)
{
	uint8_t b[8];
	if (n == 0 || n > 8)
		n = 8;
	pgt_status st = pgt_read_kva(d, va, b, n, err);
	if (st)
		return st;
	*out = pgt_ldn(b, n, d->pg.big_endian);
	return PGT_OK;
}

pgt_status pgt_read_ptr(struct pgt_dump *d, uint64_t va, uint64_t *out, struct pgt_err *err)
{
	return pgt_read_uint(d, va, d->si->ptr_size ? d->si->ptr_size : 8, out, err);
}

pgt_status pgt_read_field(struct pgt_dump *d, uint64_t va, enum pgt_kfield_id f, uint64_t *out,
			  struct pgt_err *err)
{
	const struct pgt_kfield *k = &d->prof.field[f];
	if (k->off == PGT_ABSENT)
		return pgt_fail(err, PGT_ENOTFOUND, "%s: kernel types lack %s.%s", d->prof.source,
				pgt_kfield_type[f], pgt_kfield_path[f]);
	unsigned n = k->size > 0 && k->size <= 8 ? (unsigned)k->size : 8;
	return pgt_read_uint(d, va + (uint64_t)k->off, n, out, err);
}

pgt_status pgt_read_str(struct pgt_dump *d, uint64_t va, char *buf, size_t len, struct pgt_err *err)
{
	size_t i = 0;
	while (i + 1 < len) {
		size_t chunk = d->page_size - ((va + i) & (d->page_size - 1));
		if (chunk > len - 1 - i)
			chunk = len - 1 - i;
		pgt_status st = pgt_read_kva(d, va + i, buf + i, chunk, err);
		if (st)
			return st;
		void *z = memchr(buf + i, 0, chunk);
		if (z)
			return PGT_OK;
		i += chunk;
	}
	buf[len - 1] = 0;
	return PGT_OK;
}
