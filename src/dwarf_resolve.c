/* Resolve a kernel profile from a vmlinux: ELF symbols, header facts and the
 * DWARF layouts of kfields.def.
 *
 * Speed matters (a distribution vmlinux carries ~170 MB of .debug_info in
 * ~3000 units, and every wanted item is in a handful of them), so:
 *  - libdwarf reads through our own object interface over our own mapping:
 *    nothing is copied, and it is shown one unit at a time (see struct
 *    elfobj), each opened and finished on its own;
 *  - the units of a few likely source files are found without reading the
 *    others: the STT_FILE symbol of each file gives one of its functions,
 *    .debug_aranges the unit holding that address;
 *  - only the top-level DIEs of a unit are visited (DW_AT_sibling skips
 *    function bodies), and the work stops once everything is settled;
 *  - absence is decided without reading everything: a member once a complete
 *    definition of its struct lacks it, an enumerator once its family's enum
 *    lacks it; a type or enumerator whose name is not in .debug_str at all
 *    is absent, and if the name is there, only the units that refer to that
 *    string (found by searching .debug_info for its offset) can have it;
 *  - only when that cannot be used are all units read, in order.
 * The .rela.debug_* sections some vmlinux files keep (--emit-relocs) are
 * ignored: linked files have them applied already. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "pgt/profile.h"

/* ---------------------------------------------------------------------------
 * The ELF file as libdwarf sees it. */

struct elfobj {
	Elf *elf;
	GElf_Ehdr eh;
	size_t shnum, shstrndx;
	void **copy;     /* per section: our buffer if decompressed or relocated */
	/* libdwarf is shown one CU at a time as if it were all of .debug_info:
	 * it only finds a CU by creating the records of every CU before it,
	 * which would touch the whole section.  win_len 0 shows all of it. */
	size_t info_idx;
	uint64_t win_off, win_len;
	size_t abbrev_idx, str_idx, stroff_idx;
	int alt_strings;  /* names may be in another file (dwz, DWARF 5 .debug_sup) */
};

/* Only the sections that types, names and unit lookup need are shown to
 * libdwarf: opening a unit would otherwise parse every header of
 * .debug_loclists and .debug_rnglists (tens of MB) each time. */
static int wanted_section(const char *name)
{
	static const char *const keep[] = {
		".debug_info", ".debug_abbrev", ".debug_str", ".debug_line_str",
		".debug_str_offsets", ".debug_addr", ".debug_aranges", ".debug_types",
	};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (!strcmp(name, keep[i]))
			return 1;
	return 0;
}

static int obj_section_info(void *o, Dwarf_Half idx, Dwarf_Obj_Access_Section *ret, int *error)
{
	struct elfobj *obj = o;
	Elf_Scn *scn = elf_getscn(obj->elf, idx);
	GElf_Shdr sh;
	if (!scn || !gelf_getshdr(scn, &sh)) {
		*error = DW_DLE_MDE;
		return DW_DLV_ERROR;
	}
	memset(ret, 0, sizeof(*ret));
	ret->addr = sh.sh_addr;
	ret->type = sh.sh_type;
	ret->size = sh.sh_size;
	ret->name = elf_strptr(obj->elf, obj->shstrndx, sh.sh_name);
	if (!ret->name || !wanted_section(ret->name))
		ret->name = "";
	ret->link = sh.sh_link;
	ret->info = sh.sh_info;
	ret->entrysize = sh.sh_entsize;
	if (sh.sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;
		if (gelf_getchdr(scn, &ch))
			ret->size = ch.ch_size;
	}
	if (idx == obj->info_idx && obj->win_len)
		ret->size = obj->win_len;
	return DW_DLV_OK;
}

static Dwarf_Endianness obj_byte_order(void *o)
{
	struct elfobj *obj = o;
	return obj->eh.e_ident[EI_DATA] == ELFDATA2MSB ? DW_OBJECT_MSB : DW_OBJECT_LSB;
}

static Dwarf_Small obj_length_size(void *o)
{
	struct elfobj *obj = o;
	return obj->eh.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
}

static Dwarf_Unsigned obj_section_count(void *o)
{
	struct elfobj *obj = o;
	return obj->shnum;
}

static void put_uint(unsigned char *p, uint64_t v, int size, int big)
{
	for (int i = 0; i < size; i++) {
		int shift = 8 * (big ? size - 1 - i : i);
		p[i] = (unsigned char)(v >> shift);
	}
}

static uint64_t get_uint(const unsigned char *p, int size, int big)
{
	uint64_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * (big ? size - 1 - i : i));
	return v;
}

/* Width of an absolute data relocation, 0 for any other kind.  Debug
 * sections of objects only carry absolute ones. */
static int reloc_width(unsigned machine, unsigned type)
{
	switch (machine) {
	case EM_X86_64: return type == 1 ? 8 : (type == 10 || type == 11) ? 4 : 0;
	case EM_386: return type == 1 ? 4 : 0;
	case EM_ARM: return type == 2 ? 4 : 0;
	case EM_AARCH64: return type == 257 ? 8 : type == 258 ? 4 : 0;
	case EM_S390: return type == 22 ? 8 : type == 4 ? 4 : 0;
	case EM_PPC64: return type == 38 ? 8 : type == 1 ? 4 : 0;
	case EM_RISCV: return type == 2 ? 8 : type == 1 ? 4 : 0;
	default: return 0;
	}
}

/* Relocatable objects (the test fixtures) need their .rel[a].debug_*
 * applied; linked files never do. */
static int apply_relocs(struct elfobj *obj, size_t target, unsigned char *buf, size_t size)
{
	int big = obj->eh.e_ident[EI_DATA] == ELFDATA2MSB;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(obj->elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_info != target ||
		    (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL))
			continue;
		Elf_Data *rd = elf_getdata(scn, NULL);
		Elf_Scn *symscn = elf_getscn(obj->elf, sh.sh_link);
		Elf_Data *sd = symscn ? elf_getdata(symscn, NULL) : NULL;
		if (!rd || !sd)
			return -1;
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; i < n; i++) {
			GElf_Rela r;
			if (sh.sh_type == SHT_RELA) {
				if (!gelf_getrela(rd, (int)i, &r))
					return -1;
			} else {
				GElf_Rel rel;
				if (!gelf_getrel(rd, (int)i, &rel))
					return -1;
				r.r_offset = rel.r_offset;
				r.r_info = rel.r_info;
				r.r_addend = 0;
			}
			/* gelf has widened ELF32 r_info already */
			unsigned type = (unsigned)GELF_R_TYPE(r.r_info);
			size_t symi = GELF_R_SYM(r.r_info);
			int w = reloc_width(obj->eh.e_machine, type);
			if (!w || r.r_offset > size || size - r.r_offset < (size_t)w)
				continue;
			GElf_Sym sym;
			if (!gelf_getsym(sd, (int)symi, &sym))
				return -1;
			uint64_t addend = sh.sh_type == SHT_RELA ? (uint64_t)r.r_addend
								  : get_uint(buf + r.r_offset, w, big);
			put_uint(buf + r.r_offset, sym.st_value + addend, w, big);
		}
	}
	return 0;
}

static int has_relocs_for(struct elfobj *obj, size_t target)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(obj->elf, scn))) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) && sh.sh_info == target &&
		    (sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL))
			return 1;
	}
	return 0;
}

