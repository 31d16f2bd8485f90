/*
 * bench_route: routing decisions per second, beside a raw PCRE2 loop
 *
 *	bench_route -d CONNINFO [-n TEXTS] [-r ROUNDS]
 *
 * Loads the routing rules of the database (the demo city's) into the
 * engine, and makes TEXTS requests (default 1,000,000) from the demo's
 * request descriptions and addresses, varied as callers vary them
 * (case, greetings, follow-ups, other streets).  Then, ROUNDS times each,
 * alternating, times
 *   engine: route_decide() on every request;
 *   raw:    the same pcre2_jit_match() calls with nothing around them:
 *           the same patterns compiled with the same options, the service
 *           condition as an integer compare, "address, district" made in
 *           advance, and the same stop rule, so both do the same matches.
 * Both count the rules that matched; the counts must agree.  Prints the
 * best rate of each and their ratio.  A rule with an area never matches
 * here (no request is placed: route_decide() knows no areas), in both.
 * Then, as often, times
 *   candidates: route_candidates() on every request, what intake does
 *           instead of route_decide() when an area rule may decide.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "route_load.h"

struct text {
	const char	*service;
	int		 svc;		/* index in the service list, for raw */
	const char	*desc;
	size_t		 dlen;
	const char	*address;
	const char	*district;
	const char	*addr;		/* "address, district", for raw */
	size_t		 alen;
};

struct raw_rule {
	int		 svc;		/* -1: any */
	pcre2_code	*desc;
	pcre2_code	*addr;
	int		 stop;
	int		 area;		/* never matches without areas */
};

static char	*arena;
static size_t	 arena_len, arena_cap;

static void *
xmalloc(size_t n)
{
	void	*p = malloc(n);

	if (p == NULL) {
		fprintf(stderr, "bench_route: out of memory\n");
		exit(1);
	}
	return p;
}

/* Strings for the texts live in one arena, offsets until it is full. */
static const char *
keep(const char *s, size_t n)
{
	char	*p;

	if (arena_len + n + 1 > arena_cap) {
		fprintf(stderr, "bench_route: arena full\n");
		exit(1);
	}
	p = arena + arena_len;
	memcpy(p, s, n);
	p[n] = '\0';
	arena_len += n + 1;
	return p;
}

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
service_index(char **names, int *n, const char *code)
{
	int	i;

	for (i = 0; i < *n; i++)
		if (strcmp(names[i], code) == 0)
			return i;
	names[*n] = strdup(code);
	return (*n)++;
}

/* Variant v of a demo description, as another caller would say it. */
static const char *
vary(const char *desc, unsigned v, size_t *len)
{
	static const char *const pre[] = { "", "", "Mohon bantuan, ",
	    "Selamat pagi. ", "Lapor: ", "", "Tolong, ", "" };
	static const char *const post[] = { "", "", "",
	    " Sudah tiga hari, mohon segera ditindak.", " (warga RT 03)", "",
	    " Terima kasih.", " Please fix it soon." };
	char	buf[8192];
	size_t	i;
	int	n;

	n = snprintf(buf, sizeof buf, "%s%s%s", pre[v % 8], desc, post[v % 8]);
	if (n < 0 || (size_t)n >= sizeof buf)
		n = (int)strlen(desc) < (int)sizeof buf ? (int)strlen(desc) : 0;
	for (i = 0; i < (size_t)n; i++) {
		if (v % 8 == 1)
			buf[i] = (char)toupper((unsigned char)buf[i]);
		else if (v % 8 == 5)
			buf[i] = (char)tolower((unsigned char)buf[i]);
	}
	*len = (size_t)n;
	return keep(buf, (size_t)n);
}

static const char *
join_address(const char *a, const char *d, size_t *len)
{
	char	buf[1024];
	int	n;

	if (a != NULL && d != NULL)
		n = snprintf(buf, sizeof buf, "%s, %s", a, d);
	else
		n = snprintf(buf, sizeof buf, "%s", a != NULL ? a : d != NULL ? d : "");
	*len = (size_t)n;
	return keep(buf, (size_t)n);
}

static struct text *
make_texts(PGresult *res, long count, char **names, int *nnames)
{
	struct text	*t = xmalloc((size_t)count * sizeof *t);
	int		 rows = PQntuples(res), r, o;
	long		 i;
	unsigned	 seed = 20261128u;

	arena_cap = (size_t)count * 400;
	arena = xmalloc(arena_cap);
	for (i = 0; i < count; i++) {
		seed = seed * 1103515245u + 12345u;
		r = (int)(i % rows);
		/* one request in four is from another street of the city */
		o = (seed >> 8) % 4 == 0 ? (int)((seed >> 12) % (unsigned)rows) : r;
		t[i].service = PQgetvalue(res, r, 0);
		t[i].svc = service_index(names, nnames, t[i].service);
		t[i].desc = vary(PQgetvalue(res, r, 1), (unsigned)(i / rows), &t[i].dlen);
		t[i].address = PQgetisnull(res, o, 2) ? NULL : PQgetvalue(res, o, 2);
		t[i].district = PQgetisnull(res, o, 3) ? NULL : PQgetvalue(res, o, 3);
		t[i].addr = join_address(t[i].address, t[i].district, &t[i].alen);
	}
	return t;
}

static pcre2_code *
raw_compile(const char *pattern)
{
	pcre2_code	*re;
	PCRE2_SIZE	 off;
	int		 err;

	if (pattern == NULL)
		return NULL;
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    route_pcre2_options(), &err, &off, NULL);
	if (re == NULL || pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0) {
		fprintf(stderr, "bench_route: cannot JIT-compile '%s'\n", pattern);
		exit(1);
	}
	return re;
}

