/* Tasks, mms and VMAs of the dumped kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/endian.h"
#include "pgt/kmodel.h"
#include "pgt/u64set.h"

#define MAX_TASKS (1u << 22)     /* a list longer than this is corrupt */
#define MAX_VMAS (1u << 20)
#define MAX_PATH_DEPTH 256

#define OFF(d, f) ((uint64_t)(d)->prof.field[f].off)

static pgt_status need(struct pgt_dump *d, enum pgt_kfield_id f, struct pgt_err *err)
{
	if (pgt_has_field(&d->prof, f))
		return PGT_OK;
	return pgt_fail(err, PGT_EINPUT, "%s: kernel types lack %s.%s", d->prof.source,
			pgt_kfield_type[f], pgt_kfield_path[f]);
}

static pgt_status read_task(struct pgt_dump *d, uint64_t t, struct pgt_task *out, struct pgt_err *err)
{
	uint64_t v;
	pgt_status st;
	memset(out, 0, sizeof *out);
	out->addr = t;
	if ((st = pgt_read_field(d, t, F_task_pid, &v, err)))
		return st;
	out->pid = (int)v;
	if ((st = pgt_read_field(d, t, F_task_tgid, &v, err)))
		return st;
	out->tgid = (int)v;
	if ((st = pgt_read_kva(d, t + OFF(d, F_task_comm), out->comm, 16, err)))
		return st;
	out->comm[16] = 0;
	if (pgt_has_field(&d->prof, F_task_state))
		pgt_read_field(d, t, F_task_state, &out->state, err);
	if (pgt_has_field(&d->prof, F_task_exit_state))
		pgt_read_field(d, t, F_task_exit_state, &out->exit_state, err);
	if (pgt_has_field(&d->prof, F_task_flags))
		pgt_read_field(d, t, F_task_flags, &out->flags, err);
	return pgt_read_field(d, t, F_task_mm, &out->mm, err);
}

struct tvec {
	struct pgt_task *v;
	unsigned n, cap;
};

static pgt_status push(struct tvec *tv, const struct pgt_task *t, struct pgt_err *err)
{
	if (tv->n == tv->cap) {
		unsigned ncap = tv->cap ? tv->cap * 2 : 256;
		struct pgt_task *n = realloc(tv->v, ncap * sizeof *n);
		if (!n)
			return pgt_fail(err, PGT_ENOMEM, "out of memory");
		tv->v = n;
		tv->cap = ncap;
	}
	tv->v[tv->n++] = *t;
	return PGT_OK;
}

/* Adds the threads of a group leader other than itself. */
static pgt_status add_threads(struct pgt_dump *d, const struct pgt_task *leader, struct tvec *tv,
			      struct pgt_err *err)
{
	uint64_t head, p, sig;
	uint64_t off;
	struct pgt_u64set seen = {0};
	pgt_status st = PGT_OK;

	if (pgt_has_field(&d->prof, F_task_thread_node) && pgt_has_field(&d->prof, F_signal_thread_head)) {
		if ((st = pgt_read_field(d, leader->addr, F_task_signal, &sig, err)))
			return st;
		if (!sig)
			return PGT_OK;
		head = sig + OFF(d, F_signal_thread_head);
		off = OFF(d, F_task_thread_node);
	} else if (pgt_has_field(&d->prof, F_task_thread_group)) {
		head = leader->addr + OFF(d, F_task_thread_group);
		off = OFF(d, F_task_thread_group);
	} else
		return PGT_OK;
	if ((st = pgt_read_ptr(d, head, &p, err)))
		return st;
	while (p != head) {
		struct pgt_task t;
		/* a list that comes back somewhere other than its head is corrupt */
		if (pgt_u64set_add(&seen, p) != 1 || seen.n > MAX_TASKS) {
			st = pgt_fail(err, PGT_EINPUT, "%s: thread list of pid %d loops at 0x%llx without returning to its head",
				      d->path, leader->pid, (unsigned long long)p);
			break;
		}
		if ((st = read_task(d, p - off, &t, err))) {
			pgt_wrap(err, "thread list of pid %d", leader->pid);
			break;
		}
		if (t.addr != leader->addr && (st = push(tv, &t, err)))
			break;
		if ((st = pgt_read_ptr(d, p, &p, err)))
			break;
	}
	pgt_u64set_free(&seen);
	return st;
}

