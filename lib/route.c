/*
 * route.c: the routing engine, which department a new request goes to
 *
 * The rules are kept in order, each pattern compiled and JIT-compiled once.
 * route_decide() is a loop of pcre2_jit_match() calls over one reused match
 * block, with a string compare for the service and, when a rule asks for
 * it, one copy of "address, district".  See route.h for the semantics.
 *
 * Everything above the "database" section needs only PCRE2, so the fuzz
 * target compiles this file with -DROUTE_PURE and without libpq.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "log.h"
#include "route.h"

#define ROUTE_OPTIONS	(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | \
			 PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C)
#define ROUTE_MATCH_LIMIT	1000000	/* a runaway pattern fails, not hangs */
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
route_strdup(const char *s, bool *failed)
{
	char	*copy;

	if (s == NULL)
		return NULL;
	if ((copy = strdup(s)) == NULL)
		*failed = true;
	return copy;
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

	if ((e = calloc(1, sizeof *e)) == NULL)
		return NULL;
	if ((e->scratch = calloc(1, sizeof *e->scratch)) == NULL)
		goto fail;
	if ((e->scratch->md = pcre2_match_data_create(1, NULL)) == NULL)
		goto fail;
	if ((e->mcx = pcre2_match_context_create(NULL)) == NULL)
		goto fail;
	pcre2_set_match_limit(e->mcx, ROUTE_MATCH_LIMIT);
	/* without a JIT stack of its own, JIT uses 32K of the machine stack */
	e->jstack = pcre2_jit_stack_create(ROUTE_JIT_STACK_MIN,
	    ROUTE_JIT_STACK_MAX, NULL);
	if (e->jstack != NULL)
		pcre2_jit_stack_assign(e->mcx, NULL, e->jstack);
	return e;
fail:
	route_engine_free(&e);
	return NULL;
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
	e->n = e->cap = 0;
	e->skipped = 0;
}