/* The whole of section idx, mapped or (objects, compressed) copied. */
static int load_whole(struct elfobj *obj, size_t idx, Dwarf_Small **data, int *error)
{
	if (idx == 0 || idx >= obj->shnum)
		return DW_DLV_NO_ENTRY;
	if (obj->copy[idx]) {
		*data = obj->copy[idx];
		return DW_DLV_OK;
	}
	Elf_Scn *scn = elf_getscn(obj->elf, idx);
	GElf_Shdr sh;
	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
		return DW_DLV_NO_ENTRY;
	Elf_Data *d = elf_rawdata(scn, NULL);
	if (!d || (!d->d_buf && d->d_size)) {
		*error = DW_DLE_MDE;
		return DW_DLV_ERROR;
	}
	unsigned char *buf = NULL;
	size_t size = d->d_size;
	if (sh.sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;
		size_t hdr = obj->eh.e_ident[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Chdr) : sizeof(Elf32_Chdr);
		if (!gelf_getchdr(scn, &ch) || ch.ch_type != ELFCOMPRESS_ZLIB || d->d_size < hdr) {
			*error = DW_DLE_MDE;
			return DW_DLV_ERROR;
		}
		uLongf out = ch.ch_size;
		buf = malloc(out ? out : 1);
		if (!buf || uncompress(buf, &out, (const Bytef *)d->d_buf + hdr, d->d_size - hdr) != Z_OK ||
		    out != ch.ch_size) {
			free(buf);
			*error = DW_DLE_MDE;
			return DW_DLV_ERROR;
		}
		size = out;
	}
	if (obj->eh.e_type == ET_REL && has_relocs_for(obj, idx)) {
		if (!buf) {
			buf = malloc(size ? size : 1);
			if (!buf) {
				*error = DW_DLE_ALLOC_FAIL;
				return DW_DLV_ERROR;
			}
			memcpy(buf, d->d_buf, size);
		}
		if (apply_relocs(obj, idx, buf, size) != 0) {
			free(buf);
			*error = DW_DLE_MDE;
			return DW_DLV_ERROR;
		}
	}
	if (buf) {
		obj->copy[idx] = buf;
		*data = buf;
	} else {
		*data = d->d_buf;
	}
	return DW_DLV_OK;
}

static int obj_load_section(void *o, Dwarf_Half idx, Dwarf_Small **data, int *error)
{
	struct elfobj *obj = o;
	int res = load_whole(obj, idx, data, error);
	if (res == DW_DLV_OK && idx == obj->info_idx)
		*data += obj->win_off;
	return res;
}

static const Dwarf_Obj_Access_Methods obj_methods = {
	.get_section_info = obj_section_info,
	.get_byte_order = obj_byte_order,
	.get_length_size = obj_length_size,
	.get_pointer_size = obj_length_size,
	.get_section_count = obj_section_count,
	.load_section = obj_load_section,
	.relocate_a_section = NULL,
};

/* Page-cache advice for a byte range of the file.  Cold, each fault on the
 * mapping would read megabytes around it; we need a few MB scattered over
 * hundreds, so read-around is turned off (MADV_RANDOM) and what will be read
 * is asked for up front (MADV_WILLNEED), letting the I/O overlap. */
static void advise(struct elfobj *obj, uint64_t off, uint64_t len, int advice)
{
	size_t size = 0;
	char *base = elf_rawfile(obj->elf, &size);
	if (!base || off >= size || !len)
		return;
	if (len > size - off)
		len = size - off;
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)base + off, start = a & ~(pg - 1);
	madvise((void *)start, len + (a - start), advice); /* only advice */
}

static void advise_section(struct elfobj *obj, size_t idx, int advice)
{
	GElf_Shdr sh;
	Elf_Scn *scn = idx ? elf_getscn(obj->elf, idx) : NULL;
	if (scn && gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS)
		advise(obj, sh.sh_offset, sh.sh_size, advice);
}

/* ---------------------------------------------------------------------------
 * ELF facts: machine, symbols, kernel release. */

static void elf_arch(const GElf_Ehdr *eh, struct pgt_profile *p)
{
	int is64 = eh->e_ident[EI_CLASS] == ELFCLASS64;
	const char *a = "";
	switch (eh->e_machine) {
	case EM_X86_64: a = "x86_64"; break;
	case EM_386: a = "i386"; break;
	case EM_S390: a = is64 ? "s390x" : "s390"; break;
	case EM_ARM: a = "arm"; break;
	case EM_AARCH64: a = "aarch64"; break;
	case EM_PPC64: a = "ppc64"; break;
	case EM_RISCV: a = is64 ? "riscv64" : "riscv32"; break;
	}
	snprintf(p->arch, sizeof(p->arch), "%s", a);
	p->ptr_size = is64 ? 8 : 4;
	p->big_endian = eh->e_ident[EI_DATA] == ELFDATA2MSB;
}

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Small open-addressing set of wanted names -> first index. */
#define NAMESET_SLOTS 512
_Static_assert(Y__COUNT < NAMESET_SLOTS / 2 && S__COUNT + F__COUNT < NAMESET_SLOTS / 2 &&
	       E__COUNT < NAMESET_SLOTS / 2, "kfields.def outgrew NAMESET_SLOTS");
struct nameset {
	const char *name[NAMESET_SLOTS];
	int idx[NAMESET_SLOTS];
};

static void nameset_add(struct nameset *s, const char *name, int idx)
{
	uint32_t h = hash_name(name) % NAMESET_SLOTS;
	while (s->name[h]) {
		if (!strcmp(s->name[h], name))
			return; /* keep the first index */
		h = (h + 1) % NAMESET_SLOTS;
	}
	s->name[h] = name;
	s->idx[h] = idx;
}

static int nameset_find(const struct nameset *s, const char *name)
{
	uint32_t h = hash_name(name) % NAMESET_SLOTS;
	while (s->name[h]) {
		if (!strcmp(s->name[h], name))
			return s->idx[h];
		h = (h + 1) % NAMESET_SLOTS;
	}
	return -1;
}

/* CUs whose source defines or uses the wanted types (maple nodes are only
 * complete where the maple tree is implemented, struct mount is private to
 * fs/), in the order most likely to settle everything early. */
static const char *const likely_cus[] = {
	"kernel/fork.c",
	"lib/maple_tree.c",
	"fs/namespace.c",
	"mm/mmap.c",
	"mm/util.c",
	"mm/memory.c",
	"mm/hugetlb.c",
	"mm/page_alloc.c",
	"mm/madvise.c",
};
#define NLIKELY (sizeof(likely_cus) / sizeof(likely_cus[0]))

/* A function of a likely source file, found through the STT_FILE symbol
 * that precedes the file's local symbols: .debug_aranges then tells which
 * CU holds its address. */
struct file_cand {
	int k;          /* index in likely_cus */
	uint64_t addr;
};
#define MAX_CANDS 64

struct symscan {
	GElf_Sym banner;
	struct file_cand cand[MAX_CANDS];
	int ncand;
};

static int likely_by_basename(const char *name)
{
	for (size_t k = 0; k < NLIKELY; k++) {
		const char *b = strrchr(likely_cus[k], '/');
		if (!strcmp(b ? b + 1 : likely_cus[k], name))
			return (int)k;
	}
	return -1;
}