pgt_status pgt_tasks(struct pgt_dump *d, struct pgt_task **out, unsigned *n, struct pgt_err *err)
{
	struct tvec tv = {0};
	uint64_t init = pgt_sym(d, Y_init_task), head, p;
	pgt_status st;
	struct pgt_u64set seen = {0};

	if (!init)
		return pgt_fail(err, PGT_EINPUT, "%s: symbol init_task unknown", d->prof.source);
	if ((st = need(d, F_task_tasks, err)) || (st = need(d, F_task_pid, err)) ||
	    (st = need(d, F_task_mm, err)) || (st = need(d, F_task_comm, err)))
		return st;
	head = init + OFF(d, F_task_tasks);
	p = head;
	do {
		struct pgt_task t;
		if (pgt_u64set_add(&seen, p) != 1 || seen.n > MAX_TASKS) {
			st = pgt_fail(err, PGT_EINPUT,
				      "%s: task list from init_task loops at 0x%llx without returning to init_task",
				      d->path, (unsigned long long)p);
			goto fail;
		}
		if ((st = read_task(d, p - OFF(d, F_task_tasks), &t, err))) {
			pgt_wrap(err, "task list at 0x%llx", (unsigned long long)p);
			goto fail;
		}
		if ((st = push(&tv, &t, err)) || (st = add_threads(d, &t, &tv, err)))
			goto fail;
		if ((st = pgt_read_ptr(d, p, &p, err)))
			goto fail;
	} while (p != head);
	pgt_u64set_free(&seen);
	*out = tv.v;
	*n = tv.n;
	return PGT_OK;
fail:
	pgt_u64set_free(&seen);
	free(tv.v);
	return st;
}

/* ---- VMAs ---- */

struct vvec {
	uint64_t *v;
	unsigned n, cap;
};

static pgt_status vpush(struct vvec *vv, uint64_t a, struct pgt_err *err)
{
	if (vv->n >= MAX_VMAS)
		return pgt_fail(err, PGT_EINPUT, "more than %u VMAs: VMA tree looks corrupt", MAX_VMAS);
	if (vv->n == vv->cap) {
		unsigned ncap = vv->cap ? vv->cap * 2 : 64;
		uint64_t *n = realloc(vv->v, ncap * sizeof *n);
		if (!n)
			return pgt_fail(err, PGT_ENOMEM, "out of memory");
		vv->v = n;
		vv->cap = ncap;
	}
	vv->v[vv->n++] = a;
	return PGT_OK;
}

/* Maple tree: the root pointer of a tree of nodes is tagged 0b10; every
 * encoded node pointer keeps its node type in bits 3-6 and flags below;
 * nodes are 256-byte aligned. */
#define MT_NODE_MASK 0xffull
static int mt_root_is_node(uint64_t e)
{
	return (e & 3) == 2 && e > 4096;
}

/* A maple node met twice means a corrupt tree: without this, a node that
 * points back up would be walked again and again, 16-fold per level. */
