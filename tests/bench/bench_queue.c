/*
 * bench_queue: how fast the console's queue list pages, through libkota
 *
 *	bench_queue -d CONNINFO [-n CALLS] [-l ROWS] [-s WORD]
 *
 * Each scenario is the exact call the console makes (tui/data.c:
 * kota.queue_page() with eleven $n parameters, prepared), timed over CALLS
 * first pages (the departments in turn) and CALLS page-downs (each from
 * the sort key of the previous page's last row, walking down the queue and
 * starting over at its end); a ticket search (tickets of requests spread
 * over the table, in turn) has no next page.  The baseline is the plainest keyset page
 * there is, over the same connection: SELECT ... FROM kota.request ORDER
 * BY id LIMIT ROWS, and WHERE id > $1 for the next.  One line a scenario:
 *
 *	scenario=NAME first_p50_ms= first_p99_ms= next_p50_ms= next_p99_ms= rows=
 *
 * (next_* are 0 for the ticket search.)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"

#define MAX_DEPTS	64

static const char queue_sql[] =
    "SELECT * FROM kota.queue_page($1, $2, $3, $4, $5, $6,"
    " $7::int, $8::timestamptz, $9::bigint, $10::int, $11)";
static const char base_first_sql[] =
    "SELECT id, ticket, status, priority, created_at FROM kota.request"
    " ORDER BY id LIMIT $1::int";
static const char base_next_sql[] =
    "SELECT id, ticket, status, priority, created_at FROM kota.request"
    " WHERE id > $2::bigint ORDER BY id LIMIT $1::int";

enum search { NO_SEARCH, SEARCH_WORD, SEARCH_TICKET };

struct scenario {
	const char	*name;
	int		 by_dept;	/* rotate the departments */
	const char	*sort;
	enum search	 search;	/* the -s word, or tickets in turn */
	int		 baseline;
};

static const struct scenario scenarios[] = {
	{ "baseline_by_id", 0, NULL, NO_SEARCH, 1 },
	{ "dept_open_by_priority", 1, "priority", NO_SEARCH, 0 },
	{ "all_open_by_age", 0, "age", NO_SEARCH, 0 },
	{ "dept_open_by_update", 1, "updated", NO_SEARCH, 0 },
	{ "search_word_by_priority", 0, "priority", SEARCH_WORD, 0 },
	{ "search_ticket", 0, "priority", SEARCH_TICKET, 0 },
	{ NULL, 0, NULL, NO_SEARCH, 0 },
};

