/* ELF helpers: GNU build-id of a file (vmlinux, object). */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "pgt/profile.h"

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

/* Looks for the GNU build-id note in one block of note data (libelf has
 * already converted the headers to host byte order). */
static int find_build_id(Elf_Data *data, const unsigned char **desc, size_t *len)
{
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off;
	while (off < data->d_size &&
	       (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		const char *name = (const char *)data->d_buf + name_off;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && !memcmp(name, "GNU", 4) &&
		    nh.n_descsz > 0) {
			*desc = (const unsigned char *)data->d_buf + desc_off;
			*len = nh.n_descsz;
			return 1;
		}
	}
	return 0;
}

pgt_status pgt_elf_build_id_elf(Elf *elf, char *hex, size_t hexlen)
{
	if (hexlen)
		hex[0] = '\0';
	const unsigned char *desc = NULL;
	size_t len = 0;
	int found = 0;
	/* Sections first (vmlinux, objects), then segments (stripped files). */
	Elf_Scn *scn = NULL;
	while (!found && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (d && d->d_buf)
			found = find_build_id(d, &desc, &len);
	}
	size_t phnum = 0;
	if (!found && elf_getphdrnum(elf, &phnum) == 0) {
		for (size_t i = 0; i < phnum && !found; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE)
				continue;
			Elf_Data *d = elf_getdata_rawchunk(elf, ph.p_offset, ph.p_filesz,
							   ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
			if (d && d->d_buf)
				found = find_build_id(d, &desc, &len);
		}
	}
	if (!found)
		return PGT_ENOTFOUND;
	if (hexlen < 2 * len + 1)
		return PGT_EINPUT;
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		hex[2 * i] = digits[desc[i] >> 4];
		hex[2 * i + 1] = digits[desc[i] & 15];
	}
	hex[2 * len] = '\0';
	return PGT_OK;
}

pgt_status pgt_elf_build_id(const char *path, char *hex, size_t hexlen, struct pgt_err *err)
{
	if (hexlen)
		hex[0] = '\0';
	elf_version(EV_CURRENT);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pgt_fail(err, PGT_EINPUT, "%s: %s", path, strerror(errno));
	/* Read, not mapped: a few small reads of a possibly huge file. */
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	pgt_status st;
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		st = pgt_fail(err, PGT_EINPUT, "%s: not an ELF file", path);
	else if ((st = pgt_elf_build_id_elf(elf, hex, hexlen)) == PGT_ENOTFOUND)
		pgt_fail(err, st, "%s: no GNU build-id note", path);
	else if (st != PGT_OK)
		pgt_fail(err, st, "%s: build-id does not fit in %zu characters", path, hexlen);
	if (elf)
		elf_end(elf);
	close(fd);
	return st;
}
