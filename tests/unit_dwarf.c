/* The DWARF resolver against (1) a compiled fixture whose truth is this
 * file's own offsetof()/sizeof() of the same header, and (2) the real Debian
 * x86_64 vmlinux, if present, against what its dump's VMCOREINFO and the
 * guest's kallsyms state. */
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include "pgt/profile.h"
#include "unit.h"
#include "synth_types.h"

#ifndef PGT_SYNTH_OBJ
#error "PGT_SYNTH_OBJ (path of the compiled fixture) comes from fixtures/CMakeLists.txt"
#endif

#define REAL_VMLINUX "/root/.cache/pgt-realdumps/x86_64/vmlinux-6.1.0-56-amd64"

#define MSIZE(T, m) sizeof(((T *)0)->m)
#define ESIZE(T, m) sizeof(((T *)0)->m[0])

/* off/size/elem of a field against the compiler's own layout. */
#define CHECK_FIELD(p, f, T, m, el) do { \
	CHECK_EQ((p)->field[f].off, offsetof(T, m)); \
	CHECK_EQ((p)->field[f].size, MSIZE(T, m)); \
	CHECK_EQ((p)->field[f].elem, (el)); \
} while (0)
#define CHECK_SCALAR(p, f, T, m) CHECK_FIELD(p, f, T, m, MSIZE(T, m))
#define CHECK_ARRAY(p, f, T, m) CHECK_FIELD(p, f, T, m, ESIZE(T, m))

