/*
 * data.c: what the console reads, each one SQL call with $n parameters
 *
 * Every statement is declared below with its kind (db.h): the reads are
 * prepared DB_READs, so paging through a queue costs one round trip and no
 * planning per page; the writes are the fold of the counters, the two
 * reads of a citizen's record, which the access log records, and the mark
 * of a request as seen by its assignee (kota.request_seen()).  Columns
 * are looked up by name in each result (db_column), so the console does not
 * depend on the order of a function's output columns.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data.h"
#include "dbread.h"
#include "i18n.h"
#include "tui.h"
#include "xmalloc.h"

#define DATA_DAYS_FROM \
	"kota.city_day_start((now() AT TIME ZONE kota.city_zone())::date" \
	" - $1::int + 1), now() + interval '1 second'"

static const struct db_stmt data_stmt_queue_page = {
	"tui_queue_page",
	"SELECT * FROM kota.queue_page($1, $2, $3, $4, $5, $6,"
	" $7::int, $8::timestamptz, $9::bigint, $10::int, $11)",
	11, DB_READ,
};
static const struct db_stmt data_stmt_queue_count = {
	"tui_queue_count",
	"SELECT kota.queue_count($1, $2, $3, $4, $5, $6, $7::int) AS found",
	7, DB_READ,
};
static const struct db_stmt data_stmt_dash_queues = {
	"tui_dash_queues",
	"SELECT * FROM kota.report_queues(" DATA_DAYS_FROM ")",
	1, DB_READ,
};
static const struct db_stmt data_stmt_dash_ages = {
	"tui_dash_ages", "SELECT * FROM kota.dashboard_ages()", 0, DB_READ,
};
static const struct db_stmt data_stmt_dash_agents = {
	"tui_dash_agents",
	"SELECT * FROM kota.report_agents(" DATA_DAYS_FROM ")",
	1, DB_READ,
};
static const struct db_stmt data_stmt_dash_daily = {
	"tui_dash_daily", "SELECT * FROM kota.dashboard_daily($1::int)",
	1, DB_READ,
};
/* folds the counters' journal into the counters: a write */
static const struct db_stmt data_stmt_tally_fold = {
	"tui_tally_fold", "SELECT kota.tally_fold()", 0, DB_WRITE,
};
static const struct db_stmt data_stmt_queue_counts = {
	"tui_queue_counts", "SELECT * FROM kota.queue_counts($1, NULL)",
	1, DB_READ,
};
/* records the read of the reporter's record in the access log: a write */
static const struct db_stmt data_stmt_request_detail = {
	"tui_request_detail", "SELECT * FROM kota.request_detail($1::bigint)",
	1, DB_WRITE,
};
static const struct db_stmt data_stmt_request_history = {
	"tui_request_history",
	"SELECT * FROM kota.request_history($1::bigint)",
	1, DB_READ,
};
static const struct db_stmt data_stmt_request_notifications = {
	"tui_request_notifications",
	"SELECT * FROM kota.request_notifications($1::bigint)",
	1, DB_READ,
};
static const struct db_stmt data_stmt_request_conversation = {
	"tui_request_conversation",
	"SELECT * FROM kota.request_conversation($1::bigint)",
	1, DB_READ,
};
/* forgets the queue's mark of the citizen's new words: a write */
static const struct db_stmt data_stmt_request_seen = {
	"tui_request_seen", "SELECT kota.request_seen($1::bigint) AS seen",
	1, DB_WRITE,
};
static const struct db_stmt data_stmt_request_allowed = {
	"tui_request_allowed",
	"SELECT * FROM kota.request_allowed($1::bigint)",
	1, DB_READ,
};
static const struct db_stmt data_stmt_duplicates = {
	"tui_duplicates",
	"SELECT * FROM kota.duplicate_candidates($1, $2, $3, $4::float8,"
	" $5::float8, $6::int)",
	6, DB_READ,
};
static const struct db_stmt data_stmt_areas_at = {
	"tui_areas_at",
	"SELECT * FROM kota.areas_at($1::float8, $2::float8, $3)",
	3, DB_READ,
};
static const struct db_stmt data_stmt_dash_hotspots = {
	"tui_dash_hotspots", "SELECT * FROM kota.dashboard_hotspots($1::int)",
	1, DB_READ,
};
/* records the read of the caller's record in the access log: a write */
static const struct db_stmt data_stmt_citizen_lookup = {
	"tui_citizen_lookup", "SELECT * FROM kota.citizen_lookup($1)",
	1, DB_WRITE,
};
/*
 * The city's clock for the session: the database formats times (in its
 * messages, "the resolve target passed at ...") in the session's TimeZone.
 */
