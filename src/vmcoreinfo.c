/* VMCOREINFO lookups over the raw note text. */
#include <stdlib.h>
#include <string.h>
#include "pgt/vmcoreinfo.h"

const char *pgt_vmci_get(const char *text, const char *key, char *buf, unsigned buflen)
{
	size_t klen = strlen(key);
	const char *p = text;

	if (!text || !buflen)
		return NULL;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vlen = len - klen - 1;
			if (vlen >= buflen)
				vlen = buflen - 1;
			memcpy(buf, p + klen + 1, vlen);
			buf[vlen] = 0;
			return buf;
		}
		if (!eol)
			break;
		p = eol + 1;
	}
	return NULL;
}

int pgt_vmci_hex(const char *text, const char *key, uint64_t *out)
{
	char buf[64], *end;
	if (!pgt_vmci_get(text, key, buf, sizeof buf))
		return 0;
	*out = strtoull(buf, &end, 16);
	return end != buf;
}

int pgt_vmci_dec(const char *text, const char *key, int64_t *out)
{
	char buf[64], *end;
	if (!pgt_vmci_get(text, key, buf, sizeof buf))
		return 0;
	*out = strtoll(buf, &end, 10);
	return end != buf;
}
