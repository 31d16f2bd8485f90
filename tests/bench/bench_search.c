/*
 * bench_search: how fast the console's word search pages, through libkota
 *
 *	bench_search -d CONNINFO [-n CALLS] [-l ROWS] NAME:STATUS:DEPT:WORDS...
 *
 * Each query is the exact call the console makes (tui/data.c:
 * kota.queue_page() with eleven $n parameters, prepared) for WORDS with the
 * status filter STATUS (all, open, closed...) and the department DEPT
 * (empty: none), timed over CALLS first pages and CALLS page-downs (each
 * after the last row's id, walking down the matches and starting over at
 * their end).  Two baselines over the same connection, in the same run:
 * "ticket", a search by ticket (the primary key; no next page), and
 * "by_id", the plainest keyset page there is (SELECT ... FROM
 * kota.request ORDER BY id DESC LIMIT ROWS, then WHERE id < $1).  One line
 * a query:
 *
 *	query=NAME first_p50_ms= first_p99_ms= next_p50_ms= next_p99_ms= rows=
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"

static const char queue_sql[] =
    "SELECT * FROM kota.queue_page($1, $2, $3, $4, $5, $6,"
    " $7::int, $8::timestamptz, $9::bigint, $10::int, $11)";
static const char base_first_sql[] =
    "SELECT id, ticket, status, priority, created_at FROM kota.request"
    " ORDER BY id DESC LIMIT $1::int";
static const char base_next_sql[] =
    "SELECT id, ticket, status, priority, created_at FROM kota.request"
    " WHERE id < $2::bigint ORDER BY id DESC LIMIT $1::int";

struct query {
	char		 name[32], status[16], dept[24], words[128];
	int		 kind;		/* 0 words, 1 ticket, 2 by_id */
};

struct bench {
	struct db	*db;
	int		 calls, rows;
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

/* One page: the first (after NULL) or the one after the id after. */
static PGresult *
page(struct bench *b, const struct query *qu, int call, const char *after,
    struct db_error *err)
{
	const char	*p[11];
	char		 lim[16];