struct bench {
	struct db	*db;
	int		 calls, rows;
	const char	*word;
	char		 depts[MAX_DEPTS][24];
	int		 ndept;
	PGresult	*tickets;
	double		*first, *next;
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

/* The sort key of a page's last row, as the console keeps it. */
struct key {
	int	set;
	char	prio[8], ts[48], id[24];
};

static void
key_of(const PGresult *res, const struct scenario *sc, struct key *k)
{
	int	last = PQntuples(res) - 1;

	k->set = last >= 0;
	if (!k->set)
		return;
	if (sc->baseline) {
		snprintf(k->id, sizeof k->id, "%s", PQgetvalue(res, last, 0));
		return;
	}
	snprintf(k->prio, sizeof k->prio, "%s",
	    PQgetvalue(res, last, PQfnumber(res, "priority")));
	snprintf(k->ts, sizeof k->ts, "%s", PQgetvalue(res, last,
	    PQfnumber(res, strcmp(sc->sort, "updated") == 0 ?
	    "updated_at" : "created_at")));
	snprintf(k->id, sizeof k->id, "%s",
	    PQgetvalue(res, last, PQfnumber(res, "id")));
}

/* One page: the first (k NULL or unset) or the one after k. */
static PGresult *
page(struct bench *b, const struct scenario *sc, int call,
    const struct key *k, struct db_error *err)
{
	const char	*p[11];
	char		 lim[16];
	int		 after = k != NULL && k->set;

	snprintf(lim, sizeof lim, "%d", b->rows);
	if (sc->baseline) {
		p[0] = lim;
		p[1] = after ? k->id : NULL;
		return after ?
		    db_query(b->db, "bench_base_next", base_next_sql, 2, p, err) :
		    db_query(b->db, "bench_base_first", base_first_sql, 1, p, err);
	}
	memset(p, 0, sizeof p);
	p[0] = sc->by_dept ? b->depts[call % b->ndept] : NULL;
	if (sc->search == SEARCH_WORD)
		p[4] = b->word;
	else if (sc->search == SEARCH_TICKET)
		p[4] = PQgetvalue(b->tickets, call % PQntuples(b->tickets), 0);
	p[5] = sc->sort;
	if (after) {
		p[6] = strcmp(sc->sort, "priority") == 0 ? k->prio : NULL;
		p[7] = k->ts;
		p[8] = k->id;
	}
	p[9] = lim;
	p[10] = NULL;	/* no dashboard slice */
	return db_query(b->db, "bench_queue_page", queue_sql, 11, p, err);
}

static int
run(struct bench *b, const struct scenario *sc)
{
	struct db_error	 err;
	struct key	 k;
	PGresult	*res;
	double		 t0;
	long		 rows = 0;
	int		 i, dept = 0;

	/* warm up, then first pages */
	for (i = -20; i < b->calls; i++) {
		t0 = now_ms();
		if ((res = page(b, sc, i < 0 ? 0 : i, NULL, &err)) == NULL)
			goto fail;
		if (i >= 0) {
			b->first[i] = now_ms() - t0;
			rows += PQntuples(res);
		}
		PQclear(res);
	}
	/* page-downs, walking down one queue after another */
	memset(&k, 0, sizeof k);
	memset(b->next, 0, (size_t)b->calls * sizeof *b->next);
	for (i = -20; i < b->calls && sc->search != SEARCH_TICKET; i++) {
		if (!k.set) {
			dept++;
			if ((res = page(b, sc, dept, NULL, &err)) == NULL)
				goto fail;
			key_of(res, sc, &k);
			PQclear(res);
			if (!k.set) {
				fprintf(stderr, "bench_queue: %s: an empty queue\n",
				    sc->name);
				return -1;
			}
		}
		t0 = now_ms();
		if ((res = page(b, sc, dept, &k, &err)) == NULL)
			goto fail;
		if (i >= 0)
			b->next[i] = now_ms() - t0;
		key_of(res, sc, &k);
		if (PQntuples(res) < b->rows)
			k.set = 0;
		PQclear(res);
	}
	qsort(b->first, (size_t)b->calls, sizeof(double), cmp_double);
	qsort(b->next, (size_t)b->calls, sizeof(double), cmp_double);
	printf("scenario=%s first_p50_ms=%.3f first_p99_ms=%.3f"
	    " next_p50_ms=%.3f next_p99_ms=%.3f rows=%.1f\n", sc->name,
	    b->first[b->calls / 2], b->first[b->calls * 99 / 100],
	    b->next[b->calls / 2], b->next[b->calls * 99 / 100],
	    (double)rows / b->calls);
	fflush(stdout);
	return 0;
fail:
	fprintf(stderr, "bench_queue: %s: %s\n", sc->name, err.message);
	return -1;
}

/* The departments that have open requests; tickets to search for. */
static int
load_depts(struct bench *b)
{
	struct db_error	 err;
	PGresult	*res;
	int		 i;

	b->tickets = db_query(b->db, NULL, "SELECT ticket FROM kota.request"
	    " TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 500", 0, NULL, &err);
	if (b->tickets == NULL || PQntuples(b->tickets) == 0) {
		fprintf(stderr, "bench_queue: no tickets: %s\n",
		    b->tickets == NULL ? err.message : "no requests");
		return -1;
	}

	res = db_query(b->db, NULL, "SELECT d.code FROM kota.department d"
	    " WHERE EXISTS (SELECT 1 FROM kota.request r WHERE r.department_id"
	    " = d.id AND r.status IN ('new', 'acknowledged', 'in_progress',"
	    " 'on_hold')) ORDER BY d.code", 0, NULL, &err);
	if (res == NULL) {
		fprintf(stderr, "bench_queue: %s\n", err.message);
		return -1;
	}
	for (i = 0; i < PQntuples(res) && i < MAX_DEPTS; i++)
		snprintf(b->depts[i], sizeof b->depts[i], "%s",
		    PQgetvalue(res, i, 0));
	b->ndept = i;
	PQclear(res);
	if (b->ndept == 0) {
		fprintf(stderr, "bench_queue: no department has open requests\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const struct scenario	*sc;
	struct bench		 b;
	struct db_error		 err;
	const char		*conninfo = NULL;
	int			 ch, rc = 0;

	log_init("bench_queue", LOG_LEVEL_WARNING, 0);
	memset(&b, 0, sizeof b);
	b.calls = 300;
	b.rows = 50;
	b.word = "lubang";
	while ((ch = getopt(argc, argv, "d:n:l:s:")) != -1) {
		switch (ch) {
		case 'd': conninfo = optarg; break;
		case 'n': b.calls = atoi(optarg); break;
		case 'l': b.rows = atoi(optarg); break;
		case 's': b.word = optarg; break;
		default:
			fprintf(stderr, "usage: bench_queue -d CONNINFO [-n CALLS] [-l ROWS] [-s WORD]\n");
			return 2;
		}
	}
	if (b.calls < 10 || b.calls > 1000000 || b.rows < 1 || b.rows > 1000) {
		fprintf(stderr, "bench_queue: 10 to 1000000 calls, 1 to 1000 rows\n");
		return 2;
	}
	b.first = calloc((size_t)b.calls, sizeof(double));
	b.next = calloc((size_t)b.calls, sizeof(double));
	b.db = db_new(conninfo, "bench_queue");
	if (b.first == NULL || b.next == NULL || b.db == NULL) {
		fprintf(stderr, "bench_queue: out of memory\n");
		return 1;
	}
	if (db_connect(b.db, NULL, &err) != 0) {
		fprintf(stderr, "bench_queue: %s\n", err.message);
		rc = 1;
	} else if (load_depts(&b) != 0) {
		rc = 1;
	}
	for (sc = scenarios; rc == 0 && sc->name != NULL; sc++)
		if (run(&b, sc) != 0)
			rc = 1;
	PQclear(b.tickets);
	db_free(&b.db);
	free(b.first);
	free(b.next);
	return rc;
}
