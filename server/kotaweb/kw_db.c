/*
 * kw_db.c: one database connection per server thread; the API keys
 *
 * Each of MHD's pool threads connects on its first call and keeps its
 * connection (thread-local), so calls never queue for one.  A connection
 * that is lost is made again at the next call; while the server cannot
 * be reached, a thread tries at most once a second and answers 503 in
 * between.  The connections are listed so that the main thread closes
 * them after MHD stopped its threads.
 *
 * API keys: kota.web_app_check() says which app a key is, and its rate;
 * the answer, a "no" too, is kept for a minute (KW_KEY_TTL), so a client
 * posting in a loop costs no extra query.  Each app has a token bucket:
 * rate_per_minute calls in a burst, refilled at rate_per_minute a minute.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "kotaweb.h"
#include "log.h"
#include "xmalloc.h"

#define KW_RETRY_MS	1000	/* between connection attempts of a thread */
#define KW_KEY_TTL	60.0	/* seconds an answer about a key is kept */
#define KW_KEY_SLOTS	1024	/* direct-mapped cache of keys */
#define KW_KEY_MAX	128	/* a longer key is no key of ours */
#define KW_APPS_MAX	256	/* token buckets */

struct kw_tdb {
	struct db	*db;
	double		 retry_at;
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

struct db *
kw_db(struct kw_call *c)
{
	struct db_error	 err;
	struct kw_tdb	*t = kw_mine;
	double		 now;

	if (t == NULL) {
		t = xcalloc(1, sizeof *t);
		t->db = db_new(kw_cf.s.db_conninfo, "kotaweb");
		pthread_mutex_lock(&kw_all_lock);
		t->next = kw_all;
		kw_all = t;
		pthread_mutex_unlock(&kw_all_lock);
		kw_mine = t;
	}
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
	switch (err.status) {
	case DB_REFUSED:
		if (strncmp(err.sqlstate, "KT", 2) == 0) {
			kw_error(c, strcmp(err.sqlstate, "KT001") == 0 ? 404 :
			    strcmp(err.sqlstate, "KT005") == 0 ? 403 : 400,
			    "%s", err.message);
			return NULL;
		}
		if (strncmp(err.sqlstate, "22", 2) == 0) {
			/* a value the API let through to a cast: the
			 * server's words name SQL, not the parameter */
			log_info("%s: %s %s", st->name, err.sqlstate,
			    err.message_en);
			kw_error(c, 400, "%s",
			    _("a parameter has a value of the wrong form"));
			return NULL;
		}
		break;
	case DB_LOST:
	case DB_CONFLICT:
		log_warn("%s: %s", st->name, err.message_en);
		kw_unavailable(c);
		return NULL;
	default:
		break;
	}
	log_error("%s: %s %s", st->name, err.sqlstate, err.message_en);
	kw_error(c, 500, "%s", _("internal error; it has been logged"));
	return NULL;
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