static pgt_status mt_walk(struct pgt_dump *d, uint64_t entry, uint64_t min, uint64_t max,
			  unsigned depth, struct vvec *out, struct pgt_u64set *seen, struct pgt_err *err)
{
	const struct pgt_profile *p = &d->prof;
	uint64_t node = entry & ~MT_NODE_MASK;
	unsigned type = (unsigned)((entry >> 3) & 0xf);
	enum pgt_kfield_id fp, fs;
	uint64_t piv_off, slot_off;
	unsigned npiv, nslot, ps = d->si->ptr_size ? d->si->ptr_size : 8;
	uint8_t buf[512];
	pgt_status st;

	if (pgt_u64set_add(seen, node) != 1)
		return pgt_fail(err, PGT_EINPUT, "maple node 0x%llx is reached twice: the VMA tree is corrupt",
				(unsigned long long)node);
	if (depth > 32)
		return pgt_fail(err, PGT_EINPUT, "maple tree deeper than 32 levels at node 0x%llx",
				(unsigned long long)node);
	if (p->has_enum[E_maple_arange_64] && type == (unsigned)p->enumval[E_maple_arange_64]) {
		fp = F_ma64_pivot;
		fs = F_ma64_slot;
	} else if ((p->has_enum[E_maple_range_64] && type == (unsigned)p->enumval[E_maple_range_64]) ||
		   (p->has_enum[E_maple_leaf_64] && type == (unsigned)p->enumval[E_maple_leaf_64])) {
		fp = F_mr64_pivot;
		fs = F_mr64_slot;
	} else
		return pgt_fail(err, PGT_EINPUT, "maple node 0x%llx has unsupported type %u",
				(unsigned long long)node, type);
	if (!pgt_has_field(p, fp) || !pgt_has_field(p, fs))
		return pgt_fail(err, PGT_EINPUT, "%s: kernel types lack maple node layout", p->source);
	piv_off = (uint64_t)p->field[fp].off;
	slot_off = (uint64_t)p->field[fs].off;
	npiv = (unsigned)(p->field[fp].size / ps);
	nslot = (unsigned)(p->field[fs].size / ps);
	uint64_t nsize = p->struct_size[S_maple_node] > 0 ? (uint64_t)p->struct_size[S_maple_node] : 256;
	if (nsize > sizeof buf || slot_off + nslot * ps > nsize || piv_off + npiv * ps > nsize)
		return pgt_fail(err, PGT_EINPUT, "maple node layout larger than expected");
	if ((st = pgt_read_kva(d, node, buf, nsize, err)))
		return pgt_wrap(err, "maple node 0x%llx", (unsigned long long)node);

	int leaf = p->has_enum[E_maple_leaf_64] && type == (unsigned)p->enumval[E_maple_leaf_64];
	uint64_t lo = min;
	for (unsigned i = 0; i < nslot; i++) {
		uint64_t piv = i < npiv ? pgt_ldn(buf + piv_off + i * ps, ps, d->pg.big_endian) : max;
		uint64_t slot = pgt_ldn(buf + slot_off + i * ps, ps, d->pg.big_endian);
		if (i > 0 && piv == 0)
			break;  /* unused tail of the node */
		if (piv > max)
			piv = max;
		if (slot) {
			if (leaf) {
				if ((slot & 3) != 2 && (st = vpush(out, slot, err)))
					return st;
			} else if ((st = mt_walk(d, slot, lo, piv, depth + 1, out, seen, err)))
				return st;
		}
		if (piv >= max)
			break;
		lo = piv + 1;
	}
	return PGT_OK;
}

static pgt_status collect_vmas(struct pgt_dump *d, uint64_t mm, struct vvec *vv, struct pgt_err *err)
{
	uint64_t root, p;
	pgt_status st;
	if (pgt_has_field(&d->prof, F_mm_mt)) {
		if ((st = pgt_read_ptr(d, mm + OFF(d, F_mm_mt) + OFF(d, F_mt_root), &root, err)))
			return st;
		if (!root)
			return PGT_OK;
		if (!mt_root_is_node(root))
			return vpush(vv, root, err);  /* a single entry stored in the root */
		uint64_t maxv = d->si->ptr_size == 4 ? 0xffffffffull : ~0ull;
		struct pgt_u64set seen = {0};
		st = mt_walk(d, root, 0, maxv, 0, vv, &seen, err);
		pgt_u64set_free(&seen);
		return st;
	}
	if (pgt_has_field(&d->prof, F_mm_mmap) && pgt_has_field(&d->prof, F_vma_next)) {
		if ((st = pgt_read_ptr(d, mm + OFF(d, F_mm_mmap), &p, err)))
			return st;
		while (p) {
			if ((st = vpush(vv, p, err)))
				return st;
			if ((st = pgt_read_field(d, p, F_vma_next, &p, err)))
				return st;
		}
		return PGT_OK;
	}
	return pgt_fail(err, PGT_EINPUT, "%s: kernel types have neither mm_struct.mm_mt nor mm_struct.mmap",
			d->prof.source);
}