	snprintf(lim, sizeof lim, "%d", b->rows);
	if (qu->kind == 2) {
		p[0] = lim;
		p[1] = after;
		return after != NULL ?
		    db_query(b->db, "bench_base_next", base_next_sql, 2, p, err) :
		    db_query(b->db, "bench_base_first", base_first_sql, 1, p, err);
	}
	memset(p, 0, sizeof p);
	p[0] = qu->dept[0] != '\0' ? qu->dept : NULL;
	p[2] = qu->status[0] != '\0' ? qu->status : NULL;
	p[4] = qu->kind == 1 ? PQgetvalue(b->tickets,
	    call % PQntuples(b->tickets), 0) : qu->words;
	p[5] = "priority";
	p[8] = after;
	p[9] = lim;
	return db_query(b->db, "bench_queue_page", queue_sql, 11, p, err);
}

static int
run(struct bench *b, const struct query *qu)
{
	struct db_error	 err;
	PGresult	*res;
	char		 after[24];
	double		 t0;
	long		 rows = 0;
	int		 i, n, have = 0;

	for (i = -10; i < b->calls; i++) {
		t0 = now_ms();
		if ((res = page(b, qu, i < 0 ? 0 : i, NULL, &err)) == NULL)
			goto fail;
		if (i >= 0) {
			b->first[i] = now_ms() - t0;
			rows += PQntuples(res);
		}
		PQclear(res);
	}
	memset(b->next, 0, (size_t)b->calls * sizeof *b->next);
	for (i = -10; i < b->calls && qu->kind != 1; i++) {
		t0 = now_ms();
		if ((res = page(b, qu, i, have ? after : NULL, &err)) == NULL)
			goto fail;
		if (i >= 0)
			b->next[i] = now_ms() - t0;
		n = PQntuples(res);
		/* the end of the matches: start over from the first page */
		have = n == b->rows;
		if (have)
			snprintf(after, sizeof after, "%s", PQgetvalue(res,
			    n - 1, PQfnumber(res, "id")));
		PQclear(res);
	}
	qsort(b->first, (size_t)b->calls, sizeof(double), cmp_double);
	qsort(b->next, (size_t)b->calls, sizeof(double), cmp_double);
	printf("query=%s first_p50_ms=%.3f first_p99_ms=%.3f"
	    " next_p50_ms=%.3f next_p99_ms=%.3f rows=%.1f\n", qu->name,
	    b->first[b->calls / 2], b->first[b->calls * 99 / 100],
	    b->next[b->calls / 2], b->next[b->calls * 99 / 100],
	    (double)rows / b->calls);
	fflush(stdout);
	return 0;
fail:
	fprintf(stderr, "bench_search: %s: %s\n", qu->name, err.message);
	return -1;
}

/* NAME:STATUS:DEPT:WORDS */
static int
parse_query(const char *arg, struct query *qu)
{
	const char	*a = arg, *c;
	char		*fields[3] = { qu->name, qu->status, qu->dept };
	size_t		 sizes[3] = { sizeof qu->name, sizeof qu->status,
			    sizeof qu->dept };
	int		 i;

	memset(qu, 0, sizeof *qu);
	for (i = 0; i < 3; i++) {
		if ((c = strchr(a, ':')) == NULL || (size_t)(c - a) >= sizes[i])
			return -1;
		memcpy(fields[i], a, (size_t)(c - a));
		a = c + 1;
	}
	if (strlen(a) >= sizeof qu->words)
		return -1;
	snprintf(qu->words, sizeof qu->words, "%s", a);
	return 0;
}

int
main(int argc, char **argv)
{
	struct query	 qu;
	struct bench	 b;
	struct db_error	 err;
	const char	*conninfo = NULL;
	int		 ch, i, rc = 0;

	log_init("bench_search", LOG_LEVEL_WARNING, 0);
	memset(&b, 0, sizeof b);
	b.calls = 300;
	b.rows = 50;
	while ((ch = getopt(argc, argv, "d:n:l:")) != -1) {
		switch (ch) {
		case 'd': conninfo = optarg; break;
		case 'n': b.calls = atoi(optarg); break;
		case 'l': b.rows = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench_search -d CONNINFO [-n CALLS] [-l ROWS] NAME:STATUS:DEPT:WORDS...\n");
			return 2;
		}
	}
	if (b.calls < 10 || b.calls > 1000000 || b.rows < 1 || b.rows > 1000) {
		fprintf(stderr, "bench_search: 10 to 1000000 calls, 1 to 1000 rows\n");
		return 2;
	}
	b.first = calloc((size_t)b.calls, sizeof(double));
	b.next = calloc((size_t)b.calls, sizeof(double));
	b.db = db_new(conninfo, "bench_search");
	if (b.first == NULL || b.next == NULL || b.db == NULL) {
		fprintf(stderr, "bench_search: out of memory\n");
		return 1;
	}
	if (db_connect(b.db, NULL, &err) != 0) {
		fprintf(stderr, "bench_search: %s\n", err.message);
		rc = 1;
		goto out;
	}
	b.tickets = db_query(b.db, NULL, "SELECT ticket FROM kota.request"
	    " TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 500", 0, NULL, &err);
	if (b.tickets == NULL || PQntuples(b.tickets) == 0) {
		fprintf(stderr, "bench_search: no tickets\n");
		rc = 1;
		goto out;
	}
	memset(&qu, 0, sizeof qu);
	snprintf(qu.name, sizeof qu.name, "baseline_by_id");
	qu.kind = 2;
	rc = run(&b, &qu) != 0;
	snprintf(qu.name, sizeof qu.name, "baseline_ticket");
	qu.kind = 1;
	if (rc == 0)
		rc = run(&b, &qu) != 0;
	for (i = optind; rc == 0 && i < argc; i++) {
		if (parse_query(argv[i], &qu) != 0) {
			fprintf(stderr, "bench_search: '%s': NAME:STATUS:DEPT:WORDS\n",
			    argv[i]);
			rc = 2;
			break;
		}
		rc = run(&b, &qu) != 0;
	}
out:
	PQclear(b.tickets);
	db_free(&b.db);
	free(b.first);
	free(b.next);
	return rc;
}
