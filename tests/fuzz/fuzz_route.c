/*
 * fuzz_route.c: libFuzzer target for rule compilation and matching
 *
 * The input is split at its first three newlines into a pattern, a
 * description, an address and the request's areas as PostgreSQL writes
 * an int[] ("{3,17}"; missing parts are empty).  The pattern is checked
 * with route_compile_check() and given to an engine as the description
 * pattern of one rule and the address pattern of another, and of two
 * rules with an area (one of the request's, when it has any, and one it
 * is not in); then the engine decides on the description and address, on
 * the pattern itself as a text, and on the raw input, with and without
 * the areas.
 *
 * Invariants: the check and the engine agree on whether the pattern
 * compiles; a refusal has a message and an offset inside the pattern,
 * leaves the engine empty and counts as skipped; a result only ever names
 * a rule that matched, the department comes from the last of them, and a
 * rule with stop ends the walk; a rule with an area matches only when the
 * request is in it; every rule that matches is among the candidates, in
 * the same order; route_decide() is route_decide_at() without areas; the
 * areas parsed are positive and no more than asked for.  Arbitrary bytes
 * (invalid UTF-8, NULs cut the strings short) are fine as texts.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
fuzz_part(const uint8_t **p, const uint8_t *end)
{
	const uint8_t	*nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t		 n = nl != NULL ? (size_t)(nl - *p) : (size_t)(end - *p);
	char		*s;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p = nl != NULL ? nl + 1 : end;
	return s;
}

static bool
fuzz_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static void
fuzz_check_result(const struct route_result *res, size_t nrules)
{
	int	i;

	if (res->nmatched < 0 || (size_t)res->nmatched > nrules)
		abort();
	if ((res->department != NULL) != (res->department_rule != NULL) ||
	    (res->rule != NULL) != (res->department != NULL))
		abort();
	if (res->nmatched == 0 && (res->department != NULL ||
	    res->priority != 0 || res->assignee != NULL || res->stopped))
		abort();
	for (i = 0; i < res->nmatched; i++)
		if (res->matched[i] == NULL ||
		    (i > 0 && res->matched[i - 1]->position >
		    res->matched[i]->position))
			abort();
	/* the last match sets the department; stop ends the walk */
	if (res->nmatched > 0) {
		if (res->department_rule != res->matched[res->nmatched - 1])
			abort();
		if (res->stopped != res->matched[res->nmatched - 1]->stop)
			abort();
	}
	for (i = 0; i + 1 < res->nmatched; i++)
		if (res->matched[i]->stop)
			abort();
}

#define FUZZ_AREAS	8

static bool
fuzz_in(int id, const int *ids, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void
fuzz_decide(const struct route_engine *e, const char *service,
    const char *desc, const char *addr, const char *district,
    const int *areas, size_t nareas)
{
	struct route_result	res, plain;
	int			ids[8];
	size_t			n, j = 0;
	int			i;

	route_decide_at(e, service, desc, addr, district, areas, nareas, &res);
	fuzz_check_result(&res, route_engine_count(e));
	n = route_candidates(e, service, desc, addr, district, ids, 8);
	if (n > route_engine_count(e))
		abort();
	/* what matched is among the candidates, in walk order */
	for (i = 0; i < res.nmatched; i++) {
		if (res.matched[i]->area != 0 &&
		    !fuzz_in(res.matched[i]->area, areas, nareas))
			abort();
		while (j < n && ids[j] != res.matched[i]->id)
			j++;
		if (j == n)
			abort();
	}
	route_decide(e, service, desc, addr, district, &plain);
	route_decide_at(e, service, desc, addr, district, NULL, 0, &res);
	if (plain.nmatched != res.nmatched ||
	    plain.department != res.department ||
	    plain.priority != res.priority || plain.stopped != res.stopped)
		abort();
	for (i = 0; i < plain.nmatched; i++)
		if (plain.matched[i]->area != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_engine	*e;
	struct route_rule	 r;
	const uint8_t		*p = data, *end = data + size;
	char			*pattern, *desc, *addr, *alist, *raw;
	char			 msg[ROUTE_ERRMAX + ROUTE_PATTERN_MAX + 64];
	size_t			 off = (size_t)-1, nareas, i;
	int			 ok, added, areas[FUZZ_AREAS], outside = 1;

	pattern = fuzz_part(&p, end);
	desc = fuzz_part(&p, end);
	addr = fuzz_part(&p, end);
	alist = fuzz_part(&p, end);
	nareas = route_areas_parse(alist, areas, FUZZ_AREAS);
	if (nareas > FUZZ_AREAS)
		abort();
	for (i = 0; i < nareas; i++)
		if (areas[i] <= 0)
			abort();
	while (fuzz_in(outside, areas, nareas))
		outside++;
	if ((raw = malloc(size + 1)) == NULL)
		abort();
	memcpy(raw, data, size);
	raw[size] = '\0';

	ok = route_compile_check(pattern, msg, sizeof msg, &off) == 0;
	if (ok && (msg[0] != '\0' || off != 0))
		abort();
	if (!ok && (msg[0] == '\0' || off > strlen(pattern)))
		abort();

	e = route_engine_new();
	memset(&r, 0, sizeof r);
	r.id = 2;
	r.position = 20;
	r.name = "address";
	r.address_re = pattern;
	r.department = "ADDR";
	r.priority = 1 + (int)(size % 4);
	r.stop = size % 2 == 0;
	r.enabled = true;
	added = route_engine_add(e, &r, msg, sizeof msg) == 0;
	r.id = 1;
	r.position = 10;
	r.name = "description";
	r.address_re = NULL;
	r.description_re = pattern;
	r.department = "DESC";
	r.service = size % 3 == 0 ? "fuzz" : NULL;
	r.stop = size % 5 == 0;
	added += route_engine_add(e, &r, msg, sizeof msg) == 0;
	/* a blank pattern is no condition: the engine always takes it */
	if (added != (ok || fuzz_blank(pattern) ? 2 : 0) ||
	    route_engine_count(e) != (size_t)added ||
	    route_engine_skipped(e) != 2 - added)
		abort();
	/* two area rules: one the request is in (if in any), one it is not */
	r.id = 3;
	r.position = 10 + (int)(size % 3) * 5;
	r.name = "inside";
	r.area = nareas > 0 ? areas[size % nareas] : 1;
	r.department = "INSIDE";
	r.stop = size % 7 < 4;
	added += route_engine_add(e, &r, msg, sizeof msg) == 0;
	r.id = 4;
	r.position = 15;
	r.name = "outside";
	r.area = outside;
	r.description_re = NULL;
	r.department = "OUTSIDE";
	r.stop = true;
	added += route_engine_add(e, &r, msg, sizeof msg) == 0;
	if (!route_engine_has_areas(e) || added < 1)
		abort();

	fuzz_decide(e, "fuzz", desc, addr, desc, areas, nareas);
	fuzz_decide(e, NULL, pattern, pattern, NULL, areas, nareas);
	fuzz_decide(e, " FUZZ ", raw, NULL, addr, areas, nareas);
	fuzz_decide(e, "fuzz", desc, addr, NULL, NULL, 0);

	route_engine_free(&e);
	if (e != NULL)
		abort();
	free(pattern);
	free(desc);
	free(addr);
	free(alist);
	free(raw);
	return 0;
}
