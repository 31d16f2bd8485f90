/*
 * fuzz_conf.c: libFuzzer target for conf_load_string()
 *
 * A table with every type of key reads the input.  Invariants: the result
 * is 0 or -1, an error message is set, starts with the name and fits its
 * buffer; every value obeys its type and bounds; reading the same text
 * twice gives the same settings; conf_free() leaves no heap behind.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_settings {
	char			*name;
	char			*motd;
	bool			 debug;
	int			 port;
	int			 level;
	int			 mode;
	int			 timeout;
	int			 delay;
	struct conf_timerange	 quiet;
	struct conf_timerange	 window;
	struct conf_list	 gateways;
	struct conf_list	 tags;
};

static const char *const fuzz_modes[] = { "auto", "manual", "off", NULL };

#define F(f)	offsetof(struct fuzz_settings, f)

static const struct conf_key fuzz_table[] = {
	{ .section = "", .name = "name", .type = CONF_STRING, .def = "kota",
	  .offset = F(name) },
	{ .section = "", .name = "debug", .type = CONF_BOOL, .def = "no",
	  .offset = F(debug) },
	{ .section = "db", .name = "port", .type = CONF_INT, .def = "5432",
	  .offset = F(port), .min = 1, .max = 65535 },
	{ .section = "db", .name = "level", .type = CONF_INT,
	  .offset = F(level) },
	{ .section = "dispatch", .name = "mode", .type = CONF_ENUM,
	  .def = "auto", .offset = F(mode), .choices = fuzz_modes },
	{ .section = "dispatch", .name = "timeout", .type = CONF_DURATION,
	  .def = "5s", .offset = F(timeout), .min = 100, .max = 3600000 },
	{ .section = "dispatch", .name = "delay", .type = CONF_DURATION,
	  .offset = F(delay) },
	{ .section = "sms", .name = "quiet_hours", .type = CONF_TIMERANGE,
	  .def = "21:00-07:00", .offset = F(quiet) },
	{ .section = "sms", .name = "window", .type = CONF_TIMERANGE,
	  .offset = F(window) },
	{ .section = "sms", .name = "gateway", .type = CONF_LIST,
	  .offset = F(gateways) },
	{ .section = "sms", .name = "tag", .type = CONF_LIST, .def = "default",
	  .offset = F(tags) },
	{ .section = "sms", .name = "motd", .type = CONF_STRING,
	  .offset = F(motd) },
	{ .name = NULL },
};

static void
fuzz_check_range(const struct fuzz_settings *s)
{
	const struct conf_timerange	*tr[] = { &s->quiet, &s->window };
	size_t				 i;

	if (s->name == NULL || s->port < 1 || s->port > 65535 ||
	    s->mode < 0 || s->mode > 2 || s->timeout < 100 ||
	    s->timeout > 3600000 || s->delay < 0)
		abort();
	if (*(const unsigned char *)&s->debug > 1)
		abort();
	for (i = 0; i < 2; i++) {
		if (!tr[i]->set && (tr[i]->start != 0 || tr[i]->end != 0))
			abort();
		if (tr[i]->set && (tr[i]->start < 0 || tr[i]->start > 1439 ||
		    tr[i]->end < 0 || tr[i]->end > 1439 ||
		    tr[i]->start == tr[i]->end))
			abort();
	}
}

static void
fuzz_check_list(const struct conf_list *l)
{
	int	i;

	if (l->n < 0 || (l->n == 0) != (l->items == NULL))
		abort();
	for (i = 0; i < l->n; i++) {
		if (l->items[i] == NULL)
			abort();
	}
}

static int
fuzz_same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

static int
fuzz_same_list(const struct conf_list *a, const struct conf_list *b)
{
	int	i;

	if (a->n != b->n)
		return (0);
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->items[i], b->items[i]) != 0)
			return (0);
	}
	return (1);
}

static int
fuzz_same_range(const struct conf_timerange *a,
    const struct conf_timerange *b)
{
	return (a->set == b->set && a->start == b->start && a->end == b->end);
}

static void
fuzz_compare(const struct fuzz_settings *a, const struct fuzz_settings *b)
{
	if (!fuzz_same_string(a->name, b->name) ||
	    !fuzz_same_string(a->motd, b->motd) || a->debug != b->debug ||
	    a->port != b->port || a->level != b->level ||
	    a->mode != b->mode || a->timeout != b->timeout ||
	    a->delay != b->delay || !fuzz_same_range(&a->quiet, &b->quiet) ||
	    !fuzz_same_range(&a->window, &b->window) ||
	    !fuzz_same_list(&a->gateways, &b->gateways) ||
	    !fuzz_same_list(&a->tags, &b->tags))
		abort();
}

static void
fuzz_check_freed(const struct fuzz_settings *s)
{
	if (s->name != NULL || s->motd != NULL || s->gateways.n != 0 ||
	    s->gateways.items != NULL || s->tags.n != 0 ||
	    s->tags.items != NULL)
		abort();
}

/* Load with an error buffer of errsz bytes on the heap, so ASan sees it. */
static int
fuzz_load(struct fuzz_settings *s, const uint8_t *data, size_t size,
    size_t errsz)
{
	char	*err;
	size_t	 prefix;
	int	 rc;

	if ((err = malloc(errsz)) == NULL)
		abort();
	memset(err, 0, errsz);
	rc = conf_load_string(fuzz_table, s, "fuzz.conf", (const char *)data,
	    size, err, errsz);
	if (rc != 0 && rc != -1)
		abort();
	/* "fuzz.conf:N: ...", cut to errsz - 1 characters */
	prefix = errsz - 1 < strlen("fuzz.conf:") ? errsz - 1 :
	    strlen("fuzz.conf:");
	if (rc == -1 && (err[0] == '\0' || err[errsz - 1] != '\0' ||
	    (strncmp(err, "fuzz.conf:", prefix) != 0 &&
	    strcmp(err, "out of memory") != 0)))
		abort();
	free(err);
	return (rc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_settings	s, s2;
	int			rc, rc2;

	memset(&s, 0x5a, sizeof s);	/* no zeroing needed before a load */
	rc = fuzz_load(&s, data, size, CONF_ERRMAX);
	fuzz_check_range(&s);
	fuzz_check_list(&s.gateways);
	fuzz_check_list(&s.tags);

	memset(&s2, 0, sizeof s2);
	rc2 = fuzz_load(&s2, data, size, 7);
	if (rc != rc2)
		abort();
	fuzz_compare(&s, &s2);

	conf_free(fuzz_table, &s);
	fuzz_check_freed(&s);
	conf_free(fuzz_table, &s);
	conf_free(fuzz_table, &s2);
	return (0);
}