static long
run_engine(const struct route_engine *e, const struct text *t, long n)
{
	struct route_result	rr;
	long			i, matched = 0;

	for (i = 0; i < n; i++) {
		route_decide(e, t[i].service, t[i].desc, t[i].address,
		    t[i].district, &rr);
		matched += rr.nmatched;
	}
	return matched;
}

static long
run_candidates(const struct route_engine *e, const struct text *t, long n,
    int *ids, size_t max)
{
	long	i, found = 0;

	for (i = 0; i < n; i++)
		found += (long)route_candidates(e, t[i].service, t[i].desc,
		    t[i].address, t[i].district, ids, max);
	return found;
}

static long
run_raw(const struct raw_rule *rules, int nrules, const struct text *t,
    long n, pcre2_match_data *md)
{
	const struct raw_rule	*r;
	long			 i, matched = 0;
	int			 k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < nrules; k++) {
			r = &rules[k];
			if (r->area != 0)
				continue;
			if (r->svc >= 0 && r->svc != t[i].svc)
				continue;
			if (r->desc != NULL && pcre2_jit_match(r->desc,
			    (PCRE2_SPTR)t[i].desc, t[i].dlen, 0, 0, md, NULL) < 0)
				continue;
			if (r->addr != NULL && pcre2_jit_match(r->addr,
			    (PCRE2_SPTR)t[i].addr, t[i].alen, 0, 0, md, NULL) < 0)
				continue;
			matched++;
			if (r->stop)
				break;
		}
	}
	return matched;
}

int
main(int argc, char **argv)
{
	struct route_engine	*e;
	struct raw_rule		*raw;
	struct text		*t;
	struct db		*db;
	struct db_error		 err;
	PGresult		*res;
	pcre2_match_data	*md;
	const struct route_rule	*rule;
	const char		*conninfo = NULL;
	char			*names[4096];
	double			 t0, best_e = 1e9, best_r = 1e9, best_c = 1e9, dt;
	long			 count = 1000000, me = 0, mr = 0, mc = 0, bytes = 0, i;
	int			*ids;
	int			 rounds = 3, ch, k, nrules, nnames = 0;

	log_init("bench_route", LOG_LEVEL_WARNING, 0);
	while ((ch = getopt(argc, argv, "d:n:r:")) != -1) {
		switch (ch) {
		case 'd': conninfo = optarg; break;
		case 'n': count = atol(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench_route -d CONNINFO [-n TEXTS] [-r ROUNDS]\n");
			return 2;
		}
	}
	if (count < 1 || rounds < 1)
		return 2;
	db = db_new(conninfo, "bench_route");
	if (db_connect(db, NULL, &err) != 0 ||
	    (e = route_engine_load(db, &err)) == NULL) {
		fprintf(stderr, "bench_route: %s\n", db != NULL ? err.message : "");
		return 1;
	}
	res = db_query(db, NULL, "SELECT s.code, r.description, r.address,"
	    " r.district FROM kota.request r JOIN kota.service s"
	    " ON s.id = r.service_id ORDER BY r.id", 0, NULL, &err);
	if (res == NULL || PQntuples(res) == 0) {
		fprintf(stderr, "bench_route: no requests to vary (seed --demo)\n");
		return 1;
	}

	t = make_texts(res, count, names, &nnames);
	nrules = (int)route_engine_count(e);
	raw = xmalloc((size_t)(nrules + 1) * sizeof *raw);
	for (k = 0; k < nrules; k++) {
		rule = route_engine_rule(e, (size_t)k);
		raw[k].svc = rule->service != NULL ?
		    service_index(names, &nnames, rule->service) : -1;
		raw[k].desc = raw_compile(rule->description_re);
		raw[k].addr = raw_compile(rule->address_re);
		raw[k].stop = rule->stop;
		raw[k].area = rule->area;
	}
	ids = xmalloc((size_t)(nrules + 1) * sizeof *ids);
	md = pcre2_match_data_create(1, NULL);
	for (i = 0; i < count; i++)
		bytes += (long)t[i].dlen;

	for (k = 0; k < rounds; k++) {
		t0 = now_s();
		me = run_engine(e, t, count);
		if ((dt = now_s() - t0) < best_e)
			best_e = dt;
		t0 = now_s();
		mr = run_raw(raw, nrules, t, count, md);
		if ((dt = now_s() - t0) < best_r)
			best_r = dt;
		t0 = now_s();
		mc = run_candidates(e, t, count, ids, (size_t)nrules);
		if ((dt = now_s() - t0) < best_c)
			best_c = dt;
	}
	printf("rules=%d texts=%ld demo_requests=%d avg_bytes=%.0f"
	    " matched_engine=%ld matched_raw=%ld engine_per_s=%.0f"
	    " raw_per_s=%.0f engine_ns=%.0f raw_ns=%.0f ratio=%.2f"
	    " area_rules=%d candidates=%ld candidates_per_s=%.0f"
	    " candidates_ns=%.0f\n",
	    nrules, count, PQntuples(res), (double)bytes / count, me, mr,
	    count / best_e, count / best_r, best_e * 1e9 / count,
	    best_r * 1e9 / count, best_r / best_e,
	    route_engine_has_areas(e) ? 1 : 0, mc, count / best_c,
	    best_c * 1e9 / count);

	for (k = 0; k < nrules; k++) {
		pcre2_code_free(raw[k].desc);
		pcre2_code_free(raw[k].addr);
	}
	for (k = 0; k < nnames; k++)
		free(names[k]);
	free(raw);
	free(ids);
	free(t);
	free(arena);
	pcre2_match_data_free(md);
	PQclear(res);
	route_engine_free(&e);
	db_free(&db);
	return me == mr ? 0 : 1;
}
