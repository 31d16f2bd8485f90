/*
 * tap.h: the Test Anything Protocol, for the programs in tests/integration
 *
 *	ok(cond, "what %s", ...)	one test: "ok N - what" or "not ok N - what"
 *	diag("...", ...)		a comment, "# " before each of its lines
 *	bail_out("...", ...)		"Bail out! ..." and exit 1: no test can go on
 *	return done_testing();		the plan, "1..N", and the exit status
 *
 * The programs are run by the shell tests (tests/cli), whose subtest()
 * takes each of their tests into the suite's TAP stream.  Static functions
 * in a header, so that a program only includes it (and lists it among its
 * _SOURCES for make dist).
 */
#ifndef KOTA_TESTS_TAP_H
#define KOTA_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	int	run;		/* tests so far */
	int	failed;
} tap;

static inline bool	ok(bool, const char *, ...)
			    __attribute__((format(printf, 2, 3)));
static inline void	diag(const char *, ...)
			    __attribute__((format(printf, 1, 2)));
static inline void	bail_out(const char *, ...)
			    __attribute__((format(printf, 1, 2), noreturn));

/* One test, passed when cond holds; returns cond. */
static inline bool
ok(bool cond, const char *fmt, ...)
{
	va_list	ap;

	tap.run++;
	if (!cond)
		tap.failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap.run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

/* A comment in the TAP stream, one "# " line per line of the message. */
static inline void
diag(const char *fmt, ...)
{
	char	 buf[2048], *line, *next;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (line = buf; *line != '\0'; line = next) {
		next = line + strcspn(line, "\n");
		if (*next == '\n')
			*next++ = '\0';
		printf("# %s\n", line);
	}
	fflush(stdout);
}

/* Give up: the reason on one line, and a failing exit status. */
static inline void
bail_out(const char *fmt, ...)
{
	char	 buf[1024];
	size_t	 n;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (n = 0; buf[n] != '\0'; n++)
		if (buf[n] == '\n' || buf[n] == '\r')
			buf[n] = ' ';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	printf("Bail out! %s\n", buf);
	fflush(stdout);
	exit(1);
}

/* The plan, after the tests; the exit status: 1 if any test failed. */
static inline int
done_testing(void)
{
	printf("1..%d\n", tap.run);
	fflush(stdout);
	return tap.failed != 0;
}

#endif
