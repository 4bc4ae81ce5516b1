/* The generic page-table walker.  Ranges are kept as inclusive [first, last]
 * internally so that a top table spanning all 64 bits does not overflow;
 * visitors get [va, end) with end == 0 meaning the top of the address space. */
#include <stdlib.h>
#include <string.h>
#include "pgt/dump.h"
#include "pgt/u64set.h"
#include "pgt/walk.h"

struct walker {
	struct pgt_dump *d;
	const struct pgt_paging *pg;
	const struct pgt_visitor *vis;
	unsigned nvis;
	struct pgt_walk_stats *st;
	uint8_t *buf[PGT_MAX_LEVELS];
	struct pgt_u64set seen; /* tables met in this walk */
};

static uint64_t span_last(unsigned shift)
{
	return shift >= 64 ? ~0ull : ((uint64_t)1 << shift) - 1;
}

static void emit_anomaly(struct walker *w, enum pgt_anomaly_kind kind, const struct pgt_slot *s,
			 const struct pgt_entry *e, uint64_t first, uint64_t last, const char *msg)
{
	struct pgt_anomaly a;
	memset(&a, 0, sizeof a);
	a.kind = kind;
	if (s)
		a.slot = *s;
	if (e)
		a.entry = *e;
	a.va = first;
	a.end = last + 1;
	snprintf(a.msg, sizeof a.msg, "%s", msg);
	w->st->anomalies++;
	for (unsigned i = 0; i < w->nvis; i++)
		if (w->vis[i].anomaly)
			w->vis[i].anomaly(w->vis[i].arg, &a);
}

static void emit_hole(struct walker *w, unsigned level, uint64_t first, uint64_t last)
{
	w->st->holes++;
	for (unsigned i = 0; i < w->nvis; i++)
		if (w->vis[i].hole)
			w->vis[i].hole(w->vis[i].arg, level, first, last + 1);
}

/* Reads the table at pa for level; returns a pointer to its entry 0. */
static const uint8_t *read_table(struct pgt_dump *d, const struct pgt_level *lv, uint8_t *buf,
				 uint64_t pa, struct pgt_err *err)
{
	uint64_t base = pa;
	size_t len = (size_t)lv->entries * lv->entry_size;
	if (lv->read_block) {
		base = pa & ~(uint64_t)(lv->read_block - 1);
		len = lv->read_block;
	}
	if (pgt_read_pa(d, base, buf, len, err) != PGT_OK)
		return NULL;
	return buf + (pa - base);
}

static size_t table_bytes(const struct pgt_level *lv)
{
	size_t n = (size_t)lv->entries * lv->entry_size;
	return lv->read_block > n ? lv->read_block : n;
}

