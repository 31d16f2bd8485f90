/*
 * test_route.c: unit tests for the routing engine (lib/route.c), in memory
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

/* A rule with the fields that matter for a test; the rest as the table's defaults. */
static struct route_rule
rule(int id, int position, const char *desc_re, const char *dept, int prio,
    bool stop)
{
	struct route_rule	r;

	memset(&r, 0, sizeof r);
	r.id = id;
	r.position = position;
	r.name = NULL;
	r.description_re = desc_re;
	r.department = dept;
	r.priority = prio;
	r.stop = stop;
	r.enabled = true;
	return r;
}

static void
add(struct route_engine *e, struct route_rule r, const char *name)
{
	char	msg[ROUTE_ERRMAX];

	r.name = name;
	if (route_engine_add(e, &r, msg, sizeof msg) != 0)
		fail_msg("route_engine_add(%s): %s", name, msg);
}

static int
setup(void **state)
{
	*state = route_engine_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct route_engine	*e = *state;

	route_engine_free(&e);
	assert_null(e);
	return 0;
}

static void
decide(void **state, const char *service, const char *desc,
    const char *address, const char *district, struct route_result *res)
{
	route_decide(*state, service, desc, address, district, res);
	assert_int_equal(res->errors, 0);
}

static void
test_empty_engine(void **state)
{
	struct route_result	res;

	assert_int_equal(route_engine_count(*state), 0);
	assert_null(route_engine_rule(*state, 0));
	decide(state, "jalan_berlubang", "Jalan berlubang", "Jl. Merdeka",
	    "Sumur Bandung", &res);
	assert_null(res.department);
	assert_null(res.rule);
	assert_int_equal(res.priority, 0);
	assert_null(res.assignee);
	assert_int_equal(res.nmatched, 0);
	assert_false(res.stopped);
	/* NULL texts are empty texts, not a crash */
	decide(state, NULL, NULL, NULL, NULL, &res);
	assert_int_equal(res.nmatched, 0);
}

/* Rules run by position then id, whatever order they were added in. */
static void
test_order(void **state)
{
	struct route_result	res;

	add(*state, rule(3, 20, "lampu", "DISHUB", 0, false), "twenty");
	add(*state, rule(1, 10, "lampu", "PJU", 0, false), "ten");
	add(*state, rule(4, 20, "lampu", "PU", 0, false), "twenty, later id");
	add(*state, rule(2, 5, "lampu", "DLH", 0, false), "five");
	assert_int_equal(route_engine_count(*state), 4);
	assert_string_equal(route_engine_rule(*state, 0)->name, "five");
	assert_string_equal(route_engine_rule(*state, 1)->name, "ten");
	assert_string_equal(route_engine_rule(*state, 2)->name, "twenty");
	assert_string_equal(route_engine_rule(*state, 3)->name,
	    "twenty, later id");

	decide(state, NULL, "Lampu jalan mati", NULL, NULL, &res);
	assert_int_equal(res.nmatched, 4);
	assert_int_equal(res.matched[0]->id, 2);
	assert_int_equal(res.matched[1]->id, 1);
	assert_int_equal(res.matched[2]->id, 3);
	assert_int_equal(res.matched[3]->id, 4);
	/* without stop the last match's department wins */
	assert_string_equal(res.department, "PU");
	assert_string_equal(res.rule, "twenty, later id");
	assert_int_equal(res.department_rule->id, 4);
	assert_false(res.stopped);
}

static void
test_stop(void **state)
{
	struct route_result	res;

	add(*state, rule(1, 10, "berlubang", "PU", 0, true), "pothole");
	add(*state, rule(2, 20, "jalan", "DISHUB", 1, true), "any road");
	add(*state, rule(3, 30, NULL, "TRIASE", 4, false), "catch-all");

	decide(state, NULL, "Jalan berlubang", NULL, NULL, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "PU");
	assert_int_equal(res.priority, 0);
	assert_true(res.stopped);

	/* the first rule does not match: the second stops */
	decide(state, NULL, "Jalan licin", NULL, NULL, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "DISHUB");
	assert_int_equal(res.priority, 1);

	/* a rule without conditions matches everything */
	decide(state, NULL, "Kucing hilang", NULL, NULL, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.rule, "catch-all");
	assert_int_equal(res.priority, 4);
	assert_false(res.stopped);
}

