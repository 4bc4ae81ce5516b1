#!/usr/bin/env bash
# 32-bit ARM LPAE real dump (Debian armmp-lpae, 3 levels, HIGHPTE, THP):
# pagemap --raw and maps (with the [vectors] gate line) of every captured
# process equal the in-guest truth; `check` finds no error or warning (the
# modules/pkmap entries every process lacks are informational: filled lazily).
. "$PGT_SRC/tests/lib/realdump.sh"
real_require armhf-lpae
prof=$(real_profile 45842c3f98264c16cd311fa5fe49fed7c6e00b2c) || exit 1
elf=$(real_elf armhf-lpae)
rc=0
real_compare armhf-lpae "$elf" "$prof" armhf-lpae-elf || rc=1
real_check_clean armhf-lpae "$elf" "$prof" "kernel-entry-unsynced .*pmd 0xbf000000-0xbf200000" \
	"modules entries of the private PMD were not compared" || rc=1
exit $rc
