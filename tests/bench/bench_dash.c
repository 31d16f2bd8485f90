/*
 * bench_dash: how long one refresh of the supervisors' dashboard takes
 *
 *	bench_dash -d CONNINFO [-n REFRESHES] [-w WRITES]
 *
 * A refresh is exactly what the console sends (tui/screen_dash.c
 * dash_load() and tui/data.c, prepared under the same names; keep them in
 * step): kota.tally_fold() first when the schema has it, then
 * kota.report_queues() over the city's last 30 days, kota.report_agents()
 * over the same days, kota.dashboard_daily(14), and kota.queue_counts()
 * for the status line (tui/loop.c, after a change).  Between refreshes WRITES requests come in and half of them
 * are acknowledged (untimed, over the same connection), as on a server in
 * use, so that there is something new to count.  The baseline, over the
 * same connection and as many times, is the plainest question the
 * dashboard answers: SELECT count(*) of the open requests.  One line per
 * part, then the refresh as a whole and the baseline:
 *
 *	part=NAME p50_ms= p99_ms= max_ms=
 *
 * The first line says whether tally_fold() was there:
 *
 *	tally_fold=0|1 refreshes= writes=
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "route_load.h"

#define DASH_DAYS	30	/* as tui/screen_dash.c */
#define DASH_SPARK	14

enum part {
	P_FOLD, P_QUEUES, P_AGENTS, P_DAILY, P_COUNTS, P_REFRESH, P_BASELINE,
	P_COUNT
};

static const char *const part_names[P_COUNT] = {
	"tally_fold", "report_queues", "report_agents", "dashboard_daily",
	"queue_counts", "refresh", "baseline_open_count",
};

/* The console's statements, with its statement names. */
static const struct {
	const char	*name, *sql;
	int		 nparams;
} stmts[P_COUNT] = {
	[P_FOLD] = { "tui_tally_fold", "SELECT kota.tally_fold()", 0 },
	[P_QUEUES] = { "tui_dash_queues",
	    "SELECT * FROM kota.report_queues(kota.city_day_start("
	    "(now() AT TIME ZONE kota.city_zone())::date - $1::int + 1),"
	    " now() + interval '1 second')", 1 },
	[P_AGENTS] = { "tui_dash_agents",
	    "SELECT * FROM kota.report_agents(kota.city_day_start("
	    "(now() AT TIME ZONE kota.city_zone())::date - $1::int + 1),"
	    " now() + interval '1 second')", 1 },
	[P_DAILY] = { "tui_dash_daily",
	    "SELECT * FROM kota.dashboard_daily($1::int)", 1 },
	[P_COUNTS] = { "tui_queue_counts",
	    "SELECT * FROM kota.queue_counts($1, NULL)", 1 },
	[P_BASELINE] = { "bench_open_count", "SELECT count(*) FROM kota.request"
	    " WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')",
	    0 },
};