static void test_synth(void)
{
	static struct pgt_profile p;
	struct pgt_err err = { 0 };
	pgt_status st = pgt_profile_from_vmlinux(&p, PGT_SYNTH_OBJ, &err);
	if (st != PGT_OK)
		fprintf(stderr, "%s\n", err.msg);
	CHECK_EQ(st, PGT_OK);

	CHECK(!strcmp(p.arch, "x86_64"));
	CHECK_EQ(p.ptr_size, sizeof(void *));
	CHECK_EQ(p.big_endian, 0);
	CHECK(!strcmp(p.osrelease, "9.9.9-synth"));
	CHECK(!strcmp(p.source, PGT_SYNTH_OBJ));
	CHECK(p.build_id[0] == '\0'); /* objects carry no build-id */

	CHECK_EQ(p.struct_size[S_task_struct], sizeof(struct task_struct));
	CHECK_EQ(p.struct_size[S_mm_struct], sizeof(struct mm_struct));
	CHECK_EQ(p.struct_size[S_vm_area_struct], sizeof(struct vm_area_struct));
	CHECK_EQ(p.struct_size[S_page], sizeof(struct page));
	CHECK_EQ(p.struct_size[S_maple_node], sizeof(struct maple_node));
	/* typedefs of an anonymous struct, and of a typedef of an integer */
	CHECK_EQ(p.struct_size[S_pte_t], sizeof(pte_t));
	CHECK_EQ(p.struct_size[S_pgd_t], sizeof(pgd_t));
	CHECK_EQ(p.struct_size[S_pmd_t], sizeof(pmd_t));

	CHECK_SCALAR(&p, F_task_tasks, struct task_struct, tasks);
	CHECK_SCALAR(&p, F_task_pid, struct task_struct, pid);
	CHECK_SCALAR(&p, F_task_tgid, struct task_struct, tgid);
	CHECK_ARRAY(&p, F_task_comm, struct task_struct, comm);
	/* "__state|state": only the second alternative exists here */
	CHECK_SCALAR(&p, F_task_state, struct task_struct, state);
	CHECK_SCALAR(&p, F_task_exit_state, struct task_struct, exit_state);
	CHECK_SCALAR(&p, F_task_flags, struct task_struct, flags);
	CHECK_SCALAR(&p, F_task_mm, struct task_struct, mm);
	CHECK_SCALAR(&p, F_task_active_mm, struct task_struct, active_mm);
	CHECK_SCALAR(&p, F_task_signal, struct task_struct, signal);
	CHECK_SCALAR(&p, F_task_thread_node, struct task_struct, thread_node);
	CHECK_SCALAR(&p, F_task_thread_group, struct task_struct, thread_group);
	CHECK_SCALAR(&p, F_task_fs, struct task_struct, fs);
	CHECK_SCALAR(&p, F_signal_thread_head, struct signal_struct, thread_head);
	CHECK_SCALAR(&p, F_fs_root, struct fs_struct, root);

	/* mm_struct: everything inside an anonymous struct */
	CHECK_SCALAR(&p, F_mm_pgd, struct mm_struct, pgd);
	CHECK_SCALAR(&p, F_mm_mt, struct mm_struct, mm_mt);
	CHECK_SCALAR(&p, F_mm_map_count, struct mm_struct, map_count);
	CHECK_SCALAR(&p, F_mm_start_brk, struct mm_struct, start_brk);
	CHECK_SCALAR(&p, F_mm_brk, struct mm_struct, brk);
	CHECK_SCALAR(&p, F_mm_start_stack, struct mm_struct, start_stack);
	CHECK_SCALAR(&p, F_mm_task_size, struct mm_struct, task_size);
	CHECK_SCALAR(&p, F_mm_pgtables_bytes, struct mm_struct, pgtables_bytes);
	CHECK_SCALAR(&p, F_mm_users, struct mm_struct, mm_users);
	CHECK_SCALAR(&p, F_mm_count, struct mm_struct, mm_count);
	CHECK_SCALAR(&p, F_mm_owner, struct mm_struct, owner);
	CHECK_SCALAR(&p, F_mm_flags, struct mm_struct, flags);
	/* through a named member whose type is a typedef of an anonymous struct */
	CHECK_SCALAR(&p, F_mm_ctx_asce, struct mm_struct, context.asce);
	CHECK_SCALAR(&p, F_mm_ctx_asce_limit, struct mm_struct, context.asce_limit);
	/* absent members of a struct that was seen complete */
	CHECK(!pgt_has_field(&p, F_mm_mmap));
	CHECK(!pgt_has_field(&p, F_mm_ctx_ldt));
	CHECK_EQ(p.field[F_mm_mmap].off, PGT_ABSENT);

	CHECK_SCALAR(&p, F_mt_root, struct maple_tree, ma_root);
	CHECK_SCALAR(&p, F_mt_flags, struct maple_tree, ma_flags);
	CHECK_ARRAY(&p, F_mr64_pivot, struct maple_range_64, pivot);
	CHECK_ARRAY(&p, F_mr64_slot, struct maple_range_64, slot); /* in an anonymous union */
	CHECK_ARRAY(&p, F_ma64_pivot, struct maple_arange_64, pivot);
	CHECK_ARRAY(&p, F_ma64_slot, struct maple_arange_64, slot);

	CHECK_SCALAR(&p, F_vma_start, struct vm_area_struct, vm_start);
	CHECK_SCALAR(&p, F_vma_end, struct vm_area_struct, vm_end);
	CHECK(!pgt_has_field(&p, F_vma_next));
	CHECK_SCALAR(&p, F_vma_mm, struct vm_area_struct, vm_mm);
	CHECK_SCALAR(&p, F_vma_flags, struct vm_area_struct, vm_flags);
	CHECK_SCALAR(&p, F_vma_pgoff, struct vm_area_struct, vm_pgoff);
	CHECK_SCALAR(&p, F_vma_file, struct vm_area_struct, vm_file);
	CHECK_SCALAR(&p, F_vma_ops, struct vm_area_struct, vm_ops);
	CHECK_SCALAR(&p, F_vma_private, struct vm_area_struct, vm_private_data);
	CHECK_SCALAR(&p, F_vma_anon_name, struct vm_area_struct, anon_name);
	CHECK_SCALAR(&p, F_vma_anon_vma, struct vm_area_struct, anon_vma);
	/* flexible array: no size, element size 1 */
	CHECK_EQ(p.field[F_anon_vma_name_name].off, offsetof(struct anon_vma_name, name));
	CHECK_EQ(p.field[F_anon_vma_name_name].size, 0);
	CHECK_EQ(p.field[F_anon_vma_name_name].elem, 1);
	CHECK_SCALAR(&p, F_special_mapping_name, struct vm_special_mapping, name);
	CHECK_SCALAR(&p, F_vm_ops_name, struct vm_operations_struct, name);

	CHECK_SCALAR(&p, F_file_path, struct file, f_path);
	CHECK_SCALAR(&p, F_file_inode, struct file, f_inode);
	CHECK_SCALAR(&p, F_path_mnt, struct path, mnt);
	CHECK_SCALAR(&p, F_path_dentry, struct path, dentry);
	CHECK_SCALAR(&p, F_dentry_parent, struct dentry, d_parent);
	CHECK_SCALAR(&p, F_dentry_name, struct dentry, d_name);
	CHECK_SCALAR(&p, F_dentry_hash_pprev, struct dentry, d_hash.pprev);
	CHECK_SCALAR(&p, F_dentry_op, struct dentry, d_op);
	CHECK_SCALAR(&p, F_dentry_inode, struct dentry, d_inode);
	CHECK_SCALAR(&p, F_dentry_ops_dname, struct dentry_operations, d_dname);
	CHECK_SCALAR(&p, F_qstr_len, struct qstr, len); /* union > struct > len */
	CHECK_SCALAR(&p, F_qstr_name, struct qstr, name);
	CHECK_SCALAR(&p, F_inode_ino, struct inode, i_ino);
	CHECK_SCALAR(&p, F_inode_sb, struct inode, i_sb);
	CHECK_SCALAR(&p, F_sb_dev, struct super_block, s_dev);
	CHECK_SCALAR(&p, F_mount_parent, struct mount, mnt_parent);
	CHECK_SCALAR(&p, F_mount_mountpoint, struct mount, mnt_mountpoint);
	CHECK_SCALAR(&p, F_mount_mnt, struct mount, mnt);
	CHECK_SCALAR(&p, F_vfsmount_root, struct vfsmount, mnt_root);

	CHECK_SCALAR(&p, F_page_flags, struct page, flags);
	CHECK_SCALAR(&p, F_page_mapping, struct page, mapping);
	CHECK_SCALAR(&p, F_page_mapcount, struct page, _mapcount);
	CHECK_SCALAR(&p, F_page_compound_head, struct page, compound_head);
	CHECK_SCALAR(&p, F_page_compound_dtor, struct page, compound_dtor);
	CHECK_SCALAR(&p, F_page_compound_mapcount, struct page, compound_mapcount);
	CHECK_SCALAR(&p, F_page_page_type, struct page, page_type);
	CHECK_SCALAR(&p, F_page_refcount, struct page, _refcount);
	CHECK_SCALAR(&p, F_page_pt_frag_refcount, struct page, pt_frag_refcount);
	CHECK_SCALAR(&p, F_list_next, struct list_head, next);

	CHECK(p.has_enum[E_PG_head]);
	CHECK_EQ(p.enumval[E_PG_head], PG_head);
	CHECK_EQ(p.enumval[E_PG_anon_exclusive], PG_anon_exclusive);
	CHECK_EQ(p.enumval[E_PG_double_map], PG_double_map);
	CHECK_EQ(p.enumval[E_PG_workingset], PG_workingset);
	CHECK_EQ(p.enumval[E_PG_swapbacked], PG_swapbacked);
	CHECK_EQ(p.enumval[E_HUGETLB_PAGE_DTOR], HUGETLB_PAGE_DTOR);
	CHECK_EQ(p.enumval[E_maple_dense], maple_dense);
	CHECK_EQ(p.enumval[E_maple_leaf_64], maple_leaf_64);
	CHECK_EQ(p.enumval[E_maple_range_64], maple_range_64);
	CHECK_EQ(p.enumval[E_maple_arange_64], maple_arange_64);

	/* Object files hold section offsets: present, distinct, non-zero. */
	CHECK(p.sym[Y_init_task] != 0);
	CHECK(p.sym[Y_init_mm] != 0);
	CHECK(p.sym[Y_init_task] != p.sym[Y_init_mm]);
	CHECK_EQ(p.sym[Y_swapper_pg_dir], 0);
	CHECK_EQ(p.sym[Y_vmemmap_base], 0);
}