void
route_engine_free(struct route_engine **ep)
{
	struct route_engine	*e = *ep;

	if (e == NULL)
		return;
	route_engine_clear(e);
	if (e->scratch != NULL) {
		pcre2_match_data_free(e->scratch->md);
		free(e->scratch->dbuf);
		free(e->scratch->abuf);
		free(e->scratch);
	}
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

/* The entry, or NULL with msg set and *oom telling why. */
static struct route_entry *
route_entry_new(const struct route_rule *src, char *msg, size_t msgsz,
    bool *oom)
{
	struct route_entry	*r;
	char			*p;
	bool			 failed = false;

	if ((r = calloc(1, sizeof *r)) == NULL)
		goto nomem;
	r->rule = *src;
	r->rule.name = route_strdup(src->name != NULL ? src->name : "", &failed);
	r->rule.service = route_strdup(route_blank_to_null(src->service),
	    &failed);
	r->rule.description_re = route_strdup(
	    route_blank_to_null(src->description_re), &failed);
	r->rule.address_re = route_strdup(route_blank_to_null(src->address_re),
	    &failed);
	r->rule.department = route_strdup(route_blank_to_null(src->department),
	    &failed);
	r->rule.assignee = route_strdup(route_blank_to_null(src->assignee),
	    &failed);
	if (failed)
		goto nomem;
	/* service codes are lower case; compare as the database does */
	for (p = (char *)r->rule.service; p != NULL && *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (src->priority < 0 || src->priority > 4) {
		snprintf(msg, msgsz, _("rule \"%s\": priority %d must be between 1 (urgent) and 4 (low)"),
		    r->rule.name, src->priority);
		goto fail;
	}
	if (route_entry_pattern(r, "description_re", r->rule.description_re,
	    &r->desc, &r->desc_jit, msg, msgsz) != 0 ||
	    route_entry_pattern(r, "address_re", r->rule.address_re, &r->addr,
	    &r->addr_jit, msg, msgsz) != 0)
		goto fail;
	return r;
nomem:
	snprintf(msg, msgsz, "%s", _("out of memory"));
	*oom = true;
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

/* 0, -1 when the rule is refused, -2 when out of memory. */
static int
route_add(struct route_engine *e, const struct route_rule *src, char *msg,
    size_t msgsz)
{
	struct route_entry	*r, **grown;
	size_t			 i, cap;
	bool			 oom = false;

	if (e->n == e->cap) {
		cap = e->cap == 0 ? 32 : e->cap * 2;
		if ((grown = realloc(e->rules, cap * sizeof *grown)) == NULL) {
			snprintf(msg, msgsz, "%s", _("out of memory"));
			return -2;
		}
		e->rules = grown;
		e->cap = cap;
	}
	if ((r = route_entry_new(src, msg, msgsz, &oom)) == NULL)
		return oom ? -2 : -1;
	/* insertion keeps (position, id) order; equal keys keep their order */
	for (i = e->n; i > 0 && route_before(&r->rule, &e->rules[i - 1]->rule);
	    i--)
		e->rules[i] = e->rules[i - 1];
	e->rules[i] = r;
	e->n++;
	return 0;
}

int
route_engine_add(struct route_engine *e, const struct route_rule *src,
    char *msg, size_t msgsz)
{
	return route_add(e, src, msg, msgsz) == 0 ? 0 : -1;
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
	char	*grown;
	size_t	 need = len + ROUTE_PAD;

	if (need > *bufsz) {
		if ((grown = realloc(*buf, need)) == NULL)
			return NULL;
		*buf = grown;
		*bufsz = need;
	}
	memset(*buf + len, 0, ROUTE_PAD);
	return *buf;
}

/* "address, district", as concat_ws(', ', address, district) in SQL. */
static int
route_address(const struct route_engine *e, const char *address,
    const char *district, const char **out, size_t *outlen)
{
	struct route_scratch	*sc = e->scratch;
	const char		*a, *d;
	size_t			 alen, dlen, n;
	char			*buf;

	a = route_trim(address, &alen);
	d = route_trim(district, &dlen);
	n = alen + (alen > 0 && dlen > 0 ? 2 : 0) + dlen;
	if ((buf = route_room(&sc->abuf, &sc->abufsz, n)) == NULL)
		return -1;
	memcpy(buf, a, alen);
	if (alen > 0 && dlen > 0)
		memcpy(buf + alen, ", ", 2);
	memcpy(buf + n - dlen, d, dlen);
	*out = buf;
	*outlen = n;
	return 0;
}

/* 1 match, 0 no match; an error (a limit) counts as no match. */
static int
route_match(const struct route_engine *e, const pcre2_code *re, bool jit,
    const char *s, size_t len, struct route_result *res)
{
	int	rc;

	if (jit)
		rc = pcre2_jit_match(re, (PCRE2_SPTR)s, len, 0, 0,
		    e->scratch->md, e->mcx);
	else
		rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, e->scratch->md,
		    e->mcx);
	if (rc >= 0)
		return 1;
	if (rc != PCRE2_ERROR_NOMATCH)
		res->errors++;
	return 0;
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

int
route_decide(const struct route_engine *e, const char *service,
    const char *description, const char *address, const char *district,
    struct route_result *res)
{
	const struct route_entry	*r;
	char				 svc[ROUTE_SERVICE_MAX];
	const char			*desc, *addr = NULL;
	char				*buf;
	size_t				 i, dlen, alen = 0;
	bool				 has_svc;

	memset(res, 0, sizeof *res);
	has_svc = route_service_key(service, svc, sizeof svc);
	desc = route_trim(description, &dlen);
	if ((buf = route_room(&e->scratch->dbuf, &e->scratch->dbufsz,
	    dlen)) == NULL)
		return -1;
	desc = memcpy(buf, desc, dlen);
	for (i = 0; i < e->n; i++) {
		r = e->rules[i];
		if (!r->rule.enabled)
			continue;
		if (r->rule.service != NULL &&
		    (!has_svc || strcmp(r->rule.service, svc) != 0))
			continue;
		if (r->desc != NULL &&
		    !route_match(e, r->desc, r->desc_jit, desc, dlen, res))
			continue;
		if (r->addr != NULL) {
			if (addr == NULL && route_address(e, address, district,
			    &addr, &alen) != 0)
				return -1;
			if (!route_match(e, r->addr, r->addr_jit, addr, alen,
			    res))
				continue;
		}
		route_apply(res, &r->rule);
		if (r->rule.stop) {
			res->stopped = true;
			break;
		}
	}
	return 0;
}

#ifndef ROUTE_PURE
/* The database ------------------------------------------------------------ */

#include <pthread.h>

#include "db.h"

static const char route_load_sql[] =
    "SELECT r.id, r.position, r.name, s.code AS service, r.description_re,"
    " r.address_re,"
    " CASE WHEN d.active THEN d.code END AS department,"
    " coalesce(r.priority, 0) AS priority,"
    " CASE WHEN a.active THEN a.role_name END AS assignee, r.stop"
    " FROM kota.routing_rule r"
    " LEFT JOIN kota.service s ON s.id = r.service_id"
    " LEFT JOIN kota.department d ON d.id = r.department_id"
    " LEFT JOIN kota.agent a ON a.id = r.assignee_id"
    " WHERE r.enabled ORDER BY r.position, r.id";

static const char *
route_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static int
route_load_rows(struct route_engine *e, const PGresult *res,
    struct db_error *err)
{
	struct route_rule	rule;
	char			msg[ROUTE_ERRMAX + ROUTE_PATTERN_MAX];
	int			i, rc;

	for (i = 0; i < PQntuples(res); i++) {
		memset(&rule, 0, sizeof rule);
		rule.id = atoi(PQgetvalue(res, i, 0));
		rule.position = atoi(PQgetvalue(res, i, 1));
		rule.name = PQgetvalue(res, i, 2);
		rule.service = route_value(res, i, 3);
		rule.description_re = route_value(res, i, 4);
		rule.address_re = route_value(res, i, 5);
		rule.department = route_value(res, i, 6);
		rule.priority = atoi(PQgetvalue(res, i, 7));
		rule.assignee = route_value(res, i, 8);
		rule.stop = PQgetvalue(res, i, 9)[0] == 't';
		rule.enabled = true;
		if ((rc = route_add(e, &rule, msg, sizeof msg)) == 0)
			continue;
		if (rc == -2) {
			db_error_printf(err, DB_BUG, "%s", msg);
			return -1;
		}
		/* one bad rule (written around kotactl) must not stop intake */
		log_warn(_("routing rule %d left out: %s"), rule.id, msg);
		e->skipped++;
	}
	return 0;
}

int
route_engine_load(struct route_engine *e, struct db *db, struct db_error *err)
{
	struct route_engine	 fresh;
	PGresult		*res;

	res = db_query(db, "kota_route_load", route_load_sql, 0, NULL, err);
	if (res == NULL)
		return -1;
	if (PQnfields(res) != 10) {
		db_error_printf(err, DB_BUG, "routing rules: %d columns, not 10",
		    PQnfields(res));
		PQclear(res);
		return -1;
	}
	/* load into an empty copy, so a failure leaves e as it was */
	fresh = *e;
	fresh.rules = NULL;
	fresh.n = fresh.cap = 0;
	fresh.skipped = 0;
	if (route_load_rows(&fresh, res, err) != 0) {
		route_engine_clear(&fresh);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	route_engine_clear(e);
	e->rules = fresh.rules;
	e->n = fresh.n;
	e->cap = fresh.cap;
	e->skipped = fresh.skipped;
	log_debug("routing: %zu rules loaded, %d left out", e->n, e->skipped);
	return 0;
}

/*
 * One engine per connection, for the whole process.  The key is the struct
 * db, and the PGconn and server process it had at load time: a reconnect
 * (a new PGconn, or PQreset() giving a new backend) means a reload.
 */
struct route_cached {
	struct db		*db;
	PGconn			*conn;
	int			 pid;
	bool			 stale;
	struct route_engine	*engine;
	bool			 listen;	/* route_listen() was called */
	int			 listen_pid;	/* the backend that LISTENs */
};

static pthread_mutex_t		 route_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct route_cached	**route_cache;
static size_t			 route_ncache, route_cachecap;

/* The entry of db, created when missing; NULL when out of memory. */
static struct route_cached *
route_cache_get(struct db *db, bool create)
{
	struct route_cached	*c = NULL, **grown;
	size_t			 i, cap;

	pthread_mutex_lock(&route_cache_lock);
	for (i = 0; i < route_ncache; i++)
		if (route_cache[i]->db == db) {
			c = route_cache[i];
			goto out;
		}
	if (!create)
		goto out;
	if (route_ncache == route_cachecap) {
		cap = route_cachecap == 0 ? 8 : route_cachecap * 2;
		grown = realloc(route_cache, cap * sizeof *grown);
		if (grown == NULL)
			goto out;
		route_cache = grown;
		route_cachecap = cap;
	}
	if ((c = calloc(1, sizeof *c)) == NULL)
		goto out;
	c->db = db;
	route_cache[route_ncache++] = c;
out:
	pthread_mutex_unlock(&route_cache_lock);
	return c;
}

const struct route_engine *
route_engine_for(struct db *db, struct db_error *err)
{
	struct route_cached	*c;
	PGconn			*conn;

	if (db_ensure(db, err) != 0)
		return NULL;
	if ((c = route_cache_get(db, true)) == NULL)
		goto oom;
	conn = db_conn(db);
	/* a new server process has forgotten our LISTEN */
	if (c->listen && c->listen_pid != PQbackendPID(conn) &&
	    route_listen(db, err) != 0)
		return NULL;
	conn = db_conn(db);
	if (c->engine != NULL && !c->stale && c->conn == conn &&
	    c->pid == PQbackendPID(conn))
		return c->engine;
	if (c->engine == NULL && (c->engine = route_engine_new()) == NULL)
		goto oom;
	/* clear stale first: a NOTIFY that arrives during the load counts */
	c->stale = false;
	if (route_engine_load(c->engine, db, err) != 0) {
		c->stale = true;
		return NULL;
	}
	c->conn = db_conn(db);
	c->pid = PQbackendPID(c->conn);
	return c->engine;
oom:
	db_error_printf(err, DB_BUG, "%s", _("out of memory"));
	return NULL;
}

int
route_listen(struct db *db, struct db_error *err)
{
	struct route_cached	*c;

	if ((c = route_cache_get(db, true)) == NULL) {
		db_error_printf(err, DB_BUG, "%s", _("out of memory"));
		return -1;
	}
	if (db_command(db, "LISTEN " ROUTE_CHANNEL, err) != 0)
		return -1;
	c->listen = true;
	c->listen_pid = PQbackendPID(db_conn(db));
	return 0;
}

bool
route_notify(struct db *db, const char *channel)
{
	struct route_cached	*c;

	if (channel == NULL || strcmp(channel, ROUTE_CHANNEL) != 0)
		return false;
	if ((c = route_cache_get(db, false)) != NULL)
		c->stale = true;
	return true;
}

void
route_forget(struct db *db)
{
	struct route_cached	*c = NULL;
	size_t			 i;

	pthread_mutex_lock(&route_cache_lock);
	for (i = 0; i < route_ncache; i++)
		if (route_cache[i]->db == db) {
			c = route_cache[i];
			route_cache[i] = route_cache[--route_ncache];
			break;
		}
	pthread_mutex_unlock(&route_cache_lock);
	if (c != NULL) {
		route_engine_free(&c->engine);
		free(c);
	}
}
#endif /* ROUTE_PURE */