/* Link-time symbol values from .symtab; globals win over same-named locals. */
static pgt_status read_symbols(Elf *elf, const GElf_Ehdr *eh, struct pgt_profile *p, struct symscan *ss,
			       const char *path, struct pgt_err *err)
{
	GElf_Sym *banner = &ss->banner;
	int file_k = -1;
	struct nameset want;
	memset(&want, 0, sizeof(want));
	for (int i = 0; i < Y__COUNT; i++)
		nameset_add(&want, pgt_ksym_name[i], i);
	int rank[Y__COUNT];
	memset(rank, 0, sizeof(rank));
	memset(banner, 0, sizeof(*banner));

	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		Elf_Scn *strscn = elf_getscn(elf, sh.sh_link);
		Elf_Data *sd = strscn ? elf_rawdata(strscn, NULL) : NULL;
		if (!d || !sd || !sd->d_buf)
			return pgt_fail(err, PGT_EINPUT, "%s: unreadable symbol table", path);
		const char *strs = sd->d_buf;
		size_t nstr = sd->d_size;
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym s;
			if (!gelf_getsym(d, (int)i, &s))
				break;
			if (s.st_name == 0 || s.st_name >= nstr)
				continue;
			const char *name = strs + s.st_name;
			if (!memchr(name, '\0', nstr - s.st_name))
				continue;
			int t = GELF_ST_TYPE(s.st_info);
			if (t == STT_FILE) {
				file_k = likely_by_basename(name);
				continue;
			}
			if (s.st_shndx == SHN_UNDEF || t == STT_SECTION)
				continue;
			if (t == STT_FUNC && file_k >= 0 && s.st_value && ss->ncand < MAX_CANDS) {
				/* Thumb functions have bit 0 set, the ranges do not. */
				uint64_t a = eh->e_machine == EM_ARM ? s.st_value & ~1ull : s.st_value;
				ss->cand[ss->ncand++] = (struct file_cand){ file_k, a };
				file_k = -1;
			}
			int id = nameset_find(&want, name);
			if (id < 0)
				continue;
			int bind = GELF_ST_BIND(s.st_info);
			int r = bind == STB_GLOBAL ? 3 : bind == STB_WEAK ? 2 : 1;
			if (r <= rank[id])
				continue;
			/* Every id that shares the name gets the value. */
			for (int j = id; j < Y__COUNT; j++) {
				if (strcmp(pgt_ksym_name[j], name))
					continue;
				rank[j] = r;
				p->sym[j] = s.st_value;
				if (j == Y_linux_banner)
					*banner = s;
			}
		}
		break; /* one .symtab per file */
	}
	return PGT_OK;
}

/* "Linux version 6.1.0-56-amd64 (debian-kernel@...) ..." -> "6.1.0-56-amd64" */
static void read_osrelease(Elf *elf, const GElf_Sym *banner, struct pgt_profile *p)
{
	if (!banner->st_name || banner->st_shndx == SHN_UNDEF || banner->st_shndx >= SHN_LORESERVE)
		return;
	Elf_Scn *scn = elf_getscn(elf, banner->st_shndx);
	GElf_Shdr sh;
	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
		return;
	Elf_Data *d = elf_rawdata(scn, NULL);
	/* Linked files hold addresses, objects section offsets. */
	uint64_t off = banner->st_value - sh.sh_addr;
	if (!d || !d->d_buf || banner->st_value < sh.sh_addr || off >= d->d_size)
		return;
	const char *s = (const char *)d->d_buf + off;
	size_t avail = d->d_size - off;
	static const char prefix[] = "Linux version ";
	size_t pl = sizeof(prefix) - 1;
	if (avail <= pl || memcmp(s, prefix, pl))
		return;
	size_t n = 0;
	while (pl + n < avail && n + 1 < sizeof(p->osrelease) && s[pl + n] > ' ' && s[pl + n] < 127)
		n++;
	memcpy(p->osrelease, s + pl, n);
	p->osrelease[n] = '\0';
}

/* ---------------------------------------------------------------------------
 * DWARF resolution. */

#define MAX_TYPES (S__COUNT + F__COUNT)

struct member {
	const char *name;
	int64_t off;
	Dwarf_Off type;
};

struct mvec {
	struct member *v;
	size_t n, cap;
};

struct resolver {
	Dwarf_Debug dbg;
	struct pgt_profile *p;
	/* Wanted types: struct tags or typedef names. */
	int ntypes;
	const char *type_name[MAX_TYPES];
	int type_done[MAX_TYPES];
	int type_struct_id[MAX_TYPES];   /* S_* id or -1 */
	int field_type[F__COUNT];        /* index into type_name */
	int types_left;
	struct nameset types, enums;
	int enum_done[E__COUNT];
	int enums_left;
	struct mvec members, nested;
	/* first libdwarf error, reported at the end */
	int failed;
	char errmsg[256];
	/* statistics for PGT_DEBUG_DWARF */
	unsigned cus_visited, dies_visited;
	int debug;
};

static void dw_error(struct resolver *r, Dwarf_Error e, const char *what)
{
	if (!r->failed) {
		r->failed = 1;
		snprintf(r->errmsg, sizeof(r->errmsg), "%s: %s", what, e ? dwarf_errmsg(e) : "libdwarf error");
	}
	if (e)
		dwarf_dealloc(r->dbg, e, DW_DLA_ERROR);
}

/* Evaluates to 1 for OK, 0 for NO_ENTRY; errors are recorded and count as 0. */
#define DW_OK(r, call, what) ({ Dwarf_Error _e = NULL; int _res = (call); \
	(void)(_res == DW_DLV_ERROR && (dw_error((r), _e, (what)), 1)); _res == DW_DLV_OK; })

static Dwarf_Die die_at(struct resolver *r, Dwarf_Off off)
{
	Dwarf_Die d = NULL;
	if (!DW_OK(r, dwarf_offdie_b(r->dbg, off, 1, &d, &_e), "reading DIE"))
		return NULL;
	return d;
}

static int die_tag(struct resolver *r, Dwarf_Die d)
{
	Dwarf_Half tag = 0;
	if (!DW_OK(r, dwarf_tag(d, &tag, &_e), "reading DIE tag"))
		return 0;
	return tag;
}

static const char *die_name(struct resolver *r, Dwarf_Die d)
{
	char *name = NULL;
	if (!DW_OK(r, dwarf_diename(d, &name, &_e), "reading DIE name"))
		return NULL;
	return name;
}

static int die_has(struct resolver *r, Dwarf_Die d, Dwarf_Half at)
{
	Dwarf_Bool b = 0;
	if (!DW_OK(r, dwarf_hasattr(d, at, &b, &_e), "reading attribute"))
		return 0;
	return b != 0;
}

static int die_type(struct resolver *r, Dwarf_Die d, Dwarf_Off *off)
{
	return DW_OK(r, dwarf_dietype_offset(d, off, &_e), "reading DW_AT_type");
}

/* A location expression that is just "DW_OP_plus_uconst N" (or constu N). */
static int plus_uconst(const void *ptr, uint64_t len, uint64_t *val)
{
	const unsigned char *q = ptr, *end = q + len;
	if (!q || q >= end || (*q != DW_OP_plus_uconst && *q != DW_OP_constu))
		return 0;
	uint64_t v = 0;
	for (int shift = 0; ++q < end && shift < 64; shift += 7) {
		v |= (uint64_t)(*q & 0x7f) << shift;
		if (!(*q & 0x80)) {
			*val = v;
			return q + 1 == end;
		}
	}
	return 0;
}

/* Unsigned constant attribute; also decodes the DW_OP_plus_uconst /
 * DW_OP_constu location expressions that DWARF 2/3 use for member offsets. */
static int die_udata(struct resolver *r, Dwarf_Die d, Dwarf_Half at, uint64_t *val, int *negative)
{
	Dwarf_Attribute a = NULL;
	if (negative)
		*negative = 0;
	if (!DW_OK(r, dwarf_attr(d, at, &a, &_e), "reading attribute"))
		return 0;
	Dwarf_Half form = 0;
	int ok = 0;
	if (DW_OK(r, dwarf_whatform(a, &form, &_e), "reading form")) {
		if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
			Dwarf_Signed s = 0;
			ok = DW_OK(r, dwarf_formsdata(a, &s, &_e), "reading constant");
			*val = (uint64_t)s;
			if (negative)
				*negative = s < 0;
		} else if (form == DW_FORM_exprloc || form == DW_FORM_block1 || form == DW_FORM_block2 ||
			   form == DW_FORM_block4 || form == DW_FORM_block) {
			Dwarf_Block *b = NULL;
			Dwarf_Unsigned len = 0;
			Dwarf_Ptr ptr = NULL;
			int got;
			if (form == DW_FORM_exprloc)
				got = DW_OK(r, dwarf_formexprloc(a, &len, &ptr, &_e), "reading expression");
			else if ((got = DW_OK(r, dwarf_formblock(a, &b, &_e), "reading block"))) {
				len = b->bl_len;
				ptr = b->bl_data;
			}
			if (got)
				ok = plus_uconst(ptr, len, val);
			if (b)
				dwarf_dealloc(r->dbg, b, DW_DLA_BLOCK);
		} else {
			Dwarf_Unsigned u = 0;
			ok = DW_OK(r, dwarf_formudata(a, &u, &_e), "reading constant");
			*val = u;
		}
	}
	dwarf_dealloc(r->dbg, a, DW_DLA_ATTR);
	return ok;
}

