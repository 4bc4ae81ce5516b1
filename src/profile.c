/* Kernel profile: name tables generated from kfields.def and the text format.
 *
 * Format, one item per line (see pgt_profile_write); absent items are not
 * written, unknown lines are skipped on load so newer files stay readable. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pgt/profile.h"

#define PROFILE_HEADER "# pgtinspect kernel profile v1"
#define PROFILE_HEADER_BASE "# pgtinspect kernel profile v"

const char *const pgt_kstruct_name[S__COUNT] = {
#define KSTRUCT(id, t) [id] = t,
#define KFIELD(id, t, m)
#define KSYM(id, s)
#define KENUM(id, e)
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
};

const char *const pgt_kfield_type[F__COUNT] = {
#define KSTRUCT(id, t)
#define KFIELD(id, t, m) [id] = t,
#define KSYM(id, s)
#define KENUM(id, e)
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
};

const char *const pgt_kfield_path[F__COUNT] = {
#define KSTRUCT(id, t)
#define KFIELD(id, t, m) [id] = m,
#define KSYM(id, s)
#define KENUM(id, e)
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
};

const char *const pgt_ksym_name[Y__COUNT] = {
#define KSTRUCT(id, t)
#define KFIELD(id, t, m)
#define KSYM(id, s) [id] = s,
#define KENUM(id, e)
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
};

const char *const pgt_kenum_name[E__COUNT] = {
#define KSTRUCT(id, t)
#define KFIELD(id, t, m)
#define KSYM(id, s)
#define KENUM(id, e) [id] = e,
#include "pgt/kfields.def"
#undef KSTRUCT
#undef KFIELD
#undef KSYM
#undef KENUM
};

uint64_t pgt_profile_asked(void)
{
	uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a over every name asked for */
	const char *const *lists[] = {pgt_kstruct_name, pgt_kfield_type, pgt_kfield_path, pgt_ksym_name,
				      pgt_kenum_name};
	const int counts[] = {S__COUNT, F__COUNT, F__COUNT, Y__COUNT, E__COUNT};
	for (unsigned l = 0; l < 5; l++)
		for (int i = 0; i < counts[l]; i++) {
			for (const char *c = lists[l][i]; *c; c++)
				h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
			h = (h ^ 0xff) * 0x100000001b3ull;
		}
	return h;
}

void pgt_profile_init(struct pgt_profile *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < S__COUNT; i++)
		p->struct_size[i] = PGT_ABSENT;
	for (int i = 0; i < F__COUNT; i++)
		p->field[i].off = p->field[i].size = p->field[i].elem = PGT_ABSENT;
	for (int i = 0; i < E__COUNT; i++)
		p->enumval[i] = PGT_ABSENT;
}

/* The key of a field in the file: "type.first-alternative", so a renamed
 * member keeps the key the code knows it by. */
static void field_key(enum pgt_kfield_id f, char *buf, size_t len)
{
	const char *path = pgt_kfield_path[f];
	size_t n = strcspn(path, "|");
	snprintf(buf, len, "%s.%.*s", pgt_kfield_type[f], (int)n, path);
}

pgt_status pgt_profile_write(const struct pgt_profile *p, FILE *f)
{
	fprintf(f, "%s\n", PROFILE_HEADER);
	if (p->build_id[0])
		fprintf(f, "build_id %s\n", p->build_id);
	if (p->osrelease[0])
		fprintf(f, "osrelease %s\n", p->osrelease);
	if (p->arch[0])
		fprintf(f, "arch %s\n", p->arch);
	fprintf(f, "ptr_size %d\n", p->ptr_size);
	fprintf(f, "big_endian %d\n", p->big_endian ? 1 : 0);
	fprintf(f, "asked 0x%016llx\n", (unsigned long long)pgt_profile_asked());
	for (int i = 0; i < S__COUNT; i++)
		if (p->struct_size[i] != PGT_ABSENT)
			fprintf(f, "struct %s %" PRId64 "\n", pgt_kstruct_name[i], p->struct_size[i]);
	for (int i = 0; i < F__COUNT; i++) {
		if (p->field[i].off == PGT_ABSENT)
			continue;
		char key[128];
		field_key(i, key, sizeof(key));
		fprintf(f, "field %s %" PRId64 " %" PRId64 " %" PRId64 "\n", key,
			p->field[i].off, p->field[i].size, p->field[i].elem);
	}
	for (int i = 0; i < Y__COUNT; i++) {
		if (!p->sym[i])
			continue;
		/* Several ids may name one symbol; write it once. */
		int dup = 0;
		for (int j = 0; j < i && !dup; j++)
			dup = !strcmp(pgt_ksym_name[j], pgt_ksym_name[i]);
		if (!dup)
			fprintf(f, "sym %s 0x%" PRIx64 "\n", pgt_ksym_name[i], p->sym[i]);
	}
	for (int i = 0; i < E__COUNT; i++)
		if (p->has_enum[i])
			fprintf(f, "enum %s %" PRId64 "\n", pgt_kenum_name[i], p->enumval[i]);
	fflush(f);
	return ferror(f) ? PGT_EINPUT : PGT_OK;
}

