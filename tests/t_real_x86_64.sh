#!/usr/bin/env bash
# x86_64 real dumps: pagemap --raw and maps of every captured process equal
# the in-guest truth, in the ELF, kdump-compressed and filtered forms.
. "$PGT_SRC/tests/lib/realdump.sh"
real_require x86_64
prof=$(real_profile eb4fbcd037e7253717950bf2b93bd5566f47c56f) || exit 1
rc=0
real_compare x86_64 "$(real_elf x86_64)" "$prof" x86_64-elf || rc=1
real_compare x86_64 "$REAL/x86_64/vmcore.kdump-zlib" "$prof" x86_64-kdump || rc=1
real_compare x86_64 "$REAL/x86_64/vmcore.makedumpfile-d31" "$prof" x86_64-d31 || rc=1
exit $rc
