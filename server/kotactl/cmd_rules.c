/*
 * cmd_rules.c: kotactl rules list|add|edit|enable|disable|delete|test
 *
 * Patterns are checked here with PCRE2, as the routing engine compiles
 * them, before anything is sent: a bad one is refused with PCRE2's message
 * and the offset.  kota.rule_save() checks the rest (and the pattern again,
 * with PostgreSQL's regex engine, for clients other than this one), and
 * resolves a rule's area ("kecamatan/coblong", or an id).  "rules test"
 * asks the database which areas hold a point or a district
 * (kota.areas_at()) and walks the engine with them, as intake does.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "route_load.h"

static const char *
rules_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* "when: ..." and "then: ..." lines of one rule of the list. */
static void
rules_print_row(const PGresult *res, int i)
{
	const char	*svc = rules_value(res, i, 4), *dre = rules_value(res, i, 5);
	const char	*are = rules_value(res, i, 6), *dept = rules_value(res, i, 7);
	const char	*prio = rules_value(res, i, 8), *who = rules_value(res, i, 9);
	const char	*area = rules_value(res, i, 11);
	const char	*sep = "";

	printf("%6s %5s  %-3s  %s\n", PQgetvalue(res, i, 0),
	    PQgetvalue(res, i, 1),
	    PQgetvalue(res, i, 2)[0] == 't' ? _("yes") : _("no"),
	    PQgetvalue(res, i, 3));
	printf("%19s%s", "", _("when: "));
	if (svc != NULL) {
		printf(_("service %s"), svc);
		sep = ", ";
	}
	if (dre != NULL) {
		printf(_("%sdescription ~ /%s/"), sep, dre);
		sep = ", ";
	}
	if (are != NULL) {
		printf(_("%saddress ~ /%s/"), sep, are);
		sep = ", ";
	}
	if (area != NULL) {
		printf(_("%sin area %s"), sep, area);
		sep = ", ";
	}
	printf("%s\n%19s%s", *sep == '\0' ? _("always") : "", "", _("then: "));
	sep = "";
	if (dept != NULL) {
		printf(_("department %s"), dept);
		sep = ", ";
	}
	if (prio != NULL) {
		printf(_("%spriority %s"), sep, prio);
		sep = ", ";
	}
	if (who != NULL)
		printf(_("%sassign %s"), sep, who);
	printf("; %s\n", PQgetvalue(res, i, 10)[0] == 't' ? _("stop") :
	    _("continue"));
}

static int
rules_list(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	int		 i;

	res = db_query(ctl->db, NULL,
	    "SELECT position, id, enabled, name, service, description_re,"
	    " address_re, department, priority, assignee_role, stop, area"
	    " FROM kota.routing_rules ORDER BY position, id", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (PQntuples(res) == 0)
		ctl_say(ctl, "%s\n", _("no routing rules: requests go to their service's default department, else to triage"));
	else
		printf("%6s %5s  %-3s  %s\n", _("POS"), _("ID"), _("ON"),
		    _("NAME"));
	for (i = 0; i < PQntuples(res); i++)
		rules_print_row(res, i);
	PQclear(res);
	return EXIT_OK;
}

/* The authoritative check: PCRE2, as the engine will compile it. */
static int
rules_check_pattern(const char *opt, const char *pattern)
{
	char	msg[ROUTE_ERRMAX];
	size_t	off;

	if (pattern == NULL || route_compile_check(pattern, msg, sizeof msg,
	    &off) == 0)
		return EXIT_OK;
	log_error(_("%s \"%s\" is not a valid pattern: %s at offset %zu"),
	    opt, pattern, msg, off);
	return EXIT_REFUSED;
}

static const struct option rules_add_options[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "position", required_argument, NULL, 'o' },
	{ "service", required_argument, NULL, 's' },
	{ "description-re", required_argument, NULL, 'D' },
	{ "address-re", required_argument, NULL, 'a' },
	{ "area", required_argument, NULL, 'R' },
	{ "department", required_argument, NULL, 'd' },
	{ "priority", required_argument, NULL, 'P' },
	{ "assign", required_argument, NULL, 'A' },
	{ "no-stop", no_argument, NULL, 'S' },
	{ NULL, 0, NULL, 0 },
};

