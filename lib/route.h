/*
 * route.h: the routing engine, which department a new request goes to
 *
 * This is the pure matcher: rules in, a decision out, no database (the
 * fuzz target and the unit tests link it alone).  route_load.h loads an
 * engine from kota.routing_rule and keeps it fresh for its owner.
 *
 * Rules live in kota.routing_rule.  Each has conditions (a service, a
 * PCRE2 pattern on the description, a pattern on "address, district", an
 * area of any layer: a kecamatan, a kelurahan, a contractor's zone) and
 * actions (a department, a priority, an assignee) and a stop flag.  Enabled
 * rules are tried in order of (position, id).  Every rule that matches
 * applies its actions field by field: an action it leaves empty keeps what
 * an earlier rule set.  The first matching rule with stop ends the walk.
 *
 * The engine knows no maps: an area condition is an area id, and the
 * caller says which areas hold the request (route_decide_at(); the
 * database's kota.areas_at() or the request's own areas).  route_decide()
 * is the same walk with no areas, in which a rule with an area never
 * matches.  At intake the request's areas are only known once the
 * database has placed its point, so libkota does not decide there when
 * an area rule could matter: route_candidates() lists the rules that
 * match on everything but the area, in walk order, and kota.request_create
 * finishes the same walk (kota.route_walk()) with the new request's areas,
 * in the same transaction and the same round trip.
 * An assignee belongs to the department of its rule: when a later rule
 * sends the request to another department without naming an assignee, the
 * earlier assignee is dropped (kota.request_create would refuse the pair).
 * When no rule sets a department, kota.request_create uses the service's
 * default department, then the triage queue.
 *
 * Patterns are PCRE2, UTF-8 and caseless (PCRE2_UTF | PCRE2_UCP |
 * PCRE2_CASELESS), compiled once and JIT-compiled when the rules are
 * added; invalid UTF-8 in a text never matches and is never an error.
 * A match that runs into one of PCRE2's limits (ROUTE_MATCH_LIMIT, the
 * depth, heap or JIT stack limit) skips its rule, as no match would, and
 * is reported in the result (route_failure) for the caller to show or log.
 *
 * An engine belongs to its owner and is not for two threads at once (it
 * reuses one match block).  Memory comes from xmalloc.h: nothing here
 * fails for want of it.
 */
#ifndef KOTA_ROUTE_H
#define KOTA_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROUTE_ERRMAX		256
#define ROUTE_MATCHED_MAX	32		/* matched rules kept in a result */
#define ROUTE_PATTERN_MAX	1000		/* bytes, as kota.rule_save checks */
#define ROUTE_FAILED_MAX	8		/* failed rules kept in a result */
#define ROUTE_MATCH_LIMIT	1000000		/* PCRE2's match limit per match */

struct route_engine;

/* A rule as it is added; the engine keeps its own copies of the strings. */
struct route_rule {
	int		 id;
	int		 position;
	const char	*name;
	const char	*service;	/* service code; NULL: any service */
	const char	*description_re; /* NULL: any description */
	const char	*address_re;	/* matched on "address, district"; NULL: any */
	const char	*department;	/* department code; NULL: leave as is */
	int		 priority;	/* 1..4; 0: leave as is */
	const char	*assignee;	/* agent role name; NULL: leave as is */
	int		 area;		/* area id (kota.area); 0: anywhere */
	bool		 stop;
	bool		 enabled;
};

/*
 * A rule whose pattern could not be matched against the text: PCRE2 hit
 * its match, depth or heap limit (a pattern that backtracks without end,
 * such as "(a+)+$" on "aaaa...b").  The rule is skipped, as if it did not
 * match, and the result says so: every caller shows or logs it.
 */
struct route_failure {
	const struct route_rule	*rule;
	const char		*field;		/* "description_re", "address_re" */
	int			 code;		/* PCRE2's error code */
};

