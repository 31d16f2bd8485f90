/*
 * phone.h: telephone numbers to E.164, with Indonesian dialling rules
 */
#ifndef KOTA_PHONE_H
#define KOTA_PHONE_H

#include <stddef.h>

/* "+" plus at most 15 digits plus the terminating NUL */
#define PHONE_E164_MAX	17

enum phone_status {
	PHONE_OK = 0,
	PHONE_EMPTY,		/* nothing but blanks and separators */
	PHONE_BAD_CHAR,		/* a character that is no digit or separator */
	PHONE_TOO_SHORT,
	PHONE_TOO_LONG,
	PHONE_BAD_PREFIX,	/* no 0, 62 or + prefix, or an impossible one */
};

/*
 * Normalise a number as a clerk types it ("0812-3456-7890", "62 812 ...",
 * "+62 (21) 555 1234", "(021) 5551234") to E.164 ("+6281234567890").
 *
 * Spaces, '-', '.', '/' and parentheses are separators and ignored.  A
 * national number starts with 0; 62 without a plus is taken as the
 * Indonesian country code; a '+' (or "00") number of another country is
 * accepted when it has 8 to 15 digits.  Indonesian numbers must have a
 * national significant number of 9 to 12 digits for mobiles (8xx) and 7 to
 * 11 digits for fixed lines (area codes 2x to 7x, 9x).
 *
 * Returns PHONE_OK and writes the E.164 form to out, or another status and
 * leaves out as an empty string.  out must hold PHONE_E164_MAX bytes.
 */
enum phone_status phone_normalise(const char *in, char *out, size_t outsz);

/* A translated sentence that says why a number was refused. */
const char	*phone_strerror(enum phone_status st);

/*
 * Mask a number for logs: "+6281234567890" -> "+62812*****890".  Keeps the
 * country code, three digits after it and the last three.  out must hold
 * PHONE_E164_MAX bytes.
 */
void	phone_mask(const char *e164, char *out, size_t outsz);

#endif
