#!/usr/bin/env bash
# 32-bit ARM classic real dump (Debian armmp, non-LPAE 2-level paging, HIGHPTE,
# no pte_special): pagemap --raw and maps of every captured process equal the
# in-guest truth, and `check` finds no error or warning.  The data lives in
# fixtures/realdumps/armhf-classic (MANIFEST.src.md there says how it was made).
. "$PGT_SRC/tests/lib/realdump.sh"
REAL=$PGT_SRC/fixtures/realdumps
real_require armhf-classic
command -v xz >/dev/null || { echo "SKIP: xz not installed"; exit 77; }
prof=$(real_profile 48595b79b8f9f8c3a37f56904f275db5972d07e5) || exit 1
elf=$(real_elf armhf-classic)
rc=0
real_compare armhf-classic "$elf" "$prof" armhf-classic-elf || rc=1
real_check_clean armhf-classic "$elf" "$prof" "kernel-entry-unsynced .*pid 1 (init).*pgd 0xbf000000-0xbf200000" \
	"the module entry pid 1 lacks was not reported" || rc=1
exit $rc
