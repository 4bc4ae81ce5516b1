/* Command-line options shared by the commands, and the command entry points. */
#ifndef PGT_CLI_H
#define PGT_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "pgt/dump.h"
#include "pgt/kmodel.h"

#define PGT_MAX_RANGES 64

struct pgt_cli {
	const char *command;
	const char *dump;
	const char *arg2;          /* vtop ADDR, profile VMLINUX */
	struct pgt_open_opts open;
	int pid;                   /* -1 if not given */
	uint64_t ranges[PGT_MAX_RANGES][2];
	unsigned nranges;
	int raw, json, verbose;
	const char *output;        /* -o */
	FILE *out;
	const char *ignore;        /* diff --ignore FIELDS */
	int byte_order;            /* diff raw files: 0 auto, 1 little, 2 big */
};

/* Exit codes */
#define PGT_EXIT_OK 0
#define PGT_EXIT_USAGE 1
#define PGT_EXIT_INPUT 2
#define PGT_EXIT_FOUND 3   /* check found something, diff found differences */

int pgt_cmd_tasks(struct pgt_cli *c, struct pgt_dump *d);
int pgt_cmd_maps(struct pgt_cli *c, struct pgt_dump *d);
int pgt_cmd_pagemap(struct pgt_cli *c, struct pgt_dump *d);
int pgt_cmd_dump(struct pgt_cli *c, struct pgt_dump *d);
int pgt_cmd_vtop(struct pgt_cli *c, struct pgt_dump *d);
int pgt_cmd_check(struct pgt_cli *c, struct pgt_dump *d);
int pgt_cmd_profile(struct pgt_cli *c);
/* diff A B: opens its own sources (c->dump is A, c->arg2 is B). */
int pgt_cmd_diff(struct pgt_cli *c);

/* Helpers shared by commands (src/cmd_common.c). */
int pgt_fail_exit(const struct pgt_err *err);
char pgt_task_state_char(const struct pgt_task *t);
/* Finds the task with pid (a thread id or process id). */
int pgt_find_task(struct pgt_dump *d, int pid, struct pgt_task *out, struct pgt_err *err);
void pgt_json_str(FILE *f, const char *s);
/* 1 for the first task of each mm that passes the pid filter (threads and
 * CLONE_VM children share the mm of the first one). */
struct pgt_u64set;
int pgt_first_of_mm(const struct pgt_task *t, int pid, struct pgt_u64set *seen);

#endif