/* Each field is overridden by the next match that sets it, and only then. */
static void
test_override_field_by_field(void **state)
{
	struct route_result	res;
	struct route_rule	r;

	add(*state, rule(1, 10, "darurat", NULL, 2, false), "urgent words");
	r = rule(2, 15, NULL, NULL, 0, false);
	r.address_re = "braga|asia afrika";
	r.priority = 1;
	add(*state, r, "city centre");
	add(*state, rule(3, 20, "jalan", "DISHUB", 0, false), "roads, first guess");
	add(*state, rule(4, 30, "berlubang", "PU", 0, true), "pothole");
	add(*state, rule(5, 40, "berlubang", "DLH", 4, true), "never reached");

	decide(state, NULL, "Jalan berlubang, darurat!", NULL, NULL, &res);
	assert_int_equal(res.nmatched, 3);
	assert_string_equal(res.department, "PU");
	assert_string_equal(res.rule, "pothole");
	assert_int_equal(res.priority, 2);
	assert_string_equal(res.priority_rule->name, "urgent words");

	decide(state, NULL, "Jalan berlubang, darurat!", "Jl. Braga No. 5",
	    NULL, &res);
	assert_int_equal(res.nmatched, 4);
	assert_int_equal(res.priority, 1);
	assert_string_equal(res.priority_rule->name, "city centre");
	assert_string_equal(res.department, "PU");

	decide(state, NULL, "Jalan licin", NULL, NULL, &res);
	assert_string_equal(res.department, "DISHUB");
	assert_int_equal(res.priority, 0);
	assert_null(res.priority_rule);
}

static void
test_service_condition(void **state)
{
	struct route_result	res;
	struct route_rule	r;

	r = rule(1, 10, NULL, "PJU", 0, true);
	r.service = "Lampu_Mati";
	r.assignee = "demo_dedi";
	add(*state, r, "lights");
	add(*state, rule(2, 20, "mati", "PDAM", 0, true), "dead anything");

	decide(state, "lampu_mati", "Lampu mati", NULL, NULL, &res);
	assert_string_equal(res.department, "PJU");
	assert_string_equal(res.assignee, "demo_dedi");
	assert_string_equal(res.assignee_rule->name, "lights");
	/* codes compare as the database does: trimmed, lower case */
	decide(state, " LAMPU_MATI ", "Lampu mati", NULL, NULL, &res);
	assert_string_equal(res.department, "PJU");
	decide(state, "air_mati", "Air mati", NULL, NULL, &res);
	assert_string_equal(res.department, "PDAM");
	assert_null(res.assignee);
	/* no service given: a rule that needs one does not match */
	decide(state, NULL, "Lampu mati", NULL, NULL, &res);
	assert_string_equal(res.department, "PDAM");
	decide(state, "lampu_mati_total", "Lampu mati", NULL, NULL, &res);
	assert_string_equal(res.department, "PDAM");
}