static void test_errors(void)
{
	static struct pgt_profile p;
	struct pgt_err err = { 0 };
	CHECK(pgt_profile_from_vmlinux(&p, "/nonexistent/vmlinux", &err) != PGT_OK);
	CHECK(strstr(err.msg, "/nonexistent/vmlinux") != NULL);
	/* Not ELF */
	memset(&err, 0, sizeof(err));
	CHECK(pgt_profile_from_vmlinux(&p, "/proc/self/cmdline", &err) != PGT_OK);
	CHECK(strstr(err.msg, "/proc/self/cmdline") != NULL);
	/* ELF without DWARF: Debian's libc is stripped. */
	const char *libc = "/lib/x86_64-linux-gnu/libc.so.6";
	if (access(libc, R_OK) == 0) {
		memset(&err, 0, sizeof(err));
		CHECK_EQ(pgt_profile_from_vmlinux(&p, libc, &err), PGT_ENOTFOUND);
		CHECK(strstr(err.msg, "no DWARF") != NULL);
	}
	char hex[64];
	CHECK(pgt_elf_build_id("/nonexistent", hex, sizeof(hex), &err) != PGT_OK);
	CHECK(pgt_profile_from_vmlinux(&p, "/nonexistent", NULL) != PGT_OK); /* err may be NULL */
}

