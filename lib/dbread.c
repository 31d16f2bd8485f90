/*
 * dbread.c: reads on a streaming standby, beside the primary's struct db
 *
 * The state is small: the standby's struct db, the last sample of its
 * lag query, when to look again, when to try a gone standby again, and
 * the primary's WAL position after this session's last write.  The
 * decision itself is the pure dbread_decide(), which the unit tests drive.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbread.h"
#include "i18n.h"
#include "log.h"
#include "strbuf.h"
#include "xmalloc.h"

struct dbread {
	struct db		*primary;
	struct db		*standby;	/* NULL: no read_conninfo */
	char			*conninfo;	/* with its connect_timeout */
	char			*appname;
	double			 max_lag;
	dbread_setup_fn		 setup;
	void			*setup_arg;

	bool			 up;		/* connected and set up */
	int			 pid;		/* the backend that was set up */
	struct dbread_sample	 sample;
	struct dbread_track	 track;		/* of this connection */
	double			 sample_lag;
	int64_t			 check_at;	/* next lag query */
	int64_t			 retry_at;	/* next connect, when not up */
	int			 backoff_ms;
	bool			 async;		/* dbread_set_async() */
	bool			 pw_tried;	/* this connect, with a password */
	int64_t			 connect_by;	/* an async connect's deadline */

	uint64_t		 wrote;		/* WAL end after our last write */
	int64_t			 pinned_until;	/* when wrote is not known */

	enum dbread_why		 why;		/* of the last dbread_db() */
	double			 lag;
};

/*
 * One look at the standby.  pg_last_xact_replay_timestamp() is the commit
 * time of the last transaction replayed: with nothing to replay it only
 * says how idle the primary has been, so it is used only on a first
 * sample that finds the standby behind (dbread_track_lag()).
 */
static const struct db_stmt dbread_stmt_sample = {
	"kota_dbread_sample",
	"SELECT pg_is_in_recovery() AS recovery,"
	" pg_last_wal_receive_lsn() AS receive,"
	" pg_last_wal_replay_lsn() AS replay,"
	" extract(epoch FROM clock_timestamp()"
	" - pg_last_xact_replay_timestamp())::float8 AS age",
	0, DB_READ,
};

/* Where the primary's WAL ends, after a write: at least our commit. */
static const struct db_stmt dbread_stmt_wal_end = {
	"kota_dbread_wal_end", "SELECT pg_current_wal_insert_lsn() AS lsn",
	0, DB_READ,
};

static int64_t
dbread_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The pure parts --------------------------------------------------------- */

int
dbread_lsn_parse(const char *text, uint64_t *lsn)
{
	unsigned int	hi, lo;
	int		n = 0;

	if (text == NULL || sscanf(text, "%8X/%8X%n", &hi, &lo, &n) != 2 ||
	    text[n] != '\0')
		return -1;
	*lsn = (uint64_t)hi << 32 | lo;
	return 0;
}

double
dbread_sample_lag(const struct dbread_sample *s)
{
	if (s->have_receive && s->replay >= s->receive)
		return 0;
	return s->have_age ? (s->age > 0 ? s->age : 0) : -1;
}

double
dbread_track_lag(struct dbread_track *tr, const struct dbread_sample *s,
    int64_t now_ms)
{
	bool	first = !tr->started;
	int	i;

	tr->started = true;
	if (!s->have_receive) {
		/* not streaming: no positions to follow */
		tr->n = 0;
		return dbread_sample_lag(s);
	}
	/* what is replayed is no lag any more */
	for (i = 0; i < tr->n && tr->lsn[i] <= s->replay; i++)
		continue;
	memmove(tr->lsn, tr->lsn + i, (size_t)(tr->n - i) * sizeof tr->lsn[0]);
	memmove(tr->seen, tr->seen + i,
	    (size_t)(tr->n - i) * sizeof tr->seen[0]);
	tr->n -= i;
	if (s->replay >= s->receive) {
		tr->n = 0;
		return 0;
	}
	if (first) {
		/* no history: received when the last replayed commit was made */
		if (!s->have_age)
			return -1;
		tr->lsn[0] = s->receive;
		tr->seen[0] = now_ms - (int64_t)((s->age > 0 ? s->age : 0) *
		    1000);
		tr->n = 1;
	} else if ((tr->n == 0 || s->receive > tr->lsn[tr->n - 1]) &&
	    tr->n < DBREAD_TRACK) {
		/* full: the oldest stay, the lag keeps growing with them */
		tr->lsn[tr->n] = s->receive;
		tr->seen[tr->n++] = now_ms;
	}
	return tr->n > 0 && now_ms > tr->seen[0] ?
	    (double)(now_ms - tr->seen[0]) / 1000.0 : 0;
}