static void walk_table(struct walker *w, uint64_t tpa, unsigned level, unsigned lo, unsigned hi,
		       uint64_t first, uint64_t last, const struct pgt_slot *parent,
		       const struct pgt_entry *pe)
{
	const struct pgt_level *lv = &w->pg->levels[level];
	const uint64_t emask = lv->entries - 1;
	struct pgt_err err = {0};
	char msg[200];
	int descend = w->nvis == 0;

	/* A table met again is reported before any visitor sees it, so
	 * none counts it twice. */
	if (pgt_u64set_add(&w->seen, tpa) == 0) {
		snprintf(msg, sizeof msg, "%s table at 0x%llx is reached a second time in this walk; not followed",
			 lv->name, (unsigned long long)tpa);
		emit_anomaly(w, PGT_A_LOOP, parent, pe, first, last, msg);
		return;
	}
	for (unsigned i = 0; i < w->nvis; i++)
		if (!w->vis[i].table || !w->vis[i].table(w->vis[i].arg, parent, pe, tpa, level, first, last + 1))
			descend = 1;
	if (!descend)
		return;
	if (w->pg->max_pa && tpa + lv->entries * lv->entry_size > w->pg->max_pa) {
		snprintf(msg, sizeof msg, "%s table at 0x%llx lies past the end of physical memory (0x%llx)",
			 lv->name, (unsigned long long)tpa, (unsigned long long)w->pg->max_pa);
		emit_anomaly(w, PGT_A_OUT_OF_RANGE, parent, pe, first, last, msg);
		return;
	}
	const uint8_t *tbl = read_table(w->d, lv, w->buf[level], tpa, &err);
	if (!tbl) {
		snprintf(msg, sizeof msg, "%s table unreadable: %s", lv->name, err.msg);
		emit_anomaly(w, PGT_A_UNREADABLE, parent, pe, first, last, msg);
		return;
	}
	w->st->tables++;
	w->st->bytes_read += (uint64_t)lv->entries * lv->entry_size;

	unsigned i0 = (unsigned)((first >> lv->shift) & emask);
	unsigned i1 = (unsigned)((last >> lv->shift) & emask);
	uint64_t base = first & ~span_last(lv->shift); /* address of slot i0 */
	if (i0 < lo || i1 > hi) {
		snprintf(msg, sizeof msg,
			 "%s table at 0x%llx covers indexes %u..%u only; range needs %u..%u; the rest is not walked",
			 lv->name, (unsigned long long)tpa, lo, hi, i0, i1);
		emit_anomaly(w, PGT_A_WINDOW, parent, pe, first, last, msg);
	}

	unsigned used = 0;
	int in_hole = 0;
	uint64_t hole_first = 0, hole_last = 0;
	for (unsigned idx = i0;; idx++) {
		uint64_t va = base + ((uint64_t)(idx - i0) << lv->shift);
		uint64_t va_last = va + span_last(lv->shift);
		uint64_t cf = va < first ? first : va;
		uint64_t cl = va_last > last ? last : va_last;
		struct pgt_slot s = {tpa, level, idx, va, (uint64_t)1 << lv->shift};
		struct pgt_entry e;

		if (idx < lo || idx > hi) {
			if (idx >= i1)
				break;
			continue;
		}
		memset(&e, 0, sizeof e);
		w->pg->ops->decode(w->pg, level, tbl, idx, &e);
		w->st->entries++;
		if (e.kind == PGT_E_NONE) {
			if (!in_hole)
				hole_first = cf;
			hole_last = cl;
			in_hole = 1;
		} else {
			if (in_hole)
				emit_hole(w, level, hole_first, hole_last);
			in_hole = 0;
			used++;
			if (e.kind == PGT_E_TABLE) {
				if (e.next_level <= level || e.next_level >= w->pg->nlevels) {
					e.kind = PGT_E_BAD;
					e.bad = "points to a table of an impossible level";
				} else {
					unsigned nhi = e.next_hi ? e.next_hi
						     : w->pg->levels[e.next_level].entries - 1;
					walk_table(w, e.pa, e.next_level, e.next_lo, nhi, cf, cl, &s, &e);
				}
			}
			if (e.kind == PGT_E_LEAF || e.kind == PGT_E_SWAP) {
				w->st->leaves++;
				for (unsigned v = 0; v < w->nvis; v++)
					if (w->vis[v].leaf)
						w->vis[v].leaf(w->vis[v].arg, &s, &e, cf, cl + 1);
				if (e.kind == PGT_E_LEAF && w->pg->max_pa && e.pa >= w->pg->max_pa) {
					snprintf(msg, sizeof msg,
						 "%s entry maps physical 0x%llx, past the end of physical memory (0x%llx)",
						 lv->name, (unsigned long long)e.pa,
						 (unsigned long long)w->pg->max_pa);
					emit_anomaly(w, PGT_A_OUT_OF_RANGE, &s, &e, cf, cl, msg);
				}
			}
			if (e.kind == PGT_E_BAD) {
				snprintf(msg, sizeof msg, "bad %s entry 0x%llx at 0x%llx[%u]: %s", lv->name,
					 (unsigned long long)e.raw, (unsigned long long)tpa, idx,
					 e.bad ? e.bad : "malformed");
				emit_anomaly(w, PGT_A_BAD_ENTRY, &s, &e, cf, cl, msg);
			}
		}
		if (idx >= i1)
			break;
	}
	if (in_hole)
		emit_hole(w, level, hole_first, hole_last);
	for (unsigned v = 0; v < w->nvis; v++)
		if (w->vis[v].table_done)
			w->vis[v].table_done(w->vis[v].arg, parent, tpa, level, first, last + 1, used);
}

pgt_status pgt_walk(struct pgt_dump *d, const struct pgt_root *root, uint64_t start, uint64_t end,
		    const struct pgt_visitor *vis, unsigned nvis, struct pgt_walk_stats *stats,
		    struct pgt_err *err)
{
	struct walker w = {.d = d, .pg = &d->pg, .vis = vis, .nvis = nvis};
	struct pgt_walk_stats dummy;
	const struct pgt_level *top = &d->pg.levels[root->level];
	uint64_t last = end ? end - 1 : ~0ull;
	/* The root translates the low va_bits; addresses above keep their high
	 * bits (x86_64's sign-extended kernel half) and index the same table. */
	uint64_t span = span_last(top->shift + (unsigned)__builtin_ctz(top->entries));
	uint64_t root_last = root->va_limit ? root->va_limit - 1 : (start & ~span) | span;
	pgt_status st = PGT_OK;

