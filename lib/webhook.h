/*
 * webhook.h: signing webhooks the Standard Webhooks way (v1)
 *
 * A secret is "whsec_" followed by the base64 of 24 to 64 random bytes;
 * the key is those bytes.  A message is signed as
 *
 *	webhook-signature: v1,<base64 of HMAC-SHA256(key, "id.timestamp.body")>
 *
 * where id is the webhook-id header (the same for every retry) and
 * timestamp the webhook-timestamp header (seconds since the epoch).
 */
#ifndef KOTA_WEBHOOK_H
#define KOTA_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_KEY_MIN		24
#define WEBHOOK_KEY_MAX		64
#define WEBHOOK_SIG_MAX		64	/* "v1," + 44 base64 chars + NUL */
#define WEBHOOK_NEW_KEY		32	/* random bytes in a generated secret */
/* "whsec_", the base64 of a new key (44 chars) and the NUL */
#define WEBHOOK_SECRET_NEW_MAX	(6 + 4 * ((WEBHOOK_NEW_KEY + 2) / 3) + 1)

struct webhook_key {
	unsigned char	bytes[WEBHOOK_KEY_MAX];
	size_t		len;
};

/*
 * Read a "whsec_..." secret (blanks and a trailing newline around it are
 * ignored).  0, or -1 when it is not one.  The caller should wipe the key
 * (explicit_bzero) when done with it.
 */
int	webhook_key_parse(const char *secret, struct webhook_key *key);

/*
 * The same, saying why a secret is refused: one of the WEBHOOK_WHY_
 * sentences (translated; the size one with the number of bytes) in why.
 * kota.department_webhook_secret() in the database gives the same sentences
 * for the same secrets (tests/cli/05_config.sh compares them).
 */
int	webhook_key_check(const char *secret, struct webhook_key *key,
	    char *why, size_t whysz);
#define WEBHOOK_WHY_PREFIX	N_("the secret must start with whsec_")
#define WEBHOOK_WHY_BASE64	N_("the secret after whsec_ must be base64 " \
	"(A-Z, a-z, 0-9, + and /, padded with =)")
#define WEBHOOK_WHY_SIZE	N_("the secret must hold 24 to 64 bytes, " \
	"not %zu")

/*
 * A new secret of WEBHOOK_NEW_KEY random bytes (RAND_bytes) into out
 * (WEBHOOK_SECRET_NEW_MAX bytes).  0, or -1 when the random number
 * generator fails.  The caller should wipe it when done with it.
 */
int	webhook_secret_generate(char *out, size_t outsz);

/* "v1,..." into out (WEBHOOK_SIG_MAX bytes).  0, or -1 on a crypto error. */
int	webhook_sign(const struct webhook_key *key, const char *msg_id,
	    int64_t timestamp, const char *body, size_t len, char *out,
	    size_t outsz);

/* Base64 (standard alphabet, padded): decode; -1 when not base64 or too
 * long for out. */
int	webhook_base64_decode(const char *in, size_t len, unsigned char *out,
	    size_t outsz, size_t *outlen);

#endif