static int is_qualifier(int tag)
{
	return tag == DW_TAG_typedef || tag == DW_TAG_const_type || tag == DW_TAG_volatile_type ||
	       tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type || tag == DW_TAG_immutable_type;
}

/* Follows typedefs and qualifiers; returns the DIE of the underlying type
 * (caller deallocates) or NULL for void. */
static Dwarf_Die strip_type(struct resolver *r, Dwarf_Off off)
{
	for (int depth = 0; depth < 32; depth++) {
		Dwarf_Die d = die_at(r, off);
		if (!d)
			return NULL;
		int tag = die_tag(r, d);
		if (!is_qualifier(tag))
			return d;
		int more = die_type(r, d, &off);
		dwarf_dealloc_die(d);
		if (!more)
			return NULL;
	}
	return NULL;
}

/* Size of a type and, for arrays, of one element of the first dimension. */
static int type_size(struct resolver *r, Dwarf_Off off, int64_t *size, int64_t *elem)
{
	Dwarf_Die d = strip_type(r, off);
	if (!d)
		return 0;
	int ok = 0;
	uint64_t v = 0;
	int tag = die_tag(r, d);
	if (tag == DW_TAG_array_type) {
		Dwarf_Off et;
		int64_t esize = 0, eelem = 0;
		if (die_type(r, d, &et) && type_size(r, et, &esize, &eelem)) {
			/* Product of the dimensions, and of all but the first. */
			uint64_t total = 1, rest = 1;
			int dims = 0;
			Dwarf_Die c = NULL, next = NULL;
			int res = DW_OK(r, dwarf_child(d, &c, &_e), "reading array");
			while (res) {
				if (die_tag(r, c) == DW_TAG_subrange_type) {
					uint64_t count = 0, lo = 0, hi = 0;
					int neg = 0;
					if (die_udata(r, c, DW_AT_count, &count, &neg)) {
						if (neg)
							count = 0;
					} else if (die_udata(r, c, DW_AT_upper_bound, &hi, &neg)) {
						die_udata(r, c, DW_AT_lower_bound, &lo, NULL);
						/* x[0] comes as upper bound -1 (or all ones) */
						count = (neg || hi + 1 < lo || hi > (1ull << 48)) ? 0 : hi + 1 - lo;
					}
					total *= count;
					if (dims++)
						rest *= count;
				}
				res = DW_OK(r, dwarf_siblingof_b(r->dbg, c, 1, &next, &_e), "reading array");
				dwarf_dealloc_die(c);
				c = next;
			}
			*size = (int64_t)(total * (uint64_t)esize);
			*elem = (int64_t)(rest * (uint64_t)esize);
			if (die_udata(r, d, DW_AT_byte_size, &v, NULL))
				*size = (int64_t)v;
			ok = 1;
		}
	} else if (die_udata(r, d, DW_AT_byte_size, &v, NULL)) {
		*size = *elem = (int64_t)v;
		ok = 1;
	} else if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type) {
		*size = *elem = r->p->ptr_size;
		ok = 1;
	} else if (tag == DW_TAG_enumeration_type) {
		Dwarf_Off ut;
		if (die_type(r, d, &ut))
			ok = type_size(r, ut, size, elem);
	}
	dwarf_dealloc_die(d);
	return ok;
}

static int mvec_push(struct mvec *m, const char *name, int64_t off, Dwarf_Off type)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		struct member *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return -1;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = (struct member){ name, off, type };
	return 0;
}

static int is_aggregate(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type;
}

/* Appends the members of a struct/union, with members of anonymous
 * struct/union members flattened in as C lets one name them. */
static void collect_members(struct resolver *r, Dwarf_Die agg, int64_t base, struct mvec *out, int depth)
{
	Dwarf_Die c = NULL, next = NULL;
	int res = DW_OK(r, dwarf_child(agg, &c, &_e), "reading members");
	while (res) {
		if (die_tag(r, c) == DW_TAG_member) {
			const char *name = die_name(r, c);
			uint64_t off = 0;
			if (!die_udata(r, c, DW_AT_data_member_location, &off, NULL) &&
			    die_udata(r, c, DW_AT_data_bit_offset, &off, NULL))
				off /= 8;
			Dwarf_Off type = 0;
			int has_type = die_type(r, c, &type);
			if (name) {
				if (mvec_push(out, name, base + (int64_t)off, has_type ? type : 0) < 0)
					r->failed = 1, snprintf(r->errmsg, sizeof(r->errmsg), "out of memory");
			} else if (has_type && depth < 16) {
				Dwarf_Die t = strip_type(r, type);
				if (t) {
					if (is_aggregate(die_tag(r, t)))
						collect_members(r, t, base + (int64_t)off, out, depth + 1);
					dwarf_dealloc_die(t);
				}
			}
		}
		res = DW_OK(r, dwarf_siblingof_b(r->dbg, c, 1, &next, &_e), "reading members");
		dwarf_dealloc_die(c);
		c = next;
	}
}

static const struct member *find_member(const struct mvec *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strncmp(m->v[i].name, name, len) && m->v[i].name[len] == '\0')
			return &m->v[i];
	return NULL;
}

/* One alternative "a.b.c" of a field path, against the flattened members of
 * the outer struct.  Returns 1 when found. */
static int resolve_path(struct resolver *r, const char *path, size_t len, struct pgt_kfield *out)
{
	const struct mvec *m = &r->members;
	const struct member *hit = NULL;
	for (;;) {
		const char *dot = memchr(path, '.', len);
		size_t n = dot ? (size_t)(dot - path) : len;
		hit = find_member(m, path, n);
		if (!hit)
			return 0;
		if (!dot)
			break;
		/* Descend into the member's struct type. */
		Dwarf_Die t = hit->type ? strip_type(r, hit->type) : NULL;
		if (!t)
			return 0;
		int agg = is_aggregate(die_tag(r, t));
		int64_t base = hit->off;
		r->nested.n = 0;
		if (agg)
			collect_members(r, t, base, &r->nested, 0);
		dwarf_dealloc_die(t);
		if (!agg)
			return 0;
		m = &r->nested;
		len -= n + 1;
		path = dot + 1;
	}
	int64_t size = 0, elem = 0;
	if (!hit->type || !type_size(r, hit->type, &size, &elem))
		size = elem = 0;
	out->off = hit->off;
	out->size = size;
	out->elem = elem;
	return 1;
}

static void settle_type(struct resolver *r, int t)
{
	if (!r->type_done[t]) {
		r->type_done[t] = 1;
		r->types_left--;
	}
}

/* A complete definition of wanted type t: its size and all its fields. */
static void define_type(struct resolver *r, int t, Dwarf_Die agg, int tag)
{
	uint64_t size = 0;
	int sid = r->type_struct_id[t];
	if (die_udata(r, agg, DW_AT_byte_size, &size, NULL)) {
		if (sid >= 0)
			r->p->struct_size[sid] = (int64_t)size;
	} else if (sid >= 0) {
		Dwarf_Off off;
		int64_t sz, el;
		if (DW_OK(r, dwarf_dieoffset(agg, &off, &_e), "reading DIE offset") && type_size(r, off, &sz, &el))
			r->p->struct_size[sid] = sz;
	}
	int any = 0;
	for (int f = 0; f < F__COUNT && !any; f++)
		any = r->field_type[f] == t;
	if (any && is_aggregate(tag)) {
		r->members.n = 0;
		collect_members(r, agg, 0, &r->members, 0);
		for (int f = 0; f < F__COUNT; f++) {
			if (r->field_type[f] != t)
				continue;
			/* Alternatives in order: the first one present wins. */
			const char *alt = pgt_kfield_path[f];
			for (;;) {
				size_t n = strcspn(alt, "|");
				if (resolve_path(r, alt, n, &r->p->field[f]))
					break;
				if (!alt[n])
					break;
				alt += n + 1;
			}
		}
	}
	settle_type(r, t);
}

