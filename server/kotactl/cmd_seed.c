/*
 * cmd_seed.c: kotactl seed --demo | --bulk N, kotactl summary
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "migrate.h"
#include "seed_bulk.h"

static int
seed_count(struct ctl *ctl, const char *sql, long *n, struct db_error *err)
{
	PGresult	*res;

	res = db_query(ctl->db, NULL, sql, 0, NULL, err);
	if (res == NULL)
		return -1;
	*n = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* The schema must be migrated before anything is seeded. */
static int
seed_ready(struct ctl *ctl, int bulk)
{
	struct migrate_state	st;
	struct db_error		err;
	int			rc;

	if ((rc = ctl_connect(ctl)) != EXIT_OK)
		return rc;
	if (bulk && (rc = seed_bulk_allowed(ctl)) != EXIT_OK)
		return rc;
	if (migrate_state(ctl->db, &st, &err) != 0)
		return ctl_fail(&err);
	if (st.current < st.latest || st.legacy || !st.api_current) {
		log_error(_("the schema is at version %d, not %d: run 'kotactl migrate' first"),
		    st.current, st.latest);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

static int
seed_demo(struct ctl *ctl)
{
	const struct schema_file	*f;
	struct db_error			 err;
	long				 ndept, nreq;

	if (seed_count(ctl, "SELECT count(*) FROM kota.department", &ndept,
	    &err) != 0 ||
	    seed_count(ctl, "SELECT count(*) FROM kota.request", &nreq,
	    &err) != 0)
		return ctl_fail(&err);
	if (ndept > 0) {
		if (seed_count(ctl, "SELECT count(*) FROM kota.agent"
		    " WHERE role_name = 'demo_supervisor'", &ndept, &err) != 0)
			return ctl_fail(&err);
		if (ndept > 0) {
			ctl_say(ctl, _("demo data is already loaded (%ld requests); nothing changed\n"),
			    nreq);
			return EXIT_OK;
		}
		log_error("%s", _("this database already holds Kota data; demo data is only loaded into an empty one"));
		return EXIT_REFUSED;
	}
	if ((f = schema_file_find("demo.sql")) == NULL) {
		log_error("demo.sql is not built into this kotactl");
		return EXIT_BUG;
	}
	ctl_say(ctl, "%s", _("loading demo data...\n"));
	if (migrate_run_file(ctl->db, f, &err) != 0)
		return ctl_fail(&err);
	return ctl->quiet ? EXIT_OK : cmd_summary(ctl, 0, NULL);
}

/* A whole number or fraction, all of the argument, within [lo, hi]. */
static int
seed_number(const char *opt, const char *arg, double lo, double hi,
    double *out)
{
	char	*end;

	*out = strtod(arg, &end);
	if (end == arg || *end != '\0' || !(*out >= lo && *out <= hi)) {
		ctl_usage(_("%s '%s' must be a number from %g to %g"), opt, arg,
		    lo, hi);
		return -1;
	}
	return 0;
}

#define SEED_USAGE	"usage: kotactl seed --demo | --bulk N [--years Y] [--open-fraction F]"

int
cmd_seed(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "demo", no_argument, NULL, 'D' },
		{ "bulk", required_argument, NULL, 'B' },
		{ "years", required_argument, NULL, 'Y' },
		{ "open-fraction", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	double	n = 0, years = 3, open = 0.1;
	int	ch, rc, demo = 0, bulk = 0, extra = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			demo = 1;
			break;
		case 'B':
			bulk = 1;
			if (seed_number("--bulk", optarg, 1, SEED_BULK_MAX, &n) != 0)
				return EXIT_USAGE;
			if (n != floor(n))
				return ctl_usage(_("--bulk '%s' must be a whole number"),
				    optarg);
			break;
		case 'Y':
			extra = 1;
			if (seed_number("--years", optarg, 0.1, 30, &years) != 0)
				return EXIT_USAGE;
			break;
		case 'O':
			extra = 1;
			if (seed_number("--open-fraction", optarg, 0, 1, &open) != 0)
				return EXIT_USAGE;
			break;
		default:
			return ctl_usage("%s", _(SEED_USAGE));
		}
	}
	if (demo + bulk != 1 || (demo && extra) || optind != argc)
		return ctl_usage("%s", _(SEED_USAGE));
	if ((rc = seed_ready(ctl, bulk)) != EXIT_OK)
		return rc;
	return demo ? seed_demo(ctl) : seed_bulk(ctl, (long long)n, years, open);
}

static int
summary_table(struct ctl *ctl, const char *title, const char *sql)
{
	struct db_error	 err;
	PGresult	*res;
	int		 i, j, nf;

	res = db_query(ctl->db, NULL, sql, 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	printf("\n%s\n", title);
	nf = PQnfields(res);
	for (j = 0; j < nf; j++)
		printf(j == 0 ? "  %-44s" : " %9s", PQfname(res, j));
	printf("\n");
	for (i = 0; i < PQntuples(res); i++) {
		for (j = 0; j < nf; j++)
			printf(j == 0 ? "  %-44.44s" : " %9s",
			    PQgetvalue(res, i, j));
		printf("\n");
	}
	PQclear(res);
	return EXIT_OK;
}

/* kotactl summary: what is in the database, queue by queue. */
int
cmd_summary(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	long		 ndept, nsvc, nreq, nagent, ncit;
	int		 rc;

	if (argc > 1)
		return ctl_usage(_("usage: kotactl summary"));
	if (ctl->db == NULL && (rc = ctl_connect(ctl)) != EXIT_OK)
		return rc;
	if (seed_count(ctl, "SELECT count(*) FROM kota.department", &ndept,
	    &err) != 0 ||
	    seed_count(ctl, "SELECT count(*) FROM kota.service", &nsvc,
	    &err) != 0 ||
	    seed_count(ctl, "SELECT count(*) FROM kota.request", &nreq,
	    &err) != 0 ||
	    seed_count(ctl, "SELECT count(*) FROM kota.agent", &nagent,
	    &err) != 0 ||
	    seed_count(ctl, "SELECT count(*) FROM kota.citizen", &ncit,
	    &err) != 0)
		return ctl_fail(&err);
	printf(_("Kota: %ld departments, %ld services, %ld agents, %ld citizens, %ld requests\n"),
	    ndept, nsvc, nagent, ncit, nreq);
	rc = summary_table(ctl, _("Requests by status:"),
	    "SELECT s.code AS status, count(r.id) AS requests"
	    " FROM kota.status s LEFT JOIN kota.request r ON r.status = s.code"
	    " GROUP BY s.code, s.position ORDER BY s.position");
	if (rc != EXIT_OK)
		return rc;
	return summary_table(ctl, _("Open queues by department:"),
	    "SELECT d.code || ' ' || d.name_en AS department,"
	    " count(*) FILTER (WHERE r.status = 'new') AS new,"
	    " count(*) FILTER (WHERE r.status = 'acknowledged') AS ack,"
	    " count(*) FILTER (WHERE r.status = 'in_progress') AS progress,"
	    " count(*) FILTER (WHERE r.status = 'on_hold') AS on_hold,"
	    " count(*) FILTER (WHERE r.assignee_id IS NULL AND st.is_open)"
	    "   AS unassigned,"
	    " count(r.id) FILTER (WHERE st.is_open) AS open"
	    " FROM kota.department d"
	    " LEFT JOIN kota.request r ON r.department_id = d.id"
	    " LEFT JOIN kota.status st ON st.code = r.status"
	    " GROUP BY d.code, d.name_en ORDER BY d.code");
}
