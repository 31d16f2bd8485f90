/*
 * route.c: the routing engine, which department a new request goes to
 *
 * The rules are kept in order, each pattern compiled and JIT-compiled once.
 * route_decide_at() is a loop of pcre2_jit_match() calls over one reused
 * match block, with an id compare for the area, a string compare for the
 * service and, when a rule asks for it, one copy of "address, district".
 * route_candidates() is the same loop without the areas.  See route.h for
 * the semantics.
 *
 * Only PCRE2 here: the rules come from the database through route_load.c.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "route.h"
#include "xmalloc.h"

#define ROUTE_OPTIONS	(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | \
			 PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C)
#define ROUTE_JIT_STACK_MIN	(32 * 1024)
#define ROUTE_JIT_STACK_MAX	(1024 * 1024)
#define ROUTE_SERVICE_MAX	64

struct route_entry {
	struct route_rule	 rule;	/* strings owned by the entry */
	pcre2_code		*desc;
	pcre2_code		*addr;
	bool			 desc_jit;
	bool			 addr_jit;
};

/*
 * What route_decide() may change in a const engine: its scratch space.
 * The texts are matched from copies followed by ROUTE_PAD zero bytes: JIT
 * code reads whole vectors and may look past the end of a subject, which
 * is harmless but uninitialised memory to valgrind (a PGresult's, say).
 */
#define ROUTE_PAD	64
struct route_scratch {
	pcre2_match_data	*md;
	char			*dbuf;	/* the description */
	size_t			 dbufsz;
	char			*abuf;	/* "address, district" */
	size_t			 abufsz;
};

struct route_engine {
	struct route_entry	**rules;
	size_t			 n;
	size_t			 cap;
	size_t			 nareas;	/* enabled rules with an area */
	int			 skipped;
	pcre2_match_context	*mcx;
	pcre2_jit_stack		*jstack;
	struct route_scratch	*scratch;
};

uint32_t
route_pcre2_options(void)
{
	return ROUTE_OPTIONS;
}

static char *
route_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* NULL for a missing or blank pattern: no condition. */
static const char *
route_blank_to_null(const char *s)
{
	const char	*p;

	if (s == NULL)
		return NULL;
	for (p = s; *p != '\0'; p++)
		if (!isspace((unsigned char)*p))
			return s;
	return NULL;
}

static pcre2_code *
route_compile(const char *pattern, bool *jit, char *msg, size_t msgsz,
    size_t *offset)
{
	PCRE2_UCHAR	 buf[256];
	PCRE2_SIZE	 erroff;
	pcre2_code	*re;
	size_t		 len = strlen(pattern);
	int		 errcode;

	if (len > ROUTE_PATTERN_MAX) {
		snprintf(msg, msgsz, _("pattern is too long: %zu bytes, at most %d"),
		    len, ROUTE_PATTERN_MAX);
		*offset = ROUTE_PATTERN_MAX;
		return NULL;
	}
	re = pcre2_compile((PCRE2_SPTR)pattern, len, ROUTE_OPTIONS, &errcode,
	    &erroff, NULL);
	if (re == NULL) {
		if (pcre2_get_error_message(errcode, buf, sizeof buf) < 0)
			snprintf((char *)buf, sizeof buf, "PCRE2 error %d",
			    errcode);
		snprintf(msg, msgsz, "%s", (const char *)buf);
		*offset = erroff;
		return NULL;
	}
	/* without JIT (not built in, or out of memory) pcre2_match() does */
	*jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
	return re;
}

int
route_compile_check(const char *pattern, char *msg, size_t msgsz,
    size_t *offset)
{
	pcre2_code	*re;
	size_t		 off = 0;
	bool		 jit;

	re = route_compile(pattern, &jit, msg, msgsz, &off);
	if (offset != NULL)
		*offset = off;
	if (re == NULL)
		return -1;
	pcre2_code_free(re);
	if (msgsz > 0)
		msg[0] = '\0';
	return 0;
}