/* Prepends "/name" of each dentry up to the global root, as d_path() does. */
static void dentry_path(struct pgt_dump *d, uint64_t dentry, uint64_t vfsmnt, char *out, size_t len)
{
	char tmp[PGT_NAME_MAX];
	size_t pos = sizeof tmp - 1;
	struct pgt_err e = {0};
	uint64_t mount = vfsmnt - OFF(d, F_mount_mnt);
	tmp[pos] = 0;
	for (unsigned depth = 0; depth < MAX_PATH_DEPTH; depth++) {
		uint64_t parent, mnt_root = 0, name = 0, nlen = 0;
		if (pgt_read_field(d, dentry, F_dentry_parent, &parent, &e) ||
		    pgt_read_field(d, vfsmnt, F_vfsmount_root, &mnt_root, &e))
			break;
		if (dentry == mnt_root || dentry == parent) {
			uint64_t mparent, mpoint;
			if (dentry != mnt_root)
				break;
			if (pgt_read_field(d, mount, F_mount_parent, &mparent, &e) ||
			    pgt_read_field(d, mount, F_mount_mountpoint, &mpoint, &e) || mparent == mount)
				break;
			dentry = mpoint;
			mount = mparent;
			vfsmnt = mount + OFF(d, F_mount_mnt);
			continue;
		}
		uint64_t qs = dentry + OFF(d, F_dentry_name);
		if (pgt_read_field(d, qs, F_qstr_len, &nlen, &e) || pgt_read_field(d, qs, F_qstr_name, &name, &e))
			break;
		if (nlen > 255)
			nlen = 255;
		if (pos < nlen + 2)
			break;
		pos -= nlen;
		if (pgt_read_kva(d, name, tmp + pos, nlen, &e))
			break;
		tmp[--pos] = '/';
		dentry = parent;
	}
	snprintf(out, len, "%s", tmp[pos] ? tmp + pos : "/");
}

static void file_name(struct pgt_dump *d, struct pgt_vma *v)
{
	struct pgt_err e = {0};
	uint64_t dentry = 0, mnt = 0, inode = 0, sb = 0, dev = 0, dop = 0, dname = 0, hpprev = 1;
	uint64_t fpath = v->file + OFF(d, F_file_path);

	pgt_read_field(d, fpath, F_path_dentry, &dentry, &e);
	pgt_read_field(d, fpath, F_path_mnt, &mnt, &e);
	if (pgt_read_field(d, v->file, F_file_inode, &inode, &e) == PGT_OK && inode) {
		pgt_read_field(d, inode, F_inode_ino, &v->ino, &e);
		if (pgt_read_field(d, inode, F_inode_sb, &sb, &e) == PGT_OK && sb &&
		    pgt_read_field(d, sb, F_sb_dev, &dev, &e) == PGT_OK)
			v->dev = (uint32_t)dev;
	}
	if (!dentry || !mnt) {
		snprintf(v->name, sizeof v->name, "[unreadable file 0x%llx]", (unsigned long long)v->file);
		return;
	}
	/* Pseudo files name themselves (d_op->d_dname): shmem's /dev/zero etc. */
	if (pgt_read_field(d, dentry, F_dentry_op, &dop, &e) == PGT_OK && dop &&
	    pgt_read_field(d, dop, F_dentry_ops_dname, &dname, &e) == PGT_OK && dname) {
		char nm[256] = "";
		uint64_t qs = dentry + OFF(d, F_dentry_name), name = 0, nlen = 0;
		if (!pgt_read_field(d, qs, F_qstr_len, &nlen, &e) && !pgt_read_field(d, qs, F_qstr_name, &name, &e)) {
			if (nlen > 255)
				nlen = 255;
			if (pgt_read_kva(d, name, nm, nlen, &e) == PGT_OK)
				nm[nlen] = 0;
		}
		if (dname == pgt_sym(d, Y_anon_inodefs_dname))
			snprintf(v->name, sizeof v->name, "anon_inode:%s", nm);
		else
			snprintf(v->name, sizeof v->name, "/%s (deleted)", nm); /* simple_dname() */
		return;
	}
	dentry_path(d, dentry, mnt, v->name, sizeof v->name);
	/* d_unlinked(): unhashed and not a root */
	uint64_t parent = 0;
	pgt_read_field(d, dentry, F_dentry_parent, &parent, &e);
	if (pgt_has_field(&d->prof, F_dentry_hash_pprev) &&
	    pgt_read_field(d, dentry, F_dentry_hash_pprev, &hpprev, &e) == PGT_OK && !hpprev && parent != dentry) {
		size_t l = strlen(v->name);
		snprintf(v->name + l, sizeof v->name - l, " (deleted)");
	}
}