static size_t family_len(const char *name)
{
	const char *u = strchr(name, '_');
	return u ? (size_t)(u - name) + 1 : strlen(name);
}

static void visit_enum(struct resolver *r, Dwarf_Die d)
{
	Dwarf_Die c = NULL, next = NULL;
	int found[E__COUNT];
	int nfound = 0;
	int res = DW_OK(r, dwarf_child(d, &c, &_e), "reading enumerators");
	while (res) {
		const char *name = die_name(r, c);
		int id = name ? nameset_find(&r->enums, name) : -1;
		if (id >= 0 && !r->enum_done[id]) {
			uint64_t v = 0;
			if (die_udata(r, c, DW_AT_const_value, &v, NULL)) {
				for (int j = id; j < E__COUNT; j++) {
					if (strcmp(pgt_kenum_name[j], name) || r->enum_done[j])
						continue;
					r->p->enumval[j] = (int64_t)v;
					r->p->has_enum[j] = 1;
					r->enum_done[j] = 1;
					r->enums_left--;
					found[nfound++] = j;
				}
			}
		}
		res = DW_OK(r, dwarf_siblingof_b(r->dbg, c, 1, &next, &_e), "reading enumerators");
		dwarf_dealloc_die(c);
		c = next;
	}
	/* The enumerators of one family (PG_*, maple_*) live in one enum: the
	 * ones this enum lacks are absent from the kernel. */
	for (int i = 0; i < nfound; i++) {
		const char *fam = pgt_kenum_name[found[i]];
		size_t fl = family_len(fam);
		for (int j = 0; j < E__COUNT; j++) {
			if (r->enum_done[j] || family_len(pgt_kenum_name[j]) != fl ||
			    strncmp(pgt_kenum_name[j], fam, fl))
				continue;
			r->enum_done[j] = 1;
			r->enums_left--;
		}
	}
}

static void visit_top(struct resolver *r, Dwarf_Die d)
{
	r->dies_visited++;
	int tag = die_tag(r, d);
	if (tag == DW_TAG_enumeration_type) {
		if (r->enums_left && !die_has(r, d, DW_AT_declaration))
			visit_enum(r, d);
		return;
	}
	if (!is_aggregate(tag) && tag != DW_TAG_typedef)
		return;
	if (!r->types_left)
		return;
	const char *name = die_name(r, d);
	int t = name ? nameset_find(&r->types, name) : -1;
	if (t < 0 || r->type_done[t])
		return;
	if (tag != DW_TAG_typedef) {
		if (!die_has(r, d, DW_AT_declaration))
			define_type(r, t, d, tag);
		return;
	}
	/* pgd_t and friends: typedefs of anonymous structs or of integers. */
	Dwarf_Off to;
	if (!die_type(r, d, &to))
		return;
	Dwarf_Die u = strip_type(r, to);
	if (!u)
		return;
	int utag = die_tag(r, u);
	if (!die_has(r, u, DW_AT_declaration))
		define_type(r, t, u, utag);
	dwarf_dealloc_die(u);
}

static int path_ends_with(const char *path, const char *tail)
{
	size_t pl = strlen(path), tl = strlen(tail);
	return pl >= tl && !strcmp(path + pl - tl, tail) && (pl == tl || path[pl - tl - 1] == '/');
}

static void resolver_setup(struct resolver *r, struct pgt_profile *p)
{
	memset(r, 0, sizeof(*r));
	r->p = p;
	for (int i = 0; i < S__COUNT; i++) {
		int t = nameset_find(&r->types, pgt_kstruct_name[i]);
		if (t < 0) {
			t = r->ntypes++;
			r->type_name[t] = pgt_kstruct_name[i];
			r->type_struct_id[t] = i;
			nameset_add(&r->types, pgt_kstruct_name[i], t);
		}
	}
	for (int f = 0; f < F__COUNT; f++) {
		int t = nameset_find(&r->types, pgt_kfield_type[f]);
		if (t < 0) {
			t = r->ntypes++;
			r->type_name[t] = pgt_kfield_type[f];
			r->type_struct_id[t] = -1;
			nameset_add(&r->types, pgt_kfield_type[f], t);
		}
		r->field_type[f] = t;
	}
	r->types_left = r->ntypes;
	for (int e = 0; e < E__COUNT; e++)
		nameset_add(&r->enums, pgt_kenum_name[e], e);
	r->enums_left = E__COUNT;
	const char *dbg = getenv("PGT_DEBUG_DWARF");
	r->debug = dbg ? atoi(dbg) : 0;
}

static void debug_report(struct resolver *r, const char *when)
{
	if (!r->debug)
		return;
	fprintf(stderr, "dwarf: %s: %u CUs, %u top-level DIEs, %d types and %d enumerators left\n",
		when, r->cus_visited, r->dies_visited, r->types_left, r->enums_left);
	for (int t = 0; t < r->ntypes; t++)
		if (!r->type_done[t])
			fprintf(stderr, "dwarf:   missing type %s\n", r->type_name[t]);
	for (int e = 0; e < E__COUNT; e++)
		if (!r->enum_done[e])
			fprintf(stderr, "dwarf:   missing enumerator %s\n", pgt_kenum_name[e]);
}

/* Visits the top-level DIEs of the CU that dbg currently shows. */
static void visit_cu_die(struct resolver *r, Dwarf_Die cu)
{
	Dwarf_Die c = NULL, next = NULL;
	r->cus_visited++;
	int res = DW_OK(r, dwarf_child(cu, &c, &_e), "reading CU");
	while (res && !r->failed) {
		visit_top(r, c);
		if (!r->types_left && !r->enums_left) {
			dwarf_dealloc_die(c);
			break;
		}
		res = DW_OK(r, dwarf_siblingof_b(r->dbg, c, 1, &next, &_e), "reading CU");
		dwarf_dealloc_die(c);
		c = next;
	}
}

static int open_dbg(struct resolver *r, Dwarf_Obj_Access_Interface *iface)
{
	Dwarf_Error e = NULL;
	r->dbg = NULL;
	int res = dwarf_object_init_b(iface, NULL, NULL, DW_GROUPNUMBER_ANY, &r->dbg, &e);
	if (res == DW_DLV_ERROR) {
		if (!r->failed) {
			r->failed = 1;
			snprintf(r->errmsg, sizeof(r->errmsg), "cannot read DWARF: %s", dwarf_errmsg(e));
		}
		dwarf_dealloc(NULL, e, DW_DLA_ERROR);
	}
	return res == DW_DLV_OK;
}

static void close_dbg(struct resolver *r)
{
	if (r->dbg)
		dwarf_object_finish(r->dbg, NULL);
	r->dbg = NULL;
}

/* Steps to the next unit header and returns its CU DIE, or NULL at the end. */
static Dwarf_Die next_cu(struct resolver *r)
{
	Dwarf_Unsigned hlen = 0, typeoff = 0, next = 0;
	Dwarf_Half ver = 0, asz = 0, lsz = 0, xsz = 0, utype = 0;
	Dwarf_Off abbrev = 0;
	Dwarf_Sig8 sig;
	Dwarf_Die cu = NULL;
	if (!DW_OK(r, dwarf_next_cu_header_d(r->dbg, 1, &hlen, &ver, &abbrev, &asz, &lsz, &xsz, &sig,
					     &typeoff, &next, &utype, &_e), "reading CU header"))
		return NULL;
	if (!DW_OK(r, dwarf_siblingof_b(r->dbg, NULL, 1, &cu, &_e), "reading CU DIE"))
		return NULL;
	return cu;
}

