/*
 * kw_db.c: the database connections of each server thread; the API keys
 *
 * Each of MHD's pool threads connects on its first call and keeps its
 * connections (thread-local), so calls never queue for one.  A connection
 * that is lost is made again at the next call; while the server cannot
 * be reached, a thread tries at most once a second and answers 503 in
 * between.  The connections are listed so that the main thread closes
 * them after MHD stopped its threads.
 *
 * A standby ([database] read_conninfo): each thread has a second
 * connection, for the reads the public makes (Open311's GETs, the status
 * page; kw_read()).  Every write, and what a write depends on (the API
 * key of a POST, FixMyStreet's updates, the messages), stays on the
 * primary (kw_run()).  A thread looks at its standby's lag at most once a
 * second (KW_LAG_EVERY); a standby that cannot be reached, or is further
 * behind than max_lag, is left alone for KW_STANDBY_RETRY or
 * KW_LAG_EVERY and the reads go to the primary meanwhile, so no request
 * waits for a dead standby more than once per thread and period.  A
 * citizen who just posted reads the request back at once: a standby that
 * does not have a request asked for by its id is not believed, the
 * primary is asked (never a false 404).
 *
 * [database] pool_mode = transaction (pgbouncer): every connection runs
 * its statements unnamed and keeps no session state (db_set_prepare()).
 *
 * API keys: kota.web_app_check() says which app a key is, and its rate;
 * the answer, a "no" too, is kept for a minute (KW_KEY_TTL), so a client
 * posting in a loop costs no extra query.  Each app has a token bucket:
 * rate_per_minute calls in a burst, refilled at rate_per_minute a minute.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "kotaweb.h"
#include "log.h"
#include "xmalloc.h"

#define KW_RETRY_MS	1000	/* between connection attempts of a thread */
#define KW_STANDBY_RETRY 5.0	/* seconds a standby that failed is left */
#define KW_LAG_EVERY	1.0	/* seconds between looks at a standby's lag */
#define KW_KEY_TTL	60.0	/* seconds an answer about a key is kept */
#define KW_KEY_SLOTS	1024	/* direct-mapped cache of keys */
#define KW_KEY_MAX	128	/* a longer key is no key of ours */
#define KW_APPS_MAX	256	/* token buckets */

enum kw_rstate {
	KW_R_NONE,		/* not tried yet */
	KW_R_STANDBY,		/* reads go to the standby */
	KW_R_DOWN,		/* ... to the primary: it cannot be reached */
	KW_R_BEHIND,		/* ... to the primary: it is too far behind */
};

struct kw_tdb {
	struct db	*db;		/* the primary */
	double		 retry_at;
	struct db	*rdb;		/* the standby, or NULL */
	double		 rnext;		/* when to look at it again */
	enum kw_rstate	 rstate;
	struct kw_tdb	*next;
};

static __thread struct kw_tdb	*kw_mine;
static struct kw_tdb		*kw_all;
static pthread_mutex_t		 kw_all_lock = PTHREAD_MUTEX_INITIALIZER;

struct kw_key {
	char	key[KW_KEY_MAX + 1];	/* "" : free slot */
	char	app[64];		/* "" : not a valid key */
	int	rate;			/* per minute; 0: no limit */
	double	expires;
};

struct kw_bucket {
	char	app[64];
	double	tokens;
	double	at;
};

static struct kw_key	 kw_keys[KW_KEY_SLOTS];
static struct kw_bucket	 kw_buckets[KW_APPS_MAX];
static int		 kw_nbuckets;
static pthread_mutex_t	 kw_key_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct db_stmt kw_stmt_app_check = {
	"kw_app_check",
	"SELECT app, rate_per_minute FROM kota.web_app_check($1)", 1, DB_READ,
};

/* How far behind the standby is, in seconds: nothing when it has
 * replayed all it received (an idle primary sends nothing), else the age
 * of the last transaction it replayed; 0 for a server not in recovery
 * (a promoted standby is a primary). */
static const struct db_stmt kw_stmt_lag = {
	"kw_lag",
	"SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
	" WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
	" ELSE coalesce(extract(epoch FROM now()"
	" - pg_last_xact_replay_timestamp()), 1e9) END", 0, DB_READ,
};

static double
kw_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
kw_db_init(void)
{
	memset(kw_keys, 0, sizeof kw_keys);
	kw_nbuckets = 0;
}

void
kw_db_fini(void)
{
	struct kw_tdb	*t, *next;

	pthread_mutex_lock(&kw_all_lock);
	for (t = kw_all; t != NULL; t = next) {
		next = t->next;
		db_free(&t->db);
		db_free(&t->rdb);
		free(t);
	}
	kw_all = NULL;
	pthread_mutex_unlock(&kw_all_lock);
	explicit_bzero(kw_keys, sizeof kw_keys);
}

/* libpq's messages run over lines ("\n\tIs the server running..."):
 * a log line is one line */
static void
kw_one_line(char *s)
{
	char	*o = s, *p;
	bool	 blank = false;

	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
			blank = true;
			continue;
		}
		if (blank && o > s)
			*o++ = ' ';
		blank = false;
		*o++ = *p;
	}
	*o = '\0';
}