static const struct option rules_edit_options[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "position", required_argument, NULL, 'o' },
	{ "service", required_argument, NULL, 's' },
	{ "description-re", required_argument, NULL, 'D' },
	{ "address-re", required_argument, NULL, 'a' },
	{ "area", required_argument, NULL, 'R' },
	{ "department", required_argument, NULL, 'd' },
	{ "priority", required_argument, NULL, 'P' },
	{ "assign", required_argument, NULL, 'A' },
	{ "stop", no_argument, NULL, 'T' },
	{ "no-stop", no_argument, NULL, 'S' },
	{ NULL, 0, NULL, 0 },
};

/*
 * kota.rule_save()'s parameters: the id, position, name, service, the two
 * patterns, department, priority, assignee, stop and area.  An empty
 * string says "none" to rule_save().
 */
#define RULES_NPARAMS	11
struct rules_form {
	const char	*p[RULES_NPARAMS];
	bool		 set[RULES_NPARAMS];	/* given as an option */
	char		 id[16];
	char		 pos[16];
	char		 prio[16];
};

/* The options over what the form holds; EXIT_OK or an exit code. */
static int
rules_form_options(struct rules_form *f, int argc, char **argv,
    const struct option *options)
{
	long	v;
	int	ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case 'n': f->p[2] = optarg; f->set[2] = true; break;
		case 's': f->p[3] = optarg; f->set[3] = true; break;
		case 'D': f->p[4] = optarg; f->set[4] = true; break;
		case 'a': f->p[5] = optarg; f->set[5] = true; break;
		case 'd': f->p[6] = optarg; f->set[6] = true; break;
		case 'A': f->p[8] = optarg; f->set[8] = true; break;
		case 'T': f->p[9] = "true"; f->set[9] = true; break;
		case 'S': f->p[9] = "false"; f->set[9] = true; break;
		case 'R': f->p[10] = optarg; f->set[10] = true; break;
		case 'o':
			if ((rc = ctl_parse_int("--position", optarg, 0,
			    INT_MAX, &v)) != EXIT_OK)
				return rc;
			snprintf(f->pos, sizeof f->pos, "%ld", v);
			f->p[1] = f->pos;
			f->set[1] = true;
			break;
		case 'P':
			f->set[7] = true;
			/* "": none, so that edit can take a priority away */
			if (*optarg == '\0') {
				f->p[7] = NULL;
				break;
			}
			if ((rc = ctl_parse_int("--priority", optarg, 1, 4,
			    &v)) != EXIT_OK)
				return rc;
			snprintf(f->prio, sizeof f->prio, "%ld", v);
			f->p[7] = f->prio;
			break;
		default:
			return CTL_USAGE;
		}
	}
	return EXIT_OK;
}

/*
 * Check what kotactl can check, then kota.rule_save(); prints the id and
 * says on stderr what was done (verb: "added", "changed").
 */
static int
rules_save(struct ctl *ctl, struct rules_form *f, bool added)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*svc = f->p[3], *dept = f->p[6];
	int		 rc;

	if ((rc = rules_check_pattern("--description-re", f->p[4])) !=
	    EXIT_OK ||
	    (rc = rules_check_pattern("--address-re", f->p[5])) != EXIT_OK ||
	    (svc != NULL && *svc != '\0' &&
	    (rc = ctl_service_check(ctl, svc)) != EXIT_OK) ||
	    (dept != NULL && *dept != '\0' &&
	    (rc = ctl_department_check(ctl, dept)) != EXIT_OK))
		return rc;
	res = db_exec(ctl->db, NULL,
	    "SELECT kota.rule_save($1::int, $2::int, $3, $4, $5, $6, $7,"
	    " $8::int, $9, $10::boolean, $11)", RULES_NPARAMS, f->p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	printf("%s\n", PQgetvalue(res, 0, 0));
	if (!ctl->quiet)
		fprintf(stderr, added ? _("rule %s \"%s\" added\n") :
		    _("rule %s \"%s\" changed\n"), PQgetvalue(res, 0, 0),
		    f->p[2]);
	PQclear(res);
	return EXIT_OK;
}

static int
rules_add(struct ctl *ctl, int argc, char **argv)
{
	struct rules_form	f;
	int			rc;

	memset(&f, 0, sizeof f);
	f.p[9] = "true";
	if ((rc = rules_form_options(&f, argc, argv, rules_add_options)) !=
	    EXIT_OK)
		return rc;
	if (f.p[2] == NULL)
		return ctl_usage("%s", _("rules add needs --name NAME"));
	return rules_save(ctl, &f, true);
}

