/*
 * seed_bulk.c: kotactl seed --bulk N, years of requests streamed with COPY
 *
 * The rows (seed_rows.c) are streamed with COPY ... FROM STDIN in binary
 * format -- no SQL text is ever built from data -- over one connection per
 * CPU (at most 4), each loading a slice of the requests and their
 * histories, and a slice of the citizens, in its own transaction.
 * The transactions commit together once every stream has finished, or all
 * roll back.  Services, departments, agents and sample texts come from the
 * database (seed --demo, or a real catalogue).
 *
 * Ids are reserved in blocks from the sequences first, while no one else
 * can draw from them.  Like pg_restore --disable-triggers, the streams run
 * with session_replication_role = replica: no per-row foreign-key checks
 * or triggers, which would cost more than the load itself.  That needs a
 * superuser, and the rows only reference what exists: services, agents
 * and departments read from the database, citizens and requests of the
 * same load.  Indexes stay in place; the tables are vacuumed and analyzed
 * afterwards, so that the planner knows them and index-only scans work.
 * The dashboard's counters (kota.tally_*, 010), which the triggers keep
 * and which did not fire, are then rebuilt from the requests.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "seed_bulk.h"
#include "xmalloc.h"

#define BULK_STREAMS	4

/* One connection loading requests [from, to) and their histories. */
struct stream {
	struct bulk	*b;
	PGconn		*conn;
	pthread_t	 thread;
	long long	 from, to;	/* requests */
	int64_t		 cit_from, cit_to;	/* citizens */
	int		 rc;
	long		 by_status[8], nevents;
	struct db_error	 err;
	struct copybuf	*cb;
};

/* Binary COPY: a header, rows of length-prefixed big-endian fields. */
static void
copy_put(struct copybuf *cb, const void *p, size_t n)
{
	if (cb->len + n > sizeof cb->data) {
		if (!cb->failed && PQputCopyData(cb->conn, cb->data,
		    (int)cb->len) != 1)
			cb->failed = 1;
		cb->len = 0;
	}
	memcpy(cb->data + cb->len, p, n);
	cb->len += n;
}