/* The address pattern sees "address, district", like concat_ws in SQL. */
static void
test_address_condition(void **state)
{
	struct route_result	res;
	struct route_rule	r;

	r = rule(1, 10, NULL, "PJU", 0, true);
	r.address_re = "coblong|dago";
	add(*state, r, "north");
	r = rule(2, 20, NULL, "PU", 0, true);
	r.address_re = "^Jl\\. Merdeka, Sumur Bandung$";
	add(*state, r, "exact");

	decide(state, NULL, "Lampu mati", "Jl. Ir. H. Juanda", "Coblong", &res);
	assert_string_equal(res.department, "PJU");
	decide(state, NULL, "Lampu mati", NULL, "COBLONG", &res);
	assert_string_equal(res.department, "PJU");
	decide(state, NULL, "Lampu mati", "Jl. Dago No. 3", NULL, &res);
	assert_string_equal(res.department, "PJU");
	decide(state, NULL, "Lampu mati", "  Jl. Merdeka ", "Sumur Bandung",
	    &res);
	assert_string_equal(res.department, "PU");
	decide(state, NULL, "Lampu mati", "Jl. Merdeka", "   ", &res);
	assert_null(res.department);
	/* the description is not the address */
	decide(state, NULL, "lampu jalan mati di Jl. Dago", NULL, NULL, &res);
	assert_null(res.department);
	decide(state, NULL, "Lampu mati", NULL, NULL, &res);
	assert_int_equal(res.nmatched, 0);
}

/* UTF-8, caseless, Unicode properties: Indonesian text as clerks type it. */
static void
test_utf8_caseless(void **state)
{
	struct route_result	res;

	add(*state, rule(1, 10, "jalan berlubang|pot ?holes?", "PU", 0, true),
	    "Jalan berlubang");
	add(*state, rule(2, 20,
	    "lampu (jalan |pju )?(mati|padam)|street ?lights? (is )?out", "PJU", 0,
	    true), "Lampu jalan mati");
	add(*state, rule(3, 30, "\\bcafé\\b", "SATPOL_PP", 0, true), "Kafe");
	add(*state, rule(4, 40, "^\\w+ kosong$", "DLH", 0, true), "Kosong");

	decide(state, NULL, "JALAN BERLUBANG di depan Pasar Baru", NULL, NULL,
	    &res);
	assert_string_equal(res.department, "PU");
	decide(state, NULL, "lampu jalan mati di Jl. Dago", NULL, NULL, &res);
	assert_string_equal(res.department, "PJU");
	decide(state, NULL, "Street light is OUT near the school", NULL, NULL,
	    &res);
	assert_string_equal(res.department, "PJU");
	decide(state, NULL, "Potholes everywhere", NULL, NULL, &res);
	assert_string_equal(res.department, "PU");
	/* caseless beyond ASCII, and \b and \w know letters beyond ASCII */
	decide(state, NULL, "Musik keras dari CAFÉ sebelah", NULL, NULL, &res);
	assert_string_equal(res.department, "SATPOL_PP");
	decide(state, NULL, "Musik keras dari cafés", NULL, NULL, &res);
	assert_null(res.department);
	decide(state, NULL, "  Lahan  kosong ", NULL, NULL, &res);
	assert_null(res.department);
	decide(state, NULL, "Ruangé kosong\n", NULL, NULL, &res);
	assert_string_equal(res.department, "DLH");
	/* invalid UTF-8 is no error: the bad bytes just match nothing */
	decide(state, NULL, "jalan \xff\xfe berlubang", NULL, NULL, &res);
	assert_null(res.department);
	decide(state, NULL, "\xc3 JALAN BERLUBANG \xe2\x82", NULL, NULL, &res);
	assert_string_equal(res.department, "PU");
}