enum dbread_why
dbread_decide(const struct dbread_sample *s, double lag, double max_lag,
    uint64_t wrote)
{
	if (!s->recovery)
		return DBREAD_NOT_STANDBY;
	if (lag < 0 || lag > max_lag)
		return DBREAD_BEHIND;
	if (wrote != 0 && s->replay < wrote)
		return DBREAD_OWN_WRITE;
	return DBREAD_STANDBY;
}

static bool
dbread_is_uri(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 ||
	    strncmp(s, "postgres://", 11) == 0;
}

static void
dbread_append_quoted(struct strbuf *sb, const char *val, bool uri)
{
	const char	*p;

	if (!uri)
		strbuf_add(sb, "'", 1);
	for (p = val; *p != '\0'; p++) {
		if (uri && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
		    *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '_' || *p == '.')) {
			strbuf_addf(sb, "%%%02X", (unsigned char)*p);
			continue;
		}
		if (!uri && (*p == '\'' || *p == '\\'))
			strbuf_add(sb, "\\", 1);
		strbuf_add(sb, p, 1);
	}
	if (!uri)
		strbuf_add(sb, "'", 1);
}

char *
dbread_conninfo_with(const char *conninfo, const char *key, const char *val)
{
	PQconninfoOption	*opts, *o;
	char			*errmsg = NULL, *out;
	bool			 has = false, uri = dbread_is_uri(conninfo);
	struct strbuf		 sb;

	if ((opts = PQconninfoParse(conninfo, &errmsg)) == NULL) {
		PQfreemem(errmsg);
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, key) == 0 && o->val != NULL &&
		    o->val[0] != '\0')
			has = true;
	PQconninfoFree(opts);
	if (has)
		return xstrdup(conninfo);
	strbuf_init(&sb);
	strbuf_adds(&sb, conninfo);
	if (uri)
		strbuf_addf(&sb, "%c%s=",
		    strchr(conninfo, '?') != NULL ? '&' : '?', key);
	else
		strbuf_addf(&sb, "%s%s=", conninfo[0] != '\0' ? " " : "", key);
	dbread_append_quoted(&sb, val, uri);
	out = xstrdup(strbuf_str(&sb));
	strbuf_release(&sb);
	return out;
}

/* Life ------------------------------------------------------------------- */

struct dbread *
dbread_new(struct db *primary, const char *read_conninfo, double max_lag)
{
	struct dbread	*r;

	r = xcalloc(1, sizeof *r);
	r->primary = primary;
	r->max_lag = max_lag > 0 ? max_lag : DBREAD_MAX_LAG_DEFAULT;
	r->appname = xstrdup("kota-read");
	r->why = DBREAD_NONE;
	r->lag = -1;
	r->backoff_ms = DBREAD_RETRY_MIN_MS;
	if (read_conninfo != NULL && read_conninfo[0] != '\0') {
		/* the environment's PGCONNECT_TIMEOUT is the user's choice */
		if (getenv("PGCONNECT_TIMEOUT") == NULL)
			r->conninfo = dbread_conninfo_with(read_conninfo,
			    "connect_timeout", DBREAD_CONNECT_TIMEOUT);
		/* unparsable: libpq says why at the first connect */
		if (r->conninfo == NULL)
			r->conninfo = xstrdup(read_conninfo);
		r->why = DBREAD_GONE;
	}
	return r;
}

void
dbread_free(struct dbread **rp)
{
	struct dbread	*r = *rp;

	if (r == NULL)
		return;
	db_free(&r->standby);
	free(r->conninfo);
	free(r->appname);
	free(r);
	*rp = NULL;
}

void
dbread_set_appname(struct dbread *r, const char *appname)
{
	free(r->appname);
	r->appname = xstrdup(appname);
}

