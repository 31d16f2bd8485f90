/*
 * route_check: the routing engine against a real server, in TAP
 *
 *	route_check CONNINFO
 *
 * CONNINFO names a superuser on a database with the demo city loaded
 * (kotactl seed --demo).  Checks that:
 *  - the engine routes every demo request as the demo's generator did
 *    (department, rule and assignee from the same rules and semantics);
 *  - request_create() routes with its caller's route_cache and no extra
 *    round trip (libpq's trace counts the protocol messages), or without
 *    one with one more, the load of the rules;
 *  - a rule changed on another connection is not seen until the kota_rules
 *    notification is passed to route_cache_notify(), and then is; another
 *    owner's engine on the same connection is its own;
 *  - after a lost connection (when a notification may have been missed)
 *    the engine is loaded again;
 *  - a rule PCRE2 cannot compile is left out, and intake goes on;
 *  - a rule with an area (a zone loaded with kota.area_import) routes a
 *    request whose point lies in it, and not one outside it or without a
 *    point, with the walk finished by kota.request_create (p_rule_ids):
 *    as many protocol messages as intake without a point.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "route_load.h"
#include "tap.h"

static PGresult *
must(PGconn *conn, const char *sql)
{
	PGresult	*res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK)
		bail_out("%s: %s", sql, PQerrorMessage(conn));
	return res;
}

static void
run(PGconn *conn, const char *sql)
{
	PQclear(must(conn, sql));
}

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Every demo request, routed again, against its "routed" event. */
static void
check_demo(struct db *db, struct route_cache *rc, PGconn *conn)
{
	const struct route_engine	*e;
	struct route_result		 rr;
	struct db_error			 err;
	PGresult			*res;
	const char			*how, *want_rule, *want_who;
	int				 i, n, bad = 0, ruled = 0, assigned = 0;
	int				 areas[16];
	size_t				 nareas;

	e = route_cache_engine(rc, db, &err);
	ok(e != NULL && route_engine_count(e) >= 20 &&
	    route_engine_skipped(e) == 0,
	    "the demo's enabled rules load, each compiled by PCRE2");
	if (e == NULL)
		return;
	res = must(conn,
	    "SELECT s.code, r.description, r.address, r.district, ev.new_value,"
	    " ev.note,"
	    " (SELECT a.new_value FROM kota.request_event a"
	    "   WHERE a.request_id = r.id AND a.kind = 'assigned'"
	    "   ORDER BY a.id LIMIT 1),"
	    " kota.place_areas(r.location, r.district)"
	    " FROM kota.request r JOIN kota.service s ON s.id = r.service_id"
	    " JOIN LATERAL (SELECT e.new_value, e.note, e.actor"
	    "   FROM kota.request_event e"
	    "   WHERE e.request_id = r.id AND e.kind = 'routed'"
	    "   ORDER BY e.id LIMIT 1) ev ON true"
	    " WHERE ev.actor LIKE 'demo\\_%'"	/* generated, not logged since */
	    " ORDER BY r.id");
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		/* the areas the request lies in, should a demo rule name one */
		nareas = route_areas_parse(PQgetisnull(res, i, 7) ? NULL :
		    PQgetvalue(res, i, 7), areas, 16);
		route_decide_at(e, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2),
		    PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3), areas,
		    nareas, &rr);
		how = PQgetvalue(res, i, 5);
		want_rule = strncmp(how, "rule: ", 6) == 0 ? how + 6 : NULL;
		want_who = NULL;
		if (want_rule != NULL) {
			ruled++;
			if (rr.assignee != NULL) {
				assigned++;
				want_who = PQgetisnull(res, i, 6) ? "(none)" :
				    PQgetvalue(res, i, 6);
			}
		}
		if (same(rr.rule, want_rule) && (want_rule == NULL ||
		    strcmp(rr.department, PQgetvalue(res, i, 4)) == 0) &&
		    same(rr.assignee, want_who))
			continue;
		if (bad++ < 5)
			diag("%s \"%s\": engine %s by %s, demo %s (%s)",
			    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			    rr.department ? rr.department : "-",
			    rr.rule ? rr.rule : "-", PQgetvalue(res, i, 4), how);
	}
	diag("%d demo requests, %d routed by a rule, %d assigned by one",
	    n, ruled, assigned);
	ok(n > 1900 && ruled > n / 3 && assigned > 0 && bad == 0,
	    "every demo request routes as the demo generator routed it");
	PQclear(res);
}

static struct request_input
lamp_request(void)
{
	struct request_input	in;

	memset(&in, 0, sizeof in);
	in.service = "lampu_mati";
	in.description = "Lampu jalan mati sejak kemarin malam";
	in.address = "Jl. Merdeka";
	in.district = "Sumur Bandung";
	return in;
}

