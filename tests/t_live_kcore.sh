#!/usr/bin/env bash
# Live test on /proc/kcore: boots Debian's x86_64 6.1 kernel under QEMU with a
# small initramfs (busybox, pgtinspect and its libraries, the kernel profile,
# a few stopped test processes).  Inside the guest, as root, for each test
# process: `pagemap /proc/kcore --raw` must equal the bytes of
# /proc/PID/pagemap, and `diff /proc/kcore /proc/PID/pagemap` must find no
# difference; a deliberately altered capture must be reported at exactly the
# altered pages; pgtinspect's diff of its own (running) process must end
# normally.  The host reads the results from the serial console.
#
# Downloads (the kernel package, busybox-static, and the -dbg package only when
# no profile for the kernel's build-id is committed or cached) are cached in
# ${PGT_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pgtinspect-test}/live/.
# Environment: PGT_LIVE_KREL (kernel ABI name, default 6.1.0-56-amd64),
# PGT_LIVE_ACCEL (kvm or tcg; default: KVM when /dev/kvm boots, else TCG),
# PGT_LIVE_DBG=1 (make the profile from the -dbg vmlinux even when one is
# committed), PGT_LIVE_KEEP=1 (keep the work folder).
set -u
: "${PGT:?PGT must name the pgtinspect binary}"
: "${PGT_SRC:?PGT_SRC must name the source tree}"
CACHE=${PGT_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pgtinspect-test}
LIVE=$CACHE/live
KREL=${PGT_LIVE_KREL:-6.1.0-56-amd64}
T0=$SECONDS
log() { echo "[$((SECONDS - T0))s] $*"; }
skip() { echo "SKIP: $*"; exit 77; }
die() { echo "FAIL: $*"; exit 1; }

[ "$(uname -m)" = x86_64 ] || skip "needs an x86_64 host (the guest is x86_64)"
command -v python3 >/dev/null || skip "python3 missing"
is_root=0
[ "$(id -u)" = 0 ] && is_root=1
have_apt=0
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null && have_apt=1

# Installs a package when allowed (root with apt); else skips.
need_pkg() { # COMMAND PACKAGE
	command -v "$1" >/dev/null && return 0
	if [ $is_root = 1 ] && [ $have_apt = 1 ]; then
		log "installing $2"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1; }
	fi
	command -v "$1" >/dev/null ||
		skip "$1 missing: package $2 not installed and this run may not install it (needs root and apt-get)"
}
need_pkg qemu-system-x86_64 qemu-system-x86
command -v cc >/dev/null || skip "no C compiler (cc) for the guest's test program"