/* Total size of the unit at off in .debug_info, 0 if malformed. */
static uint64_t unit_size(const unsigned char *info, uint64_t size, uint64_t off, int big)
{
	if (off > size || size - off < 4)
		return 0;
	uint64_t len = get_uint(info + off, 4, big), total;
	if (len == 0xffffffffu) {
		if (size - off < 12)
			return 0;
		len = get_uint(info + off + 4, 8, big);
		total = len + 12;
	} else {
		total = len + 4;
	}
	if (len >= 0xfffffff0u && total == len + 4)
		return 0; /* reserved length values */
	return total > size - off || total < len ? 0 : total;
}

/* Offset in .debug_abbrev of the unit at off (header already checked). */
static uint64_t unit_abbrev(const unsigned char *info, uint64_t off, int big)
{
	int is64 = get_uint(info + off, 4, big) == 0xffffffffu;
	const unsigned char *q = info + off + (is64 ? 12 : 4);
	unsigned version = (unsigned)get_uint(q, 2, big);
	q += version >= 5 ? 4 : 2;
	return get_uint(q, is64 ? 8 : 4, big);
}

/* Prefetch a unit and the start of its abbreviation table. */
static void prefetch_unit(struct elfobj *obj, const unsigned char *info, uint64_t off, uint64_t len, int big)
{
	GElf_Shdr ish, ash;
	Elf_Scn *is = elf_getscn(obj->elf, obj->info_idx);
	Elf_Scn *as = obj->abbrev_idx ? elf_getscn(obj->elf, obj->abbrev_idx) : NULL;
	if (!is || !gelf_getshdr(is, &ish) || (ish.sh_flags & SHF_COMPRESSED))
		return;
	advise(obj, ish.sh_offset + off, len, MADV_WILLNEED);
	if (as && gelf_getshdr(as, &ash) && !(ash.sh_flags & SHF_COMPRESSED) && len >= 24) {
		uint64_t a = unit_abbrev(info, off, big);
		if (a < ash.sh_size)
			advise(obj, ash.sh_offset + a, 64 << 10, MADV_WILLNEED);
	}
}

struct visited {
	uint64_t *off;
	size_t n, cap;
};

static int visited_has(const struct visited *v, uint64_t off)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->off[i] == off)
			return 1;
	return 0;
}

static void visited_add(struct visited *v, uint64_t off)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 64;
		uint64_t *n = realloc(v->off, cap * sizeof(*n));
		if (!n)
			return; /* only costs a second visit */
		v->off = n;
		v->cap = cap;
	}
	v->off[v->n++] = off;
}

#define ANY_UNIT (-1)
#define ANY_LIKELY (-2)

static int unit_wanted(const char *name, int want)
{
	if (want == ANY_UNIT)
		return 1;
	if (!name)
		return 0;
	if (want >= 0)
		return path_ends_with(name, likely_cus[want]);
	for (size_t k = 0; k < NLIKELY; k++)
		if (path_ends_with(name, likely_cus[k]))
			return 1;
	return 0;
}

/* Shows libdwarf the one unit at off and visits it if its name is wanted
 * (want: an index in likely_cus, ANY_LIKELY or ANY_UNIT).  Returns 1 if
 * visited. */
static int visit_unit(struct resolver *r, struct elfobj *obj, Dwarf_Obj_Access_Interface *iface,
		      uint64_t off, uint64_t len, int want)
{
	obj->win_off = off;
	obj->win_len = len;
	if (!open_dbg(r, iface))
		return 0;
	int visited = 0;
	Dwarf_Die cu = next_cu(r);
	if (cu) {
		const char *name = die_name(r, cu);
		if (unit_wanted(name, want)) {
			if (r->debug > 1)
				fprintf(stderr, "dwarf: unit at 0x%" PRIx64 " (%" PRIu64 " KB): %s\n", off, len >> 10,
					name ? name : "?");
			int tl = r->types_left, el = r->enums_left;
			visit_cu_die(r, cu);
			visited = 1;
			if (r->debug && (tl != r->types_left || el != r->enums_left))
				fprintf(stderr, "dwarf: %s settled %d types, %d enumerators\n", name ? name : "?",
					tl - r->types_left, el - r->enums_left);
		}
		dwarf_dealloc_die(cu);
	}
	close_dbg(r);
	return visited;
}

/* Header offsets of the units of the likely source files, in likely order. */
static size_t likely_units(struct resolver *r, Dwarf_Obj_Access_Interface *iface, const struct symscan *ss,
			   uint64_t *off, int *k_of)
{
	size_t n = 0;
	if (!ss->ncand || !open_dbg(r, iface))
		return 0;
	Dwarf_Arange *ar = NULL;
	Dwarf_Signed nar = 0;
	if (DW_OK(r, dwarf_get_aranges(r->dbg, &ar, &nar, &_e), "reading .debug_aranges")) {
		for (size_t k = 0; k < NLIKELY; k++) {
			for (int i = 0; i < ss->ncand; i++) {
				Dwarf_Arange a = NULL;
				Dwarf_Off cuoff = 0;
				if (ss->cand[i].k != (int)k ||
				    !DW_OK(r, dwarf_get_arange(ar, (Dwarf_Unsigned)nar, ss->cand[i].addr, &a, &_e),
					   "searching .debug_aranges") ||
				    !DW_OK(r, dwarf_get_arange_cu_header_offset(a, &cuoff, &_e), "reading .debug_aranges"))
					continue;
				off[n] = cuoff;
				k_of[n++] = (int)k;
			}
		}
		for (Dwarf_Signed i = 0; i < nar; i++)
			dwarf_dealloc(r->dbg, ar[i], DW_DLA_ARANGE);
		dwarf_dealloc(r->dbg, ar, DW_DLA_LIST);
	}
	/* Files without .debug_aranges just take the long way. */
	r->failed = 0;
	close_dbg(r);
	return n;
}

/* All of section idx as bytes (decompressed or relocated as needed). */
static int section_bytes(struct elfobj *obj, size_t idx, const unsigned char **data, uint64_t *size)
{
	Dwarf_Small *d = NULL;
	int dummy = 0;
	GElf_Shdr sh;
	Elf_Scn *scn = idx ? elf_getscn(obj->elf, idx) : NULL;
	if (!scn || !gelf_getshdr(scn, &sh) || load_whole(obj, idx, &d, &dummy) != DW_DLV_OK)
		return 0;
	*size = sh.sh_size;
	if (sh.sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;
		*size = gelf_getchdr(scn, &ch) ? ch.ch_size : 0;
	}
	*data = d;
	return 1;
}

/* Offsets in .debug_str where name starts and a string ends: the whole
 * string, or the tail of a longer one (the linker merges those).  Returns
 * the count, or -1 if there are more than max. */
static int name_offsets(const unsigned char *str, uint64_t size, const char *name, uint64_t *pos, int max)
{
	size_t len = strlen(name) + 1;
	int n = 0;
	for (const unsigned char *q = str; (q = memmem(q, size - (uint64_t)(q - str), name, len)); q++) {
		if (n == max)
			return -1;
		pos[n++] = (uint64_t)(q - str);
	}
	return n;
}

/* Settles the missing types and enumerators whose name is nowhere in
 * .debug_str: compilers put every name longer than a string offset there
 * (shorter ones may be inline in the DIE), so no unit can have them. */