/* How many requests the protocol trace shows us sending. */
static int
count_syncs(FILE *fp)
{
	char	line[4096];
	int	n = 0;

	rewind(fp);
	while (fgets(line, sizeof line, fp) != NULL)
		if (line[0] == 'F' && strstr(line, "\tSync") != NULL)
			n++;
	return n;
}

/* How many messages of any kind the trace shows us sending. */
static int
count_sent(FILE *fp)
{
	char	line[4096];
	int	n = 0;

	rewind(fp);
	while (fgets(line, sizeof line, fp) != NULL)
		if (line[0] == 'F')
			n++;
	return n;
}

static void
check_no_round_trip(struct db *db, struct route_cache *rc)
{
	struct request_input	in = lamp_request();
	struct request_created	out;
	struct db_error		err;
	FILE			*fp;
	int			i, ret, fails = 0;

	ret = request_create(db, rc, &in, &out, &err);
	ok(ret == 0 && strcmp(out.department, "PJU") == 0,
	    "request_create without a department routes by the rules");
	if (ret != 0)
		diag("%s", err.message);
	if ((fp = tmpfile()) == NULL) {
		ok(false, "once loaded, routing adds no round trip to"
		    " request_create");
		diag("cannot trace the protocol: tmpfile: %s", strerror(errno));
		return;
	}
	PQtrace(db_conn(db), fp);
	PQsetTraceFlags(db_conn(db), PQTRACE_SUPPRESS_TIMESTAMPS);
	for (i = 0; i < 5; i++)
		fails += request_create(db, rc, &in, &out, &err) != 0;
	PQuntrace(db_conn(db));
	fflush(fp);
	diag("5 request_create calls sent %d requests", count_syncs(fp));
	ok(fails == 0 && count_syncs(fp) == 5,
	    "once loaded, routing adds no round trip to request_create");

	/* a one-shot caller without a cache: the rules are loaded once more */
	rewind(fp);
	if (ftruncate(fileno(fp), 0) != 0)
		bail_out("tmpfile: %s", strerror(errno));
	PQtrace(db_conn(db), fp);
	PQsetTraceFlags(db_conn(db), PQTRACE_SUPPRESS_TIMESTAMPS);
	ret = request_create(db, NULL, &in, &out, &err);
	PQuntrace(db_conn(db));
	fflush(fp);
	ok(ret == 0 && strcmp(out.department, "PJU") == 0 &&
	    count_syncs(fp) == 2,
	    "without a route_cache, request_create loads the rules for the call");
	fclose(fp);
}

/* Wait for notifications on db's connection; true if kota_rules came. */
static bool
wait_rules_notify(struct db *db, struct route_cache *rc)
{
	struct pollfd	 pfd;
	PGnotify	*n;
	bool		 seen = false;
	int		 tries;

	for (tries = 0; tries < 50 && !seen; tries++) {
		pfd.fd = PQsocket(db_conn(db));
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) < 0)
			break;
		PQconsumeInput(db_conn(db));
		while ((n = PQnotifies(db_conn(db))) != NULL) {
			if (route_cache_notify(rc, n->relname))
				seen = true;
			PQfreemem(n);
		}
	}
	return seen;
}

static const char *
lamp_department(struct db *db, struct route_cache *rc, const char **rule)
{
	const struct route_engine	*e;
	struct route_result		 rr;
	struct db_error			 err;
	struct request_input		 in = lamp_request();

	if ((e = route_cache_engine(rc, db, &err)) == NULL)
		return "(error)";
	route_decide(e, in.service, in.description, in.address, in.district,
	    &rr);
	if (rule != NULL)
		*rule = rr.rule;
	return rr.department != NULL ? rr.department : "(none)";
}

