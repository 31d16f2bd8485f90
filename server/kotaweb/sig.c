/*
 * sig.c: the signatures of inbound webhooks (sig.h)
 *
 * Twilio's rule is the one of its SDKs' RequestValidator: the URL as
 * configured in Twilio, then for each parameter name in byte order its
 * distinct values in byte order, name and value appended with nothing
 * between; the values decoded ('+' a space, %XX a byte), not as they came
 * on the wire.  A proxy may add or drop the default port, so the SDKs
 * accept either form of the URL; so does sig_twilio_check().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "form.h"
#include "sig.h"
#include "strbuf.h"
#include "xmalloc.h"

struct sig_pair {
	char	*key;		/* decoded: a NUL may be inside */
	size_t	 klen;
	char	*value;
	size_t	 vlen;
};

bool
sig_equal(const char *a, const char *b)
{
	size_t	n = strlen(a);

	if (n != strlen(b))
		return false;
	return CRYPTO_memcmp(a, b, n) == 0;
}

/* byte order, a prefix first */
static int
sig_bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int	c;

	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
sig_pair_cmp(const void *x, const void *y)
{
	const struct sig_pair	*a = x, *b = y;
	int			 c;

	if ((c = sig_bytes_cmp(a->key, a->klen, b->key, b->klen)) != 0)
		return c;
	return sig_bytes_cmp(a->value, a->vlen, b->value, b->vlen);
}

static char *
sig_take(const struct strbuf *sb, size_t *len)
{
	char	*p = xmalloc(sb->len + 1);

	memcpy(p, strbuf_str(sb), sb->len);
	p[sb->len] = '\0';
	*len = sb->len;
	return p;
}

static void
sig_pairs_free(struct sig_pair *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
}

/* The pairs of a form body, decoded, empty values included; sorted. */
static int
sig_pairs(const char *body, size_t len, struct sig_pair **out, size_t *np)
{
	struct sig_pair	*p = NULL;
	struct strbuf	 k = STRBUF_INIT, v = STRBUF_INIT;
	const char	*s = body, *end = body + len, *amp, *eq;
	size_t		 n = 0, cap = 0;

	while (s < end) {
		if ((amp = memchr(s, '&', (size_t)(end - s))) == NULL)
			amp = end;
		if (amp == s) {
			s++;
			continue;
		}
		if ((eq = memchr(s, '=', (size_t)(amp - s))) == NULL)
			eq = amp;
		strbuf_reset(&k);
		strbuf_reset(&v);
		if (form_decode(s, (size_t)(eq - s), true, &k) != 0 ||
		    (eq < amp && form_decode(eq + 1, (size_t)(amp - eq - 1),
		    true, &v) != 0)) {
			strbuf_release(&k);
			strbuf_release(&v);
			sig_pairs_free(p, n);
			return -1;
		}
		if (n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			p = xreallocarray(p, cap, sizeof *p);
		}
		p[n].key = sig_take(&k, &p[n].klen);
		p[n].value = sig_take(&v, &p[n].vlen);
		n++;
		s = amp + 1;
	}
	strbuf_release(&k);
	strbuf_release(&v);
	if (n > 0)
		qsort(p, n, sizeof *p, sig_pair_cmp);
	*out = p;
	*np = n;
	return 0;
}

int
sig_twilio(const char *token, const char *url, const char *body,
    size_t len, char *out, size_t outsz)
{
	struct sig_pair	*p = NULL;
	struct strbuf	 msg = STRBUF_INIT;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	size_t		 n = 0, i;
	int		 rc = -1;

	if (token == NULL || *token == '\0' || outsz < SIG_TWILIO_LEN + 1)
		return -1;
	if (sig_pairs(body, len, &p, &n) != 0)
		return -1;
	strbuf_adds(&msg, url);
	for (i = 0; i < n; i++) {
		/* the same name and value twice is signed once */
		if (i > 0 && sig_pair_cmp(&p[i - 1], &p[i]) == 0)
			continue;
		strbuf_add(&msg, p[i].key, p[i].klen);
		strbuf_add(&msg, p[i].value, p[i].vlen);
	}
	if (HMAC(EVP_sha1(), token, (int)strlen(token),
	    (const unsigned char *)strbuf_str(&msg), msg.len, md,
	    &mdlen) != NULL && mdlen == 20) {
		EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
		rc = 0;
	}
	strbuf_release(&msg);
	sig_pairs_free(p, n);
	OPENSSL_cleanse(md, sizeof md);
	return rc;
}

int
sig_url_other_port(const char *url, char *out, size_t outsz)
{
	const char	*host, *hend, *colon, *bracket, *port, *p;
	size_t		 plen;
	int		 n;

	if (strncmp(url, "https://", 8) == 0) {
		host = url + 8;
		port = "443";
	} else if (strncmp(url, "http://", 7) == 0) {
		host = url + 7;
		port = "80";
	} else
		return -1;
	hend = host + strcspn(host, "/?#");
	plen = strlen(port);
	colon = NULL;
	bracket = NULL;
	for (p = host; p < hend; p++) {
		if (*p == ']')
			bracket = p;
		else if (*p == ':')
			colon = p;
	}
	if (colon != NULL && bracket != NULL && colon < bracket)
		colon = NULL;		/* inside [IPv6] */
	if (colon == host || (colon == NULL && hend == host))
		return -1;
	if (colon != NULL) {
		/* only the default port can go */
		if ((size_t)(hend - colon - 1) != plen ||
		    memcmp(colon + 1, port, plen) != 0)
			return -1;
		n = snprintf(out, outsz, "%.*s%s", (int)(colon - url), url,
		    hend);
	} else
		n = snprintf(out, outsz, "%.*s:%s%s", (int)(hend - url), url,
		    port, hend);
	return n >= 0 && (size_t)n < outsz ? 0 : -1;
}

bool
sig_twilio_check(const char *token, const char *url, const char *body,
    size_t len, const char *header)
{
	char	want[SIG_TWILIO_LEN + 1], other[SIG_URL_MAX];
	bool	ok = false;

	if (header == NULL || url == NULL)
		return false;
	if (sig_twilio(token, url, body, len, want, sizeof want) != 0)
		return false;
	ok = sig_equal(want, header);
	if (sig_url_other_port(url, other, sizeof other) == 0 &&
	    sig_twilio(token, other, body, len, want, sizeof want) == 0)
		ok = sig_equal(want, header) || ok;
	OPENSSL_cleanse(want, sizeof want);
	return ok;
}

bool
sig_hmac256_check(const char *secret, const char *body, size_t len,
    const char *header)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0, i;
	char			 want[65], got[65];
	size_t			 n;
	bool			 ok;

	if (secret == NULL || *secret == '\0' || header == NULL)
		return false;
	if (strncmp(header, "sha256=", 7) == 0)
		header += 7;
	if ((n = strlen(header)) != 64)
		return false;
	for (i = 0; i < 64; i++) {
		char	ch = header[i];

		got[i] = ch >= 'A' && ch <= 'F' ? (char)(ch - 'A' + 'a') : ch;
	}
	got[64] = '\0';
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)(len > 0 ? body : ""), len, md,
	    &mdlen) == NULL || mdlen != 32)
		return false;
	for (i = 0; i < 32; i++) {
		want[2 * i] = hex[md[i] >> 4];
		want[2 * i + 1] = hex[md[i] & 0xf];
	}
	want[64] = '\0';
	ok = CRYPTO_memcmp(want, got, 64) == 0;
	OPENSSL_cleanse(want, sizeof want);
	OPENSSL_cleanse(md, sizeof md);
	return ok;
}
