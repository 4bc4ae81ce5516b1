/* Profile text format: write/load round trip, forward compatibility,
 * malformed files, atomic save; and the error helpers. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pgt/profile.h"
#include "unit.h"

static char tmpdir[] = "/tmp/pgt-unit-profile-XXXXXX";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_names(void)
{
	CHECK(!strcmp(pgt_kstruct_name[S_task_struct], "task_struct"));
	CHECK(!strcmp(pgt_kfield_type[F_task_state], "task_struct"));
	CHECK(!strcmp(pgt_kfield_path[F_task_state], "__state|state"));
	CHECK(!strcmp(pgt_kfield_path[F_mm_ctx_asce], "context.asce"));
	CHECK(!strcmp(pgt_ksym_name[Y_init_task], "init_task"));
	CHECK(!strcmp(pgt_kenum_name[E_PG_head], "PG_head"));
	for (int i = 0; i < F__COUNT; i++)
		CHECK(pgt_kfield_type[i] && pgt_kfield_path[i]);
}

static void test_init(void)
{
	static struct pgt_profile p;
	memset(&p, 0x5a, sizeof(p));
	pgt_profile_init(&p);
	CHECK_EQ(p.struct_size[S_page], PGT_ABSENT);
	CHECK_EQ(p.field[F_task_pid].off, PGT_ABSENT);
	CHECK(!pgt_has_field(&p, F_task_pid));
	CHECK_EQ(p.sym[Y_init_task], 0);
	CHECK_EQ(p.has_enum[E_PG_head], 0);
	CHECK_EQ(p.enumval[E_PG_head], PGT_ABSENT);
	CHECK(p.build_id[0] == '\0' && p.arch[0] == '\0');
}

static void sample(struct pgt_profile *p)
{
	pgt_profile_init(p);
	strcpy(p->build_id, "eb4fbcd037e7253717950bf2b93bd5566f47c56f");
	strcpy(p->osrelease, "6.1.0-56-amd64");
	strcpy(p->arch, "x86_64");
	p->ptr_size = 8;
	p->big_endian = 0;
	p->struct_size[S_task_struct] = 9792;
	p->struct_size[S_pte_t] = 8;
	p->field[F_task_tasks] = (struct pgt_kfield){ 2192, 16, 16 };
	p->field[F_task_state] = (struct pgt_kfield){ 24, 4, 4 };
	p->field[F_task_comm] = (struct pgt_kfield){ 2976, 16, 1 };
	p->field[F_mm_ctx_ldt] = (struct pgt_kfield){ 832, 8, 8 };
	p->field[F_anon_vma_name_name] = (struct pgt_kfield){ 4, 0, 1 };
	p->sym[Y_init_task] = 0xffffffff82a1aa40ull;
	p->sym[Y_empty_zero_page] = 0xffffffff83310000ull;
	p->sym[Y_empty_zero_page_s390] = 0xffffffff83310000ull;
	p->enumval[E_PG_head] = 16;
	p->has_enum[E_PG_head] = 1;
	p->enumval[E_maple_dense] = 0;
	p->has_enum[E_maple_dense] = 1;
}

static void test_roundtrip(void)
{
	static struct pgt_profile p, q;
	sample(&p);
	char path[256];
	/* Parent directories are created. */
	snprintf(path, sizeof(path), "%s/cache/pgtinspect/%s.profile", tmpdir, p.build_id);
	struct pgt_err err = { 0 };
	CHECK_EQ(pgt_profile_save(&p, path, &err), PGT_OK);
	CHECK_EQ(pgt_profile_load(&q, path, &err), PGT_OK);
	CHECK(!strcmp(q.source, path));
	memcpy(q.source, p.source, sizeof(q.source));
	/* a saved profile says which list of facts it was made for: not stale */
	CHECK(q.asked_seen && !q.stale);
	q.asked_seen = p.asked_seen;
	CHECK(memcmp(&p, &q, sizeof(p)) == 0);
	CHECK_EQ(q.field[F_task_comm].elem, 1);
	CHECK_EQ(q.field[F_anon_vma_name_name].size, 0);
	CHECK(q.has_enum[E_maple_dense] && q.enumval[E_maple_dense] == 0);
	CHECK(!pgt_has_field(&q, F_task_pid));

	/* Saving again replaces the file and leaves no temporary behind. */
	p.sym[Y_init_mm] = 0xffffffff82b5c940ull;
	CHECK_EQ(pgt_profile_save(&p, path, &err), PGT_OK);
	CHECK_EQ(pgt_profile_load(&q, path, &err), PGT_OK);
	CHECK_EQ(q.sym[Y_init_mm], 0xffffffff82b5c940ull);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s/cache/pgtinspect | wc -l) = 1", tmpdir);
	CHECK(system(cmd) == 0);

	/* The text: keyed by the first alternative, absent items not written,
	 * a symbol named twice written once. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK_EQ(pgt_profile_write(&p, f), PGT_OK);
	fclose(f);
	CHECK(!strncmp(buf, "# pgtinspect kernel profile v1\n", 31));
	CHECK(strstr(buf, "\nfield task_struct.__state 24 4 4\n") != NULL);
	CHECK(strstr(buf, "\nfield task_struct.tasks 2192 16 16\n") != NULL);
	CHECK(strstr(buf, "\nstruct pte_t 8\n") != NULL);
	CHECK(strstr(buf, "\nsym init_task 0xffffffff82a1aa40\n") != NULL);
	CHECK(strstr(buf, "\nenum PG_head 16\n") != NULL);
	CHECK(strstr(buf, "\narch x86_64\n") != NULL);
	CHECK(strstr(buf, "task_struct.pid") == NULL);
	CHECK(strstr(buf, "mm_struct.context.ldt 832 8 8") != NULL);
	const char *z = strstr(buf, "sym empty_zero_page");
	CHECK(z && !strstr(z + 1, "sym empty_zero_page"));
	free(buf);
}

static void test_forward_compat(void)
{
	static struct pgt_profile q;
	char path[256];
	snprintf(path, sizeof(path), "%s/future.profile", tmpdir);
	write_file(path, "# pgtinspect kernel profile v1\n"
		   "build_id 00ff\n"
		   "# a comment\n"
		   "\n"
		   "new_keyword whatever 1 2 3\n"
		   "field task_struct.brand_new_member 8 8 8\n"
		   "struct brand_new_struct 12\n"
		   "sym brand_new_symbol 0x1234\n"
		   "enum BRAND_NEW 3\n"
		   "field task_struct.pid 2416 4 4\r\n"
		   "sym empty_zero_page 0x5000\n");
	struct pgt_err err = { 0 };
	CHECK_EQ(pgt_profile_load(&q, path, &err), PGT_OK);
	CHECK(!strcmp(q.build_id, "00ff"));
	CHECK_EQ(q.field[F_task_pid].off, 2416);
	/* one line sets every id that names the symbol */
	CHECK_EQ(q.sym[Y_empty_zero_page], 0x5000);
	CHECK_EQ(q.sym[Y_empty_zero_page_s390], 0x5000);
	CHECK_EQ(q.struct_size[S_task_struct], PGT_ABSENT);
	/* no "asked" line: made for an unknown list of facts, so stale */
	CHECK(q.stale);
	write_file(path, "# pgtinspect kernel profile v1\nasked 0x1\n");
	CHECK_EQ(pgt_profile_load(&q, path, &err), PGT_OK);
	CHECK(q.stale);
	char line[64];
	snprintf(line, sizeof line, "# pgtinspect kernel profile v1\nasked 0x%016llx\n",
		 (unsigned long long)pgt_profile_asked());
	write_file(path, line);
	CHECK_EQ(pgt_profile_load(&q, path, &err), PGT_OK);
	CHECK(!q.stale);
}

