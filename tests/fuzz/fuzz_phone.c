/*
 * fuzz_phone.c: libFuzzer target for phone_normalise() and phone_mask()
 *
 * The input is one NUL-terminated string, normalised with several output
 * sizes.  Invariants: a PHONE_OK result matches ^\+[1-9][0-9]{7,14}$ and
 * normalises to itself; any other status leaves "" behind; nothing is
 * written past outsz; the status depends on outsz only when the result
 * does not fit.  phone_mask() only ever shows '+', '*' and digits that
 * were at the same place in its input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phone.h"

#define FUZZ_BUF	64
#define FUZZ_GUARD	((char)0xa5)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const size_t fuzz_sizes[] = { 0, 1, 2, 9, 14, 15, 16, PHONE_E164_MAX,
    FUZZ_BUF };

static void
fuzz_check_guard(const char *buf, size_t from)
{
	size_t	i;

	for (i = from; i < FUZZ_BUF; i++) {
		if (buf[i] != FUZZ_GUARD)
			abort();
	}
}

static int
fuzz_is_e164(const char *s)
{
	size_t	n;

	if (s[0] != '+' || s[1] < '1' || s[1] > '9')
		return (0);
	for (n = 1; s[n] != '\0'; n++) {
		if (s[n] < '0' || s[n] > '9')
			return (0);
	}
	return (n - 1 >= 8 && n - 1 <= 15);
}

/* Mask the valid number e164 and check the count of hidden digits. */
static void
fuzz_mask_e164(const char *e164)
{
	char	out[PHONE_E164_MAX];
	size_t	digits = strlen(e164) - 1, stars = 0, i;

	phone_mask(e164, out, sizeof out);
	if (strlen(out) != strlen(e164) || out[0] != '+')
		abort();
	for (i = 1; out[i] != '\0'; i++) {
		if (out[i] == '*')
			stars++;
		else if (out[i] != e164[i])
			abort();
	}
	if (stars != (digits > 8 ? digits - 8 : digits - 2))
		abort();
}

static void
fuzz_normalise(const char *in)
{
	char			 full[FUZZ_BUF], buf[FUZZ_BUF], again[FUZZ_BUF];
	enum phone_status	 st, st2, want;
	size_t			 i, sz, len;

	st = phone_normalise(in, full, PHONE_E164_MAX);
	if (phone_strerror(st) == NULL || *phone_strerror(st) == '\0')
		abort();
	if (st != PHONE_OK) {
		if (full[0] != '\0')
			abort();
	} else {
		if (!fuzz_is_e164(full))
			abort();
		if (phone_normalise(full, again, sizeof again) != PHONE_OK ||
		    strcmp(full, again) != 0)
			abort();
		fuzz_mask_e164(full);
	}

	/* a smaller buffer matters only when the number does not fit */
	len = strlen(full);
	for (i = 0; i < sizeof fuzz_sizes / sizeof fuzz_sizes[0]; i++) {
		sz = fuzz_sizes[i];
		memset(buf, FUZZ_GUARD, sizeof buf);
		st2 = phone_normalise(in, sz == 0 ? NULL : buf, sz);
		fuzz_check_guard(buf, sz);
		want = (st == PHONE_OK && len + 1 > sz) ? PHONE_TOO_LONG : st;
		if (st2 != want)
			abort();
		if (sz > 0 && strcmp(buf, st2 == PHONE_OK ? full : "") != 0)
			abort();
	}
}

/* Whatever the input, the mask shows no character but its own digits. */
static void
fuzz_mask(const char *in)
{
	char	buf[FUZZ_BUF];
	size_t	i, j, sz, len = strlen(in), want;

	for (i = 0; i < sizeof fuzz_sizes / sizeof fuzz_sizes[0]; i++) {
		sz = fuzz_sizes[i];
		memset(buf, FUZZ_GUARD, sizeof buf);
		phone_mask(in, sz == 0 ? NULL : buf, sz);
		fuzz_check_guard(buf, sz);
		if (sz == 0)
			continue;
		want = len < sz - 1 ? len : sz - 1;
		if (strlen(buf) != want)
			abort();
		for (j = 0; j < want; j++) {
			if (buf[j] == '*' || (j == 0 && buf[j] == '+' &&
			    in[0] == '+'))
				continue;
			if (buf[j] != in[j] || buf[j] < '0' || buf[j] > '9')
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*in;

	if ((in = malloc(size + 1)) == NULL)
		return (0);
	memcpy(in, data, size);
	in[size] = '\0';
	fuzz_normalise(in);
	fuzz_mask(in);
	free(in);
	return (0);
}