mkdir -p "$LIVE/debs" || skip "cannot write the cache $LIVE"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgt-live.XXXXXX")
QPID=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null
	if [ "${PGT_LIVE_KEEP:-0}" = 1 ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# apt-get download into the cache; root's downloads need no sandbox user.
apt_download() { # PACKAGE
	[ $have_apt = 1 ] || return 1
	local opt=()
	[ $is_root = 1 ] && opt=(-o APT::Sandbox::User=root)
	(cd "$LIVE/debs" && apt-get download -q "${opt[@]}" "$1" >/dev/null 2>&1)
}
cached_deb() { ls "$LIVE/debs/${1}"_*_amd64.deb 2>/dev/null | head -n 1; }

# ---- kernel ----
kdeb=$(cached_deb "linux-image-$KREL")
if [ -z "$kdeb" ]; then
	log "downloading linux-image-$KREL"
	if ! apt_download "linux-image-$KREL"; then
		# the mirror keeps a version only for a while: take the current 6.1
		cur=$(apt-cache depends linux-image-amd64 2>/dev/null | grep -o 'linux-image-6\.1\.[0-9.-]*-amd64' | head -n 1)
		[ -n "$cur" ] || skip "linux-image-$KREL cannot be downloaded and apt offers no other 6.1 amd64 kernel"
		KREL=${cur#linux-image-}
		log "linux-image-$KREL instead"
		kdeb=$(cached_deb "linux-image-$KREL")
		[ -n "$kdeb" ] || apt_download "linux-image-$KREL" || skip "cannot download linux-image-$KREL"
	fi
	kdeb=$(cached_deb "linux-image-$KREL")
fi
[ -n "$kdeb" ] || skip "no linux-image-$KREL package"
KDIR=$LIVE/$KREL
if [ ! -s "$KDIR/vmlinuz" ] || [ ! -s "$KDIR/build-id" ]; then
	log "unpacking $(basename "$kdeb")"
	mkdir -p "$KDIR"
	dpkg-deb --fsys-tarfile "$kdeb" | tar -x -O --wildcards "./boot/vmlinuz-$KREL" > "$KDIR/vmlinuz.tmp" &&
		mv "$KDIR/vmlinuz.tmp" "$KDIR/vmlinuz" || die "cannot unpack $kdeb"
	# The build-id names the profile: read it from the ELF inside the bzImage.
	python3 - "$KDIR/vmlinuz" > "$KDIR/build-id.tmp" <<'EOF' || die "no build-id in $KDIR/vmlinuz"
import lzma, struct, sys, zlib
data = open(sys.argv[1], "rb").read()
elf = None
for magic, unpack in ((b"\xfd7zXZ\x00", lambda b: lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(b)),
                      (b"\x1f\x8b\x08", lambda b: zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(b))):
    i = data.find(magic)
    while i >= 0 and elf is None:
        try:
            out = unpack(data[i:])
            if out[:4] == b"\x7fELF":
                elf = out
        except Exception:
            pass
        i = data.find(magic, i + 1)
    if elf:
        break
if not elf:
    sys.exit("no xz or gzip ELF payload")
phoff, = struct.unpack_from("<Q", elf, 0x20)
phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
for k in range(phnum):
    ptype, _, off, _, _, fsz, _, _ = struct.unpack_from("<IIQQQQQQ", elf, phoff + k * phentsize)
    o = off
    while ptype == 4 and o + 12 <= off + fsz:
        nsz, dsz, typ = struct.unpack_from("<III", elf, o)
        d = o + 12 + ((nsz + 3) & ~3)
        if typ == 3 and elf[o + 12:o + 15] == b"GNU":
            print(elf[d:d + dsz].hex())
            sys.exit(0)
        o = d + ((dsz + 3) & ~3)
sys.exit("no NT_GNU_BUILD_ID note")
EOF
	mv "$KDIR/build-id.tmp" "$KDIR/build-id"
fi
BID=$(cat "$KDIR/build-id")

# ---- profile: cached, committed, or made from the -dbg vmlinux ----
PROF=$LIVE/profiles/$BID.profile
if [ ! -s "$PROF" ] && [ "${PGT_LIVE_DBG:-0}" != 1 ] && [ -s "$PGT_SRC/fixtures/profiles/$BID.profile" ]; then
	PROF=$PGT_SRC/fixtures/profiles/$BID.profile
elif [ ! -s "$PROF" ]; then
	mkdir -p "$LIVE/profiles"
	ddeb=$(cached_deb "linux-image-$KREL-dbg")
	if [ -z "$ddeb" ]; then
		log "downloading linux-image-$KREL-dbg (large; only the profile made from it is kept)"
		apt_download "linux-image-$KREL-dbg" || skip "cannot download linux-image-$KREL-dbg for the profile"
		ddeb=$(cached_deb "linux-image-$KREL-dbg")
	fi
	log "making the profile with pgtinspect profile"
	dpkg-deb --fsys-tarfile "$ddeb" | tar -x -O --wildcards "*/vmlinux-$KREL" > "$WORK/vmlinux" ||
		die "no vmlinux-$KREL in $ddeb"
	"$PGT" profile "$WORK/vmlinux" -o "$PROF.tmp" || die "pgtinspect profile failed on $ddeb"
	mv "$PROF.tmp" "$PROF"
	rm -f "$WORK/vmlinux" "$ddeb"
fi
grep -q "^build_id $BID" "$PROF" || die "$PROF is not for build-id $BID"
log "kernel $KREL (build-id $BID), profile $PROF"

# ---- busybox: an installed static one, else the package's ----
BB=
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1 && BB=$b && break   # ldd fails on static binaries
done
if [ -z "$BB" ]; then
	bdeb=$(cached_deb busybox-static)
	[ -n "$bdeb" ] || apt_download busybox-static || need_pkg busybox busybox-static
	bdeb=$(cached_deb busybox-static)
	if [ -n "$bdeb" ]; then
		dpkg-deb --fsys-tarfile "$bdeb" | tar -x -O ./bin/busybox > "$WORK/busybox" && chmod +x "$WORK/busybox"
		BB=$WORK/busybox
	else
		BB=$(command -v busybox)
	fi
fi
[ -x "$BB" ] || skip "no static busybox"

# ---- initramfs ----
R=$WORK/root
mkdir -p "$R"/{bin,proc,sys,dev,tmp}
cp "$BB" "$R/bin/busybox"
cp "$PGT" "$R/bin/pgtinspect"
cp "$PROF" "$R/profile"
# a sanitizer build keeps the host's settings in the guest (abort on error, leaks)
for v in ASAN_OPTIONS UBSAN_OPTIONS; do
	[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
done > "$R/env"
# pgtinspect's shared libraries, at the same paths
ldd "$PGT" | grep -o '/[^ ]*' | while read -r lib; do
	mkdir -p "$R$(dirname "$lib")"
	cp -L "$lib" "$R$lib"
done
cat > "$WORK/helper.c" <<'EOF'
/* Guest helper.  "helper map FILE": a test process with known anonymous,
 * shared, file, PROT_NONE, zero-page and THP mappings and a forked child with
 * one COW page; both then stop for good.  "helper cmp GOT WANT": compares two
 * raw pagemaps entry by entry.  "helper churn": maps, touches, drops and
 * unmaps memory and forks short-lived children without end, so that page
 * tables and the task list change while pgtinspect reads them. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#define PS 4096
#define RW (PROT_READ | PROT_WRITE)

static char *at(unsigned long a, size_t len, int prot, int flags, int fd)
{
	void *p = mmap((void *)a, len, prot, flags | MAP_FIXED_NOREPLACE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mapper: mmap");
		exit(1);
	}
	return p;
}

/* Prints "equal", "observer N" when the only differences are N file pages
 * that the kernel called exclusive and pgtinspect did not (the inspecting
 * pgtinspect maps its own binary and libraries too while it reads), or the
 * first other difference. */
static int cmp(const char *got, const char *want)
{
	FILE *g = fopen(got, "rb"), *w = fopen(want, "rb");
	unsigned long long a, b, k = 0, observer = 0;
	size_t ng, nw;
	if (!g || !w)
		return printf("unreadable\n"), 1;
	for (;; k++) {
		ng = fread(&a, 8, 1, g);
		nw = fread(&b, 8, 1, w);
		if (ng != nw)
			return printf("differ sizes at entry %llu\n", k), 1;
		if (!ng)
			break;
		if (a == b)
			continue;
		if ((a ^ b) == 1ull << 56 && (b >> 56 & 1) && (a >> 61 & 1) && (a >> 63 & 1)) {
			observer++;
			continue;
		}
		return printf("differ entry %llu pgtinspect 0x%016llx kernel 0x%016llx\n", k, a, b), 1;
	}
	if (observer)
		printf("observer %llu\n", observer);
	else
		printf("equal\n");
	return 0;
}

static int churn(void)
{
	char *keep = mmap(NULL, 256 * PS, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ring[32] = {0};
	for (unsigned long i = 0;; i++) {
		/* VMAs come and go: 32 live at a time, the oldest unmapped */
		char **slot = &ring[i % 32];
		if (*slot)
			munmap(*slot, 64 * PS);
		*slot = mmap(NULL, 64 * PS, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (*slot == MAP_FAILED)
			*slot = NULL;
		for (int k = 0; *slot && k < 64; k += 3)
			(*slot)[k * PS] = (char)i;
		/* one VMA whose pages keep appearing and going */
		for (int k = (int)(i % 7); k < 256; k += 7)
			keep[k * PS] = (char)i;
		madvise(keep + (i % 128) * PS, 64 * PS, MADV_DONTNEED);
		if (i % 32 == 0) {   /* and the task list changes */
			pid_t c = fork();
			if (c == 0)
				_exit(0);
			waitpid(c, NULL, 0);
		}
	}
}

int main(int argc, char **argv)
{
	static char page[PS];
	volatile char sink = 0;
	if (argc == 4 && !strcmp(argv[1], "cmp"))
		return cmp(argv[2], argv[3]);
	if (argc == 2 && !strcmp(argv[1], "churn"))
		return churn();
	int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < 16; i++) {
		memset(page, 'a' + i, PS);
		if (write(fd, page, PS) != PS)
			return 1;
	}
	char *a = at(0x10000000, 16 * PS, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 0; i < 16; i++)
		a[i * PS] = (char)(i + 1);
	char *h = at(0x11000000, 16 * PS, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 0; i < 16; i += 2)
		h[i * PS] = 1;
	madvise(h + 4 * PS, PS, MADV_DONTNEED);
	char *sh = at(0x12000000, 8 * PS, RW, MAP_SHARED | MAP_ANONYMOUS, -1);
	for (int i = 0; i < 4; i++)
		sh[i * PS] = 1;
	char *fr = at(0x13000000, 16 * PS, PROT_READ, MAP_PRIVATE, fd);
	for (int i = 0; i < 16; i += 2)
		sink += fr[i * PS];
	char *fw = at(0x14000000, 8 * PS, RW, MAP_PRIVATE, fd);
	fw[0] = fw[PS] = 'x';
	sink += fw[2 * PS] + fw[3 * PS];
	char *fs = at(0x15000000, 8 * PS, RW, MAP_SHARED, fd);
	for (int i = 0; i < 4; i++)
		fs[i * PS] = 'y';
	char *pn = at(0x16000000, 4 * PS, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset(pn, 1, 4 * PS);
	mprotect(pn, 4 * PS, PROT_NONE);
	char *z = at(0x17000000, 4 * PS, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (int i = 0; i < 4; i++)
		sink += z[i * PS];
	char *t = at(0x20000000, 4 << 20, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	madvise(t, 4 << 20, MADV_HUGEPAGE);
	t[0] = t[2 << 20] = 1;
	pid_t c = fork();
	if (c == 0) {
		a[0] = 42;
		for (;;)
			raise(SIGSTOP);
	}
	int st;
	waitpid(c, &st, WUNTRACED);
	FILE *f = fopen("/tmp/mapper.child", "w");
	fprintf(f, "%d\n", (int)c);
	fclose(f);
	for (;;)
		raise(SIGSTOP);
}
EOF
cc -static -O1 -o "$R/bin/helper" "$WORK/helper.c" 2>"$WORK/cc.log" ||
	skip "cannot build a static test program ($(head -n 1 "$WORK/cc.log"))"

cat > "$R/init" <<'EOF'
#!/bin/busybox sh
# Guest side: runs as pid 1, prints every result on the serial console.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
export PATH=/bin
. /env
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
echo "LIVE-INIT $(uname -r)"
# nothing may move the stopped processes' pages while they are compared
echo 0 > /proc/sys/vm/compaction_proactiveness
echo 0 > /sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none
echo 0 > /proc/sys/kernel/numa_balancing 2>/dev/null
# the same layout for every run of one binary: the self test reuses a stopped run's VMAs
echo 0 > /proc/sys/kernel/randomize_va_space
P="/bin/pgtinspect --profile /profile"

wait_stopped() {
	i=0
	while [ $i -lt 300 ]; do
		[ "$(cut -d' ' -f3 /proc/$1/stat 2>/dev/null)" = T ] && return 0
		usleep 100000
		i=$((i + 1))
	done
	return 1
}

# pagemap --raw over the VMAs (up to 64, none over 64 MiB: reserved
# sanitizer shadows are terabytes) against the kernel's own bytes
raw_check() { # NAME PID
	: > /tmp/want
	args=""
	n=0
	big=0
	while read -r range perms rest; do
		case "$rest" in *vsyscall*) continue ;; esac
		s=${range%-*}
		e=${range#*-}
		if [ $(((0x$e - 0x$s) >> 26)) -ne 0 ] || [ $n -ge 64 ]; then
			big=$((big + 1))
			continue
		fi
		args="$args --range $s-$e"
		dd if=/proc/$2/pagemap bs=65536 iflag=skip_bytes,count_bytes,fullblock \
			skip=$((0x$s / 4096 * 8)) count=$(((0x$e - 0x$s) / 4096 * 8)) 2>/dev/null >> /tmp/want
		n=$((n + 1))
	done < /proc/$2/maps
	$P pagemap /proc/kcore --pid $2 --raw $args -o /tmp/got 2>/tmp/err
	rc=$?
	r=$(/bin/helper cmp /tmp/got /tmp/want)
	echo "LIVE-RAW $1 pid=$2 vmas=$n left-out=$big bytes=$(wc -c < /tmp/want) rc=$rc result=$r"
	sed 's/^/LIVE-ERR /' /tmp/err
}

# --range arguments covering a process's VMAs but those over 1 GiB (reading
# terabytes of reserved address space through /proc/PID/pagemap takes hours
# under TCG); neighbours less than 1 GiB apart share a range, 64 ranges at
# most.  Sets RANGES, NRANGES and LEFT_OUT (big VMAs and ranges past 64).
ranges_of() { # PID
	RANGES=""
	NRANGES=0
	LEFT_OUT=0
	cs=""
	ce=""
	while read -r range perms rest; do
		case "$rest" in *vsyscall*) continue ;; esac
		s=${range%-*}
		e=${range#*-}
		if [ $(((0x$e - 0x$s) >> 30)) -ne 0 ]; then
			LEFT_OUT=$((LEFT_OUT + 1))
			flush_range
		elif [ -n "$cs" ] && [ $(((0x$s - 0x$ce) >> 30)) -eq 0 ]; then
			ce=$e
		else
			flush_range
			cs=$s
			ce=$e
		fi
	done < /proc/$1/maps
	flush_range
}
flush_range() {
	if [ -n "$cs" ] && [ $NRANGES -lt 64 ]; then
		RANGES="$RANGES --range $cs-$ce"
		NRANGES=$((NRANGES + 1))
	elif [ -n "$cs" ]; then
		LEFT_OUT=$((LEFT_OUT + 1))
	fi
	cs=""
}

# diff /proc/kcore against /proc/PID/pagemap, JSON on one line
diff_check() { # NAME PID B [options]
	name=$1
	pid=$2
	b=$3
	shift 3
	t=$(date +%s)
	$P diff /proc/kcore $b --pid $pid --json "$@" > /tmp/out 2>/tmp/err
	rc=$?
	echo "LIVE-BEGIN $name pid=$pid"
	cat /tmp/out
	sed 's/^/LIVE-ERR /' /tmp/err
	echo "LIVE-END $name rc=$rc seconds=$(($(date +%s) - t))"
}

$P tasks /proc/kcore -v > /tmp/out 2>/tmp/err
echo "LIVE-TASKS rc=$? tasks=$(($(wc -l < /tmp/out) - 1))"
sed 's/^/LIVE-ERR /' /tmp/err

sleep 100000 & S1=$!
kill -STOP $S1
sleep 100000 & S2=$!
kill -STOP $S2
/bin/helper map /tmp/mapfile & M=$!
wait_stopped $S1 && wait_stopped $S2 && wait_stopped $M || echo "LIVE-ERR test processes did not stop"
MC=$(cat /tmp/mapper.child)
wait_stopped $MC || echo "LIVE-ERR mapper child did not stop"

# A pgtinspect process held still: blocked writing to a FIFO nobody reads, then stopped.
mkfifo /tmp/fifo
sleep 100000 < /tmp/fifo & HOLD=$!
$P pagemap /proc/kcore --pid 1 --raw --range 0-100000000 > /tmp/fifo 2>/dev/null & X=$!
i=0
while [ $i -lt 600 ] && [ "$(cat /proc/$X/wchan 2>/dev/null)" != pipe_write ]; do
	usleep 100000
	i=$((i + 1))
done
kill -STOP $X
wait_stopped $X || echo "LIVE-ERR pgtinspect instance did not stop"
echo "LIVE-PIDS sleep1=$S1 sleep2=$S2 mapper=$M mapper-child=$MC pgtinspect-stopped=$X wchan-waits=$i"

for t in sleep1:$S1 sleep2:$S2 mapper:$M mapper-child:$MC; do
	raw_check ${t%%:*} ${t#*:}
	diff_check ${t%%:*} ${t#*:} /proc/${t#*:}/pagemap
done
ranges_of $X
XR=""
[ $LEFT_OUT -eq 0 ] || XR=$RANGES
echo "LIVE-RANGES pgtinspect-stopped left-out=$LEFT_OUT ranges=$NRANGES"
raw_check pgtinspect-stopped $X
diff_check pgtinspect-stopped $X /proc/$X/pagemap $XR

# An altered capture of the mapper's first region: PFN bit 0 of pages 3, 4
# and 9, soft-dirty (bit 55) of page 12.
flip() { # FILE OFFSET MASK
	v=$(dd if=$1 bs=1 skip=$2 count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
	printf "\\$(printf %03o $((v ^ $3)))" | dd of=$1 bs=1 seek=$2 conv=notrunc 2>/dev/null
}
mkdir /tmp/alt
A=/tmp/alt/10000000-10010000.bin
dd if=/proc/$M/pagemap bs=8 skip=$((0x10000000 / 4096)) count=16 of=$A 2>/dev/null
flip $A 24 1
flip $A 32 1
flip $A 72 1
flip $A 102 128
diff_check altered $M $A

# pgtinspect on itself while it runs: its pagemap moves under it.
t=$(date +%s)
sh -c 'exec /bin/pgtinspect --profile /profile diff /proc/kcore /proc/$$/pagemap --pid $$ --json "$@"' sh $XR \
	> /tmp/out 2>/tmp/err
rc=$?
echo "LIVE-BEGIN self pid=?"
cat /tmp/out
sed 's/^/LIVE-ERR /' /tmp/err
echo "LIVE-END self rc=$rc seconds=$(($(date +%s) - t))"

# Page tables and tasks changing under pgtinspect: it may report (exit 2) or
# find differences (3), never crash.  `dump` walks the whole task list but
# shows the churning process only: a sanitizer build of pgtinspect (itself a
# task) reserves terabytes, more entries than `dump` can hold in memory.
kill -KILL $X $HOLD
/bin/helper churn & C=$!
for r in 1 2 3; do
	for what in dump diff; do
		t=$(date +%s)
		if [ $what = dump ]; then
			$P dump /proc/kcore --pid $C > /tmp/out 2>/tmp/err
		else
			$P diff /proc/kcore /proc/$C/pagemap --pid $C > /tmp/out 2>/tmp/err
		fi
		rc=$?
		echo "LIVE-CHURN $what#$r rc=$rc seconds=$(($(date +%s) - t)) out=$(wc -l < /tmp/out) $(tail -n 1 /tmp/out)"
		sed 's/^/LIVE-ERR /' /tmp/err | head -n 20
	done
done
kill -KILL $C

echo LIVE-DONE
kill -KILL $S1 $S2 $M $MC 2>/dev/null
poweroff -f
EOF
chmod +x "$R/init"

python3 - "$R" "$WORK/initramfs.gz" <<'EOF' || die "cannot pack the initramfs"
# newc cpio, every entry root-owned, plus /dev/console for the first output
import gzip, os, stat, sys
src, out = sys.argv[1], sys.argv[2]
ino = [1]
def entry(f, name, mode, data=b"", rdev=(0, 0)):
    ino[0] += 1
    nb = name.encode() + b"\0"
    fields = (ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(nb), 0)
    h = b"070701" + b"".join(b"%08X" % v for v in fields) + nb
    f.write(h + b"\0" * (-len(h) % 4) + data + b"\0" * (-len(data) % 4))
with gzip.open(out, "wb", compresslevel=1) as f:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for n in sorted(dirs) + sorted(files):
            p = os.path.join(root, n)
            rel = os.path.relpath(p, src)
            st = os.lstat(p)
            if stat.S_ISDIR(st.st_mode):
                entry(f, rel, stat.S_IFDIR | 0o755)
            elif stat.S_ISLNK(st.st_mode):
                entry(f, rel, stat.S_IFLNK | 0o777, os.readlink(p).encode())
            else:
                entry(f, rel, stat.S_IFREG | (st.st_mode & 0o777), open(p, "rb").read())
    entry(f, "dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
    entry(f, "TRAILER!!!", 0)
EOF
log "initramfs $(du -k "$WORK/initramfs.gz" | cut -f1) KiB"

# ---- boot ----
CON=$WORK/console.log
boot() { # ACCEL CPU
	: > "$CON"
	qemu-system-x86_64 -machine pc -accel "$1" -cpu "$2" -smp 1 -m 768M -nodefaults -display none \
		-no-reboot -kernel "$KDIR/vmlinuz" -initrd "$WORK/initramfs.gz" \
		-append "console=ttyS0 panic=-1 quiet loglevel=3 transparent_hugepage=madvise" \
		-serial "file:$CON" -monitor none > "$WORK/qemu.log" 2>&1 &
	QPID=$!
}
# Waits for a console line starting with MARK; 1 when the time runs out or qemu ends first.
wait_mark() { # MARK SECONDS
	local end=$((SECONDS + $2))
	while [ $SECONDS -lt $end ]; do
		tr -d '\r' < "$CON" | grep -q "^$1" && return 0
		kill -0 "$QPID" 2>/dev/null || { tr -d '\r' < "$CON" | grep -q "^$1"; return; }
		sleep 1
	done
	return 1
}
stop_qemu() { [ -n "$QPID" ] && kill "$QPID" 2>/dev/null; wait "$QPID" 2>/dev/null; QPID=; }

accel=${PGT_LIVE_ACCEL:-}
if [ -z "$accel" ]; then
	accel=tcg
	[ -r /dev/kvm ] && [ -w /dev/kvm ] && accel=kvm
fi
tboot=$SECONDS
if [ "$accel" = kvm ]; then
	boot kvm host
	# KVM boots in seconds where it works; some hosts hang a stock kernel under it.
	if ! wait_mark LIVE-INIT 15; then
		log "KVM did not bring the guest up within 15 s: TCG instead"
		stop_qemu
		accel=tcg
	fi
fi
if [ "$accel" = tcg ]; then
	tboot=$SECONDS
	boot tcg qemu64
	wait_mark LIVE-INIT 150 || {
		stop_qemu
		echo "--- console:"; tail -n 30 "$CON"; echo "--- qemu:"; tail -n 5 "$WORK/qemu.log"
		skip "the guest did not boot here (no LIVE-INIT within 150 s under TCG)"
	}
fi
log "guest up under $accel after $((SECONDS - tboot)) s"
wait_mark LIVE-DONE 240 || { stop_qemu; tr -d '\r' < "$CON" | tail -n 40; die "guest did not finish within 240 s"; }
log "guest done after $((SECONDS - tboot)) s"
for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$QPID" 2>/dev/null || break; sleep 1; done
stop_qemu

# ---- verdict ----
tr -d '\r' < "$CON" > "$WORK/console.txt"
python3 - "$WORK/console.txt" <<'EOF'
import json, re, sys
lines = open(sys.argv[1], errors="replace").read().splitlines()
fails = []
def fail(msg):
    fails.append(msg)
    print("FAIL " + msg)
for l in lines:
    if l.startswith(("LIVE-INIT", "LIVE-TASKS", "LIVE-PIDS", "LIVE-RANGES", "LIVE-CHURN")):
        print(l)
    elif l.startswith("LIVE-ERR"):
        print("  " + l)
raws = {}
for l in lines:
    m = re.match(r"LIVE-RAW (\S+) pid=(\d+) vmas=(\d+) left-out=(\d+) bytes=(\d+) rc=(\d+) result=(.*)", l)
    if m:
        raws[m.group(1)] = m
runs, cur = {}, None
for l in lines:
    if l.startswith("LIVE-BEGIN "):
        cur = l.split()[1]
        runs[cur] = {"out": []}
    elif l.startswith("LIVE-END ") and cur:
        m = re.match(r"LIVE-END (\S+) rc=(\d+) seconds=(\d+)", l)
        runs[cur]["rc"], runs[cur]["sec"] = int(m.group(2)), int(m.group(3))
        cur = None
    elif cur and l.startswith("{"):
        runs[cur]["out"].append(l)
def doc(name):
    r = runs.get(name)
    if not r or "rc" not in r:
        fail("%s: no result on the console" % name)
        return None, None
    try:
        return r, json.loads(r["out"][-1]) if r["out"] else None
    except ValueError:
        return r, None
m = [l for l in lines if l.startswith("LIVE-TASKS")]
if not m or "rc=0" not in m[0]:
    fail("pgtinspect tasks /proc/kcore failed")
for name in ("sleep1", "sleep2", "mapper", "mapper-child", "pgtinspect-stopped"):
    m = raws.get(name)
    if not m:
        fail("%s: no pagemap --raw result" % name)
    elif m.group(6) != "0" or m.group(5) == "0" or not (m.group(7) == "equal" or (
            # the inspecting pgtinspect shares only pgtinspect's own files
            name == "pgtinspect-stopped" and m.group(7).startswith("observer "))):
        fail("%s: pagemap /proc/kcore --raw over %s VMAs: rc %s, %s" % (name, m.group(3), m.group(6), m.group(7)))
    else:
        print("ok   %s: pagemap /proc/kcore --raw equals /proc/%s/pagemap over %s VMAs (%d pages%s%s)"
              % (name, m.group(2), m.group(3), int(m.group(5)) // 8,
                 ", %s VMAs over 64 MiB or past 64 left out" % m.group(4) if m.group(4) != "0" else "",
                 "; %s file pages exclusive only while no other pgtinspect ran" % m.group(7).split()[1]
                 if m.group(7) != "equal" else ""))
    r, d = doc(name)
    if r is None:
        continue
    if d is None or r["rc"] != 0 or d["differ"] != 0 or d["compared"] == 0:
        fail("%s: diff rc %d: %s" % (name, r["rc"], (r["out"] or ["no output"])[-1][:600]))
    else:
        print("ok   %s: diff /proc/kcore /proc/PID/pagemap: %d pages compared, 0 differ (%d only in kcore's VMAs, %d only in maps) in %d s"
              % (name, d["compared"], d["only_a"], d["only_b"], r["sec"]))
r, d = doc("altered")
want = [("0x10003000", "0x10005000", ["pfn"]), ("0x10009000", "0x1000a000", ["pfn"]),
        ("0x1000c000", "0x1000d000", ["soft-dirty"])]
if r is not None:
    got = [(g["start"], g["end"], g["fields"]) for g in d["groups"]] if d else None
    if r["rc"] != 3 or got != want or d["compared"] != 16 or d["totals"]["pfn"] != 3 or d["totals"]["soft-dirty"] != 1:
        fail("altered capture: rc %d, groups %s, want %s" % (r["rc"], got, want))
    else:
        print("ok   altered capture: exactly pages 3-4, 9 (pfn) and 12 (soft-dirty) reported, exit 3")
churn = [l for l in lines if l.startswith("LIVE-CHURN ")]
sanitizer = [l for l in lines if l.startswith("LIVE-ERR") and ("Sanitizer" in l or "runtime error" in l)]
if len(churn) != 6:
    fail("changing kernel: %d of 6 runs reported" % len(churn))
for l in churn:
    m = re.match(r"LIVE-CHURN (\S+) rc=(\d+) seconds=(\d+)", l)
    if not m or m.group(2) not in ("0", "2", "3"):
        fail("changing kernel: %s" % l)
if sanitizer:
    fail("sanitizer reports in the guest: %s" % sanitizer[0])
elif len(churn) == 6 and not fails:
    print("ok   changing kernel (a process mapping, dropping and forking without end): dump and diff exit %s, no crash"
          % "/".join(re.search(r"rc=(\d+)", l).group(1) for l in churn))
r, d = doc("self")
if r is not None:
    if r["rc"] not in (0, 3) or d is None:
        fail("diff of pgtinspect's own process: rc %d, output %s" % (r["rc"], (r["out"] or ["none"])[-1][:300]))
    else:
        grew = sum(int(g["end"], 16) - int(g["start"], 16) for g in d["groups"]
                   if g["a_decoded"].startswith("none") and g["b_decoded"].startswith("present")) // d["page_size"]
        print("note self: pgtinspect diffing its own running process: %d pages compared, %d differ in %d groups "
              "(%d became present between its walk and its read of the pagemap), rc %d; its pagemap changes "
              "while it runs, so this is reported, not asserted"
              % (d["compared"], d["differ"], len(d["groups"]), grew, r["rc"]))
print("%d failed" % len(fails))
sys.exit(1 if fails else 0)
EOF
rc=$?
if [ $rc -ne 0 ]; then
	echo "--- console (last 60 lines):"
	tail -n 60 "$WORK/console.txt"
fi
log "total"
exit $rc
