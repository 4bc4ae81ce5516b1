# Shared helpers for tests against the real dumps in ../shared/realdumps.
# Sourced by tests/t_real_*.sh.  Skips (exit 77) when the data is absent.
set -u
: "${PGT:?PGT must name the pgtinspect binary}"
: "${PGT_SRC:?PGT_SRC must name the source tree}"
REAL=${PGT_REALDUMPS:-$PGT_SRC/../shared/realdumps}
CACHE=${PGT_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pgtinspect-test}
# Tests must not depend on (or fill) the user's profile cache.
export XDG_CACHE_HOME=$CACHE/xdg

real_require() { # ARCH
	if [ ! -d "$REAL/$1/truth" ]; then
		echo "SKIP: $REAL/$1 not present (real dumps live in ../shared/realdumps)"
		exit 77
	fi
}

# Prints the path of an uncompressed copy of DATASET/vmcore.elf.
real_elf() { # ARCH
	local out=$CACHE/$1/vmcore.elf
	if [ ! -s "$out" ]; then
		mkdir -p "$CACHE/$1"
		xz -dc "$REAL/$1/vmcore.elf.xz" > "$out.tmp" && mv "$out.tmp" "$out"
	fi
	echo "$out"
}

# Prints the committed profile for the build-id the dump's VMCOREINFO names.
real_profile() { # BUILD_ID
	local p=$PGT_SRC/fixtures/profiles/$1.profile
	[ -s "$p" ] || { echo "missing profile $p" >&2; return 1; }
	echo "$p"
}

# Compares pgtinspect's raw pagemap for every truth VMA of every pid, and maps.
# Prints one line per failure and a final "N passed, N failed".
real_compare() { # ARCH DUMPFILE PROFILE [LABEL]
	python3 "$PGT_SRC/tests/lib/compare_truth.py" --pgt "$PGT" --truth "$REAL/$1/truth" \
		--dump "$2" --profile "$3" --label "${4:-$1}"
}

# `check -v` must find no error or warning, and must report a line matching
# PATTERN (an informational finding the dataset is known to hold).
real_check_clean() { # LABEL DUMP PROFILE PATTERN WHY
	local out st
	out=$("$PGT" check -v --profile "$3" "$2" 2>&1)
	st=$?
	if [ $st -ne 0 ] || ! grep -q "^# 0 errors, 0 warnings" <<<"$out"; then
		echo "FAIL $1 check (exit $st)"; echo "$out" | head -20; return 1
	elif ! grep -q -- "$4" <<<"$out"; then
		echo "FAIL $1 check: $5"; return 1
	fi
	echo "$1 check: $(tail -1 <<<"$out")"
}
