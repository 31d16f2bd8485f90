/*
 * parse.c: the numbers, dates, durations and request references of
 * kotactl's options and arguments, parsed once
 *
 * Each parser takes all of the argument or none of it, and on a bad one
 * says so in one form, naming the option and quoting the value:
 *
 *	kotactl: --limit: '0x' is not a whole number from 1 to 100000
 *
 * then returns EXIT_USAGE (the handler returns it as it is); EXIT_OK
 * otherwise.  opt is the option ("--limit") or what an operand is ("ID").
 * Whether a value makes sense beyond its form (a service that exists, a
 * location on Earth) is for the database to say.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "request.h"

#define CTL_DURATION_MAX	10000000	/* minutes: 19 years */

/* Digits, after a '-' when negatives are allowed: nothing else. */
static int
ctl_all_digits(const char *s, int minus)
{
	if (minus && *s == '-')
		s++;
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
ctl_parse_int(const char *opt, const char *arg, long min, long max,
    long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	if (ctl_all_digits(arg, min < 0)) {
		v = strtol(arg, &end, 10);
		if (errno == 0 && *end == '\0' && v >= min && v <= max) {
			*out = v;
			return EXIT_OK;
		}
	}
	return ctl_invalid(_("%s: '%s' is not a whole number from %ld to %ld"),
	    opt, arg, min, max);
}

/* 12, -6.9175, .5: decimal, no exponent, no hexadecimal, no inf or nan. */
static int
ctl_decimal(const char *s)
{
	int	digits = 0, point = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && !point)
			point = 1;
		else
			return 0;
	}
	return digits > 0;
}

int
ctl_parse_real(const char *opt, const char *arg, double min, double max,
    double *out)
{
	double	v;

	errno = 0;
	if (ctl_decimal(arg)) {
		v = strtod(arg, NULL);
		if (errno == 0 && isfinite(v) && v >= min && v <= max) {
			*out = v;
			return EXIT_OK;
		}
	}
	if (isinf(min) && isinf(max))
		return ctl_invalid(_("%s: '%s' is not a number"), opt, arg);
	return ctl_invalid(_("%s: '%s' is not a number from %g to %g"), opt,
	    arg, min, max);
}

/* YYYY-MM-DD, a day that exists; the database gets the text. */
int
ctl_parse_date(const char *opt, const char *arg)
{
	static const int	mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			i, y, m, d, leap;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (arg[i] != '-')
				break;
		} else if (arg[i] < '0' || arg[i] > '9')
			break;
	}
	if (i == 10 && arg[10] == '\0') {
		y = atoi(arg);
		m = atoi(arg + 5);
		d = atoi(arg + 8);
		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (y >= 1900 && m >= 1 && m <= 12 && d >= 1 &&
		    d <= mdays[m - 1] && (m != 2 || d <= 28 + leap))
			return EXIT_OK;
	}
	return ctl_invalid(_("%s: '%s' is not a date like 2026-11-01"), opt,
	    arg);
}

/* "90", "90m", "4h", "1h30m": minutes, more than none. */
int
ctl_parse_duration(const char *opt, const char *arg, int *minutes)
{
	const char	*s = arg;
	char		*end;
	long		 total = 0, n;

	while (*s >= '0' && *s <= '9') {
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno != 0 || n > CTL_DURATION_MAX)
			break;
		if (*end == 'h' || *end == 'H') {
			n *= 60;
			end++;
		} else if (*end == 'm' || *end == 'M')
			end++;
		else if (*end != '\0')
			break;
		total += n;
		s = end;
		if (total > CTL_DURATION_MAX)
			break;
	}
	if (*s == '\0' && s != arg && total > 0 &&
	    total <= CTL_DURATION_MAX) {
		*minutes = (int)total;
		return EXIT_OK;
	}
	return ctl_invalid(_("%s: '%s' is not a duration like 30m, 4h or 1h30m"),
	    opt, arg);
}

/* An id (17) or a ticket (KT-000017-4), whose check digit must agree. */
int
ctl_parse_ref(const char *opt, const char *arg, int64_t *id)
{
	struct db_error	err;

	if (request_parse_ref(arg, id, &err) == 0)
		return EXIT_OK;
	if (opt == NULL)
		return ctl_invalid("%s", err.message);
	return ctl_invalid("%s: %s", opt, err.message);
}