static void
test_invalid_pattern(void **state)
{
	struct route_rule	r;
	char			msg[ROUTE_ERRMAX];
	size_t			off = 99;

	assert_int_equal(route_compile_check("(jalan berlubang", msg,
	    sizeof msg, &off), -1);
	assert_string_equal(msg, "missing closing parenthesis");
	assert_int_equal(off, 16);
	assert_int_equal(route_compile_check("lampu [mati", msg, sizeof msg,
	    &off), -1);
	assert_string_equal(msg, "missing terminating ] for character class");
	assert_int_equal(off, 11);
	assert_int_equal(route_compile_check("a{2,1}", msg, sizeof msg, &off),
	    -1);
	assert_int_equal(off, 5);
	/* a pattern must be UTF-8 itself */
	assert_int_equal(route_compile_check("jalan \xff", msg, sizeof msg,
	    &off), -1);
	assert_non_null(strstr(msg, "UTF-8"));
	assert_int_equal(off, 6);
	/* \C could split a character: refused */
	assert_int_equal(route_compile_check("a\\Cb", msg, sizeof msg, &off),
	    -1);
	assert_int_equal(route_compile_check("jalan (berlubang|rusak)", msg,
	    sizeof msg, &off), 0);
	assert_string_equal(msg, "");
	assert_int_equal(off, 0);

	/* the engine refuses the rule, naming it, and keeps the others */
	add(*state, rule(1, 10, "jalan", "PU", 0, true), "good");
	r = rule(2, 20, NULL, "PJU", 0, true);
	r.name = "Bad address";
	r.address_re = "dago|(coblong";
	assert_int_equal(route_engine_add(*state, &r, msg, sizeof msg), -1);
	assert_string_equal(msg, "rule \"Bad address\": address_re \"dago|(coblong\": missing closing parenthesis at offset 13");
	r.address_re = NULL;
	r.priority = 7;
	assert_int_equal(route_engine_add(*state, &r, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "priority 7"));
	assert_int_equal(route_engine_count(*state), 1);
	assert_int_equal(route_engine_skipped(*state), 2);
}

static void
test_long_pattern(void **state)
{
	char	pat[ROUTE_PATTERN_MAX + 2], msg[ROUTE_ERRMAX];
	size_t	off;

	memset(pat, 'a', sizeof pat - 1);
	pat[sizeof pat - 1] = '\0';
	assert_int_equal(route_compile_check(pat, msg, sizeof msg, &off), -1);
	assert_non_null(strstr(msg, "too long"));
	pat[ROUTE_PATTERN_MAX] = '\0';
	assert_int_equal(route_compile_check(pat, msg, sizeof msg, &off), 0);
}

static void
test_disabled_and_blank(void **state)
{
	struct route_result	res;
	struct route_rule	r;

	r = rule(1, 10, "lampu", "PJU", 0, true);
	r.enabled = false;
	add(*state, r, "off");
	/* a blank pattern is no condition */
	r = rule(2, 20, "  ", "PU", 0, true);
	r.address_re = "";
	r.service = " ";
	add(*state, r, "blank");
	assert_null(route_engine_rule(*state, 1)->description_re);
	assert_null(route_engine_rule(*state, 1)->service);
	decide(state, "lampu_mati", "Lampu mati", NULL, NULL, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "PU");
}

/* An assignee goes with its rule's department. */
static void
test_assignee_follows_department(void **state)
{
	struct route_result	res;
	struct route_rule	r;

	r = rule(1, 10, "pipa", "PDAM", 0, false);
	r.assignee = "demo_wahyu";
	add(*state, r, "pipes to Wahyu");
	add(*state, rule(2, 20, "bocor", "PDAM", 2, false), "leaks");
	add(*state, rule(3, 30, "jalan", "PU", 0, false), "roads");

	decide(state, NULL, "Pipa bocor", NULL, NULL, &res);
	assert_string_equal(res.department, "PDAM");
	assert_string_equal(res.assignee, "demo_wahyu");
	assert_int_equal(res.priority, 2);
	/* a later rule moved it to PU: Wahyu does not work there */
	decide(state, NULL, "Pipa bocor di jalan", NULL, NULL, &res);
	assert_string_equal(res.department, "PU");
	assert_null(res.assignee);
	assert_null(res.assignee_rule);
	assert_int_equal(res.priority, 2);
}

static void
test_many_matches(void **state)
{
	struct route_result	res;
	int			i;

	for (i = 1; i <= ROUTE_MATCHED_MAX + 8; i++)
		add(*state, rule(i, i, "a", NULL, 1 + i % 4, false), "many");
	decide(state, NULL, "banjir", NULL, NULL, &res);
	assert_int_equal(res.nmatched, ROUTE_MATCHED_MAX + 8);
	assert_int_equal(res.matched[ROUTE_MATCHED_MAX - 1]->id,
	    ROUTE_MATCHED_MAX);
	assert_int_equal(res.priority, 1 + (ROUTE_MATCHED_MAX + 8) % 4);
}