/* mkdir -p of the directory part of path. */
static int make_parent_dirs(const char *path)
{
	char dir[4096];
	size_t n = strlen(path);
	if (n >= sizeof(dir))
		return ENAMETOOLONG;
	memcpy(dir, path, n + 1);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *s = dir + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(dir, 0777) != 0 && errno != EEXIST)
				return errno;
			*s = c;
			if (!c)
				break;
		}
	}
	return 0;
}

pgt_status pgt_profile_save(const struct pgt_profile *p, const char *path, struct pgt_err *err)
{
	int e = make_parent_dirs(path);
	if (e)
		return pgt_fail(err, PGT_EINPUT, "%s: cannot create parent directory: %s", path, strerror(e));
	/* Temp file in the same directory, then rename: readers never see a
	 * half-written profile, even with concurrent writers. */
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return pgt_fail(err, PGT_EINPUT, "%s: cannot create temporary file: %s", path, strerror(errno));
	fchmod(fd, 0644);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		unlink(tmp);
		return pgt_fail(err, PGT_EINPUT, "%s: %s", tmp, strerror(e));
	}
	pgt_status st = pgt_profile_write(p, f);
	if (fclose(f) != 0 && st == PGT_OK)
		st = PGT_EINPUT;
	if (st != PGT_OK) {
		unlink(tmp);
		return pgt_fail(err, st, "%s: write failed", tmp);
	}
	if (rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		return pgt_fail(err, PGT_EINPUT, "cannot rename %s to %s: %s", tmp, path, strerror(e));
	}
	return PGT_OK;
}

static int parse_i64(const char *s, int64_t *v)
{
	if (!s)
		return 0;
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		return 0;
	*v = x;
	return 1;
}

static int parse_u64(const char *s, uint64_t *v)
{
	if (!s || *s == '-')
		return 0;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		return 0;
	*v = x;
	return 1;
}

/* Splits line into at most max whitespace-separated words; returns count,
 * or max + 1 if there were more. */
static int split_words(char *line, char **w, int max)
{
	int n = 0;
	for (char *s = line; ; ) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == max)
			return max + 1;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

/* Copies a single-word string value into dst. */
static int set_string(char *dst, size_t len, char **w, int n)
{
	if (n != 2 || strlen(w[1]) >= len)
		return 0;
	memcpy(dst, w[1], strlen(w[1]) + 1);
	return 1;
}

