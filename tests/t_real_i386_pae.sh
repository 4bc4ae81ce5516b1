#!/usr/bin/env bash
# i386 PAE real dump (Debian 686-pae, 3-level PDPT/PMD/PTE, PTI on, nokaslr):
# pagemap --raw and maps of every captured process equal the in-guest truth;
# tasks, vtop and the JSON outputs agree with it and check is clean (PTI:
# every pgd holds its own copy of the kernel PMD, compared with swapper's).
# Only the ELF form is in ../shared (QEMU's 32-bit kdump header is unusable).
. "$PGT_SRC/tests/lib/realdump.sh"
real_require i386-pae
prof=$(real_profile 624a8b769bdfaa206b2026637863dde5ad75d430) || exit 1
elf=$(real_elf i386-pae)
rc=0
real_compare i386-pae "$elf" "$prof" i386-pae-elf || rc=1
python3 "$PGT_SRC/tests/lib/check_cmds.py" --pgt "$PGT" --truth "$REAL/i386-pae/truth" --dump "$elf" \
	--profile "$prof" || rc=1
exit $rc
