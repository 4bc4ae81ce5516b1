#!/usr/bin/env bash
# x86_64 real dumps: pagemap --raw and maps of every captured process equal
# the in-guest truth, in the ELF, kdump-compressed and filtered forms; the
# other commands agree with the truth; bad inputs give clear errors.
. "$PGT_SRC/tests/lib/realdump.sh"
real_require x86_64
prof=$(real_profile eb4fbcd037e7253717950bf2b93bd5566f47c56f) || exit 1
elf=$(real_elf x86_64)
rc=0
real_compare x86_64 "$elf" "$prof" x86_64-elf || rc=1
real_compare x86_64 "$REAL/x86_64/vmcore.kdump-zlib" "$prof" x86_64-kdump || rc=1
real_compare x86_64 "$REAL/x86_64/vmcore.makedumpfile-d31" "$prof" x86_64-d31 || rc=1
python3 "$PGT_SRC/tests/lib/check_cmds.py" --pgt "$PGT" --truth "$REAL/x86_64/truth" --dump "$elf" --profile "$prof" || rc=1

# Bad inputs: a clear message naming the file, exit 2, never a crash or a hang.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
head -c 100000000 "$elf" > "$tmp/truncated.elf"
head -c 5000000 "$REAL/x86_64/vmcore.kdump-zlib" > "$tmp/truncated.kdump"
: > "$tmp/empty"
other=$(ls "$PGT_SRC"/fixtures/profiles/*.profile | grep -v eb4fbcd037e7 | head -1)
sed 's/^build_id .*/build_id 0000000000000000000000000000000000000000/' "$prof" > "$tmp/wrong-build.profile"
bad=0; good=0
expect_err() { # FILE PROFILE PATTERN
	out=$(timeout 60 "$PGT" tasks "$1" --profile "$2" 2>&1 >/dev/null); code=$?
	if [ $code -eq 2 ] && grep -q -- "$3" <<<"$out"; then good=$((good+1)); else
		bad=$((bad+1)); echo "FAIL bad input $1 with $2: exit $code, message: $out"; fi
}
expect_err "$tmp/truncated.elf" "$prof" "truncated.elf: truncated"
expect_err "$tmp/truncated.kdump" "$prof" "truncated.kdump"
expect_err "$tmp/empty" "$prof" "empty: empty file"
expect_err "$prof" "$prof" "not a dump"
expect_err "$elf" "$tmp/wrong-build.profile" "do not belong to dump"
[ -n "$other" ] && expect_err "$elf" "$other" "$other"
echo "bad inputs: $good passed, $bad failed"
[ $bad -eq 0 ] || rc=1
exit $rc