/*
 * rule_save() replaces a rule whole: start from the rule as it is (its
 * area by id, which survives a renamed layer) and change what is given.
 */
static int
rules_edit(struct ctl *ctl, int argc, char **argv)
{
	struct rules_form	 f, o;
	struct db_error		 err;
	PGresult		*res;
	const char		*id[1];
	long			 v;
	int			 rc, i;

	memset(&o, 0, sizeof o);
	if ((rc = rules_form_options(&o, argc, argv, rules_edit_options)) !=
	    EXIT_OK)
		return rc;
	if ((rc = ctl_parse_int("ID", argv[optind], 1, INT_MAX, &v)) !=
	    EXIT_OK)
		return rc;
	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%ld", v);
	id[0] = f.id;
	res = db_query(ctl->db, NULL,
	    "SELECT id, position, name, service, description_re, address_re,"
	    " department, priority, assignee_role, stop, area_id"
	    " FROM kota.routing_rules WHERE id = $1::int", 1, id, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (PQntuples(res) != 1) {
		PQclear(res);
		log_error(_("rule %ld does not exist"), v);
		return EXIT_REFUSED;
	}
	for (i = 0; i < RULES_NPARAMS; i++)
		f.p[i] = o.set[i] ? o.p[i] : rules_value(res, 0, i);
	f.p[0] = f.id;
	rc = rules_save(ctl, &f, false);
	PQclear(res);
	return rc;
}

static int
rules_set_enabled(struct ctl *ctl, int argc, char **argv, bool on)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[2];
	char		 idbuf[24];
	long		 id;
	int		 rc;
	bool		 changed;

	if ((rc = ctl_parse_int("ID", argv[1], 1, INT_MAX, &id)) != EXIT_OK)
		return rc;
	snprintf(idbuf, sizeof idbuf, "%ld", id);
	p[0] = idbuf;
	p[1] = on ? "true" : "false";
	res = db_exec(ctl->db, NULL,
	    "SELECT kota.rule_set_enabled($1::int, $2::boolean)", 2, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	changed = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (changed)
		ctl_say(ctl, on ? _("rule %d enabled\n") : _("rule %d disabled\n"),
		    (int)id);
	else
		ctl_say(ctl, on ? _("rule %d was already enabled; nothing changed\n") :
		    _("rule %d was already disabled; nothing changed\n"),
		    (int)id);
	return EXIT_OK;
}

static int
rules_enable(struct ctl *ctl, int argc, char **argv)
{
	return rules_set_enabled(ctl, argc, argv, true);
}

static int
rules_disable(struct ctl *ctl, int argc, char **argv)
{
	return rules_set_enabled(ctl, argc, argv, false);
}

static int
rules_delete(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1];
	char		 idbuf[24];
	long		 id;
	int		 rc;

	if ((rc = ctl_parse_int("ID", argv[1], 1, INT_MAX, &id)) != EXIT_OK)
		return rc;
	snprintf(idbuf, sizeof idbuf, "%ld", id);
	p[0] = idbuf;
	res = db_exec(ctl->db, NULL, "SELECT kota.rule_delete($1::int)", 1, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	PQclear(res);
	ctl_say(ctl, _("rule %d deleted\n"), (int)id);
	return EXIT_OK;
}

/* The service's fallbacks, for "rules test --service". */
struct rules_service {
	char	default_dept[24];	/* "" when none or retired */
	char	triage[24];		/* "" when there is no triage queue */
	int	priority;
};

static int
rules_service(struct ctl *ctl, const char *code, struct rules_service *out,
    struct db_error *err)
{
	PGresult	*res;
	const char	*p[1] = { code };

	res = db_query(ctl->db, NULL,
	    "SELECT s.department,"
	    " (SELECT d.code FROM kota.departments d WHERE d.is_triage AND d.active),"
	    " s.default_priority"
	    " FROM kota.services s WHERE s.code = lower(btrim($1)) AND s.active",
	    1, p, err);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_error_printf(err, DB_REFUSED,
		    _("service \"%s\" is not a known service"), code);
		return -1;
	}
	snprintf(out->default_dept, sizeof out->default_dept, "%s",
	    PQgetvalue(res, 0, 0));
	snprintf(out->triage, sizeof out->triage, "%s", PQgetvalue(res, 0, 1));
	out->priority = atoi(PQgetvalue(res, 0, 2));
	PQclear(res);
	return 0;
}