static void
check_reload(struct db *db, struct route_cache *rc, PGconn *admin)
{
	struct request_input	 in = lamp_request();
	struct request_created	 out;
	struct route_cache	 other;
	struct db_error		 err;
	PGresult		*res;
	const char		*rule = NULL;

	route_cache_init(&other);
	ok(route_cache_listen(rc, db, &err) == 0,
	    "route_cache_listen: LISTEN kota_rules");
	ok(!route_cache_notify(rc, "kota_request"),
	    "route_cache_notify ignores other channels");
	ok(strcmp(lamp_department(db, rc, NULL), "PJU") == 0 &&
	    strcmp(lamp_department(db, &other, NULL), "PJU") == 0,
	    "a dead street light goes to PJU");

	res = must(admin, "SELECT kota.rule_save(NULL, 1, 'Uji: lampu ke DLH',"
	    " NULL, 'lampu', NULL, 'DLH', 1, NULL, true)");
	ok(strcmp(lamp_department(db, rc, NULL), "PJU") == 0,
	    "a rule added elsewhere is not seen before the notification");
	ok(wait_rules_notify(db, rc), "adding a rule sends NOTIFY kota_rules");
	ok(strcmp(lamp_department(db, rc, &rule), "DLH") == 0 &&
	    strcmp(rule, "Uji: lampu ke DLH") == 0,
	    "after route_cache_notify the engine has the new rule");
	ok(strcmp(lamp_department(db, &other, NULL), "PJU") == 0,
	    "another owner's engine is its own: not told, not reloaded");
	route_cache_release(&other);
	ok(other.engine == NULL, "route_cache_release frees the engine");
	ok(request_create(db, rc, &in, &out, &err) == 0 &&
	    strcmp(out.department, "DLH") == 0 && out.priority == 1,
	    "and request_create routes with it, with its priority");

	{
		const char	*p[1] = { PQgetvalue(res, 0, 0) };
		PGresult	*r2;

		r2 = PQexecParams(admin,
		    "SELECT kota.rule_set_enabled($1::int, false)", 1, NULL, p,
		    NULL, NULL, 0);
		if (PQresultStatus(r2) != PGRES_TUPLES_OK)
			bail_out("rule_set_enabled: %s", PQerrorMessage(admin));
		PQclear(r2);
	}
	PQclear(res);
	ok(wait_rules_notify(db, rc) &&
	    strcmp(lamp_department(db, rc, NULL), "PJU") == 0,
	    "disabling it is seen after the notification");

	/* a reconnect reloads: the notification of a change may be lost */
	{
		char		 pid[16];
		const char	*p[1] = { pid };

		snprintf(pid, sizeof pid, "%d", PQbackendPID(db_conn(db)));
		PQclear(PQexecParams(admin,
		    "SELECT pg_terminate_backend($1::int)", 1, NULL, p, NULL,
		    NULL, 0));
	}
	usleep(200000);
	run(admin, "UPDATE kota.routing_rule SET enabled = true"
	    " WHERE name = 'Uji: lampu ke DLH'");
	ok(request_create(db, rc, &in, &out, &err) != 0 &&
	    err.status == DB_LOST,
	    "the connection was lost (a write is not retried)");
	ok(request_create(db, rc, &in, &out, &err) == 0 &&
	    strcmp(out.department, "DLH") == 0,
	    "after the reconnect the rules are loaded again");
}

static void
check_bad_rule(struct db *db, struct route_cache *rc, PGconn *admin)
{
	const struct route_engine	*e;
	struct request_input		 in = lamp_request();
	struct request_created		 out;
	struct db_error			 err;

	/* \m is a word start to PostgreSQL, an error to PCRE2 */
	run(admin, "INSERT INTO kota.routing_rule (position, name,"
	    " description_re, department_id) SELECT 0, 'Hanya PostgreSQL',"
	    " '\\mlampu', id FROM kota.department WHERE code = 'PU'");
	ok(wait_rules_notify(db, rc),
	    "LISTEN is back after the reconnect: a direct INSERT notifies");
	e = route_cache_engine(rc, db, &err);
	ok(e != NULL && route_engine_skipped(e) == 1,
	    "a rule PCRE2 refuses is left out of the engine");
	ok(request_create(db, rc, &in, &out, &err) == 0 &&
	    strcmp(out.department, "DLH") == 0,
	    "and intake goes on with the other rules");
}

/* Messages sent by 5 request_create calls of in; -1 when one failed. */
static int
traced_creates(struct db *db, struct route_cache *rc,
    const struct request_input *in, struct request_created *out,
    int *syncs)
{
	struct db_error	 err;
	FILE		*fp;
	int		 i, n, fails = 0;

	if ((fp = tmpfile()) == NULL)
		bail_out("tmpfile: %s", strerror(errno));
	PQtrace(db_conn(db), fp);
	PQsetTraceFlags(db_conn(db), PQTRACE_SUPPRESS_TIMESTAMPS);
	for (i = 0; i < 5; i++)
		if (request_create(db, rc, in, out, &err) != 0 && fails++ == 0)
			diag("request_create: %s", err.message);
	PQuntrace(db_conn(db));
	fflush(fp);
	n = count_sent(fp);
	*syncs = count_syncs(fp);
	fclose(fp);
	return fails == 0 ? n : -1;
}

static const char *
routed_note(PGconn *admin, int64_t id)
{
	static char	 note[256];
	char		 idbuf[24];
	const char	*p[1] = { idbuf };
	PGresult	*res;

	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	res = PQexecParams(admin, "SELECT note FROM kota.request_event"
	    " WHERE request_id = $1::bigint AND kind = 'routed'", 1, NULL, p,
	    NULL, NULL, 0);
	snprintf(note, sizeof note, "%s", PQresultStatus(res) ==
	    PGRES_TUPLES_OK && PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) :
	    "(none)");
	PQclear(res);
	return note;
}