static void
kw_unavailable(struct kw_call *c)
{
	kw_error(c, 503, "%s",
	    _("the service is unavailable for a moment: try again later"));
	c->retry_after = 5;
}

static struct db *
kw_db_new(const char *conninfo, const char *appname)
{
	struct db	*db;

	db = db_new(conninfo, appname);
	if (kw_cf.s.db_pool_mode == KW_POOL_TRANSACTION)
		db_set_prepare(db, false);
	return db;
}

/* This thread's connections, made (not connected) on its first call. */
static struct kw_tdb *
kw_tdb(void)
{
	struct kw_tdb	*t = kw_mine;

	if (t != NULL)
		return t;
	t = xcalloc(1, sizeof *t);
	t->db = kw_db_new(kw_cf.s.db_conninfo, "kotaweb");
	if (kw_cf.s.db_read_conninfo != NULL)
		t->rdb = kw_db_new(kw_cf.s.db_read_conninfo, "kotaweb-read");
	pthread_mutex_lock(&kw_all_lock);
	t->next = kw_all;
	kw_all = t;
	pthread_mutex_unlock(&kw_all_lock);
	kw_mine = t;
	return t;
}

struct db *
kw_db(struct kw_call *c)
{
	struct db_error	 err;
	struct kw_tdb	*t = kw_tdb();
	double		 now;

	if (db_is_connected(t->db))
		return t->db;
	now = kw_now();
	if (now < t->retry_at) {
		kw_unavailable(c);
		return NULL;
	}
	if (db_ensure(t->db, &err) != 0) {
		kw_one_line(err.message);
		log_warn(_("cannot reach the database: %s"), err.message);
		t->retry_at = now + KW_RETRY_MS / 1000.0;
		kw_unavailable(c);
		return NULL;
	}
	return t->db;
}