void
dbread_set_async(struct dbread *r, bool async)
{
	r->async = async;
	if (r->standby != NULL)
		db_set_reconnect(r->standby, !async);
}

int
dbread_connect_fd(const struct dbread *r, short *events)
{
	return r->standby != NULL ? db_connect_fd(r->standby, events) : -1;
}

void
dbread_set_setup(struct dbread *r, dbread_setup_fn fn, void *arg)
{
	r->setup = fn;
	r->setup_arg = arg;
}

bool
dbread_configured(const struct dbread *r)
{
	return r->conninfo != NULL;
}

bool
dbread_is_standby(struct db *db)
{
	PGconn		*pc = db != NULL ? db_conn(db) : NULL;
	const char	*v;

	if (pc == NULL || PQstatus(pc) != CONNECTION_OK)
		return false;
	v = PQparameterStatus(pc, "in_hot_standby");
	return v != NULL && strcmp(v, "on") == 0;
}

struct db *
dbread_standby(struct dbread *r)
{
	return r->standby;
}

/* The standby ------------------------------------------------------------- */

/* It failed: use the primary, and try again later, less and less often. */
static void
dbread_gone(struct dbread *r, const char *why)
{
	if (r->up || r->why != DBREAD_GONE)
		log_info("standby: %s", why);
	r->up = false;
	r->why = DBREAD_GONE;
	r->lag = -1;
	r->retry_at = dbread_now() + r->backoff_ms;
	r->backoff_ms = r->backoff_ms * 2 > DBREAD_RETRY_MAX_MS ?
	    DBREAD_RETRY_MAX_MS : r->backoff_ms * 2;
}

/*
 * The standby's struct db, as the primary's user, on its database, unless
 * read_conninfo says otherwise: a clerk reads as the clerk.  (Checked
 * only when libpq parsed read_conninfo; dbread_new() kept it as given
 * otherwise, and the connect says why it is wrong.)
 */
static void
dbread_standby_new(struct dbread *r)
{
	PGconn	*pc = db_conn(r->primary);
	char	*a = NULL, *b = NULL, *c = NULL;

	if (pc != NULL && PQstatus(pc) == CONNECTION_OK) {
		a = dbread_conninfo_with(r->conninfo, "user", PQuser(pc));
		if (a != NULL)
			b = dbread_conninfo_with(a, "dbname", PQdb(pc));
	}
	/*
	 * Not the primary's target_session_attrs, from PGTARGETSESSIONATTRS
	 * (read-write would refuse every standby): of several hosts, a
	 * standby first.
	 */
	c = dbread_conninfo_with(b != NULL ? b : r->conninfo,
	    "target_session_attrs", "prefer-standby");
	r->standby = db_new(c != NULL ? c : r->conninfo, r->appname);
	/* a lost standby is reconnected here, not by a PQreset() that waits */
	if (r->async)
		db_set_reconnect(r->standby, false);
	free(a);
	free(b);
	free(c);
}

/* Connected: set the session up, and start its history afresh. */
static int
dbread_up(struct dbread *r)
{
	struct db_error	 err;

	if (r->setup != NULL && r->setup(r->standby, r->setup_arg, &err) != 0) {
		dbread_gone(r, err.message);
		return -1;
	}
	r->up = true;
	r->pid = PQbackendPID(db_conn(r->standby));
	r->backoff_ms = DBREAD_RETRY_MIN_MS;
	r->check_at = 0;
	memset(&r->track, 0, sizeof r->track);
	return 0;
}

/* The primary's password, when the standby asks for one. */
static const char *
dbread_password(struct dbread *r)
{
	PGconn	*pc;

	if (!db_needs_password(r->standby) ||
	    (pc = db_conn(r->primary)) == NULL)
		return NULL;
	return PQpass(pc);
}

/* Connect, waiting at most the conninfo's connect_timeout. */
static int
dbread_connect(struct dbread *r)
{
	struct db_error	 err;
	const char	*pw;

	if (r->standby == NULL)
		dbread_standby_new(r);
	if (db_connect(r->standby, NULL, &err) != 0 &&
	    ((pw = dbread_password(r)) == NULL ||
	    db_connect(r->standby, pw, &err) != 0)) {
		dbread_gone(r, err.message);
		return -1;
	}
	return dbread_up(r);
}