/*
 * What the rules decide.  The pointers point into the engine: they stay
 * valid until the engine is freed or reloaded.
 */
struct route_result {
	const char		*department;	/* NULL: no rule set one */
	const char		*rule;		/* name of the rule that set it */
	const struct route_rule	*department_rule;
	int			 priority;	/* 0: no rule set one */
	const struct route_rule	*priority_rule;
	const char		*assignee;	/* NULL: no rule set one */
	const struct route_rule	*assignee_rule;
	int			 nmatched;	/* how many rules matched */
	const struct route_rule	*matched[ROUTE_MATCHED_MAX]; /* the first */
	bool			 stopped;	/* the last one matched had stop */
	int			 errors;	/* matches that failed (a limit) */
	struct route_failure	 failed[ROUTE_FAILED_MAX]; /* the first */
};

struct route_engine *route_engine_new(void);
void	route_engine_free(struct route_engine **ep);

/*
 * Add a rule, keeping the order of (position, id).  Returns 0, or -1 with
 * a message naming the rule, the pattern, PCRE2's reason and the offset;
 * the engine then counts the rule as skipped.
 */
int	route_engine_add(struct route_engine *e, const struct route_rule *r,
	    char *msg, size_t msgsz);
size_t	route_engine_count(const struct route_engine *e);
const struct route_rule *route_engine_rule(const struct route_engine *e,
	    size_t i);
/* Rules route_engine_add() refused (a pattern, a priority out of range). */
int	route_engine_skipped(const struct route_engine *e);

/* True when an enabled rule has an area condition. */
bool	route_engine_has_areas(const struct route_engine *e);

/*
 * Decide for one request that lies in the nareas areas of areas (ids, in
 * any order; NULL when nareas is 0).  service, address and district may
 * be NULL.
 */
void	route_decide_at(const struct route_engine *e, const char *service,
	    const char *description, const char *address, const char *district,
	    const int *areas, size_t nareas, struct route_result *res);
/* The same with no areas: a rule with an area never matches. */
void	route_decide(const struct route_engine *e, const char *service,
	    const char *description, const char *address, const char *district,
	    struct route_result *res);

/*
 * The rules the database must finish the walk with once it knows the
 * request's areas: the ids, in walk order, of the enabled rules whose
 * conditions other than the area match, up to and including the first of
 * them with stop and no area (after it nothing can match).  Walking these
 * with the areas decides as route_decide_at() would.  Stores at most max
 * ids and returns how many there are (more than max: the list was cut;
 * route_engine_count() is always enough).  A pattern that hits a limit
 * skips its rule, as in route_decide().
 */
size_t	route_candidates(const struct route_engine *e, const char *service,
	    const char *description, const char *address, const char *district,
	    int *ids, size_t max);

/*
 * Area ids from PostgreSQL's text form of an int[] ("{3,17}", "{}"):
 * stores at most max and returns how many it stored, ignoring anything
 * that is not a positive number (NULL elements).  NULL reads as "{}".
 */
size_t	route_areas_parse(const char *text, int *areas, size_t max);

/*
 * Why a match failed, for people: "PCRE2's match limit (1000000)" and so
 * on, or PCRE2's own message for another error.
 */
void	route_failure_reason(const struct route_failure *f, char *buf,
	    size_t bufsz);

/*
 * One line for a screen when rules were skipped: the first rule, its
 * field and the limit, and how many more.  False (buf empty) when none.
 */
bool	route_warning(const struct route_result *res, char *buf,
	    size_t bufsz);

/*
 * Check a pattern as the engine compiles it.  Returns 0, or -1 with PCRE2's
 * message in msg and the offset in the pattern (bytes) where it went wrong.
 */
int	route_compile_check(const char *pattern, char *msg, size_t msgsz,
	    size_t *offset);
/* The PCRE2 compile options of every pattern, for benchmarks and tools. */
uint32_t route_pcre2_options(void);

#endif