struct bench {
	struct db	*db;
	struct route_cache routes;
	int		 n, writes;
	bool		 fold;
	char		 service[64];
	long		 nwritten;
	double		*t[P_COUNT];
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One statement of the refresh, timed into t (when not NULL). */
static int
step(struct bench *b, enum part p, double *t, struct db_error *err)
{
	char		 days[16];
	const char	*params[1] = { NULL };
	PGresult	*res;
	double		 t0;

	if (p == P_QUEUES || p == P_AGENTS)
		snprintf(days, sizeof days, "%d", DASH_DAYS);
	else
		snprintf(days, sizeof days, "%d", DASH_SPARK);
	if (p != P_COUNTS)	/* the status line: the whole city */
		params[0] = days;
	t0 = now_ms();
	/* a fold is a write: db_exec, as data_tally_fold() */
	res = p == P_FOLD ?
	    db_exec(b->db, stmts[p].name, stmts[p].sql, 0, NULL,
	    PGRES_TUPLES_OK, err) :
	    db_query(b->db, stmts[p].name, stmts[p].sql, stmts[p].nparams,
	    params, err);
	if (t != NULL)
		*t = now_ms() - t0;
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* One refresh, as the console makes it; i < 0 is a warm-up. */
static int
refresh(struct bench *b, int i, struct db_error *err)
{
	double	t0 = now_ms(), dummy;
	enum part p;

	for (p = P_FOLD; p <= P_COUNTS; p++) {
		if (p == P_FOLD && !b->fold)
			continue;
		if (step(b, p, i >= 0 ? &b->t[p][i] : &dummy, err) != 0)
			return -1;
	}
	if (i >= 0)
		b->t[P_REFRESH][i] = now_ms() - t0;
	return 0;
}

/* New requests between refreshes, half of them acknowledged at once. */
static int
write_some(struct bench *b, struct db_error *err)
{
	struct request_input	 in;
	struct request_created	 out;
	char			 desc[128];
	int			 k, version;

	memset(&in, 0, sizeof in);
	in.service = b->service;
	in.district = "Coblong";
	in.address = "Jl. Dago No. 12";
	for (k = 0; k < b->writes; k++) {
		snprintf(desc, sizeof desc,
		    "Laporan warga saat dashboard dibuka (%ld)", b->nwritten);
		in.description = desc;
		if (request_create(b->db, &b->routes, &in, &out, err) != 0)
			return -1;
		if (b->nwritten++ % 2 == 0 && request_transition(b->db, out.id,
		    "acknowledged", NULL, REQUEST_NO_VERSION, &version, err) != 0)
			return -1;
	}
	return 0;
}

static int
setup(struct bench *b, struct db_error *err)
{
	PGresult	*res;

	/* as data_session_setup(); the LISTENs change nothing here */
	if (db_command(b->db, "SET datestyle = 'ISO, YMD'", err) != 0)
		return -1;
	res = db_query(b->db, NULL, "SELECT to_regprocedure('kota.tally_fold()')"
	    " IS NOT NULL, (SELECT s.code FROM kota.service s"
	    "  JOIN kota.department d ON d.id = s.department_id"
	    "  WHERE s.active AND d.active ORDER BY s.id LIMIT 1)", 0, NULL, err);
	if (res == NULL)
		return -1;
	b->fold = PQgetvalue(res, 0, 0)[0] == 't';
	snprintf(b->service, sizeof b->service, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	if (b->writes > 0 && b->service[0] == '\0') {
		db_error_printf(err, DB_BUG, "no active service to write to");
		return -1;
	}
	return 0;
}

static void
report(struct bench *b, enum part p)
{
	double	*t = b->t[p];

	qsort(t, (size_t)b->n, sizeof(double), cmp_double);
	printf("part=%s p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", part_names[p],
	    t[b->n / 2], t[b->n * 99 / 100], t[b->n - 1]);
}

static int
run(struct bench *b)
{
	struct db_error	 err;
	enum part	 p;
	int		 i;

	if (setup(b, &err) != 0)
		goto fail;
	printf("tally_fold=%d refreshes=%d writes=%d\n", b->fold, b->n,
	    b->writes);
	fflush(stdout);
	for (i = -5; i < b->n; i++)
		if ((b->writes > 0 && write_some(b, &err) != 0) ||
		    refresh(b, i, &err) != 0)
			goto fail;
	/* the baseline, as many times, after its own warm-up */
	for (i = -5; i < b->n; i++)
		if (step(b, P_BASELINE, i >= 0 ? &b->t[P_BASELINE][i] : NULL,
		    &err) != 0)
			goto fail;
	for (p = 0; p < P_COUNT; p++)
		if (p != P_FOLD || b->fold)
			report(b, p);
	return 0;
fail:
	fprintf(stderr, "bench_dash: %s\n", err.message);
	return -1;
}

int
main(int argc, char **argv)
{
	struct bench	 b;
	struct db_error	 err;
	const char	*conninfo = NULL;
	enum part	 p;
	int		 ch, rc = 0;

	log_init("bench_dash", LOG_LEVEL_WARNING, 0);
	memset(&b, 0, sizeof b);
	b.n = 200;
	b.writes = 10;
	while ((ch = getopt(argc, argv, "d:n:w:")) != -1) {
		switch (ch) {
		case 'd': conninfo = optarg; break;
		case 'n': b.n = atoi(optarg); break;
		case 'w': b.writes = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench_dash -d CONNINFO [-n REFRESHES] [-w WRITES]\n");
			return 2;
		}
	}
	if (b.n < 10 || b.n > 1000000 || b.writes < 0 || b.writes > 10000) {
		fprintf(stderr, "bench_dash: 10 to 1000000 refreshes, 0 to 10000 writes\n");
		return 2;
	}
	for (p = 0; p < P_COUNT; p++)
		if ((b.t[p] = calloc((size_t)b.n, sizeof(double))) == NULL) {
			fprintf(stderr, "bench_dash: out of memory\n");
			return 1;
		}
	if ((b.db = db_new(conninfo, "bench_dash")) == NULL) {
		fprintf(stderr, "bench_dash: out of memory\n");
		return 1;
	}
	if (db_connect(b.db, NULL, &err) != 0) {
		fprintf(stderr, "bench_dash: %s\n", err.message);
		rc = 1;
	} else if (run(&b) != 0) {
		rc = 1;
	}
	route_cache_release(&b.routes);
	db_free(&b.db);
	for (p = 0; p < P_COUNT; p++)
		free(b.t[p]);
	return rc;
}