/*
 * A rule whose pattern hit a PCRE2 limit on this text was skipped: say so,
 * naming the rule and the limit, on stderr, beside the decision the other
 * rules made.  The pattern needs rewriting (nested repeats, "(a+)+").
 */
static void
rules_print_failures(const struct route_result *rr)
{
	const struct route_failure	*f;
	char				 why[ROUTE_ERRMAX];
	int				 i;

	for (i = 0; i < rr->errors && i < ROUTE_FAILED_MAX; i++) {
		f = &rr->failed[i];
		route_failure_reason(f, why, sizeof why);
		fprintf(stderr, _("kotactl: warning: rule %d \"%s\" skipped: its %s hit %s on this text; rewrite the pattern\n"),
		    f->rule->id, f->rule->name, f->field, why);
	}
	if (rr->errors > ROUTE_FAILED_MAX)
		fprintf(stderr, _("kotactl: warning: %d more rules skipped for the same reason\n"),
		    rr->errors - ROUTE_FAILED_MAX);
}

static void
rules_print_decision(const struct route_result *rr,
    const struct rules_service *svc)
{
	const struct route_rule	*r;
	int			 i;

	if (rr->nmatched == 0)
		printf("%s\n", _("no rule matches"));
	for (i = 0; i < rr->nmatched && i < ROUTE_MATCHED_MAX; i++) {
		r = rr->matched[i];
		printf(_("matched: rule %d at %d \"%s\"%s\n"), r->id,
		    r->position, r->name, r->stop ? _(" (stop)") : "");
	}
	if (rr->department != NULL)
		printf(_("department: %s (rule \"%s\")\n"), rr->department,
		    rr->rule);
	else if (svc == NULL)
		printf("%s\n", _("department: the service's default department, else the triage queue (no rule sets one)"));
	else if (svc->default_dept[0] != '\0')
		printf(_("department: %s (service default; no rule sets one)\n"),
		    svc->default_dept);
	else if (svc->triage[0] != '\0')
		printf(_("department: %s (triage queue; no rule or service default)\n"),
		    svc->triage);
	else
		printf("%s\n", _("department: none (no rule, service default or triage queue: intake would be refused)"));
	if (rr->priority != 0)
		printf(_("priority: %d (rule \"%s\")\n"), rr->priority,
		    rr->priority_rule->name);
	else if (svc != NULL)
		printf(_("priority: %d (service default)\n"), svc->priority);
	else
		printf("%s\n", _("priority: the service's default"));
	if (rr->assignee != NULL)
		printf(_("assignee: %s (rule \"%s\")\n"), rr->assignee,
		    rr->assignee_rule->name);
}

static const struct option rules_test_options[] = {
	{ "service", required_argument, NULL, 's' },
	{ "address", required_argument, NULL, 'a' },
	{ "district", required_argument, NULL, 'k' },
	{ "lat", required_argument, NULL, 'y' },
	{ "lon", required_argument, NULL, 'x' },
	{ NULL, 0, NULL, 0 },
};

#define RULES_AREAS_MAX	64

/*
 * The areas that hold the point (lat, lon: NULL for none) or else the
 * district, as kota.request_create() places a request, into areas; prints
 * them, since a rule that does not match because the point is elsewhere
 * is the first thing an admin wants to see.
 */
static int
rules_areas(struct ctl *ctl, const char *lat, const char *lon,
    const char *district, int *areas, size_t *nareas, struct db_error *err)
{
	PGresult	*res;
	const char	*p[3] = { lat, lon, district };
	int		 i;

	res = db_query(ctl->db, NULL,
	    "SELECT id, layer || '/' || code, name"
	    " FROM kota.areas_at($1::float8, $2::float8, $3)", 3, p, err);
	if (res == NULL)
		return -1;
	*nareas = 0;
	if (PQntuples(res) == 0)
		printf("%s\n", _("areas: none (no area holds this place)"));
	else
		printf("%s", _("areas: "));
	for (i = 0; i < PQntuples(res); i++) {
		if (*nareas < RULES_AREAS_MAX)
			areas[(*nareas)++] = atoi(PQgetvalue(res, i, 0));
		printf("%s%s (%s)%s", i > 0 ? ", " : "", PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), i + 1 == PQntuples(res) ? "\n" : "");
	}
	PQclear(res);
	return 0;
}

