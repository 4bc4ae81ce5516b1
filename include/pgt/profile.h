/* A kernel profile: the struct layouts, symbols and enumerators that
 * pgtinspect needs from one kernel build, resolved once from DWARF and saved
 * as a small text file keyed by the vmlinux build-id. */
#ifndef PGT_PROFILE_H
#define PGT_PROFILE_H

#include <stdint.h>
#include <stdio.h>
#include "pgt/err.h"

enum pgt_kstruct_id {
#define KSTRUCT(id, t) id,
#define KFIELD(id, t, m)
#define KSYM(id, s)
#define KENUM(id, e)
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
	S__COUNT
};

enum pgt_kfield_id {
#define KSTRUCT(id, t)
#define KFIELD(id, t, m) id,
#define KSYM(id, s)
#define KENUM(id, e)
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
	F__COUNT
};

enum pgt_ksym_id {
#define KSTRUCT(id, t)
#define KFIELD(id, t, m)
#define KSYM(id, s) id,
#define KENUM(id, e)
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
	Y__COUNT
};

enum pgt_kenum_id {
#define KSTRUCT(id, t)
#define KFIELD(id, t, m)
#define KSYM(id, s)
#define KENUM(id, e) id,
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
	E__COUNT
};

#define PGT_ABSENT (-1)

struct pgt_kfield {
	int64_t off;   /* byte offset in the outer type, PGT_ABSENT if absent */
	int64_t size;  /* byte size of the member */
	int64_t elem;  /* element size for arrays, else == size */
};

struct pgt_profile {
	char build_id[64];     /* hex; empty if unknown */
	char osrelease[128];   /* from init_uts_ns / linux_banner; empty if unknown */
	char arch[16];         /* "x86_64", "i386", "s390x", "arm" */
	int ptr_size;
	int big_endian;
	int64_t struct_size[S__COUNT];     /* PGT_ABSENT if not found */
	struct pgt_kfield field[F__COUNT];
	uint64_t sym[Y__COUNT];            /* 0 when absent */
	int64_t enumval[E__COUNT];         /* PGT_ABSENT when absent */
	int has_enum[E__COUNT];
	char source[256];      /* where it came from (vmlinux path or profile file) */
	int stale;             /* loaded from a file made for another list of facts */
	int asked_seen;        /* the file said which list it was made for */
};

/* A signature of what kfields.def asks for: a profile written for another
 * list may lack facts this build reads. */
uint64_t pgt_profile_asked(void);

/* Name tables, indexed by the ids above. */
extern const char *const pgt_kstruct_name[S__COUNT];
extern const char *const pgt_kfield_type[F__COUNT];
extern const char *const pgt_kfield_path[F__COUNT];
extern const char *const pgt_ksym_name[Y__COUNT];
extern const char *const pgt_kenum_name[E__COUNT];

void pgt_profile_init(struct pgt_profile *p);
static inline int pgt_has_field(const struct pgt_profile *p, enum pgt_kfield_id f)
{
	return p->field[f].off != PGT_ABSENT;
}

/* Text profile I/O (src/profile.c). */
pgt_status pgt_profile_save(const struct pgt_profile *p, const char *path, struct pgt_err *err);
pgt_status pgt_profile_write(const struct pgt_profile *p, FILE *f);
pgt_status pgt_profile_load(struct pgt_profile *p, const char *path, struct pgt_err *err);

/* Resolve from a vmlinux (ELF symbols + DWARF) (src/dwarf_resolve.c).
 * Stops scanning as soon as everything in kfields.def is found. */
pgt_status pgt_profile_from_vmlinux(struct pgt_profile *p, const char *vmlinux, struct pgt_err *err);

/* Reads the GNU build-id of an ELF file as hex (src/elfutil.c). */
pgt_status pgt_elf_build_id(const char *path, char *hex, size_t hexlen, struct pgt_err *err);

/* The same for a file already open with libelf (an Elf *): PGT_OK,
 * PGT_ENOTFOUND without a build-id note, PGT_EINPUT if hex is too short. */
struct Elf;
pgt_status pgt_elf_build_id_elf(struct Elf *elf, char *hex, size_t hexlen);

#endif