static void settle_by_strings(struct resolver *r, struct elfobj *obj, size_t offset_size)
{
	const unsigned char *str;
	uint64_t size, pos;
	if (obj->alt_strings || !section_bytes(obj, obj->str_idx, &str, &size))
		return;
	for (int t = 0; t < r->ntypes; t++)
		if (!r->type_done[t] && strlen(r->type_name[t]) > offset_size &&
		    name_offsets(str, size, r->type_name[t], &pos, 1) == 0)
			settle_type(r, t);
	for (int e = 0; e < E__COUNT; e++) {
		if (!r->enum_done[e] && strlen(pgt_kenum_name[e]) > offset_size &&
		    name_offsets(str, size, pgt_kenum_name[e], &pos, 1) == 0) {
			r->enum_done[e] = 1;
			r->enums_left--;
		}
	}
}

/* Each offset costs one search of .debug_info (~0.1 s for 170 MB): past
 * that many, reading all units is about as fast. */
#define MAX_NAME_OFFS 16
#define MAX_REF_HITS 4096

/* The units that may name a missing item: DIEs refer to names by their
 * .debug_str offset (DW_FORM_strp), so only units whose bytes hold one of
 * those offsets can (a stray equal value merely costs a visit).  Fills
 * hits with .debug_info offsets and units with the header offsets of all
 * units (found on the way); returns the count of hits, or -1 when this
 * cannot tell (names through .debug_str_offsets, short names that may be
 * inline, too many matches, a malformed unit header). */