/* A pattern that backtracks forever fails its match, it does not hang. */
static void
test_runaway_pattern(void **state)
{
	struct route_result	res;
	char			text[64];

	add(*state, rule(1, 10, "(a+)+$", "PU", 0, true), "runaway");
	add(*state, rule(2, 20, "a", "PJU", 0, true), "plain");
	memset(text, 'a', 40);
	snprintf(text + 40, sizeof text - 40, "!");
	route_decide(*state, NULL, text, NULL, NULL, &res);
	assert_int_equal(res.errors, 1);
	assert_string_equal(res.department, "PJU");
}

/*
 * A rule that hits the match limit is skipped loudly: the result names the
 * rule, the field and the limit, the next rules still apply, and the same
 * text without the backtracking is an ordinary match.
 */
static void
test_match_limit_reported(void **state)
{
	struct route_result	res;
	char			text[128], why[ROUTE_ERRMAX];
	struct route_rule	r;

	r = rule(7, 10, NULL, "PU", 1, true);
	r.address_re = "(a+)+$";
	add(*state, r, "runaway address");
	add(*state, rule(8, 20, "(x+)+$", "DLH", 0, false), "runaway desc");
	add(*state, rule(9, 30, "x", "PJU", 0, true), "plain");
	memset(text, 'a', 100);
	snprintf(text + 100, sizeof text - 100, "b");
	route_decide(*state, NULL, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx!",
	    text, NULL, &res);
	assert_int_equal(res.errors, 2);
	assert_int_equal(res.failed[0].rule->id, 7);
	assert_string_equal(res.failed[0].field, "address_re");
	assert_int_equal(res.failed[1].rule->id, 8);
	assert_string_equal(res.failed[1].field, "description_re");
	route_failure_reason(&res.failed[0], why, sizeof why);
	assert_non_null(strstr(why, "match limit"));
	assert_non_null(strstr(why, "1000000"));
	/* skipped, not stopped: the next rule routes */
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "PJU");
	assert_int_equal(res.priority, 0);

	/* without the catastrophic text the rule is an ordinary match */
	route_decide(*state, NULL, "banjir", "aaaa", NULL, &res);
	assert_int_equal(res.errors, 0);
	assert_string_equal(res.department, "PU");
}

/* A rule with an area condition; the engine knows areas only by id. */
static struct route_rule
area_rule(int id, int position, int area, const char *desc_re,
    const char *dept, bool stop)
{
	struct route_rule	r = rule(id, position, desc_re, dept, 0, stop);

	r.area = area;
	return r;
}

static void
decide_at(void **state, const char *desc, const int *areas, size_t nareas,
    struct route_result *res)
{
	route_decide_at(*state, NULL, desc, NULL, NULL, areas, nareas, res);
	assert_int_equal(res->errors, 0);
}

/* Area ids of the tests: kecamatan 7, its kelurahan 31, a zone 50. */
static const int in_coblong[] = { 7, 31 };
static const int in_zone[] = { 12, 50 };

/* An area rule matches a request inside its area, and only there. */
static void
test_area_inside_outside(void **state)
{
	struct route_result	res;

	add(*state, area_rule(1, 10, 7, NULL, "UPT_COBLONG", true),
	    "coblong");
	add(*state, area_rule(2, 20, 50, "pohon", "KONTRAKTOR", true),
	    "contractor's trees");

	decide_at(state, "Jalan berlubang", in_coblong, 2, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "UPT_COBLONG");
	assert_string_equal(res.rule, "coblong");

	/* elsewhere, or nowhere known, neither matches */
	decide_at(state, "Jalan berlubang", in_zone, 2, &res);
	assert_int_equal(res.nmatched, 0);
	assert_null(res.department);
	decide_at(state, "Jalan berlubang", NULL, 0, &res);
	assert_int_equal(res.nmatched, 0);

	/* the area and the pattern must both hold */
	decide_at(state, "Pohon tumbang", in_zone, 2, &res);
	assert_string_equal(res.department, "KONTRAKTOR");
	decide_at(state, "Lampu mati", in_zone, 2, &res);
	assert_null(res.department);

	/* route_decide() knows no areas: an area rule never matches */
	decide(state, NULL, "Pohon tumbang", NULL, NULL, &res);
	assert_int_equal(res.nmatched, 0);
	assert_null(res.department);
}