struct route_engine *
route_engine_new(void)
{
	struct route_engine	*e;

	e = xcalloc(1, sizeof *e);
	e->scratch = xcalloc(1, sizeof *e->scratch);
	if ((e->scratch->md = pcre2_match_data_create(1, NULL)) == NULL ||
	    (e->mcx = pcre2_match_context_create(NULL)) == NULL)
		xmalloc_fatal();
	pcre2_set_match_limit(e->mcx, ROUTE_MATCH_LIMIT);
	/* without a JIT stack of its own, JIT uses 32K of the machine stack */
	e->jstack = pcre2_jit_stack_create(ROUTE_JIT_STACK_MIN,
	    ROUTE_JIT_STACK_MAX, NULL);
	if (e->jstack != NULL)
		pcre2_jit_stack_assign(e->mcx, NULL, e->jstack);
	return e;
}

static void
route_entry_free(struct route_entry *r)
{
	if (r == NULL)
		return;
	pcre2_code_free(r->desc);
	pcre2_code_free(r->addr);
	free((char *)r->rule.name);
	free((char *)r->rule.service);
	free((char *)r->rule.description_re);
	free((char *)r->rule.address_re);
	free((char *)r->rule.department);
	free((char *)r->rule.assignee);
	free(r);
}

static void
route_engine_clear(struct route_engine *e)
{
	size_t	i;

	for (i = 0; i < e->n; i++)
		route_entry_free(e->rules[i]);
	free(e->rules);
	e->rules = NULL;
	e->n = e->cap = e->nareas = 0;
	e->skipped = 0;
}

void
route_engine_free(struct route_engine **ep)
{
	struct route_engine	*e = *ep;

	if (e == NULL)
		return;
	route_engine_clear(e);
	pcre2_match_data_free(e->scratch->md);
	free(e->scratch->dbuf);
	free(e->scratch->abuf);
	free(e->scratch);
	pcre2_match_context_free(e->mcx);
	pcre2_jit_stack_free(e->jstack);
	free(e);
	*ep = NULL;
}

/* Compile one of a rule's patterns, with a message naming rule and field. */
static int
route_entry_pattern(struct route_entry *r, const char *field,
    const char *pattern, pcre2_code **code, bool *jit, char *msg,
    size_t msgsz)
{
	char	why[ROUTE_ERRMAX];
	size_t	off;

	if (pattern == NULL)
		return 0;
	if ((*code = route_compile(pattern, jit, why, sizeof why, &off)) != NULL)
		return 0;
	snprintf(msg, msgsz, _("rule \"%s\": %s \"%s\": %s at offset %zu"),
	    r->rule.name, field, pattern, why, off);
	return -1;
}