/* connect_timeout in milliseconds, as libpq reads it (0: none). */
static int
dbread_timeout_ms(PGconn *pc)
{
	PQconninfoOption	*opts, *o;
	int			 ms = 0;

	if ((opts = PQconninfo(pc)) == NULL)
		return 0;
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "connect_timeout") == 0 &&
		    o->val != NULL)
			ms = atoi(o->val) * 1000;
	PQconninfoFree(opts);
	if (ms > 0 && ms < 2000)	/* libpq's floor */
		ms = 2000;
	return ms < 0 ? 0 : ms;
}

/*
 * The same without waiting: start a connect when one is due, move it on
 * at each call, and give up at its connect_timeout.  0 once the standby
 * is connected and set up; -1 meanwhile, and when it failed.
 */
static int
dbread_connect_async(struct dbread *r)
{
	struct db_error	 err;
	const char	*pw;
	int		 rc, ms;

	if (r->standby == NULL)
		dbread_standby_new(r);
	if (!db_connecting(r->standby)) {
		if (dbread_now() < r->retry_at)
			return -1;
		if (db_connect_start(r->standby, NULL, &err) != 0) {
			dbread_gone(r, err.message);
			return -1;
		}
		r->pw_tried = false;
		ms = dbread_timeout_ms(db_conn(r->standby));
		r->connect_by = ms > 0 ? dbread_now() + ms : 0;
	}
	rc = db_connect_poll(r->standby, &err);
	if (rc < 0 && !r->pw_tried && (pw = dbread_password(r)) != NULL) {
		r->pw_tried = true;
		rc = db_connect_start(r->standby, pw, &err);
		if (rc == 0)
			rc = db_connect_poll(r->standby, &err);
	}
	if (rc > 0 && r->connect_by != 0 && dbread_now() >= r->connect_by) {
		db_connect_abandon(r->standby);
		dbread_gone(r, _("timeout expired"));
		return -1;
	}
	if (rc > 0)
		return -1;
	if (rc < 0) {
		db_connect_abandon(r->standby);
		dbread_gone(r, err.message);
		return -1;
	}
	return dbread_up(r);
}

static int
dbread_field(const PGresult *res, const char *name, const char **val)
{
	int	col = PQfnumber(res, name);

	if (col < 0 || PQntuples(res) != 1)
		return -1;
	*val = PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col);
	return 0;
}

/*
 * db_run() reconnected the standby by itself after a loss (a read is
 * retried): a new session, to set up again, with a new history.
 */
static int
dbread_resetup(struct dbread *r)
{
	struct db_error	err;

	if (r->setup != NULL && r->setup(r->standby, r->setup_arg, &err) != 0) {
		dbread_gone(r, err.message);
		return -1;
	}
	r->pid = PQbackendPID(db_conn(r->standby));
	r->check_at = 0;
	memset(&r->track, 0, sizeof r->track);
	return 0;
}

/* The lag query: 0, or -1 when the standby failed it (and is gone). */
static int
dbread_check(struct dbread *r)
{
	struct db_error		 err;
	struct dbread_sample	 s;
	PGresult		*res;
	const char		*rec, *rcv, *rpl, *age;

	memset(&s, 0, sizeof s);
	if ((res = db_run(r->standby, &dbread_stmt_sample, NULL,
	    &err)) == NULL) {
		dbread_gone(r, err.message);
		return -1;
	}
	if (dbread_field(res, "recovery", &rec) != 0 ||
	    dbread_field(res, "receive", &rcv) != 0 ||
	    dbread_field(res, "replay", &rpl) != 0 ||
	    dbread_field(res, "age", &age) != 0) {
		PQclear(res);
		dbread_gone(r, "unexpected answer to the lag query");
		return -1;
	}
	s.recovery = rec != NULL && rec[0] == 't';
	s.have_receive = dbread_lsn_parse(rcv, &s.receive) == 0;
	if (dbread_lsn_parse(rpl, &s.replay) != 0)
		s.replay = 0;
	s.have_age = age != NULL;
	s.age = age != NULL ? strtod(age, NULL) : 0;
	PQclear(res);
	r->sample = s;
	r->sample_lag = dbread_track_lag(&r->track, &s, dbread_now());
	r->check_at = dbread_now() + DBREAD_CHECK_MS;
	return 0;
}