static const struct db_stmt data_stmt_city_zone = {
	"tui_city_zone",
	"SELECT set_config('TimeZone', kota.city_zone(), false) AS zone",
	0, DB_READ,
};
static const struct db_stmt data_stmt_whoami = {
	"tui_whoami", "SELECT * FROM kota.whoami()", 0, DB_READ,
};

static const char *const queue_cols[QC_COUNT] = {
	"id", "ticket", "status", "priority", "service", "service_name_id",
	"service_name_en", "department", "assignee", "district", "address",
	"summary", "created_at", "updated_at", "due_at", "version", "is_open",
	"reporter_phone", "citizen_said",
};

static const char *const report_queue_cols[RQ_COUNT] = {
	"department", "name_id", "name_en", "open", "new", "acknowledged",
	"in_progress", "on_hold", "unassigned", "overdue", "at_risk",
	"age_lt_1d", "age_1_3d", "age_3_7d", "age_gt_7d", "intake_today",
	"closed_today", "intake_week", "closed_week", "median_resolve_hours",
	"sla_met_percent",
};

static const char *const ages_cols[RG_COUNT] = {
	"department", "age_lt_24h", "age_24_72h", "age_72_168h", "age_gt_168h",
};

static const char *const report_agent_cols[RA_COUNT] = {
	"agent", "display_name", "department", "open", "in_progress",
	"overdue", "resolved",
};

static const char *const daily_cols[RD_COUNT] = {
	"department", "day", "intake", "closed",
};

static const char *const detail_cols[DC_COUNT] = {
	"id", "ticket", "status", "status_label_id", "status_label_en",
	"is_open", "priority", "service", "service_name_id", "service_name_en",
	"department", "department_name_id", "department_name_en", "assignee",
	"assignee_name", "description", "address", "district", "lat", "lon",
	"channel", "reporter_id", "reporter_name", "reporter_phone",
	"reporter_email", "reporter_lang", "watchers", "created_at",
	"updated_at", "ack_at", "resolved_at", "closed_at", "due_at",
	"version", "duplicate_of", "duplicate_of_ticket", "source_app",
	"kecamatan", "kelurahan", "area_ids", "place_note",
};

_Static_assert(DC_COUNT <= DATA_MAXCOL, "DATA_MAXCOL is too small");

static const char *const history_cols[HC_COUNT] = {
	"id", "at", "actor", "actor_name", "kind", "old_value", "new_value",
	"note", "public",
};

static const char *const notification_cols[NC_COUNT] = {
	"id", "created_at", "event", "channel", "recipient", "state",
	"attempts", "last_error", "sent_at",
};

static const char *const conversation_cols[VC_COUNT] = {
	"at", "direction", "channel", "party", "body", "state", "action",
};

static const char *const allowed_cols[AC_COUNT] = {
	"to_status", "label_id", "label_en", "note_required",
};

static const char *const duplicate_cols[UC_COUNT] = {
	"id", "ticket", "status", "summary", "address", "created_at",
	"similarity", "distance_m",
};

static const char *const area_cols[AR_COUNT] = {
	"id", "layer", "kind", "code", "name",
};