/* One line of the body. Returns 1 if accepted (or ignored), 0 if malformed. */
static int load_line(struct pgt_profile *p, char *line)
{
	char *w[8];
	int n = split_words(line, w, 7);
	if (n == 0 || w[0][0] == '#')
		return 1;
	const char *k = w[0];
	if (!strcmp(k, "build_id"))
		return set_string(p->build_id, sizeof(p->build_id), w, n);
	if (!strcmp(k, "osrelease"))
		return set_string(p->osrelease, sizeof(p->osrelease), w, n);
	if (!strcmp(k, "arch"))
		return set_string(p->arch, sizeof(p->arch), w, n);
	if (!strcmp(k, "ptr_size")) {
		int64_t v;
		if (n != 2 || !parse_i64(w[1], &v) || (v != 0 && v != 4 && v != 8))
			return 0;
		p->ptr_size = (int)v;
		return 1;
	}
	if (!strcmp(k, "asked")) {
		uint64_t v;
		if (n != 2 || !parse_u64(w[1], &v))
			return 0;
		p->stale = v != pgt_profile_asked();
		p->asked_seen = 1;
		return 1;
	}
	if (!strcmp(k, "big_endian")) {
		int64_t v;
		if (n != 2 || !parse_i64(w[1], &v) || (v != 0 && v != 1))
			return 0;
		p->big_endian = (int)v;
		return 1;
	}
	if (!strcmp(k, "struct")) {
		int64_t v;
		if (n != 3 || !parse_i64(w[2], &v) || v < 0)
			return 0;
		for (int i = 0; i < S__COUNT; i++)
			if (!strcmp(pgt_kstruct_name[i], w[1]))
				p->struct_size[i] = v;
		return 1;
	}
	if (!strcmp(k, "field")) {
		int64_t off, size, elem;
		if (n != 5 || !parse_i64(w[2], &off) || !parse_i64(w[3], &size) ||
		    !parse_i64(w[4], &elem) || off < 0 || size < 0 || elem < 0)
			return 0;
		for (int i = 0; i < F__COUNT; i++) {
			char key[128];
			field_key(i, key, sizeof(key));
			if (!strcmp(key, w[1])) {
				p->field[i].off = off;
				p->field[i].size = size;
				p->field[i].elem = elem;
			}
		}
		return 1;
	}
	if (!strcmp(k, "sym")) {
		uint64_t v;
		if (n != 3 || !parse_u64(w[2], &v))
			return 0;
		for (int i = 0; i < Y__COUNT; i++)
			if (!strcmp(pgt_ksym_name[i], w[1]))
				p->sym[i] = v;
		return 1;
	}
	if (!strcmp(k, "enum")) {
		int64_t v;
		if (n != 3 || !parse_i64(w[2], &v))
			return 0;
		for (int i = 0; i < E__COUNT; i++)
			if (!strcmp(pgt_kenum_name[i], w[1])) {
				p->enumval[i] = v;
				p->has_enum[i] = 1;
			}
		return 1;
	}
	return 1; /* unknown keyword: written by a newer version */
}

pgt_status pgt_profile_load(struct pgt_profile *p, const char *path, struct pgt_err *err)
{
	pgt_profile_init(p);
	FILE *f = fopen(path, "r");
	if (!f)
		return pgt_fail(err, PGT_EINPUT, "%s: cannot open profile: %s", path, strerror(errno));
	char line[1024];
	unsigned lineno = 0;
	pgt_status st = PGT_OK;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n' && !feof(f)) {
			st = pgt_fail(err, PGT_EINPUT, "%s:%u: line too long", path, lineno);
			break;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1) {
			if (strcmp(line, PROFILE_HEADER) != 0) {
				if (!strncmp(line, PROFILE_HEADER_BASE, strlen(PROFILE_HEADER_BASE)))
					st = pgt_fail(err, PGT_EINPUT, "%s:1: unsupported profile version (\"%s\", expected \"%s\")",
						      path, line, PROFILE_HEADER);
				else
					st = pgt_fail(err, PGT_EINPUT, "%s:1: not a pgtinspect profile (expected \"%s\")",
						      path, PROFILE_HEADER);
				break;
			}
			continue;
		}
		char copy[sizeof(line)];
		memcpy(copy, line, len + 1);
		if (!load_line(p, line)) {
			st = pgt_fail(err, PGT_EINPUT, "%s:%u: malformed line: %.200s", path, lineno, copy);
			break;
		}
	}
	if (st == PGT_OK && ferror(f))
		st = pgt_fail(err, PGT_EINPUT, "%s: read error", path);
	if (st == PGT_OK && lineno == 0)
		st = pgt_fail(err, PGT_EINPUT, "%s:1: empty file, not a pgtinspect profile", path);
	fclose(f);
	if (st != PGT_OK) {
		pgt_profile_init(p); /* no half-loaded profile */
		return st;
	}
	snprintf(p->source, sizeof(p->source), "%s", path);
	if (!p->asked_seen)
		p->stale = 1;
	return PGT_OK;
}
