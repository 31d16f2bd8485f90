/*
 * audit.c: the seal of a request's history (audit.h)
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "audit.h"
#include "xmalloc.h"

/* ",<bytes>:<text>" or ",-" */
static void
audit_field(EVP_MD_CTX *ctx, const char *s)
{
	char	len[24];
	int	n;

	if (s == NULL) {
		EVP_DigestUpdate(ctx, ",-", 2);
		return;
	}
	n = snprintf(len, sizeof len, ",%zu:", strlen(s));
	EVP_DigestUpdate(ctx, len, (size_t)n);
	EVP_DigestUpdate(ctx, s, strlen(s));
}

void
audit_seal(const unsigned char *prev, const struct audit_event *e,
    unsigned char out[AUDIT_SEAL_LEN])
{
	EVP_MD_CTX	*ctx;
	char		 head[48];
	unsigned int	 len = AUDIT_SEAL_LEN;
	int		 n;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		xmalloc_fatal();	/* it fails only for want of memory */
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	if (prev != NULL)
		EVP_DigestUpdate(ctx, prev, AUDIT_SEAL_LEN);
	n = snprintf(head, sizeof head, "%" PRId64 ",%" PRId64, e->request_id,
	    e->at_us);
	EVP_DigestUpdate(ctx, head, (size_t)n);
	audit_field(ctx, e->actor);
	audit_field(ctx, e->kind);
	audit_field(ctx, e->old_value);
	audit_field(ctx, e->new_value);
	audit_field(ctx, e->note);
	EVP_DigestUpdate(ctx, e->public ? ",1" : ",0", 2);
	EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
}