static const char *const hotspot_cols[HS_COUNT] = {
	"area", "area_name", "service", "service_name", "this_week",
	"open_now", "avg_8w", "ratio",
};

static const char *const citizen_cols[CC_COUNT] = {
	"id", "name", "phone", "email", "lang", "channel", "opted_out",
	"requests", "open_requests",
};

const char *
data_get(const struct data_rows *r, int row, int col)
{
	if (r->res == NULL || row < 0 || row >= r->n || r->col[col] < 0)
		return "";
	return PQgetvalue(r->res, row, r->col[col]);
}

bool
data_null(const struct data_rows *r, int row, int col)
{
	if (r->res == NULL || row < 0 || row >= r->n || r->col[col] < 0)
		return true;
	return PQgetisnull(r->res, row, r->col[col]) != 0;
}

long long
data_int(const struct data_rows *r, int row, int col)
{
	return strtoll(data_get(r, row, col), NULL, 10);
}

bool
data_bool(const struct data_rows *r, int row, int col)
{
	return data_get(r, row, col)[0] == 't';
}

void
data_rows_release(struct data_rows *r)
{
	PQclear(r->res);
	r->res = NULL;
	r->n = 0;
}

time_t
data_time(const char *text)
{
	struct tm	 tm;
	const char	*p;
	int		 off_h = 0, off_m = 0, sign = 1, n = 0;
	time_t		 t;

	memset(&tm, 0, sizeof tm);
	if (text == NULL || sscanf(text, "%d-%d-%d %d:%d:%d%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &n) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	p = text + n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			continue;
	if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (sscanf(p + 1, "%2d:%2d", &off_h, &off_m) < 1)
			off_h = off_m = 0;
	}
	t = timegm(&tm);
	return t - sign * (off_h * 3600 + off_m * 60);
}

/*
 * Run a statement and find its columns by name: on the primary, or, for
 * a DB_READ of the dashboards and queue lists (standby true), where
 * t->reads sends it.  The console needs its primary connection either
 * way: offline, it reads nothing (its LISTEN is gone, so it would not
 * know when to read again).
 */
static int
data_fetch_on(struct tui *t, bool standby, const struct db_stmt *st,
    const char *const *params, const char *const *cols, int ncols,
    struct data_rows *out, struct db_error *err)
{
	int	i;

	memset(out, 0, sizeof *out);
	if (tui_online(t, err) != 0)
		return -1;
	if (standby && t->reads != NULL)
		out->res = dbread_run(t->reads, st, params, err);
	else
		out->res = db_run(t->db, st, params, err);
	if (out->res == NULL)
		return -1;
	out->n = PQntuples(out->res);
	for (i = 0; i < ncols && i < DATA_MAXCOL; i++) {
		out->col[i] = db_column(out->res, cols[i]);
		if (out->col[i] < 0) {
			db_error_printf(err, DB_BUG,
			    _("the result of %s has no column \"%s\": is the schema migrated?"),
			    st->name, cols[i]);
			data_rows_release(out);
			return -1;
		}
	}
	return 0;
}

static int
data_fetch(struct tui *t, const struct db_stmt *st, const char *const *params,
    const char *const *cols, int ncols, struct data_rows *out,
    struct db_error *err)
{
	return data_fetch_on(t, false, st, params, cols, ncols, out, err);
}

/* The dashboards and queue lists: the standby may answer (-r). */
static int
data_read(struct tui *t, const struct db_stmt *st, const char *const *params,
    const char *const *cols, int ncols, struct data_rows *out,
    struct db_error *err)
{
	return data_fetch_on(t, true, st, params, cols, ncols, out, err);
}

const char *
data_sort_name(enum queue_sort sort)
{
	switch (sort) {
	case QUEUE_SORT_AGE:
		return "age";
	case QUEUE_SORT_UPDATED:
		return "updated";
	case QUEUE_SORT_PRIORITY:
		break;
	}
	return "priority";
}

static const char *
data_blank_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

int
data_queue_page(struct tui *t, const struct queue_filter *f,
    const struct queue_key *after, int limit, struct data_rows *out,
    struct db_error *err)
{
	char		 prio[16], id[32], lim[16];
	const char	*p[11];

	p[0] = data_blank_null(f->department);
	p[1] = f->mine ? t->who.role : data_blank_null(f->assignee);
	p[2] = data_blank_null(f->status);
	p[3] = data_blank_null(f->service);
	p[4] = data_blank_null(f->search);
	p[5] = data_sort_name(f->sort);
	p[6] = p[7] = p[8] = NULL;
	if (after != NULL && after->set) {
		snprintf(prio, sizeof prio, "%d", after->priority);
		snprintf(id, sizeof id, "%lld", after->id);
		if (f->sort == QUEUE_SORT_PRIORITY)
			p[6] = prio;
		p[7] = after->ts;
		p[8] = id;
	}
	snprintf(lim, sizeof lim, "%d", limit);
	p[9] = lim;
	p[10] = data_blank_null(f->slice);
	return data_read(t, &data_stmt_queue_page, p, queue_cols, QC_COUNT,
	    out, err);
}

int
data_queue_count(struct tui *t, const struct queue_filter *f, int max,
    long *found, struct db_error *err)
{
	static const char *const cols[] = { "found" };
	struct data_rows	 r;
	char			 lim[16];
	const char		*p[7];

	p[0] = data_blank_null(f->department);
	p[1] = f->mine ? t->who.role : data_blank_null(f->assignee);
	p[2] = data_blank_null(f->status);
	p[3] = data_blank_null(f->service);
	p[4] = data_blank_null(f->search);
	p[5] = data_blank_null(f->slice);
	snprintf(lim, sizeof lim, "%d", max);
	p[6] = lim;
	if (data_read(t, &data_stmt_queue_count, p, cols, 1, &r, err) != 0)
		return -1;
	*found = r.n == 1 ? (long)data_int(&r, 0, 0) : 0;
	data_rows_release(&r);
	return 0;
}

/* The report functions over the last days, up to now. */
int
data_dash_queues(struct tui *t, int days, struct data_rows *out,
    struct db_error *err)
{
	char		 n[16];
	const char	*p[1] = { n };

	snprintf(n, sizeof n, "%d", days);
	return data_read(t, &data_stmt_dash_queues, p, report_queue_cols,
	    RQ_COUNT, out, err);
}

/*
 * Fold the counters' journal before a refresh (schema/010_tally.sql): the
 * figures are exact either way, the reads are shorter after.  A fold is a
 * write (DB_WRITE: never retried on another connection).
 */
int
data_tally_fold(struct tui *t, struct db_error *err)
{
	PGresult	*res;

	res = db_run(t->db, &data_stmt_tally_fold, NULL, err);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
data_dash_ages(struct tui *t, struct data_rows *out, struct db_error *err)
{
	return data_read(t, &data_stmt_dash_ages, NULL, ages_cols, RG_COUNT,
	    out, err);
}

int
data_dash_agents(struct tui *t, int days, struct data_rows *out,
    struct db_error *err)
{
	char		 n[16];
	const char	*p[1] = { n };

	snprintf(n, sizeof n, "%d", days);
	return data_read(t, &data_stmt_dash_agents, p, report_agent_cols,
	    RA_COUNT, out, err);
}

int
data_dash_daily(struct tui *t, int days, struct data_rows *out,
    struct db_error *err)
{
	char		 n[16];
	const char	*p[1] = { n };

	snprintf(n, sizeof n, "%d", days);
	return data_read(t, &data_stmt_dash_daily, p, daily_cols, RD_COUNT,
	    out, err);
}

int
data_dash_hotspots(struct tui *t, int limit, struct data_rows *out,
    struct db_error *err)
{
	char		 n[16];
	const char	*p[1] = { n };

	snprintf(n, sizeof n, "%d", limit);
	return data_read(t, &data_stmt_dash_hotspots, p, hotspot_cols,
	    HS_COUNT, out, err);
}

void
data_queue_key(const struct data_rows *r, int row, enum queue_sort sort,
    struct queue_key *key)
{
	memset(key, 0, sizeof *key);
	if (row < 0 || row >= r->n)
		return;
	key->set = true;
	key->priority = (int)data_int(r, row, QC_PRIORITY);
	snprintf(key->ts, sizeof key->ts, "%s", data_get(r, row,
	    sort == QUEUE_SORT_UPDATED ? QC_UPDATED_AT : QC_CREATED_AT));
	key->id = data_int(r, row, QC_ID);
}

int
data_queue_counts(struct tui *t, const char *department, long counts[5],
    struct db_error *err)
{
	static const char *const cols[] = {
		"open", "new", "unassigned", "mine", "overdue",
	};
	struct data_rows	 r;
	const char		*p[1];
	int			 i;

	p[0] = data_blank_null(department);
	if (data_read(t, &data_stmt_queue_counts, p, cols, 5, &r, err) != 0)
		return -1;
	for (i = 0; i < 5; i++)
		counts[i] = r.n > 0 ? (long)data_int(&r, 0, i) : 0;
	data_rows_release(&r);
	return 0;
}

static int
data_by_id(struct tui *t, const struct db_stmt *st, int64_t id,
    const char *const *cols, int ncols, struct data_rows *out,
    struct db_error *err)
{
	char		 buf[32];
	const char	*p[1];

	snprintf(buf, sizeof buf, "%" PRId64, id);
	p[0] = buf;
	return data_fetch(t, st, p, cols, ncols, out, err);
}

int
data_request_detail(struct tui *t, int64_t id, struct data_rows *out,
    struct db_error *err)
{
	return data_by_id(t, &data_stmt_request_detail, id, detail_cols,
	    DC_COUNT, out, err);
}

int
data_request_history(struct tui *t, int64_t id, struct data_rows *out,
    struct db_error *err)
{
	return data_by_id(t, &data_stmt_request_history, id, history_cols,
	    HC_COUNT, out, err);
}

int
data_request_notifications(struct tui *t, int64_t id, struct data_rows *out,
    struct db_error *err)
{
	return data_by_id(t, &data_stmt_request_notifications, id,
	    notification_cols, NC_COUNT, out, err);
}

int
data_request_conversation(struct tui *t, int64_t id, struct data_rows *out,
    struct db_error *err)
{
	return data_by_id(t, &data_stmt_request_conversation, id,
	    conversation_cols, VC_COUNT, out, err);
}

int
data_request_seen(struct tui *t, int64_t id, bool *seen, struct db_error *err)
{
	static const char *const cols[] = { "seen" };
	struct data_rows	 r;

	*seen = false;
	if (data_by_id(t, &data_stmt_request_seen, id, cols, 1, &r, err) != 0)
		return -1;
	*seen = r.n == 1 && data_bool(&r, 0, 0);
	data_rows_release(&r);
	return 0;
}

int
data_request_allowed(struct tui *t, int64_t id, struct data_rows *out,
    struct db_error *err)
{
	return data_by_id(t, &data_stmt_request_allowed, id, allowed_cols,
	    AC_COUNT, out, err);
}

int
data_duplicates(struct tui *t, const char *service, const char *description,
    const char *address, const char *lat, const char *lon, int limit,
    struct data_rows *out, struct db_error *err)
{
	char		 lim[16];
	const char	*p[6];

	snprintf(lim, sizeof lim, "%d", limit);
	p[0] = service;
	p[1] = data_blank_null(description);
	p[2] = data_blank_null(address);
	p[3] = lat;
	p[4] = lon;
	p[5] = lim;
	return data_fetch(t, &data_stmt_duplicates, p, duplicate_cols,
	    UC_COUNT, out, err);
}

int
data_areas_at(struct tui *t, const char *lat, const char *lon,
    const char *district, struct data_rows *out, struct db_error *err)
{
	const char	*p[3];

	p[0] = lat;
	p[1] = lon;
	p[2] = data_blank_null(district);
	return data_fetch(t, &data_stmt_areas_at, p, area_cols, AR_COUNT, out,
	    err);
}

int
data_citizen_lookup(struct tui *t, const char *phone, struct data_rows *out,
    struct db_error *err)
{
	const char	*p[1];

	p[0] = phone;
	return data_fetch(t, &data_stmt_citizen_lookup, p, citizen_cols,
	    CC_COUNT, out, err);
}

int
data_whoami(struct tui *t, struct db_error *err)
{
	static const char *const cols[] = {
		"role_name", "display_name", "kind", "department", "lang",
	};
	struct tui_who		*w = &t->who;
	struct data_rows	 r;

	if (data_fetch(t, &data_stmt_whoami, NULL, cols, 5, &r, err) != 0) {
		/* a role without USAGE on schema kota is no agent either */
		if (strcmp(err->sqlstate, "42501") != 0)
			return -1;
		memset(&r, 0, sizeof r);
	}
	if (r.n != 1 || data_null(&r, 0, 0)) {
		data_rows_release(&r);
		db_error_printf(err, DB_REFUSED,
		    _("role \"%s\" is not an active Kota agent; ask an administrator (kotactl user add)"),
		    PQuser(db_conn(t->db)));
		return -1;
	}
	snprintf(w->role, sizeof w->role, "%s", data_get(&r, 0, 0));
	snprintf(w->name, sizeof w->name, "%s", data_get(&r, 0, 1));
	snprintf(w->kind, sizeof w->kind, "%s", data_get(&r, 0, 2));
	snprintf(w->department, sizeof w->department, "%s", data_get(&r, 0, 3));
	snprintf(w->lang, sizeof w->lang, "%s", data_get(&r, 0, 4));
	data_rows_release(&r);
	return 0;
}

/*
 * One clock: every time a person reads is the city's (the default
 * calendar's time zone), whatever the machine's TZ.  The session's
 * TimeZone is set to it, and so is the process's TZ, for what the console
 * formats itself (format_time(), localtime_r()).
 */
static int
data_city_clock(struct tui *t, struct db_error *err)
{
	static const char *const cols[] = { "zone" };
	struct data_rows	 r;
	const char		*zone;

	if (data_fetch(t, &data_stmt_city_zone, NULL, cols, 1, &r, err) != 0)
		return -1;
	zone = r.n == 1 ? data_get(&r, 0, 0) : "";
	if (zone[0] != '\0') {
		if (setenv("TZ", zone, 1) != 0)
			xmalloc_fatal();	/* ENOMEM, its one error */
		tzset();
	}
	data_rows_release(&r);
	return 0;
}

/*
 * A standby's session as the primary's (dbread_set_setup()): the same
 * DateStyle, which data_time() parses, and the city's TimeZone.  Nothing
 * else: a standby refuses LISTEN, and the console needs none there.
 */
int
data_standby_setup(struct db *db, void *arg, struct db_error *err)
{
	PGresult	*res;

	(void)arg;
	if (db_command(db, "SET datestyle = 'ISO, YMD'", err) != 0 ||
	    (res = db_run(db, &data_stmt_city_zone, NULL, err)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
data_session_setup(struct tui *t, struct db_error *err)
{
	if (db_command(t->db, "SET datestyle = 'ISO, YMD'", err) != 0 ||
	    data_city_clock(t, err) != 0 ||
	    db_command(t->db, "LISTEN kota_request", err) != 0 ||
	    db_command(t->db, "LISTEN kota_notification", err) != 0 ||
	    route_cache_listen(&t->routes, t->db, err) != 0)
		return -1;
	return 0;
}
