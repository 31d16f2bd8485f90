/*
 * scrub.c: a password out of a program's command line
 *
 * The syntax is libpq's (libpq's conninfo_parse() and conninfo_uri_parse()
 * in fe-connect.c): keyword = value pairs separated by white space, a
 * value quoted in single quotes with backslash escapes, or a URI
 * postgresql:// or postgres:// with user:password@ and ?password=.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "scrub.h"

#define SCRUB_CHAR	'x'

/* Overwrite [from, to), leaving the bytes that libpq's syntax needs. */
static void
scrub_span(char *from, char *to)
{
	for (; from < to; from++)
		*from = SCRUB_CHAR;
}

/* A URI parameter or user info ends at one of these (or the end). */
static char *
scrub_uri_end(char *p, const char *stops)
{
	while (*p != '\0' && strchr(stops, *p) == NULL)
		p++;
	return p;
}

static int
scrub_uri(char *s, size_t prefix)
{
	char	*p = s + prefix, *auth, *at, *colon, *v, *end;
	int	 n = 0;

	/* user info: what comes before an '@' ahead of the path and query */
	auth = p;
	end = scrub_uri_end(auth, "/?");
	for (at = NULL; p < end; p++)
		if (*p == '@')
			at = p;
	if (at != NULL && (colon = memchr(auth, ':', (size_t)(at - auth))) !=
	    NULL && colon + 1 < at) {
		scrub_span(colon + 1, at);
		n++;
	}
	if ((p = strchr(end, '?')) == NULL)
		return n;
	for (p++; *p != '\0'; p = *end == '&' ? end + 1 : end) {
		end = scrub_uri_end(p, "&");
		if (strncmp(p, "password=", 9) == 0 && p + 9 < end) {
			v = p + 9;
			scrub_span(v, end);
			n++;
		}
	}
	return n;
}

int
scrub_conninfo(char *s)
{
	char	*p, *key, *keyend, *v;
	bool	 secret;
	int	 n = 0;

	if (s == NULL)
		return 0;
	if (strncmp(s, "postgresql://", 13) == 0)
		return scrub_uri(s, 13);
	if (strncmp(s, "postgres://", 11) == 0)
		return scrub_uri(s, 11);
	p = s;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		key = p;
		while (*p != '\0' && *p != '=' && !isspace((unsigned char)*p))
			p++;
		keyend = p;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '=')
			break;		/* not a conninfo libpq accepts */
		p++;
		while (isspace((unsigned char)*p))
			p++;
		secret = (size_t)(keyend - key) == 8 &&
		    strncmp(key, "password", 8) == 0;
		if (*p == '\'') {
			v = ++p;
			while (*p != '\0' && *p != '\'') {
				if (*p == '\\' && p[1] != '\0')
					p++;
				p++;
			}
			if (secret && p > v) {
				scrub_span(v, p);
				n++;
			}
			if (*p == '\'')
				p++;
		} else {
			v = p;
			while (*p != '\0' && !isspace((unsigned char)*p)) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				p++;
			}
			if (secret && p > v) {
				scrub_span(v, p);
				n++;
			}
		}
	}
	return n;
}