/* Loading text must fail with "path:line:" in the message. */
static void expect_bad(const char *text, int line, const char *why)
{
	static struct pgt_profile q;
	char path[256], want[300];
	snprintf(path, sizeof(path), "%s/bad.profile", tmpdir);
	write_file(path, text);
	struct pgt_err err = { 0 };
	pgt_status st = pgt_profile_load(&q, path, &err);
	CHECK_EQ(st, PGT_EINPUT);
	snprintf(want, sizeof(want), "%s:%d:", path, line);
	if (!strstr(err.msg, want) || (why && !strstr(err.msg, why))) {
		fprintf(stderr, "message \"%s\" lacks \"%s\" / \"%s\"\n", err.msg, want, why ? why : "");
		CHECK(0);
	}
	/* nothing half-loaded */
	CHECK_EQ(q.field[F_task_pid].off, PGT_ABSENT);
}

static void test_malformed(void)
{
	expect_bad("field task_struct.pid 2416 4 4\n", 1, "not a pgtinspect profile");
	expect_bad("", 1, NULL);
	expect_bad("# pgtinspect kernel profile v9\n", 1, "version");
	expect_bad("# pgtinspect kernel profile v1\nfield task_struct.pid 2416 4 4\n"
		   "field task_struct.tgid 2420 4\n", 3, "malformed");
	expect_bad("# pgtinspect kernel profile v1\nsym init_task zzz\n", 2, NULL);
	expect_bad("# pgtinspect kernel profile v1\nptr_size 7\n", 2, NULL);
	expect_bad("# pgtinspect kernel profile v1\n\n\nenum PG_head\n", 4, NULL);
	expect_bad("# pgtinspect kernel profile v1\nstruct page 64 extra\n", 2, NULL);
	expect_bad("# pgtinspect kernel profile v1\nfield page.flags -1 8 8\n", 2, NULL);

	static struct pgt_profile q;
	struct pgt_err err = { 0 };
	char path[256];
	snprintf(path, sizeof(path), "%s/missing.profile", tmpdir);
	CHECK_EQ(pgt_profile_load(&q, path, &err), PGT_EINPUT);
	CHECK(strstr(err.msg, path) != NULL);
}

