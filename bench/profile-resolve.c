/* Bench driver: resolves a profile from a vmlinux and writes it to stdout or
 * to a file, so profile-bench.sh can time the resolver alone. */
#include <stdio.h>
#include "pgt/profile.h"

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s VMLINUX [OUT.profile]\n", argv[0]);
		return 2;
	}
	static struct pgt_profile p;
	struct pgt_err err = { 0 };
	if (pgt_profile_from_vmlinux(&p, argv[1], &err) != PGT_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	if (argc == 3) {
		if (pgt_profile_save(&p, argv[2], &err) != PGT_OK) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		return 0;
	}
	return pgt_profile_write(&p, stdout) == PGT_OK ? 0 : 1;
}