static void vma_name(struct pgt_dump *d, const struct pgt_mm *mm, struct pgt_vma *v)
{
	struct pgt_err e = {0};
	uint64_t ops = 0, priv = 0, nameptr = 0, anon_name = 0;

	v->name[0] = 0;
	if (v->file) {
		file_name(d, v);
		return;
	}
	if (pgt_has_field(&d->prof, F_vma_ops))
		pgt_read_field(d, v->addr, F_vma_ops, &ops, &e);
	if (ops && (ops == pgt_sym(d, Y_special_mapping_vmops) ||
		    ops == pgt_sym(d, Y_legacy_special_mapping_vmops))) {
		if (pgt_read_field(d, v->addr, F_vma_private, &priv, &e) == PGT_OK && priv &&
		    pgt_read_field(d, priv, F_special_mapping_name, &nameptr, &e) == PGT_OK && nameptr &&
		    pgt_read_str(d, nameptr, v->name, sizeof v->name, &e) == PGT_OK)
			return;
	}
	if (v->start <= mm->brk && v->end >= mm->start_brk) {
		snprintf(v->name, sizeof v->name, "[heap]");
		return;
	}
	if (v->start <= mm->start_stack && v->end >= mm->start_stack) {
		snprintf(v->name, sizeof v->name, "[stack]");
		return;
	}
	if (pgt_has_field(&d->prof, F_vma_anon_name) &&
	    pgt_read_field(d, v->addr, F_vma_anon_name, &anon_name, &e) == PGT_OK && anon_name) {
		char nm[256];
		if (pgt_read_str(d, anon_name + OFF(d, F_anon_vma_name_name), nm, sizeof nm, &e) == PGT_OK)
			snprintf(v->name, sizeof v->name, "[anon:%s]", nm);
	}
}