struct db *
dbread_db(struct dbread *r)
{
	int64_t	now;

	if (r->conninfo == NULL) {
		r->why = DBREAD_NONE;
		r->lag = -1;
		return r->primary;
	}
	now = dbread_now();
	if (!r->up || !db_is_connected(r->standby)) {
		if (r->up)
			dbread_gone(r, _("the connection to the standby is lost"));
		if (r->async) {
			if (dbread_connect_async(r) != 0)
				return r->primary;
		} else if (now < r->retry_at || dbread_connect(r) != 0)
			return r->primary;
	} else if (PQbackendPID(db_conn(r->standby)) != r->pid &&
	    dbread_resetup(r) != 0)
		return r->primary;
	if (now >= r->check_at && dbread_check(r) != 0)
		return r->primary;
	if (r->pinned_until != 0 && now < r->pinned_until) {
		r->why = DBREAD_OWN_WRITE;
		r->lag = -1;
		return r->primary;
	}
	r->pinned_until = 0;
	r->why = dbread_decide(&r->sample, r->sample_lag, r->max_lag,
	    r->wrote);
	if (r->why != DBREAD_STANDBY) {
		r->lag = -1;
		return r->primary;
	}
	r->wrote = 0;		/* replayed: no need to compare any more */
	r->lag = r->sample_lag;
	return r->standby;
}

/* A failure of a read on the standby that the primary would not have. */
static bool
dbread_standby_failure(const struct db_error *err)
{
	/* 40001: canceled by a conflict with recovery; 57P01: shut down */
	return err->status == DB_LOST ||
	    strcmp(err->sqlstate, "40001") == 0 ||
	    strcmp(err->sqlstate, "40P01") == 0 ||
	    strcmp(err->sqlstate, "57P01") == 0;
}

PGresult *
dbread_run(struct dbread *r, const struct db_stmt *st,
    const char *const *params, struct db_error *err)
{
	struct db_error	 tmp;
	struct db	*db;
	PGresult	*res;

	if (err == NULL)
		err = &tmp;
	if (st->kind != DB_READ)
		return db_run(r->primary, st, params, err);
	db = dbread_db(r);
	res = db_run(db, st, params, err);
	if (res != NULL || db == r->primary || !dbread_standby_failure(err))
		return res;
	if (err->status == DB_LOST || !db_is_connected(r->standby))
		dbread_gone(r, err->message);
	return db_run(r->primary, st, params, err);
}

PGresult *
dbread_query(struct dbread *r, const char *name, const char *sql, int n,
    const char *const *params, struct db_error *err)
{
	struct db_stmt	st = { name, sql, n, DB_READ };

	return dbread_run(r, &st, params, err);
}

void
dbread_wrote(struct dbread *r)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*lsn;
	uint64_t	 v;

	if (r->conninfo == NULL)
		return;
	res = db_run(r->primary, &dbread_stmt_wal_end, NULL, &err);
	if (res != NULL && dbread_field(res, "lsn", &lsn) == 0 &&
	    dbread_lsn_parse(lsn, &v) == 0) {
		if (v > r->wrote)
			r->wrote = v;
	} else {
		/* where the write ended is unknown: the primary for a while */
		r->pinned_until = dbread_now() + (int64_t)(r->max_lag * 1000);
	}
	PQclear(res);
}

/* What the status line shows ---------------------------------------------- */

double
dbread_lag(const struct dbread *r)
{
	return r->why == DBREAD_STANDBY ? r->lag : -1;
}

enum dbread_why
dbread_why(const struct dbread *r)
{
	return r->why;
}

const char *
dbread_state(const struct dbread *r)
{
	switch (r->why) {
	case DBREAD_STANDBY:
	case DBREAD_NONE:
		return "";
	case DBREAD_GONE:
		return _("standby gone");
	case DBREAD_BEHIND:
		return _("standby too far behind");
	case DBREAD_NOT_STANDBY:
		return _("not a standby");
	case DBREAD_OWN_WRITE:
		return _("standby catching up");
	}
	return "";
}