static void test_real(void)
{
	if (access(REAL_VMLINUX, R_OK) != 0) {
		printf("SKIP real vmlinux: not present\n");
		return;
	}
	static struct pgt_profile p;
	struct pgt_err err = { 0 };
	pgt_status st = pgt_profile_from_vmlinux(&p, REAL_VMLINUX, &err);
	if (st != PGT_OK)
		fprintf(stderr, "%s\n", err.msg);
	CHECK_EQ(st, PGT_OK);
	CHECK(!strcmp(p.build_id, "eb4fbcd037e7253717950bf2b93bd5566f47c56f"));
	CHECK(!strcmp(p.osrelease, "6.1.0-56-amd64"));
	CHECK(!strcmp(p.arch, "x86_64"));
	CHECK_EQ(p.ptr_size, 8);
	CHECK_EQ(p.big_endian, 0);

	/* VMCOREINFO of the dump */
	CHECK_EQ(p.struct_size[S_page], 64);
	CHECK_EQ(p.field[F_page_flags].off, 0);
	CHECK_EQ(p.field[F_page_refcount].off, 52);
	CHECK_EQ(p.field[F_page_mapping].off, 24);
	CHECK_EQ(p.field[F_page_mapcount].off, 48);
	CHECK_EQ(p.field[F_page_compound_head].off, 8);
	CHECK_EQ(p.field[F_page_compound_dtor].off, 16);
	CHECK_EQ(p.field[F_list_next].off, 0);
	CHECK_EQ(p.enumval[E_PG_swapbacked], 19);      /* NUMBER(PG_swapbacked) */
	CHECK_EQ(p.enumval[E_HUGETLB_PAGE_DTOR], 2);   /* NUMBER(HUGETLB_PAGE_DTOR) */
	CHECK_EQ(1ull << p.enumval[E_PG_head], 65536); /* NUMBER(PG_head_mask) */

	/* kallsyms of the guest (nokaslr).  x86_64 has no swapper_pg_dir
	 * symbol: VMCOREINFO's SYMBOL(swapper_pg_dir) is init_top_pgt. */
	CHECK_EQ(p.sym[Y_init_top_pgt], 0xffffffff82a10000ull);
	CHECK_EQ(p.sym[Y_init_task], 0xffffffff82a1aa40ull);
	CHECK_EQ(p.sym[Y_init_mm], 0xffffffff82b5c940ull);

	/* 6.1 has no mm->mmap (maple tree) and x86 no context.asce. */
	CHECK(pgt_has_field(&p, F_mm_mt));
	CHECK(!pgt_has_field(&p, F_mm_mmap));
	CHECK(!pgt_has_field(&p, F_mm_ctx_asce));
	CHECK(pgt_has_field(&p, F_mm_ctx_ldt));
	CHECK(pgt_has_field(&p, F_qstr_len));
	CHECK(pgt_has_field(&p, F_mr64_slot));
	CHECK_EQ(p.field[F_mr64_slot].elem, 8);
	CHECK_EQ(p.field[F_mr64_slot].size, 16 * 8);
	CHECK_EQ(p.struct_size[S_maple_node], 256);
}

int main(void)
{
	test_synth();
	test_errors();
	test_real();
	return t_done();
}