/* The entry, or NULL with msg saying why the rule is refused. */
static struct route_entry *
route_entry_new(const struct route_rule *src, char *msg, size_t msgsz)
{
	struct route_entry	*r;
	char			*p;

	r = xcalloc(1, sizeof *r);
	r->rule = *src;
	r->rule.name = xstrdup(src->name != NULL ? src->name : "");
	r->rule.service = route_strdup(route_blank_to_null(src->service));
	r->rule.description_re = route_strdup(
	    route_blank_to_null(src->description_re));
	r->rule.address_re = route_strdup(route_blank_to_null(src->address_re));
	r->rule.department = route_strdup(route_blank_to_null(src->department));
	r->rule.assignee = route_strdup(route_blank_to_null(src->assignee));
	/* service codes are lower case; compare as the database does */
	for (p = (char *)r->rule.service; p != NULL && *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (src->priority < 0 || src->priority > 4) {
		snprintf(msg, msgsz, _("rule \"%s\": priority %d must be between 1 (urgent) and 4 (low)"),
		    r->rule.name, src->priority);
		goto fail;
	}
	if (src->area < 0) {
		snprintf(msg, msgsz, _("rule \"%s\": area %d is not an area id"),
		    r->rule.name, src->area);
		goto fail;
	}
	if (route_entry_pattern(r, "description_re", r->rule.description_re,
	    &r->desc, &r->desc_jit, msg, msgsz) != 0 ||
	    route_entry_pattern(r, "address_re", r->rule.address_re, &r->addr,
	    &r->addr_jit, msg, msgsz) != 0)
		goto fail;
	return r;
fail:
	route_entry_free(r);
	return NULL;
}

static bool
route_before(const struct route_rule *a, const struct route_rule *b)
{
	return a->position < b->position ||
	    (a->position == b->position && a->id < b->id);
}

int
route_engine_add(struct route_engine *e, const struct route_rule *src,
    char *msg, size_t msgsz)
{
	struct route_entry	*r;
	size_t			 i;

	if ((r = route_entry_new(src, msg, msgsz)) == NULL) {
		e->skipped++;
		return -1;
	}
	if (e->n == e->cap) {
		e->cap = e->cap == 0 ? 32 : e->cap * 2;
		e->rules = xreallocarray(e->rules, e->cap, sizeof *e->rules);
	}
	/* insertion keeps (position, id) order; equal keys keep their order */
	for (i = e->n; i > 0 && route_before(&r->rule, &e->rules[i - 1]->rule);
	    i--)
		e->rules[i] = e->rules[i - 1];
	e->rules[i] = r;
	e->n++;
	if (r->rule.area != 0 && r->rule.enabled)
		e->nareas++;
	return 0;
}

size_t
route_engine_count(const struct route_engine *e)
{
	return e->n;
}

const struct route_rule *
route_engine_rule(const struct route_engine *e, size_t i)
{
	return i < e->n ? &e->rules[i]->rule : NULL;
}

int
route_engine_skipped(const struct route_engine *e)
{
	return e->skipped;
}

/* Trim ASCII white space at both ends, without copying. */
static const char *
route_trim(const char *s, size_t *len)
{
	const char	*end;

	if (s == NULL) {
		*len = 0;
		return "";
	}
	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*len = (size_t)(end - s);
	return s;
}

/* Make room for len bytes and the zero padding in a scratch buffer. */
static char *
route_room(char **buf, size_t *bufsz, size_t len)
{
	size_t	need = len + ROUTE_PAD;

	if (need > *bufsz) {
		*buf = xreallocarray(*buf, need, 1);
		*bufsz = need;
	}
	memset(*buf + len, 0, ROUTE_PAD);
	return *buf;
}

/* "address, district", as concat_ws(', ', address, district) in SQL. */
static const char *
route_address(const struct route_engine *e, const char *address,
    const char *district, size_t *outlen)
{
	struct route_scratch	*sc = e->scratch;
	const char		*a, *d;
	size_t			 alen, dlen, n;
	char			*buf;

	a = route_trim(address, &alen);
	d = route_trim(district, &dlen);
	n = alen + (alen > 0 && dlen > 0 ? 2 : 0) + dlen;
	buf = route_room(&sc->abuf, &sc->abufsz, n);
	memcpy(buf, a, alen);
	if (alen > 0 && dlen > 0)
		memcpy(buf + alen, ", ", 2);
	memcpy(buf + n - dlen, d, dlen);
	*outlen = n;
	return buf;
}

/*
 * 1 match, 0 no match.  An error (a limit: a runaway pattern fails, it
 * does not hang) skips the rule as no match would, but is recorded in
 * the result so that the caller can say which rule was skipped and why.
 */
static int
route_match(const struct route_engine *e, const struct route_entry *r,
    const pcre2_code *re, bool jit, const char *field, const char *s,
    size_t len, struct route_result *res)
{
	struct route_failure	*f;
	int	rc;

	if (jit)
		rc = pcre2_jit_match(re, (PCRE2_SPTR)s, len, 0, 0,
		    e->scratch->md, e->mcx);
	else
		rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, e->scratch->md,
		    e->mcx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (res->errors < ROUTE_FAILED_MAX) {
		f = &res->failed[res->errors];
		f->rule = &r->rule;
		f->field = field;
		f->code = rc;
	}
	res->errors++;
	return 0;
}

void
route_failure_reason(const struct route_failure *f, char *buf, size_t bufsz)
{
	PCRE2_UCHAR	msg[256];

	switch (f->code) {
	case PCRE2_ERROR_MATCHLIMIT:
		snprintf(buf, bufsz, _("PCRE2's match limit (%d)"),
		    ROUTE_MATCH_LIMIT);
		break;
	case PCRE2_ERROR_DEPTHLIMIT:
		snprintf(buf, bufsz, "%s", _("PCRE2's depth limit"));
		break;
	case PCRE2_ERROR_HEAPLIMIT:
		snprintf(buf, bufsz, "%s", _("PCRE2's heap limit"));
		break;
	case PCRE2_ERROR_JIT_STACKLIMIT:
		snprintf(buf, bufsz, "%s", _("PCRE2's JIT stack limit"));
		break;
	default:
		if (pcre2_get_error_message(f->code, msg, sizeof msg) < 0)
			snprintf((char *)msg, sizeof msg, "PCRE2 error %d",
			    f->code);
		snprintf(buf, bufsz, "%s", (const char *)msg);
		break;
	}
}

bool
route_warning(const struct route_result *res, char *buf, size_t bufsz)
{
	char	why[ROUTE_ERRMAX];
	int	n;

	if (bufsz > 0)
		buf[0] = '\0';
	if (res->errors == 0)
		return false;
	route_failure_reason(&res->failed[0], why, sizeof why);
	n = snprintf(buf, bufsz, _("rule \"%s\" skipped: its %s hit %s"),
	    res->failed[0].rule->name, res->failed[0].field, why);
	if (res->errors > 1 && n >= 0 && (size_t)n < bufsz)
		snprintf(buf + n, bufsz - (size_t)n, _(" (skipped too: %d)"),
		    res->errors - 1);
	return true;
}

static void
route_apply(struct route_result *res, const struct route_rule *r)
{
	const struct route_rule	*ar = res->assignee_rule;

	if (res->nmatched < ROUTE_MATCHED_MAX)
		res->matched[res->nmatched] = r;
	res->nmatched++;
	if (r->department != NULL) {
		/* an assignee goes with the department of its rule */
		if (ar != NULL && r->assignee == NULL &&
		    ar->department != NULL &&
		    strcmp(ar->department, r->department) != 0) {
			res->assignee = NULL;
			res->assignee_rule = NULL;
		}
		res->department = r->department;
		res->department_rule = r;
		res->rule = r->name;
	}
	if (r->priority != 0) {
		res->priority = r->priority;
		res->priority_rule = r;
	}
	if (r->assignee != NULL) {
		res->assignee = r->assignee;
		res->assignee_rule = r;
	}
}

/* The service code as the rules hold it: trimmed, lower case. */
static bool
route_service_key(const char *service, char *key, size_t keysz)
{
	const char	*s;
	size_t		 len, i;

	s = route_trim(service, &len);
	if (len == 0 || len >= keysz)
		return false;
	for (i = 0; i < len; i++)
		key[i] = (char)tolower((unsigned char)s[i]);
	key[len] = '\0';
	return true;
}

/* One request's texts, prepared once for a walk. */
struct route_text {
	char		 svc[ROUTE_SERVICE_MAX];
	bool		 has_svc;
	const char	*desc;
	size_t		 dlen;
	const char	*address;
	const char	*district;
	const char	*addr;		/* "address, district", when first needed */
	size_t		 alen;
};

static void
route_text_init(const struct route_engine *e, struct route_text *t,
    const char *service, const char *description, const char *address,
    const char *district)
{
	const char	*desc;

	t->has_svc = route_service_key(service, t->svc, sizeof t->svc);
	desc = route_trim(description, &t->dlen);
	t->desc = memcpy(route_room(&e->scratch->dbuf, &e->scratch->dbufsz,
	    t->dlen), desc, t->dlen);
	t->address = address;
	t->district = district;
	t->addr = NULL;
	t->alen = 0;
}

/* Whether r's conditions other than the area hold for the text. */
static bool
route_matches(const struct route_engine *e, const struct route_entry *r,
    struct route_text *t, struct route_result *res)
{
	if (!r->rule.enabled)
		return false;
	if (r->rule.service != NULL &&
	    (!t->has_svc || strcmp(r->rule.service, t->svc) != 0))
		return false;
	if (r->desc != NULL && !route_match(e, r, r->desc, r->desc_jit,
	    "description_re", t->desc, t->dlen, res))
		return false;
	if (r->addr != NULL) {
		if (t->addr == NULL)
			t->addr = route_address(e, t->address, t->district,
			    &t->alen);
		if (!route_match(e, r, r->addr, r->addr_jit, "address_re",
		    t->addr, t->alen, res))
			return false;
	}
	return true;
}

static bool
route_in_areas(int area, const int *areas, size_t nareas)
{
	size_t	i;

	for (i = 0; i < nareas; i++)
		if (areas[i] == area)
			return true;
	return false;
}

bool
route_engine_has_areas(const struct route_engine *e)
{
	return e->nareas > 0;
}

void
route_decide_at(const struct route_engine *e, const char *service,
    const char *description, const char *address, const char *district,
    const int *areas, size_t nareas, struct route_result *res)
{
	const struct route_entry	*r;
	struct route_text		 t;
	size_t				 i;

	memset(res, 0, sizeof *res);
	route_text_init(e, &t, service, description, address, district);
	for (i = 0; i < e->n; i++) {
		r = e->rules[i];
		/* the area first: an id compare spares the patterns */
		if (r->rule.area != 0 &&
		    !route_in_areas(r->rule.area, areas, nareas))
			continue;
		if (!route_matches(e, r, &t, res))
			continue;
		route_apply(res, &r->rule);
		if (r->rule.stop) {
			res->stopped = true;
			break;
		}
	}
}

void
route_decide(const struct route_engine *e, const char *service,
    const char *description, const char *address, const char *district,
    struct route_result *res)
{
	route_decide_at(e, service, description, address, district, NULL, 0,
	    res);
}

size_t
route_candidates(const struct route_engine *e, const char *service,
    const char *description, const char *address, const char *district,
    int *ids, size_t max)
{
	const struct route_entry	*r;
	struct route_result		 res;	/* for route_match's failures */
	struct route_text		 t;
	size_t				 i, n = 0;

	memset(&res, 0, sizeof res);
	route_text_init(e, &t, service, description, address, district);
	for (i = 0; i < e->n; i++) {
		r = e->rules[i];
		if (!route_matches(e, r, &t, &res))
			continue;
		if (n < max)
			ids[n] = r->rule.id;
		n++;
		/* a stop with an area may not hold: the walk may go on */
		if (r->rule.stop && r->rule.area == 0)
			break;
	}
	return n;
}

size_t
route_areas_parse(const char *text, int *areas, size_t max)
{
	const char	*p = text;
	char		*end;
	long		 v;
	size_t		 n = 0;

	if (p == NULL)
		return 0;
	while (*p != '\0' && n < max) {
		if (!isdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		errno = 0;
		v = strtol(p, &end, 10);
		if (errno == 0 && v > 0 && v <= INT_MAX && (p == text ||
		    p[-1] != '-'))
			areas[n++] = (int)v;
		p = end;
	}
	return n;
}