	memset(stats ? stats : &dummy, 0, sizeof dummy);
	w.st = stats ? stats : &dummy;
	if (start > last)
		return PGT_OK;
	for (unsigned l = 0; l < d->pg.nlevels; l++) {
		w.buf[l] = malloc(table_bytes(&d->pg.levels[l]));
		if (!w.buf[l]) {
			st = pgt_fail(err, PGT_ENOMEM, "out of memory for page-table buffers");
			goto out;
		}
	}
	if (start <= root_last) {
		uint64_t l2 = last > root_last ? root_last : last;
		walk_table(&w, root->pa, root->level, root->lo, root->hi, start, l2, NULL, NULL);
	}
	if (last > root_last && start <= last) {
		uint64_t f = start > root_last ? start : root_last + 1;
		for (unsigned i = 0; i < nvis; i++)
			if (vis[i].hole)
				vis[i].hole(vis[i].arg, root->level, f, last + 1);
	}
	if (w.seen.oom)
		st = pgt_fail(err, PGT_ENOMEM, "out of memory while walking");
out:
	for (unsigned l = 0; l < d->pg.nlevels; l++)
		free(w.buf[l]);
	pgt_u64set_free(&w.seen);
	return st;
}

pgt_status pgt_translate(struct pgt_dump *d, const struct pgt_root *root, uint64_t va, uint64_t *pa,
			 struct pgt_trace *trace, struct pgt_err *err)
{
	const struct pgt_paging *pg = &d->pg;
	uint64_t tpa = root->pa;
	unsigned level = root->level, lo = root->lo, hi = root->hi;
	static uint8_t bufs[1 << 16]; /* single-threaded tool; biggest table is 16 KiB */
	struct pgt_trace local;

	if (!trace)
		trace = &local;
	trace->n = 0;
	if (root->va_limit && va >= root->va_limit)
		return pgt_fail(err, PGT_ENOMAP, "address 0x%llx is beyond this address space's limit 0x%llx",
				(unsigned long long)va, (unsigned long long)root->va_limit);
	for (unsigned steps = 0; steps < PGT_MAX_LEVELS && level < pg->nlevels; steps++) {
		const struct pgt_level *lv = &pg->levels[level];
		unsigned idx = (unsigned)((va >> lv->shift) & (lv->entries - 1));
		struct pgt_entry *e = &trace->entry[trace->n];
		struct pgt_slot *s = &trace->slot[trace->n];
		if (table_bytes(lv) > sizeof bufs)
			return pgt_fail(err, PGT_EINPUT, "%s table larger than supported", lv->name);
		const uint8_t *tbl = read_table(d, lv, bufs, tpa, err);
		if (!tbl)
			return pgt_wrap(err, "%s table at 0x%llx", lv->name, (unsigned long long)tpa);
		*s = (struct pgt_slot){tpa, level, idx, va & ~span_last(lv->shift), (uint64_t)1 << lv->shift};
		memset(e, 0, sizeof *e);
		if (idx < lo || idx > hi) {
			e->kind = PGT_E_BAD;
			e->bad = "index outside the table's valid window";
		} else
			pg->ops->decode(pg, level, tbl, idx, e);
		trace->n++;
		switch (e->kind) {
		case PGT_E_TABLE:
			if (e->next_level <= level || e->next_level >= pg->nlevels) {
				e->kind = PGT_E_BAD;
				e->bad = "points to a table of an impossible level";
				return pgt_fail(err, PGT_ENOMAP, "bad %s entry", lv->name);
			}
			tpa = e->pa;
			level = e->next_level;
			lo = e->next_lo;
			hi = e->next_hi ? e->next_hi : pg->levels[level].entries - 1;
			continue;
		case PGT_E_LEAF:
			*pa = e->pa + (va & span_last(lv->shift));
			return PGT_OK;
		default:
			return pgt_fail(err, PGT_ENOMAP, "address 0x%llx not mapped (%s entry %s)",
					(unsigned long long)va, lv->name,
					e->kind == PGT_E_NONE ? "empty" : e->kind == PGT_E_SWAP ? "not present" : "bad");
		}
	}
	return pgt_fail(err, PGT_EINPUT, "page-table walk for 0x%llx did not end", (unsigned long long)va);
}