static void test_save_errors(void)
{
	static struct pgt_profile p;
	sample(&p);
	char path[256];
	/* a regular file where a directory is needed */
	snprintf(path, sizeof(path), "%s/future.profile/x.profile", tmpdir);
	struct pgt_err err = { 0 };
	CHECK(pgt_profile_save(&p, path, &err) != PGT_OK);
	CHECK(strstr(err.msg, path) != NULL);
}

static void test_err(void)
{
	struct pgt_err err = { 0 };
	CHECK_EQ(pgt_fail(&err, PGT_ENOTFOUND, "symbol %s not found", "init_mm"), PGT_ENOTFOUND);
	CHECK_EQ(err.status, PGT_ENOTFOUND);
	CHECK(!strcmp(err.msg, "symbol init_mm not found"));
	CHECK_EQ(pgt_wrap(&err, "reading mm of pid %d", 12), PGT_ENOTFOUND);
	CHECK(!strcmp(err.msg, "reading mm of pid 12: symbol init_mm not found"));
	CHECK_EQ(pgt_fail(NULL, PGT_EINPUT, "x"), PGT_EINPUT);
	pgt_wrap(NULL, "y");
	/* long messages are cut, never overflow */
	char big[2000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	pgt_fail(&err, PGT_EINPUT, "%s", big);
	CHECK_EQ(strlen(err.msg), PGT_ERRMSG_MAX - 1);
	pgt_wrap(&err, "%s", big);
	CHECK_EQ(strlen(err.msg), PGT_ERRMSG_MAX - 1);
	pgt_fail(&err, PGT_EINPUT, "inner");
	pgt_wrap(&err, "%s", big);
	CHECK_EQ(strlen(err.msg), PGT_ERRMSG_MAX - 1);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_names();
	test_init();
	test_roundtrip();
	test_forward_compat();
	test_malformed();
	test_save_errors();
	test_err();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return t_done();
}