static long units_naming_missing(struct resolver *r, struct elfobj *obj, const unsigned char *info,
				 uint64_t size, int big, size_t offsz, uint64_t *hits,
				 uint64_t **units, size_t *nunits)
{
	const unsigned char *str;
	uint64_t strsize;
	if (obj->stroff_idx || obj->alt_strings || !section_bytes(obj, obj->str_idx, &str, &strsize))
		return -1;
	uint64_t pos[MAX_NAME_OFFS];
	int npos = 0;
	for (int i = 0; i < r->ntypes + E__COUNT; i++) {
		int is_type = i < r->ntypes;
		if (is_type ? r->type_done[i] : r->enum_done[i - r->ntypes])
			continue;
		const char *name = is_type ? r->type_name[i] : pgt_kenum_name[i - r->ntypes];
		int n = strlen(name) > offsz ? name_offsets(str, strsize, name, pos + npos, MAX_NAME_OFFS - npos) : -1;
		if (n < 0)
			return -1;
		npos += n;
	}
	unsigned char needles[MAX_NAME_OFFS][8];
	for (int i = 0; i < npos; i++)
		put_uint(needles[i], pos[i], (int)offsz, big);
	/* In chunks, each dropped from our mapping once searched (it stays in
	 * the page cache): the whole section would otherwise count in our RSS. */
	GElf_Shdr sh;
	Elf_Scn *scn = elf_getscn(obj->elf, obj->info_idx);
	int mapped = !obj->copy[obj->info_idx] && scn && gelf_getshdr(scn, &sh);
	const uint64_t chunk = 8 << 20;
	long nhits = 0;
	size_t cap = 0;
	uint64_t next_unit = 0;
	for (uint64_t c = 0; c < size; c += chunk) {
		uint64_t end = c + chunk < size ? c + chunk : size;
		while (next_unit < end) {
			uint64_t len = unit_size(info, size, next_unit, big);
			if (!len)
				return -1;
			if (*nunits == cap) {
				cap = cap ? 2 * cap : 1024;
				uint64_t *v = realloc(*units, cap * sizeof(*v));
				if (!v)
					return -1;
				*units = v;
			}
			(*units)[(*nunits)++] = next_unit;
			next_unit += len;
		}
		uint64_t lim = end + offsz - 1 < size ? end + offsz - 1 : size; /* matches across the edge */
		for (int i = 0; i < npos; i++) {
			for (const unsigned char *q = info + c;
			     (q = memmem(q, lim - (uint64_t)(q - info), needles[i], offsz)) && q < info + end; q++) {
				if (nhits == MAX_REF_HITS)
					return -1;
				hits[nhits++] = (uint64_t)(q - info);
			}
		}
		if (mapped)
			advise(obj, sh.sh_offset + c, end - c, MADV_DONTNEED);
	}
	return nhits;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Fast path: likely units first, then every other unit, one at a time. */
static void resolve_by_units(struct resolver *r, struct elfobj *obj, Dwarf_Obj_Access_Interface *iface,
			     const struct symscan *ss)
{
	Dwarf_Small *info = NULL;
	int dummy = 0;
	if (load_whole(obj, obj->info_idx, &info, &dummy) != DW_DLV_OK)
		return;
	GElf_Shdr sh;
	Elf_Scn *scn = elf_getscn(obj->elf, obj->info_idx);
	if (!scn || !gelf_getshdr(scn, &sh))
		return;
	uint64_t size = sh.sh_size;
	if (sh.sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;
		size = gelf_getchdr(scn, &ch) ? ch.ch_size : 0;
	}
	int big = obj->eh.e_ident[EI_DATA] == ELFDATA2MSB;
	struct visited seen = { 0 };

	uint64_t cand_off[MAX_CANDS];
	int cand_k[MAX_CANDS];
	obj->win_off = obj->win_len = 0;
	size_t nc = likely_units(r, iface, ss, cand_off, cand_k);
	for (size_t i = 0; i < nc; i++) {
		uint64_t len = unit_size(info, size, cand_off[i], big);
		if (len)
			prefetch_unit(obj, info, cand_off[i], len, big);
	}
	for (size_t i = 0; i < nc && (r->types_left || r->enums_left) && !r->failed; i++) {
		uint64_t len = unit_size(info, size, cand_off[i], big);
		if (!len || visited_has(&seen, cand_off[i]))
			continue;
		if (visit_unit(r, obj, iface, cand_off[i], len, cand_k[i]))
			visited_add(&seen, cand_off[i]);
	}
	size_t offsz = size >= 4 && get_uint(info, 4, big) == 0xffffffffu ? 8 : 4;
	/* Without .debug_aranges (clang does not emit it) the likely units are
	 * found by name, at the cost of a look at every unit's first DIE. */
	for (uint64_t off = 0, len; !nc && off < size && (r->types_left || r->enums_left) && !r->failed;
	     off += len) {
		len = unit_size(info, size, off, big);
		if (!len)
			break; /* reported by the last pass */
		if (visit_unit(r, obj, iface, off, len, ANY_LIKELY))
			visited_add(&seen, off);
	}
	if (r->types_left || r->enums_left)
		settle_by_strings(r, obj, offsz);
	debug_report(r, "after likely units");

	/* What is left can only be in the units that refer to its name. */
	size_t nunits = 0;
	uint64_t *units = NULL, *hits = NULL;
	long nhits = -1;
	if ((r->types_left || r->enums_left) && !r->failed) {
		advise_section(obj, obj->info_idx, MADV_SEQUENTIAL);
		hits = malloc(MAX_REF_HITS * sizeof(*hits));
		if (hits)
			nhits = units_naming_missing(r, obj, info, size, big, offsz, hits, &units, &nunits);
		advise_section(obj, obj->info_idx, MADV_RANDOM);
	}
	if (nhits >= 0 && nunits) {
		qsort(hits, (size_t)nhits, sizeof(*hits), cmp_u64);
		size_t u = 0;
		for (long i = 0; i < nhits && (r->types_left || r->enums_left) && !r->failed; i++) {
			while (u + 1 < nunits && units[u + 1] <= hits[i])
				u++;
			uint64_t len = unit_size(info, size, units[u], big);
			if (len && !visited_has(&seen, units[u]) &&
			    visit_unit(r, obj, iface, units[u], len, ANY_UNIT))
				visited_add(&seen, units[u]);
		}
		/* No other unit names them: absent. */
		for (int t = 0; t < r->ntypes && !r->failed; t++)
			settle_type(r, t);
		for (int e = 0; e < E__COUNT && !r->failed; e++) {
			if (!r->enum_done[e]) {
				r->enum_done[e] = 1;
				r->enums_left--;
			}
		}
		debug_report(r, "after units naming the rest");
	}
	free(units);
	free(hits);

	/* Last resort: every unit in order. */
	if (r->types_left || r->enums_left) {
		advise_section(obj, obj->info_idx, MADV_SEQUENTIAL);
		advise_section(obj, obj->abbrev_idx, MADV_SEQUENTIAL);
	}
	for (uint64_t off = 0, len; off < size && (r->types_left || r->enums_left) && !r->failed; off += len) {
		len = unit_size(info, size, off, big);
		if (!len) {
			r->failed = 1;
			snprintf(r->errmsg, sizeof(r->errmsg), "malformed unit header at .debug_info+0x%" PRIx64, off);
			break;
		}
		if (!visited_has(&seen, off) && visit_unit(r, obj, iface, off, len, ANY_UNIT))
			visited_add(&seen, off);
	}
	free(seen.off);
	obj->win_off = obj->win_len = 0;
}

/* Slow path, for DWARF whose units refer to each other (DW_FORM_ref_addr):
 * libdwarf sees the whole section and walks the units in order. */
static void resolve_whole(struct resolver *r, struct elfobj *obj, Dwarf_Obj_Access_Interface *iface)
{
	advise_section(obj, obj->info_idx, MADV_SEQUENTIAL);
	advise_section(obj, obj->abbrev_idx, MADV_SEQUENTIAL);
	if (!open_dbg(r, iface))
		return;
	Dwarf_Die cu;
	while ((r->types_left || r->enums_left) && !r->failed && (cu = next_cu(r))) {
		visit_cu_die(r, cu);
		dwarf_dealloc_die(cu);
	}
	close_dbg(r);
}

static pgt_status resolve_dwarf(struct pgt_profile *p, struct elfobj *obj, const struct symscan *ss,
				const char *path, struct pgt_err *err)
{
	Dwarf_Obj_Access_Interface iface = { .object = obj, .methods = &obj_methods };
	struct resolver *r = calloc(1, sizeof(*r));
	struct pgt_profile *saved = malloc(sizeof(*saved));
	if (!r || !saved) {
		free(r);
		free(saved);
		return pgt_fail(err, PGT_ENOMEM, "%s: out of memory", path);
	}
	*saved = *p;
	resolver_setup(r, p);
	/* We free every DIE and attribute ourselves: libdwarf's bookkeeping of
	 * each allocation would only cost time. */
	int old_flag = dwarf_set_de_alloc_flag(0);
	resolve_by_units(r, obj, &iface, ss);
	if (r->failed) {
		if (r->debug)
			fprintf(stderr, "dwarf: unit by unit failed (%s), reading the whole section\n", r->errmsg);
		free(r->members.v);
		free(r->nested.v);
		*p = *saved;
		resolver_setup(r, p);
		resolve_whole(r, obj, &iface);
	}
	dwarf_set_de_alloc_flag(old_flag);
	debug_report(r, "done");
	pgt_status st = PGT_OK;
	if (r->failed)
		st = pgt_fail(err, PGT_EINPUT, "%s: %s", path, r->errmsg);
	else if (r->cus_visited == 0)
		st = pgt_fail(err, PGT_ENOTFOUND, "%s: no DWARF debug information (.debug_info)", path);
	free(r->members.v);
	free(r->nested.v);
	free(r);
	free(saved);
	return st;
}

pgt_status pgt_profile_from_vmlinux(struct pgt_profile *p, const char *vmlinux, struct pgt_err *err)
{
	pgt_profile_init(p);
	snprintf(p->source, sizeof(p->source), "%s", vmlinux);
	elf_version(EV_CURRENT);
	int fd = open(vmlinux, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pgt_fail(err, PGT_EINPUT, "%s: %s", vmlinux, strerror(errno));
	struct elfobj obj;
	memset(&obj, 0, sizeof(obj));
	struct symscan *ss = NULL;
	pgt_status st = PGT_OK;
	/* Our own mapping, so read-around is off before the first byte is
	 * touched (see advise()); private and writable in case libelf converts
	 * something in place, never written back. */
	struct stat stbuf;
	void *map = MAP_FAILED;
	size_t mapsize = 0;
	if (fstat(fd, &stbuf) == 0 && S_ISREG(stbuf.st_mode) && stbuf.st_size > 0) {
		mapsize = (size_t)stbuf.st_size;
		map = mmap(NULL, mapsize, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	}
	if (map == MAP_FAILED) {
		st = pgt_fail(err, PGT_EINPUT, "%s: not a readable ELF file", vmlinux);
		goto out;
	}
	madvise(map, mapsize, MADV_RANDOM);
	obj.elf = elf_memory(map, mapsize);
	if (!obj.elf || elf_kind(obj.elf) != ELF_K_ELF || !gelf_getehdr(obj.elf, &obj.eh) ||
	    elf_getshdrnum(obj.elf, &obj.shnum) != 0 || elf_getshdrstrndx(obj.elf, &obj.shstrndx) != 0) {
		st = pgt_fail(err, PGT_EINPUT, "%s: not a readable ELF file", vmlinux);
		goto out;
	}
	elf_arch(&obj.eh, p);

	for (size_t i = 1; i < obj.shnum; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn = elf_getscn(obj.elf, i);
		const char *name = scn && gelf_getshdr(scn, &sh) ? elf_strptr(obj.elf, obj.shstrndx, sh.sh_name) : NULL;
		if (!name || sh.sh_type == SHT_NOBITS)
			continue;
		if (!strcmp(name, ".debug_info") && !obj.info_idx)
			obj.info_idx = i;
		else if (!strcmp(name, ".debug_abbrev") && !obj.abbrev_idx)
			obj.abbrev_idx = i;
		else if (!strcmp(name, ".debug_str") && !obj.str_idx)
			obj.str_idx = i;
		else if (!strcmp(name, ".debug_str_offsets") && sh.sh_size)
			obj.stroff_idx = i;
		else if (!strcmp(name, ".gnu_debugaltlink") || !strcmp(name, ".debug_sup"))
			obj.alt_strings = 1;
		/* read whole, or randomly all over */
		if (sh.sh_type == SHT_SYMTAB || !strcmp(name, ".debug_str") || !strcmp(name, ".debug_line_str") ||
		    !strcmp(name, ".debug_aranges")) {
			advise(&obj, sh.sh_offset, sh.sh_size, MADV_WILLNEED);
			if (sh.sh_type == SHT_SYMTAB)
				advise_section(&obj, sh.sh_link, MADV_WILLNEED);
		}
	}

	/* optional: the profile is still usable without */
	pgt_elf_build_id_elf(obj.elf, p->build_id, sizeof(p->build_id));

	ss = calloc(1, sizeof(*ss));
	obj.copy = calloc(obj.shnum ? obj.shnum : 1, sizeof(void *));
	if (!ss || !obj.copy) {
		st = pgt_fail(err, PGT_ENOMEM, "%s: out of memory", vmlinux);
		goto out;
	}
	st = read_symbols(obj.elf, &obj.eh, p, ss, vmlinux, err);
	if (st != PGT_OK)
		goto out;
	read_osrelease(obj.elf, &ss->banner, p);

	if (!obj.info_idx) {
		st = pgt_fail(err, PGT_ENOTFOUND, "%s: no DWARF debug information (.debug_info)", vmlinux);
		goto out;
	}
	st = resolve_dwarf(p, &obj, ss, vmlinux, err);
out:
	free(ss);
	if (obj.copy)
		for (size_t i = 0; i < obj.shnum; i++)
			free(obj.copy[i]);
	free(obj.copy);
	if (obj.elf)
		elf_end(obj.elf);
	if (map != MAP_FAILED)
		munmap(map, mapsize);
	close(fd);
	return st;
}