static int
rules_test(struct ctl *ctl, int argc, char **argv)
{
	struct route_engine	*engine = NULL;
	struct route_result	 rr;
	struct rules_service	 svc;
	struct db_error		 err;
	const char		*service = NULL, *address = NULL, *district = NULL;
	const char		*lat = NULL, *lon = NULL;
	char			 latbuf[32], lonbuf[32];
	int			 areas[RULES_AREAS_MAX], ch, rc;
	size_t			 nareas = 0;
	double			 v;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", rules_test_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 's': service = optarg; break;
		case 'a': address = optarg; break;
		case 'k': district = optarg; break;
		case 'y':
			if ((rc = ctl_parse_real("--lat", optarg, -90, 90,
			    &v)) != EXIT_OK)
				return rc;
			snprintf(latbuf, sizeof latbuf, "%.7f", v);
			lat = latbuf;
			break;
		case 'x':
			if ((rc = ctl_parse_real("--lon", optarg, -180, 180,
			    &v)) != EXIT_OK)
				return rc;
			snprintf(lonbuf, sizeof lonbuf, "%.7f", v);
			lon = lonbuf;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if ((lat == NULL) != (lon == NULL))
		return ctl_usage("%s", _("--lat and --lon go together"));
	if (service != NULL && (rc = ctl_service_check(ctl, service)) != EXIT_OK)
		return rc;
	if (service != NULL && rules_service(ctl, service, &svc, &err) != 0)
		return ctl_fail(&err);
	if ((lat != NULL || (district != NULL && *district != '\0')) &&
	    rules_areas(ctl, lat, lon, district, areas, &nareas, &err) != 0)
		return ctl_fail(&err);
	if ((engine = route_engine_load(ctl->db, &err)) == NULL)
		return ctl_fail(&err);
	route_decide_at(engine, service, argv[optind], address, district,
	    areas, nareas, &rr);
	rules_print_failures(&rr);
	rules_print_decision(&rr, service != NULL ? &svc : NULL);
	route_engine_free(&engine);
	return EXIT_OK;
}

static const struct ctl_entry rules_list_entry = {
	.name = "list",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("list the routing rules in the order they are tried"),
	.exec = rules_list,
};

static const struct ctl_entry rules_add_entry = {
	.name = "add",
	.usage = "--name NAME [--position N] [--service CODE] [--description-re RE] [--address-re RE] [--area LAYER/CODE] [--department CODE] [--priority 1-4] [--assign AGENT] [--no-stop]",
	.flags = CTL_DB,
	.help = N_("add a routing rule; prints its id"),
	.options = rules_add_options,
	.exec = rules_add,
};

static const struct ctl_entry rules_edit_entry = {
	.name = "edit",
	.usage = "ID [--name NAME] [--position N] [--service CODE] [--description-re RE] [--address-re RE] [--area LAYER/CODE] [--department CODE] [--priority 1-4] [--assign AGENT] [--stop | --no-stop]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("change a routing rule; an empty value takes a condition or an action away"),
	.options = rules_edit_options,
	.exec = rules_edit,
};

static const struct ctl_entry rules_enable_entry = {
	.name = "enable",
	.usage = "ID",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("switch a rule on"),
	.exec = rules_enable,
};

static const struct ctl_entry rules_disable_entry = {
	.name = "disable",
	.usage = "ID",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("switch a rule off"),
	.exec = rules_disable,
};

static const struct ctl_entry rules_delete_entry = {
	.name = "delete",
	.usage = "ID",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("remove a rule"),
	.exec = rules_delete,
};

static const struct ctl_entry rules_test_entry = {
	.name = "test",
	.usage = "TEXT [--service CODE] [--address TEXT] [--district TEXT] [--lat X --lon Y]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("show what the rules would do with a request"),
	.options = rules_test_options,
	.exec = rules_test,
};

static const struct ctl_entry *const rules_commands[] = {
	&rules_list_entry,
	&rules_add_entry,
	&rules_edit_entry,
	&rules_enable_entry,
	&rules_disable_entry,
	&rules_delete_entry,
	&rules_test_entry,
	NULL,
};

const struct ctl_entry ctl_rules_entry = {
	.name = "rules",
	.help = N_("the routing rules that choose a new request's queue"),
	.sub = rules_commands,
};
