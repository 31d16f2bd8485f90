/*
 * sig.h: the signatures of inbound webhooks (pure: no I/O, no globals)
 *
 *	Twilio		X-Twilio-Signature: base64(HMAC-SHA1(auth
 *			token, URL + the form's parameters sorted by name,
 *			each name then its decoded value; a repeated
 *			name's values sorted))
 *	generic, Cloud	hex(HMAC-SHA256(secret, raw body)), "sha256=" in
 *			front or not (Meta's X-Hub-Signature-256 has it)
 *
 * Every comparison is in constant time (CRYPTO_memcmp): an attacker
 * timing the answers learns nothing of the expected value.
 */
#ifndef KOTAWEB_SIG_H
#define KOTAWEB_SIG_H

#include <stdbool.h>
#include <stddef.h>

#define SIG_TWILIO_LEN	28	/* base64 of 20 bytes */
#define SIG_URL_MAX	2048

/*
 * Twilio's signature of a form body (len bytes, as received) for url,
 * base64, into out (at least SIG_TWILIO_LEN + 1 bytes).  Parameters with
 * an empty value count (their name is signed).  0, or -1 when the body
 * is not a form (a bad escape) or the key is empty.
 */
int	sig_twilio(const char *token, const char *url, const char *body,
	    size_t len, char *out, size_t outsz);

/*
 * url with its default port the other way round: "https://h/x" gives
 * "https://h:443/x" and back (80 for http).  0, or -1 when url is neither
 * http nor https, or already has another port (no other form then).
 */
int	sig_url_other_port(const char *url, char *out, size_t outsz);

/* Whether header is Twilio's signature of body for url, as configured
 * or in its other port form. */
bool	sig_twilio_check(const char *token, const char *url,
	    const char *body, size_t len, const char *header);

/* Whether header is hex HMAC-SHA256(secret, body), with or without
 * "sha256=" in front; hex digits in either case. */
bool	sig_hmac256_check(const char *secret, const char *body, size_t len,
	    const char *header);

/* Two strings equal, in a time that depends on their lengths only. */
bool	sig_equal(const char *a, const char *b);

#endif
