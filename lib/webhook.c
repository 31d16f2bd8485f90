/*
 * webhook.c: signing webhooks the Standard Webhooks way (v1)
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "i18n.h"
#include "webhook.h"
#include "xmalloc.h"

#define WEBHOOK_PREFIX		"whsec_"
#define WEBHOOK_STACK_MAX	4096

static int
webhook_b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
webhook_base64_decode(const char *in, size_t len, unsigned char *out,
    size_t outsz, size_t *outlen)
{
	uint32_t	acc = 0;
	size_t		i, n = 0, pad = 0;
	int		v, bits = 0;

	while (len > 0 && in[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	/* padding is optional, but when given it must be complete */
	if ((pad > 0 && (len + pad) % 4 != 0) || len % 4 == 1)
		return -1;
	for (i = 0; i < len; i++) {
		if ((v = webhook_b64_value((unsigned char)in[i])) < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == outsz)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	/* the unused low bits of the last character must be zero */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return -1;
	*outlen = n;
	return 0;
}

/*
 * The checks run in a fixed order, the order kota.webhook_secret_bytes()
 * of schema/api/directory.sql follows, so that the database refuses a
 * department's secret with the very words kotad would use.
 */
int
webhook_key_check(const char *secret, struct webhook_key *key, char *why,
    size_t whysz)
{
	const char	*b;
	size_t		 len, pad = 0, i, bytes;
	int		 last = 0;

	memset(key, 0, sizeof *key);
	if (whysz > 0)
		why[0] = '\0';
	if (secret == NULL)
		secret = "";
	while (*secret == ' ' || *secret == '\t')
		secret++;
	if (strncmp(secret, WEBHOOK_PREFIX, strlen(WEBHOOK_PREFIX)) != 0) {
		snprintf(why, whysz, "%s", _(WEBHOOK_WHY_PREFIX));
		return -1;
	}
	b = secret + strlen(WEBHOOK_PREFIX);
	len = strlen(b);
	while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r' ||
	    b[len - 1] == ' ' || b[len - 1] == '\t'))
		len--;
	while (len > 0 && b[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	for (i = 0; i < len; i++)
		if ((last = webhook_b64_value((unsigned char)b[i])) < 0)
			break;
	if (i < len || (pad > 0 && (len + pad) % 4 != 0) || len % 4 == 1 ||
	    (len % 4 == 2 && (last & 15) != 0) ||
	    (len % 4 == 3 && (last & 3) != 0)) {
		snprintf(why, whysz, "%s", _(WEBHOOK_WHY_BASE64));
		return -1;
	}
	bytes = len * 6 / 8;
	if (bytes < WEBHOOK_KEY_MIN || bytes > WEBHOOK_KEY_MAX) {
		snprintf(why, whysz, _(WEBHOOK_WHY_SIZE), bytes);
		return -1;
	}
	if (webhook_base64_decode(b, len, key->bytes, sizeof key->bytes,
	    &key->len) != 0) {
		/* not reached: the checks above are the decoder's */
		memset(key, 0, sizeof *key);
		snprintf(why, whysz, "%s", _(WEBHOOK_WHY_BASE64));
		return -1;
	}
	return 0;
}

int
webhook_key_parse(const char *secret, struct webhook_key *key)
{
	char	why[128];

	return webhook_key_check(secret, key, why, sizeof why);
}

int
webhook_secret_generate(char *out, size_t outsz)
{
	unsigned char	key[WEBHOOK_NEW_KEY];
	size_t		pre = strlen(WEBHOOK_PREFIX);
	int		rc = -1;

	if (outsz < WEBHOOK_SECRET_NEW_MAX)
		return -1;
	if (RAND_bytes(key, sizeof key) != 1)
		goto fail;
	memcpy(out, WEBHOOK_PREFIX, pre);
	EVP_EncodeBlock((unsigned char *)out + pre, key, sizeof key);
	rc = 0;
fail:
	explicit_bzero(key, sizeof key);
	return rc;
}

int
webhook_sign(const struct webhook_key *key, const char *msg_id,
    int64_t timestamp, const char *body, size_t len, char *out, size_t outsz)
{
	unsigned char	 stack[WEBHOOK_STACK_MAX], md[EVP_MAX_MD_SIZE];
	unsigned char	*buf = stack;
	char		 ts[24];
	unsigned int	 mdlen = 0;
	size_t		 idlen = strlen(msg_id), tslen, n;
	int		 rc = -1;

	if (outsz < WEBHOOK_SIG_MAX)
		return -1;
	tslen = (size_t)snprintf(ts, sizeof ts, "%" PRId64, timestamp);
	n = idlen + 1 + tslen + 1 + len;
	if (n > sizeof stack)
		buf = xmalloc(n);
	memcpy(buf, msg_id, idlen);
	buf[idlen] = '.';
	memcpy(buf + idlen + 1, ts, tslen);
	buf[idlen + 1 + tslen] = '.';
	if (len > 0)
		memcpy(buf + idlen + tslen + 2, body, len);
	if (HMAC(EVP_sha256(), key->bytes, (int)key->len, buf, n, md,
	    &mdlen) == NULL)
		goto fail;
	memcpy(out, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, md, (int)mdlen);
	rc = 0;
fail:
	if (buf != stack)
		free(buf);
	return rc;
}