/*
 * Area rules take their turn in (position, id) order among the others:
 * an earlier pattern rule with stop wins over a later area rule, a later
 * one overrides an earlier area rule without stop.
 */
static void
test_area_order(void **state)
{
	struct route_result	res;

	add(*state, rule(1, 10, "banjir", "BPBD", 1, true), "flood first");
	add(*state, area_rule(2, 20, 31, NULL, "UPT_DAGO", false), "dago");
	add(*state, rule(3, 30, "pohon", "DLH", 0, false), "trees");
	add(*state, area_rule(4, 40, 7, "sampah", "UPT_COBLONG", true),
	    "coblong rubbish");

	decide_at(state, "Banjir di Dago", in_coblong, 2, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "BPBD");

	decide_at(state, "Pohon tumbang", in_coblong, 2, &res);
	assert_int_equal(res.nmatched, 2);
	assert_int_equal(res.matched[0]->id, 2);
	assert_int_equal(res.matched[1]->id, 3);
	assert_string_equal(res.department, "DLH");

	decide_at(state, "Sampah menumpuk", in_coblong, 2, &res);
	assert_int_equal(res.nmatched, 2);
	assert_string_equal(res.department, "UPT_COBLONG");
	assert_string_equal(res.rule, "coblong rubbish");
	assert_true(res.stopped);

	/* the same text outside: the area rules are skipped, not stopped */
	decide_at(state, "Pohon dan sampah", in_zone, 2, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "DLH");
	assert_false(res.stopped);
}

/* An area rule with stop ends the walk only where it matches. */
static void
test_area_stop(void **state)
{
	struct route_result	res;

	add(*state, area_rule(1, 10, 50, NULL, "KONTRAKTOR", true),
	    "zone stops");
	add(*state, rule(2, 20, NULL, "PU", 3, true), "everything else");

	decide_at(state, "Jalan berlubang", in_zone, 2, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "KONTRAKTOR");
	assert_int_equal(res.priority, 0);
	assert_true(res.stopped);

	decide_at(state, "Jalan berlubang", in_coblong, 2, &res);
	assert_int_equal(res.nmatched, 1);
	assert_string_equal(res.department, "PU");
	assert_int_equal(res.priority, 3);
}

static void
assert_ids(const int *ids, size_t n, const int *want, size_t nwant)
{
	size_t	i;

	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++)
		assert_int_equal(ids[i], want[i]);
}

/*
 * The candidates: what matches on everything but the area, in walk
 * order, through the first stop without an area; a stop with an area
 * does not end the list.
 */