void
copy_be(struct copybuf *cb, uint64_t v, int bytes)
{
	unsigned char	b[8];
	int		i;

	for (i = bytes - 1; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
	copy_put(cb, b, (size_t)bytes);
}

void
copy_int(struct copybuf *cb, int64_t v, int bytes)
{
	copy_be(cb, (uint64_t)bytes, 4);
	copy_be(cb, (uint64_t)v, bytes);
}

void
copy_null(struct copybuf *cb)
{
	copy_be(cb, UINT64_C(0xffffffff), 4);
}

void
copy_text(struct copybuf *cb, const char *s)
{
	size_t	n;

	if (s == NULL) {
		copy_null(cb);
		return;
	}
	n = strlen(s);
	copy_be(cb, (uint64_t)n, 4);
	copy_put(cb, s, n);
}

void
copy_bytes(struct copybuf *cb, const void *p, size_t n)
{
	copy_be(cb, (uint64_t)n, 4);
	copy_put(cb, p, n);
}

/* a timestamptz in microseconds since the Unix epoch; 0 is NULL */
void
copy_time(struct copybuf *cb, int64_t us)
{
	if (us == 0)
		copy_null(cb);
	else
		copy_int(cb, us - PG_EPOCH_US, 8);
}

/*
 * A geography point: its binary form is EWKB, written here big-endian (XDR,
 * byte order 0) so that the host's order does not matter: the type with
 * the SRID flag, SRID 4326, then longitude and latitude.
 */
void
copy_point(struct copybuf *cb, double lat, double lon)
{
	uint64_t	v;

	copy_be(cb, 25, 4);
	copy_be(cb, 0, 1);
	copy_be(cb, UINT64_C(0x20000001), 4);	/* Point, with an SRID */
	copy_be(cb, 4326, 4);
	memcpy(&v, &lon, sizeof v);
	copy_be(cb, v, 8);
	memcpy(&v, &lat, sizeof v);
	copy_be(cb, v, 8);
}

int
copy_begin(struct copybuf *cb, PGconn *conn, const char *sql,
    struct db_error *err)
{
	static const char	hdr[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
	PGresult		*res;

	cb->conn = conn;
	cb->len = 0;
	cb->failed = 0;
	res = PQexec(cb->conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		db_error_set(err, cb->conn, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	copy_put(cb, hdr, sizeof hdr);
	return 0;
}

int
copy_end(struct copybuf *cb, struct db_error *err)
{
	PGresult	*res;
	int		 rc = 0;

	copy_be(cb, UINT64_C(0xffff), 2);
	if (!cb->failed && PQputCopyData(cb->conn, cb->data, (int)cb->len) != 1)
		cb->failed = 1;
	if (PQputCopyEnd(cb->conn, cb->failed ? "write failed" : NULL) != 1)
		cb->failed = 1;
	while ((res = PQgetResult(cb->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
			db_error_set(err, cb->conn, res);
			rc = -1;
		}
		PQclear(res);
	}
	if (rc == 0 && cb->failed) {
		db_error_set(err, cb->conn, NULL);
		rc = -1;
	}
	return rc;
}
static void
bulk_release(struct bulk *b)
{
	PQclear(b->svc);
	PQclear(b->agents);
	PQclear(b->descs);
	PQclear(b->addrs);
	free(b->svc_cum);
	free(b->desc_first);
	free(b->desc_n);
	free(b->agent_first);
	free(b->agent_n);
}

/* Services (with their department, else triage), agents, sample texts. */
static int
bulk_load_refs(struct bulk *b, struct db_error *err)
{
	struct db	*db = b->ctl->db;
	int		 i, j;

	b->svc = db_query(db, NULL,
	    "SELECT s.id, d.id, d.code, s.default_priority, s.code, s.name_id,"
	    " (SELECT count(*) FROM (SELECT 1 FROM kota.request r"
	    "   WHERE r.service_id = s.id LIMIT 500) x),"
	    " p.id, p.ack_minutes, p.resolve_minutes, p.warn_percent,"
	    " p.escalate_raise"
	    " FROM kota.service s"
	    " JOIN kota.department d ON d.active AND (d.id = s.department_id"
	    "   OR (s.department_id IS NULL AND d.is_triage))"
	    " LEFT JOIN LATERAL kota.sla_policy_for(s.id) p ON true"
	    " WHERE s.active ORDER BY s.id", 0, NULL, err);
	if (b->svc == NULL)
		return -1;
	b->agents = db_query(db, NULL,
	    "SELECT id, role_name, coalesce(department_id, 0) FROM kota.agent"
	    " WHERE active ORDER BY 3, id", 0, NULL, err);
	if (b->agents == NULL)
		return -1;
	b->descs = db_query(db, NULL,
	    "SELECT s.id, x.description FROM kota.service s CROSS JOIN LATERAL"
	    " (SELECT r.description FROM kota.request r"
	    "  WHERE r.service_id = s.id ORDER BY r.created_at LIMIT 40) x"
	    " WHERE s.active ORDER BY s.id", 0, NULL, err);
	if (b->descs == NULL)
		return -1;
	b->addrs = db_query(db, NULL,
	    "SELECT DISTINCT address, district FROM (SELECT address, district"
	    " FROM kota.request WHERE address IS NOT NULL ORDER BY id"
	    " LIMIT 3000) a ORDER BY 1, 2", 0, NULL, err);
	if (b->addrs == NULL)
		return -1;
	b->nsvc = PQntuples(b->svc);
	b->nagent = PQntuples(b->agents);
	b->ndesc = PQntuples(b->descs);
	b->naddr = PQntuples(b->addrs);
	if (b->nsvc == 0)
		return 0;
	b->svc_cum = xcalloc((size_t)b->nsvc, sizeof *b->svc_cum);
	b->desc_first = xcalloc((size_t)b->nsvc, sizeof (int));
	b->desc_n = xcalloc((size_t)b->nsvc, sizeof (int));
	b->agent_first = xcalloc((size_t)b->nsvc, sizeof (int));
	b->agent_n = xcalloc((size_t)b->nsvc, sizeof (int));
	for (i = 0, j = 0; i < b->nsvc; i++) {
		/* services seen often in the existing data are common */
		b->svc_cum[i] = (i > 0 ? b->svc_cum[i - 1] : 0) + 1 +
		    atof(PQgetvalue(b->svc, i, 6));
		while (j < b->ndesc && atoi(PQgetvalue(b->descs, j, 0)) <
		    atoi(PQgetvalue(b->svc, i, 0)))
			j++;
		b->desc_first[i] = j;
		while (j < b->ndesc && strcmp(PQgetvalue(b->descs, j, 0),
		    PQgetvalue(b->svc, i, 0)) == 0) {
			b->desc_n[i]++;
			j++;
		}
		for (j = 0; j < b->nagent; j++)
			if (strcmp(PQgetvalue(b->agents, j, 2),
			    PQgetvalue(b->svc, i, 1)) == 0 && b->agent_n[i]++ == 0)
				b->agent_first[i] = j;
		j = b->desc_first[i] + b->desc_n[i];
	}
	return 0;
}


/*
 * Reserve n request ids and ncit citizen ids.  Altering a sequence locks
 * it until commit, so no nextval() elsewhere can take an id of the block
 * between ours and the setval().
 */
static int
bulk_reserve(struct bulk *b, struct db_error *err)
{
	struct db	*db = b->ctl->db;
	PGresult	*res;
	const char	*p[2];
	char		 nbuf[24], cbuf[24];

	snprintf(nbuf, sizeof nbuf, "%lld", b->n);
	snprintf(cbuf, sizeof cbuf, "%" PRId64, b->ncit);
	p[0] = nbuf;
	p[1] = cbuf;
	if (db_command(db, "BEGIN", err) != 0)
		return -1;
	if (db_command(db, "ALTER SEQUENCE kota.request_id_seq INCREMENT BY 1",
	    err) != 0 ||
	    db_command(db, "ALTER TABLE kota.citizen ALTER COLUMN id"
	    " SET INCREMENT BY 1", err) != 0)
		goto fail;
	res = db_exec(db, NULL,
	    "SELECT setval('kota.request_id_seq', nextval('kota.request_id_seq')"
	    "   + $1::bigint - 1) - $1::bigint + 1,"
	    " setval(pg_get_serial_sequence('kota.citizen', 'id'),"
	    "   nextval(pg_get_serial_sequence('kota.citizen', 'id'))"
	    "   + $2::bigint - 1) - $2::bigint + 1,"
	    " (extract(epoch FROM now()) * 1000000)::bigint, current_user",
	    2, p, PGRES_TUPLES_OK, err);
	if (res == NULL)
		goto fail;
	b->base_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	b->base_cit = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	b->now = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	snprintf(b->loader, sizeof b->loader, "%s", PQgetvalue(res, 0, 3));
	PQclear(res);
	if (db_command(db, "COMMIT", err) != 0)
		goto fail;
	b->seed = (uint64_t)b->base_id * UINT64_C(0x9e3779b97f4a7c15) + 42;
	/* whole days in Asia/Jakarta (UTC+7), the last one today */
	b->start = ((b->now + 7 * US_HOUR) / US_DAY) * US_DAY - 7 * US_HOUR -
	    (int64_t)b->days * US_DAY + US_DAY;
	return 0;
fail:
	if (db_is_connected(db))
		db_command(db, "ROLLBACK", NULL);
	return -1;
}

/* Run one command on a stream's own connection. */
static int
stream_exec(struct stream *s, const char *sql)
{
	PGresult	*res = PQexec(s->conn, sql);
	int		 ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		db_error_set(&s->err, s->conn, res);
	PQclear(res);
	return ok ? 0 : -1;
}

/*
 * Another connection like the main one: the same parameters as it
 * actually used (PQconninfo), so -d, -c FILE and PG* all carry over.
 */
static int
stream_connect(struct stream *s, PGconn *main)
{
	PQconninfoOption	*opts, *o;
	const char		*kw[100], *val[100];
	int			 n = 0;

	if ((opts = PQconninfo(main)) == NULL) {
		db_error_printf(&s->err, DB_BUG, "%s", _("out of memory"));
		return -1;
	}
	for (o = opts; o->keyword != NULL && n < 98; o++)
		if (o->val != NULL && o->val[0] != '\0') {
			kw[n] = o->keyword;
			val[n++] = o->val;
		}
	kw[n] = NULL;
	val[n] = NULL;
	s->conn = PQconnectdbParams(kw, val, 0);
	PQconninfoFree(opts);
	if (PQstatus(s->conn) != CONNECTION_OK) {
		db_error_set(&s->err, s->conn, NULL);
		return -1;
	}
	return stream_exec(s, "BEGIN") != 0 ||
	    stream_exec(s, "SET LOCAL session_replication_role = replica") != 0 ||
	    stream_exec(s, "SET LOCAL synchronous_commit = off") != 0 ||
	    stream_exec(s, "SET LOCAL gin_pending_list_limit = '64MB'") != 0 ||
	    stream_exec(s, "SET LOCAL work_mem = '256MB'") != 0 ? -1 : 0;
}

/* The first stream tells how far it is: the others go as fast. */
static void
stream_progress(struct stream *s, const char *what, long long done)
{
	long long	span = s->to - s->from;

	if (s->from != 0 || span < 10 || done % (span / 10) != 0)
		return;
	ctl_say(s->b->ctl, _("  %s: %lld%%\n"), what, done * 100 / span);
	if (!s->b->ctl->quiet)
		fflush(stdout);
}

static void *
stream_run(void *arg)
{
	struct stream	*s = arg;
	struct bulk	*b = s->b;
	struct bulk_row	 r;
	char		 desc[16448];	/* 4,000 characters of UTF-8, and a remark */
	long long	 i;
	int		 k;

	s->rc = -1;
	if (s->cit_to > s->cit_from) {
		if (copy_begin(s->cb, s->conn, "COPY kota.citizen (id, name,"
		    " phone, lang, channel, created_at) FROM STDIN"
		    " (FORMAT binary)", &s->err) != 0)
			return NULL;
		for (i = s->cit_from; i < s->cit_to; i++)
			bulk_put_citizen(s->cb, b, b->base_cit + i);
		if (copy_end(s->cb, &s->err) != 0)
			return NULL;
	}
	if (copy_begin(s->cb, s->conn, "COPY kota.request (id, ticket,"
	    " service_id, department_id, assignee_id, status, priority,"
	    " description, address, district, location, channel, reporter_id,"
	    " created_at, updated_at, ack_at, resolved_at, closed_at, due_at,"
	    " version, duplicate_of, sla_policy_id, ack_due_at, sla_warn_at,"
	    " sla_warned_at, sla_escalated_at, sla_paused_at, sla_resolve_left)"
	    " FROM STDIN (FORMAT binary)", &s->err) != 0)
		return NULL;
	for (i = s->from; i < s->to; i++) {
		bulk_make(b, i, &r);
		bulk_put_request(s->cb, b, &r, desc, sizeof desc);
		for (k = 0; k < 7 && r.status != bulk_statuses[k]; k++)
			;
		s->by_status[k]++;
		s->nevents += r.nev;
		stream_progress(s, _("requests"), i + 1 - s->from);
	}
	if (copy_end(s->cb, &s->err) != 0)
		return NULL;
	if (copy_begin(s->cb, s->conn, "COPY kota.request_event (request_id,"
	    " at, actor, kind, old_value, new_value, note, public, hash) FROM STDIN"
	    " (FORMAT binary)", &s->err) != 0)
		return NULL;
	for (i = s->from; i < s->to; i++) {
		bulk_make(b, i, &r);
		bulk_put_events(s->cb, b, &r);
		stream_progress(s, _("histories"), i + 1 - s->from);
	}
	if (copy_end(s->cb, &s->err) != 0)
		return NULL;
	s->rc = 0;
	return NULL;
}

static int
bulk_streams(struct bulk *b)
{
	long	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int	n = cpus < 1 ? 1 : cpus > BULK_STREAMS ? BULK_STREAMS : (int)cpus;

	/* a small load is not worth more connections */
	return b->n < 10000 ? 1 : n;
}

/* Load everything over the streams; all commit, or none. */
static int
bulk_run(struct bulk *b, long *by_status, long *nevents)
{
	struct stream	 s[BULK_STREAMS];
	int		 i, k, n = bulk_streams(b), started = 0, rc = EXIT_OK;

	memset(s, 0, sizeof s);
	for (i = 0; i < n; i++) {
		s[i].b = b;
		s[i].from = b->n * i / n;
		s[i].to = b->n * (i + 1) / n;
		s[i].cit_from = b->ncit * i / n;
		s[i].cit_to = b->ncit * (i + 1) / n;
		s[i].cb = xmalloc(sizeof *s[i].cb);
		if ((s[i].rc = stream_connect(&s[i], db_conn(b->ctl->db))) != 0)
			goto done;
	}
	for (i = 0; i < n; i++) {
		if (pthread_create(&s[i].thread, NULL, stream_run, &s[i]) != 0) {
			db_error_printf(&s[i].err, DB_BUG, "%s",
			    _("cannot start a thread"));
			s[i].rc = -1;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(s[i].thread, NULL);
done:
	for (i = 0; i < n; i++)
		if (s[i].rc != 0 && rc == EXIT_OK)
			rc = ctl_fail(&s[i].err);
	for (i = 0; i < n; i++) {
		if (s[i].conn != NULL && PQstatus(s[i].conn) == CONNECTION_OK &&
		    stream_exec(&s[i], rc == EXIT_OK ? "COMMIT" : "ROLLBACK") != 0 &&
		    rc == EXIT_OK)
			rc = ctl_fail(&s[i].err);
		for (k = 0; k < 8; k++)
			by_status[k] += s[i].by_status[k];
		*nevents += s[i].nevents;
		PQfinish(s[i].conn);
		free(s[i].cb);
	}
	return rc;
}

static double
bulk_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Rebuild the dashboard's counters, when the schema keeps them (*rebuilt
 * says whether it does).  Returns an exit code.
 */
static int
bulk_tally(struct ctl *ctl, int *rebuilt)
{
	struct db_error	 err;
	PGresult	*res;

	*rebuilt = 0;
	res = db_query(ctl->db, NULL, "SELECT to_regprocedure("
	    "'kota.tally_rebuild()') IS NOT NULL", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	*rebuilt = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!*rebuilt)
		return EXIT_OK;
	ctl_say(ctl, "%s", _("  dashboard counters\n"));
	if (!ctl->quiet)
		fflush(stdout);
	if ((res = db_exec(ctl->db, NULL, "SELECT kota.tally_rebuild()", 0,
	    NULL, PGRES_TUPLES_OK, &err)) == NULL)
		return ctl_fail(&err);
	PQclear(res);
	return EXIT_OK;
}

int
seed_bulk_allowed(struct ctl *ctl)
{
	struct db_error	 err;
	PGresult	*res;
	int		 super;

	res = db_query(ctl->db, NULL, "SELECT rolsuper FROM pg_roles"
	    " WHERE rolname = current_user", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	super = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (super)
		return EXIT_OK;
	log_error("%s", _("seed --bulk writes the tables directly and needs a superuser"));
	return EXIT_REFUSED;
}

int
seed_bulk(struct ctl *ctl, long long n, double years, double open_fraction)
{
	struct bulk	 b;
	struct db_error	 err;
	long		 by_status[8] = { 0 }, nevents = 0, nopen = 0;
	double		 t0, t1, t2, t3;
	int		 i, rc, tally;

	memset(&b, 0, sizeof b);
	b.ctl = ctl;
	b.n = n;
	b.ncit = n / 3 > 0 ? n / 3 : 1;
	b.days = floor(years * 365.25);
	b.open_fraction = open_fraction;
	/* the mean of exp(-age / 90 days) + 0.05 over the span, see bulk_fate */
	b.mean_w = 90.0 / b.days * (1.0 - exp(-b.days / 90.0)) + 0.05;
	if (bulk_load_refs(&b, &err) != 0) {
		bulk_release(&b);
		return ctl_fail(&err);
	}
	if (b.nsvc == 0) {
		log_error("%s", _("there are no active services with a department to seed requests for: load the demo city first (kotactl seed --demo) or add departments and services"));
		bulk_release(&b);
		return EXIT_REFUSED;
	}
	ctl_say(ctl, _("seeding %lld requests over %.1f years, about %.0f%% open, for %d services and %d agents, over %d connections...\n"),
	    n, years, open_fraction * 100, b.nsvc, b.nagent, bulk_streams(&b));
	if (!ctl->quiet)
		fflush(stdout);
	t0 = bulk_clock();
	if (bulk_reserve(&b, &err) != 0) {
		bulk_release(&b);
		return ctl_fail(&err);
	}
	rc = bulk_run(&b, by_status, &nevents);
	bulk_release(&b);
	if (rc != EXIT_OK)
		return rc;
	t1 = bulk_clock();
	ctl_say(ctl, "%s", _("  vacuum and analyze\n"));
	if (!ctl->quiet)
		fflush(stdout);
	if (db_command(ctl->db, "VACUUM (ANALYZE) kota.citizen, kota.request,"
	    " kota.request_event", &err) != 0)
		return ctl_fail(&err);
	t2 = bulk_clock();
	if ((rc = bulk_tally(ctl, &tally)) != EXIT_OK)
		return rc;
	t3 = bulk_clock();
	for (i = 0; i < 4; i++)
		nopen += by_status[i];
	ctl_say(ctl, _("seeded %lld requests (%ld open), %" PRId64 " citizens and %ld events in %.1f s (%.0f requests/s); vacuum and analyze %.1f s\n"),
	    n, nopen, b.ncit, nevents, t1 - t0, (double)n / (t1 - t0), t2 - t1);
	if (tally)
		ctl_say(ctl, _("dashboard counters rebuilt in %.1f s\n"), t3 - t2);
	ctl_say(ctl, _("ids %" PRId64 " to %" PRId64 "; by status:"),
	    b.base_id, b.base_id + (int64_t)n - 1);
	for (i = 0; i < 8; i++)
		ctl_say(ctl, " %s %ld", bulk_statuses[i], by_status[i]);
	ctl_say(ctl, "\n");
	return EXIT_OK;
}