/*
 * A zone around Jl. Merdeka and a rule for it before the others: a dead
 * light with a point inside goes to PU by that rule, outside and without
 * a point where it went before (DLH, by "Uji: lampu ke DLH").
 */
static void
check_area(struct db *db, struct route_cache *rc, PGconn *admin)
{
	const struct route_engine	*e;
	struct request_input		 in = lamp_request();
	struct request_created		 out;
	struct db_error			 err;
	int				 ids[64], with, without, syncs;
	size_t				 n;

	run(admin, "SELECT * FROM kota.area_import('zona_uji',"
	    " '{\"type\":\"Feature\",\"properties\":{\"name\":\"Kotak Uji\","
	    "\"code\":\"kotak\"},\"geometry\":{\"type\":\"Polygon\","
	    "\"coordinates\":[[[107.60,-6.92],[107.62,-6.92],[107.62,-6.90],"
	    "[107.60,-6.90],[107.60,-6.92]]]}}')");
	run(admin, "SELECT kota.rule_save(NULL, 0, 'Uji: lampu di zona', NULL,"
	    " 'lampu', NULL, 'PU', 1, NULL, true, 'zona_uji/kotak')");
	ok(wait_rules_notify(db, rc), "adding an area rule notifies");
	e = route_cache_engine(rc, db, &err);
	ok(e != NULL && route_engine_has_areas(e),
	    "the engine loads the rule's area");
	if (e == NULL)
		return;
	n = route_candidates(e, in.service, in.description, in.address,
	    in.district, ids, 64);
	ok(n == 2 && ids[0] == route_engine_rule(e, 0)->id &&
	    route_engine_rule(e, 0)->area != 0 &&
	    ids[1] == route_engine_rule(e, 1)->id,
	    "the candidates: the area rule, then the next rule that stops");

	in.has_location = true;
	in.lat = -6.91;
	in.lon = 107.61;
	/* untraced: the first write after the load resets read-only (db.h) */
	ok(request_create(db, rc, &in, &out, &err) == 0 &&
	    strcmp(out.department, "PU") == 0 && out.priority == 1 &&
	    strcmp(routed_note(admin, out.id), "rule: Uji: lampu di zona") == 0,
	    "a point inside the zone routes by the area rule");
	with = traced_creates(db, rc, &in, &out, &syncs);
	ok(with > 0 && syncs == 5 && strcmp(out.department, "PU") == 0,
	    "and so do five more, one round trip each");
	/* neither point nor district: libkota decides alone, as before */
	in.has_location = false;
	in.district = NULL;
	without = traced_creates(db, rc, &in, &out, &syncs);
	diag("5 intakes sent %d messages with a point and area rules, %d"
	    " with neither point nor district", with, without);
	ok(with == without && syncs == 5,
	    "routing by area adds no round trip nor message to intake");
	ok(strcmp(out.department, "DLH") == 0 &&
	    strcmp(routed_note(admin, out.id), "rule: Uji: lampu ke DLH") == 0,
	    "without a point the area rule does not match");
	in.district = "Sumur Bandung";
	ok(request_create(db, rc, &in, &out, &err) == 0 &&
	    strcmp(out.department, "DLH") == 0 &&
	    strcmp(routed_note(admin, out.id), "rule: Uji: lampu ke DLH") == 0,
	    "nor with a district that is not in the zone");
	in.has_location = true;
	in.lat = -6.95;
	in.lon = 107.70;
	ok(request_create(db, rc, &in, &out, &err) == 0 &&
	    strcmp(out.department, "DLH") == 0 &&
	    strcmp(routed_note(admin, out.id), "rule: Uji: lampu ke DLH") == 0,
	    "a point outside the zone goes past the area rule");
}

int
main(int argc, char **argv)
{
	struct db		*db;
	struct route_cache	 routes;
	struct db_error		 err;
	PGconn			*admin;

	log_init("route_check", LOG_LEVEL_ERROR, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: route_check CONNINFO\n");
		return 2;
	}
	db = db_new(argv[1], "kota_route_check");
	if (db_connect(db, NULL, &err) != 0)
		bail_out("%s", err.message);
	admin = PQconnectdb(argv[1]);
	if (PQstatus(admin) != CONNECTION_OK)
		bail_out("%s", PQerrorMessage(admin));

	route_cache_init(&routes);
	check_demo(db, &routes, admin);
	check_no_round_trip(db, &routes);
	check_reload(db, &routes, admin);
	check_bad_rule(db, &routes, admin);
	check_area(db, &routes, admin);

	route_cache_release(&routes);
	db_free(&db);
	PQfinish(admin);
	return done_testing();
}