static int vma_cmp(const void *a, const void *b)
{
	const struct pgt_vma *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

pgt_status pgt_mm_load(struct pgt_dump *d, uint64_t mm, struct pgt_mm *out, struct pgt_err *err)
{
	struct vvec vv = {0};
	pgt_status st;
	uint64_t v;

	memset(out, 0, sizeof *out);
	out->addr = mm;
	out->pgtables_bytes = -1;
	if ((st = pgt_read_field(d, mm, F_mm_pgd, &out->pgd_va, err)))
		return pgt_wrap(err, "mm 0x%llx", (unsigned long long)mm);
	if ((st = pgt_kva_to_pa(d, out->pgd_va, &out->pgd_pa, err)))
		return pgt_wrap(err, "pgd of mm 0x%llx", (unsigned long long)mm);
	pgt_read_field(d, mm, F_mm_start_brk, &out->start_brk, err);
	pgt_read_field(d, mm, F_mm_brk, &out->brk, err);
	pgt_read_field(d, mm, F_mm_start_stack, &out->start_stack, err);
	if (pgt_has_field(&d->prof, F_mm_map_count) && !pgt_read_field(d, mm, F_mm_map_count, &v, err))
		out->map_count = (int)v;
	if (pgt_has_field(&d->prof, F_mm_pgtables_bytes) &&
	    !pgt_read_field(d, mm, F_mm_pgtables_bytes, &v, err))
		out->pgtables_bytes = (int64_t)v;
	out->regs.pgd_va = out->pgd_va;
	out->regs.pgd_pa = out->pgd_pa;
	if (pgt_has_field(&d->prof, F_mm_ctx_asce)) {
		pgt_read_field(d, mm, F_mm_ctx_asce, &out->regs.asce, err);
		if (pgt_has_field(&d->prof, F_mm_ctx_asce_limit))
			pgt_read_field(d, mm, F_mm_ctx_asce_limit, &out->regs.asce_limit, err);
		out->regs.has_asce = 1;
	}
	if ((st = d->pg.ops->mm_root(&d->pg, &out->regs, &out->root, err)))
		return pgt_wrap(err, "mm 0x%llx", (unsigned long long)mm);

	if ((st = collect_vmas(d, mm, &vv, err))) {
		free(vv.v);
		return pgt_wrap(err, "VMAs of mm 0x%llx", (unsigned long long)mm);
	}
	out->vmas = calloc(vv.n ? vv.n : 1, sizeof *out->vmas);
	if (!out->vmas) {
		free(vv.v);
		return pgt_fail(err, PGT_ENOMEM, "out of memory");
	}
	for (unsigned i = 0; i < vv.n; i++) {
		struct pgt_vma *x = &out->vmas[out->nvmas];
		uint64_t vm_mm = mm;
		x->addr = vv.v[i];
		if ((st = pgt_read_field(d, x->addr, F_vma_start, &x->start, err)) ||
		    (st = pgt_read_field(d, x->addr, F_vma_end, &x->end, err)) ||
		    (st = pgt_read_field(d, x->addr, F_vma_flags, &x->flags, err))) {
			snprintf(out->vma_note, sizeof out->vma_note, "VMA 0x%llx unreadable: %s",
				 (unsigned long long)x->addr, err->msg);
			continue;
		}
		pgt_read_field(d, x->addr, F_vma_pgoff, &x->pgoff, err);
		pgt_read_field(d, x->addr, F_vma_file, &x->file, err);
		if (pgt_has_field(&d->prof, F_vma_mm))
			pgt_read_field(d, x->addr, F_vma_mm, &vm_mm, err);
		if (vm_mm != mm || x->start >= x->end || (x->start & (d->page_size - 1))) {
			snprintf(out->vma_note, sizeof out->vma_note,
				 "VMA 0x%llx ignored: belongs to mm 0x%llx, range 0x%llx-0x%llx",
				 (unsigned long long)x->addr, (unsigned long long)vm_mm,
				 (unsigned long long)x->start, (unsigned long long)x->end);
			continue;
		}
		out->nvmas++;
	}
	free(vv.v);
	qsort(out->vmas, out->nvmas, sizeof *out->vmas, vma_cmp);
	for (unsigned i = 0; i < out->nvmas; i++)
		vma_name(d, out, &out->vmas[i]);
	if (out->map_count && (unsigned)out->map_count != out->nvmas && !out->vma_note[0])
		snprintf(out->vma_note, sizeof out->vma_note, "mm says %d VMAs, tree holds %u",
			 out->map_count, out->nvmas);
	return PGT_OK;
}

void pgt_mm_free(struct pgt_mm *mm)
{
	free(mm->vmas);
	mm->vmas = NULL;
	mm->nvmas = 0;
}

const struct pgt_vma *pgt_mm_find_vma(const struct pgt_mm *mm, uint64_t addr)
{
	unsigned lo = 0, hi = mm->nvmas;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		const struct pgt_vma *v = &mm->vmas[mid];
		if (addr < v->start)
			hi = mid;
		else if (addr >= v->end)
			lo = mid + 1;
		else
			return v;
	}
	return NULL;
}

void pgt_format_maps_line(const struct pgt_dump *d, const struct pgt_vma *v, char *buf, size_t len)
{
	/* show_vma_header_prefix(): the name column starts at 25 + 6 * sizeof(void *). */
	unsigned width = 25 + 6 * (d->si->ptr_size ? d->si->ptr_size : 8) - 1;
	uint64_t off = v->file ? v->pgoff * d->page_size : 0;
	int n = snprintf(buf, len, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
			 (unsigned long long)v->start, (unsigned long long)v->end,
			 v->flags & PGT_VM_READ ? 'r' : '-', v->flags & PGT_VM_WRITE ? 'w' : '-',
			 v->flags & PGT_VM_EXEC ? 'x' : '-', v->flags & PGT_VM_MAYSHARE ? 's' : 'p',
			 (unsigned long long)off, v->dev >> 20, v->dev & 0xfffff,
			 (unsigned long long)(v->file ? v->ino : 0));
	if (n < 0 || (size_t)n >= len)
		return;
	if (v->name[0]) {
		while ((unsigned)n < width && (size_t)n + 1 < len)
			buf[n++] = ' ';
		snprintf(buf + n, len - (size_t)n, " %s\n", v->name);
	} else
		snprintf(buf + n, len - (size_t)n, "\n");
}