static void	kw_standby_off(struct kw_tdb *, enum kw_rstate, double,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

/* The standby is not to be read from for a while: say so once. */
static void
kw_standby_off(struct kw_tdb *t, enum kw_rstate why, double wait,
    const char *fmt, ...)
{
	va_list	ap;
	char	msg[600];

	t->rnext = kw_now() + wait;
	if (t->rstate == why)
		return;
	t->rstate = why;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kw_one_line(msg);
	log_warn("%s", msg);
}

/* This thread's standby when it may be read from now, else NULL. */
static struct db *
kw_standby(void)
{
	struct kw_tdb	*t = kw_tdb();
	struct db_error	 err;
	PGresult	*res;
	double		 now, lag, max = kw_cf.s.db_max_lag_ms / 1000.0;

	if (t->rdb == NULL)
		return NULL;
	now = kw_now();
	if (now < t->rnext)
		return t->rstate == KW_R_STANDBY ? t->rdb : NULL;
	if (db_ensure(t->rdb, &err) != 0) {
		kw_standby_off(t, KW_R_DOWN, KW_STANDBY_RETRY,
		    _("cannot reach the standby, reading from the primary: %s"),
		    err.message);
		return NULL;
	}
	if ((res = db_run(t->rdb, &kw_stmt_lag, NULL, &err)) == NULL) {
		kw_standby_off(t, KW_R_DOWN, KW_STANDBY_RETRY,
		    _("cannot reach the standby, reading from the primary: %s"),
		    err.message);
		return NULL;
	}
	lag = atof(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (lag > max) {
		kw_standby_off(t, KW_R_BEHIND, KW_LAG_EVERY,
		    _("the standby is %.1f s behind (max_lag %.1f s): reading from the primary"),
		    lag, max);
		return NULL;
	}
	t->rnext = now + KW_LAG_EVERY;
	if (t->rstate != KW_R_STANDBY)
		log_info(_("reading from the standby (%.1f s behind)"), lag);
	t->rstate = KW_R_STANDBY;
	return t->rdb;
}

/* An error of st's in c, mapped to its HTTP status. */
static void
kw_db_error(struct kw_call *c, const struct db_stmt *st,
    const struct db_error *err)
{
	switch (err->status) {
	case DB_REFUSED:
		if (strncmp(err->sqlstate, "KT", 2) == 0) {
			kw_error(c, strcmp(err->sqlstate, "KT001") == 0 ? 404 :
			    strcmp(err->sqlstate, "KT005") == 0 ? 403 : 400,
			    "%s", err->message);
			return;
		}
		if (strncmp(err->sqlstate, "22", 2) == 0) {
			/* a value the API let through to a cast: the
			 * server's words name SQL, not the parameter */
			log_info("%s: %s %s", st->name, err->sqlstate,
			    err->message_en);
			kw_error(c, 400, "%s",
			    _("a parameter has a value of the wrong form"));
			return;
		}
		break;
	case DB_LOST:
	case DB_CONFLICT:
		log_warn("%s: %s", st->name, err->message_en);
		kw_unavailable(c);
		return;
	default:
		break;
	}
	log_error("%s: %s %s", st->name, err->sqlstate, err->message_en);
	kw_error(c, 500, "%s", _("internal error; it has been logged"));
}

PGresult *
kw_run(struct kw_call *c, const struct db_stmt *st, const char *const *params)
{
	struct db_error	 err;
	struct db	*db;
	PGresult	*res;

	if ((db = kw_db(c)) == NULL)
		return NULL;
	if ((res = db_run(db, st, params, &err)) != NULL)
		return res;
	kw_db_error(c, st, &err);
	return NULL;
}

PGresult *
kw_read(struct kw_call *c, const struct db_stmt *st,
    const char *const *params, int fresh)
{
	struct db_error	 err;
	struct db	*db;
	PGresult	*res;

	if ((db = kw_standby()) == NULL)
		return kw_run(c, st, params);
	if ((res = db_run(db, st, params, &err)) != NULL) {
		if (PQntuples(res) >= fresh)
			return res;
		PQclear(res);	/* not there yet: the primary knows */
		return kw_run(c, st, params);
	}
	if (err.status == DB_LOST) {
		kw_standby_off(kw_tdb(), KW_R_DOWN, KW_STANDBY_RETRY,
		    _("cannot reach the standby, reading from the primary: %s"),
		    err.message);
		return kw_run(c, st, params);
	}
	if (fresh > 0 && strcmp(err.sqlstate, KOTA_SQLSTATE_NOT_FOUND) == 0)
		return kw_run(c, st, params);
	kw_db_error(c, st, &err);
	return NULL;
}

PGconn *
kw_read_conn(void)
{
	struct db	*db = kw_standby();

	return db != NULL ? db_conn(db) : NULL;
}

void
kw_read_lost(void)
{
	struct kw_tdb	*t = kw_tdb();

	if (t->rdb == NULL || db_is_connected(t->rdb))
		return;
	kw_standby_off(t, KW_R_DOWN, KW_STANDBY_RETRY,
	    _("cannot reach the standby, reading from the primary: %s"),
	    PQerrorMessage(db_conn(t->rdb)));
}

static uint32_t
kw_hash(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The bucket of app, made full when new; the table never shrinks, and
 * apps are few (one per client application of the city). */
static struct kw_bucket *
kw_bucket(const char *app, int rate, double now)
{
	int	i;

	for (i = 0; i < kw_nbuckets; i++)
		if (strcmp(kw_buckets[i].app, app) == 0)
			return &kw_buckets[i];
	if (kw_nbuckets == KW_APPS_MAX)
		i = (int)(kw_hash(app) % KW_APPS_MAX);	/* share one */
	else
		i = kw_nbuckets++;
	snprintf(kw_buckets[i].app, sizeof kw_buckets[i].app, "%s", app);
	kw_buckets[i].tokens = rate;
	kw_buckets[i].at = now;
	return &kw_buckets[i];
}

/* Take a token of app's bucket: 0, or the seconds until one is there. */
static int
kw_take(const char *app, int rate, double now)
{
	struct kw_bucket	*b;

	if (rate <= 0)
		return 0;
	b = kw_bucket(app, rate, now);
	b->tokens += (now - b->at) * rate / 60.0;
	if (b->tokens > rate)
		b->tokens = rate;
	b->at = now;
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		return 0;
	}
	return (int)ceil((1.0 - b->tokens) * 60.0 / rate);
}

int
kw_key_check(struct kw_call *c, const char *key)
{
	struct kw_key	*k, fresh;
	PGresult	*res;
	const char	*params[1];
	double		 now = kw_now();
	int		 wait;

	if (key == NULL) {
		kw_error(c, 403, "%s", _("api_key is required"));
		return -1;
	}
	if (strlen(key) > KW_KEY_MAX) {
		kw_error(c, 403, "%s", _("api_key is not valid"));
		return -1;
	}
	k = &kw_keys[kw_hash(key) % KW_KEY_SLOTS];
	pthread_mutex_lock(&kw_key_lock);
	if (strcmp(k->key, key) == 0 && k->expires > now) {
		fresh = *k;
		goto known;
	}
	pthread_mutex_unlock(&kw_key_lock);

	memset(&fresh, 0, sizeof fresh);
	snprintf(fresh.key, sizeof fresh.key, "%s", key);
	params[0] = key;
	if ((res = kw_run(c, &kw_stmt_app_check, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		snprintf(fresh.app, sizeof fresh.app, "%s",
		    PQgetvalue(res, 0, 0));
		fresh.rate = PQgetisnull(res, 0, 1) ? 0 :
		    atoi(PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	fresh.expires = now + KW_KEY_TTL;
	pthread_mutex_lock(&kw_key_lock);
	*k = fresh;
known:
	wait = fresh.app[0] != '\0' ? kw_take(fresh.app, fresh.rate, now) : 0;
	pthread_mutex_unlock(&kw_key_lock);
	explicit_bzero(fresh.key, sizeof fresh.key);
	if (fresh.app[0] == '\0') {
		kw_error(c, 403, "%s", _("api_key is not valid"));
		return -1;
	}
	if (wait > 0) {
		kw_error(c, 429, _("too many calls with this api_key: at most %d a minute"),
		    fresh.rate);
		c->retry_after = wait;
		return -1;
	}
	return 0;
}