static void
test_candidates(void **state)
{
	struct route_rule	r;
	int			ids[8];
	size_t			n;
	static const int	want_pothole[] = { 5, 1, 2, 3 };
	static const int	want_lamp[] = { 5, 2, 4, 6 };
	static const int	want_none[] = { 5 };

	add(*state, area_rule(1, 10, 7, "berlubang", "UPT_COBLONG", true),
	    "coblong potholes");
	add(*state, area_rule(2, 20, 50, NULL, "KONTRAKTOR", true),
	    "zone");
	add(*state, rule(3, 30, "jalan", "PU", 0, true), "roads stop");
	add(*state, rule(4, 40, "lampu", "PJU", 0, false), "lamps");
	add(*state, rule(5, 5, "", NULL, 2, false), "everything urgent");
	add(*state, area_rule(6, 60, 31, NULL, "UPT_DAGO", true), "dago");
	r = area_rule(7, 1, 7, NULL, "OFF", true);
	r.enabled = false;
	add(*state, r, "disabled");
	add(*state, rule(8, 70, NULL, "TRIASE", 0, true), "catch-all");

	/* 3 stops without an area: nothing after it can match */
	n = route_candidates(*state, NULL, "Jalan berlubang", NULL, NULL,
	    ids, 8);
	assert_ids(ids, n, want_pothole, 4);
	n = route_candidates(*state, NULL, "Lampu mati", NULL, NULL, ids, 8);
	assert_int_equal(n, 5);
	assert_ids(ids, 4, want_lamp, 4);
	assert_int_equal(ids[4], 8);
	/* a short list still counts them all */
	n = route_candidates(*state, NULL, "Lampu mati", NULL, NULL, ids, 1);
	assert_int_equal(n, 5);
	assert_ids(ids, 1, want_none, 1);

	/* the candidates walked with the areas decide as the engine does */
	{
		struct route_result	res;

		decide_at(state, "Jalan berlubang", in_coblong, 2, &res);
		assert_string_equal(res.rule, "coblong potholes");
		decide_at(state, "Jalan berlubang", in_zone, 2, &res);
		assert_string_equal(res.rule, "zone");
		decide_at(state, "Jalan berlubang", NULL, 0, &res);
		assert_string_equal(res.rule, "roads stop");
	}
}

static void
test_has_areas(void **state)
{
	struct route_engine	*e;
	struct route_rule	 r;
	char			 msg[ROUTE_ERRMAX];

	add(*state, rule(1, 10, "jalan", "PU", 0, true), "roads");
	assert_false(route_engine_has_areas(*state));
	/* a disabled area rule cannot match: no areas to look up */
	r = area_rule(2, 20, 7, NULL, "UPT", true);
	r.enabled = false;
	add(*state, r, "disabled coblong");
	assert_false(route_engine_has_areas(*state));
	add(*state, area_rule(3, 30, 7, NULL, "UPT", true), "coblong");
	assert_true(route_engine_has_areas(*state));

	/* a negative id is nobody's area */
	e = route_engine_new();
	r = area_rule(4, 10, -3, NULL, "UPT", true);
	r.name = "bad area";
	assert_int_equal(route_engine_add(e, &r, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "bad area"));
	assert_non_null(strstr(msg, "-3"));
	assert_int_equal(route_engine_skipped(e), 1);
	assert_false(route_engine_has_areas(e));
	route_engine_free(&e);
}

static void
test_areas_parse(void **state)
{
	int	a[4];

	(void)state;
	assert_int_equal(route_areas_parse(NULL, a, 4), 0);
	assert_int_equal(route_areas_parse("{}", a, 4), 0);
	assert_int_equal(route_areas_parse("{7}", a, 4), 1);
	assert_int_equal(a[0], 7);
	assert_int_equal(route_areas_parse("{3,17,NULL,-2,2147483647}", a, 4),
	    3);
	assert_int_equal(a[0], 3);
	assert_int_equal(a[1], 17);
	assert_int_equal(a[2], 2147483647);
	/* too many: the first max; beyond an int: not an id */
	assert_int_equal(route_areas_parse("{1,2,3,4,5}", a, 2), 2);
	assert_int_equal(a[1], 2);
	assert_int_equal(route_areas_parse("{99999999999,5}", a, 4), 1);
	assert_int_equal(a[0], 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_engine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_limit_reported,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_field_by_field,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_service_condition, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_address_condition, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_utf8_caseless, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_invalid_pattern, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_pattern, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_disabled_and_blank, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_assignee_follows_department,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_matches, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_runaway_pattern, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_area_inside_outside, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_area_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_area_stop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_candidates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_has_areas, setup,
		    teardown),
		cmocka_unit_test(test_areas_parse),
	};

	return (cmocka_run_group_tests_name("route", tests, NULL, NULL));
}
