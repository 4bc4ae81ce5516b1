/* pgtinspect: command-line entry, option parsing (argp) and dispatch. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/cli.h"

const char *argp_program_version = "pgtinspect 0.1.0";
static const char doc[] =
	"Forensic page-table inspector for Linux kernel dumps.\v"
	"Commands:\n"
	"  tasks DUMP              every task: pid, tgid, comm, state, mm, pgd, VMAs\n"
	"  maps DUMP --pid PID     VMAs in /proc/PID/maps format\n"
	"  pagemap DUMP --pid PID  pagemap entries (--raw: /proc/PID/pagemap bytes)\n"
	"  dump DUMP               every process: VMAs and pagemap\n"
	"  vtop DUMP --pid PID ADDR  every level of one translation (--pid 0: kernel)\n"
	"  check DUMP              leaked tables, orphan tables, kernel-half mismatches\n"
	"  diff A B [--pid PID]    compare two pagemaps: dump (with --pid), raw capture\n"
	"                          file, folder of <start>-<end>.bin, /proc/PID/pagemap\n"
	"  profile VMLINUX -o FILE resolve kernel types once and save them\n"
	"Exit status: 0 success, 1 usage error, 2 input error, 3 check found something or diff found differences.";
static const char args_doc[] = "COMMAND DUMP [ADDR]\ndiff A B";

enum { OPT_PROFILE = 256, OPT_NO_CACHE, OPT_RANGE, OPT_IGNORE, OPT_BIG, OPT_LITTLE };

static const struct argp_option options[] = {
	{"vmlinux", 'k', "FILE", 0, "vmlinux with DWARF of the dumped kernel", 0},
	{"profile", OPT_PROFILE, "FILE", 0, "kernel profile to use instead of DWARF", 0},
	{"no-cache", OPT_NO_CACHE, 0, 0, "do not read or write the profile cache", 0},
	{"pid", 'p', "PID", 0, "process (or thread) id", 0},
	{"range", OPT_RANGE, "START-END", 0, "address range (hex), may be repeated", 0},
	{"raw", 'r', 0, 0, "raw 8-byte pagemap entries in the target's byte order", 0},
	{"json", 'j', 0, 0, "JSON output", 0},
	{"output", 'o', "FILE", 0, "write output to FILE", 0},
	{"verbose", 'v', 0, 0, "say more on stderr", 0},
	{"ignore", OPT_IGNORE, "FIELDS", 0, "diff: fields not compared (present,pfn,swap,soft-dirty,exclusive,uffd-wp,file,other)", 0},
	{"big-endian", OPT_BIG, 0, 0, "diff: raw pagemap files are big-endian", 0},
	{"little-endian", OPT_LITTLE, 0, 0, "diff: raw pagemap files are little-endian", 0},
	{0},
};

static int parse_range(const char *s, uint64_t r[2])
{
	char *end;
	errno = 0;
	r[0] = strtoull(s, &end, 16);
	if (end == s || *end != '-' || errno)
		return -1;
	const char *t = end + 1;
	r[1] = strtoull(t, &end, 16);
	if (end == t || *end || errno || r[1] <= r[0])
		return -1;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct pgt_cli *c = state->input;
	char *end;
	switch (key) {
	case 'k': c->open.vmlinux = arg; break;
	case OPT_PROFILE: c->open.profile = arg; break;
	case OPT_NO_CACHE: c->open.no_cache = 1; break;
	case 'p':
		c->pid = (int)strtol(arg, &end, 10);
		if (*end || end == arg || c->pid < 0)
			argp_error(state, "bad pid '%s'", arg);
		break;
	case OPT_RANGE:
		if (c->nranges == PGT_MAX_RANGES)
			argp_error(state, "at most %d ranges", PGT_MAX_RANGES);
		if (parse_range(arg, c->ranges[c->nranges]))
			argp_error(state, "bad range '%s' (want hex START-END with END > START)", arg);
		c->nranges++;
		break;
	case 'r': c->raw = 1; break;
	case 'j': c->json = 1; break;
	case 'o': c->output = arg; break;
	case 'v': c->verbose = 1; c->open.verbose = 1; break;
	case OPT_IGNORE: c->ignore = arg; break;
	case OPT_BIG: c->byte_order = 2; break;
	case OPT_LITTLE: c->byte_order = 1; break;
	case ARGP_KEY_ARG:
		if (!c->command)
			c->command = arg;
		else if (!c->dump)
			c->dump = arg;
		else if (!c->arg2)
			c->arg2 = arg;
		else
			argp_error(state, "too many arguments");
		break;
	case ARGP_KEY_END:
		if (!c->command)
			argp_error(state, "no command given");
		if (!c->dump)
			argp_error(state, "%s needs a %s", c->command,
				   !strcmp(c->command, "profile") ? "VMLINUX"
				   : !strcmp(c->command, "diff") ? "pagemap source A and B" : "DUMP");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct pgt_cli c;
	struct pgt_err err = {0};
	struct pgt_dump *d = NULL;
	struct argp argp = {options, parse_opt, args_doc, doc, 0, 0, 0};
	int rc;

	memset(&c, 0, sizeof c);
	c.pid = -1;
	c.out = stdout;
	argp_err_exit_status = PGT_EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, 0, &c))
		return PGT_EXIT_USAGE;

	static const char *const known[] = {"tasks", "maps", "pagemap", "dump", "vtop", "check", "profile", "diff"};
	int ok = 0;
	for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
		ok |= !strcmp(c.command, known[i]);
	if (!ok) {
		fprintf(stderr, "pgtinspect: unknown command '%s' (try --help)\n", c.command);
		return PGT_EXIT_USAGE;
	}
	if ((!strcmp(c.command, "maps") || !strcmp(c.command, "pagemap") || !strcmp(c.command, "vtop")) &&
	    c.pid < 0) {
		fprintf(stderr, "pgtinspect: %s needs --pid PID\n", c.command);
		return PGT_EXIT_USAGE;
	}
	if (!strcmp(c.command, "vtop") && !c.arg2) {
		fprintf(stderr, "pgtinspect: vtop needs an address\n");
		return PGT_EXIT_USAGE;
	}
	if (c.output && strcmp(c.command, "profile")) {
		c.out = fopen(c.output, "w");
		if (!c.out) {
			fprintf(stderr, "pgtinspect: %s: cannot write: %s\n", c.output, strerror(errno));
			return PGT_EXIT_INPUT;
		}
	}
	if (!strcmp(c.command, "profile"))
		return pgt_cmd_profile(&c);
	if (!strcmp(c.command, "diff")) {
		/* its sides are not all dumps: it opens what each one is */
		rc = pgt_cmd_diff(&c);
		goto done;
	}

	c.open.dump_path = c.dump;
	if (pgt_dump_open(&d, &c.open, &err) != PGT_OK)
		return pgt_fail_exit(&err);
	if (c.verbose)
		fprintf(stderr, "pgtinspect: %s: %s; types from %s; KASLR offset 0x%llx (%s)\n", c.dump,
			d->pg.desc, d->profile_how, (unsigned long long)d->kaslr, d->kaslr_how);
	if (!strcmp(c.command, "tasks"))
		rc = pgt_cmd_tasks(&c, d);
	else if (!strcmp(c.command, "maps"))
		rc = pgt_cmd_maps(&c, d);
	else if (!strcmp(c.command, "pagemap"))
		rc = pgt_cmd_pagemap(&c, d);
	else if (!strcmp(c.command, "dump"))
		rc = pgt_cmd_dump(&c, d);
	else if (!strcmp(c.command, "check"))
		rc = pgt_cmd_check(&c, d);
	else
		rc = pgt_cmd_vtop(&c, d);
	pgt_dump_close(d);
done:
	if (c.out != stdout && fclose(c.out) != 0) {
		fprintf(stderr, "pgtinspect: %s: write failed\n", c.output);
		return PGT_EXIT_INPUT;
	}
	return rc;
}
