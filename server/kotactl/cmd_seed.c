/*
 * cmd_seed.c: kotactl seed --demo | --bulk N
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "migrate.h"
#include "seed_bulk.h"

/* The schema must be migrated before anything is seeded. */
static int
seed_ready(struct ctl *ctl, int bulk)
{
	struct migrate_state	st;
	struct db_error		err;
	int			rc;

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

	if (ctl_count(ctl, "SELECT departments FROM kota.city_summary()",
	    &ndept, &err) != 0 ||
	    ctl_count(ctl, "SELECT requests FROM kota.city_summary()", &nreq,
	    &err) != 0)
		return ctl_fail(&err);
	if (ndept > 0) {
		if (ctl_count(ctl, "SELECT count(*) FROM kota.agents"
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
	return ctl->quiet ? EXIT_OK : summary_print(ctl);
}

static const struct option seed_options[] = {
	{ "demo", no_argument, NULL, 'D' },
	{ "bulk", required_argument, NULL, 'B' },
	{ "years", required_argument, NULL, 'Y' },
	{ "open-fraction", required_argument, NULL, 'O' },
	{ NULL, 0, NULL, 0 },
};

static int
cmd_seed(struct ctl *ctl, int argc, char **argv)
{
	double	years = 3, open = 0.1;
	long	n = 0;
	int	ch, rc, demo = 0, bulk = 0, extra = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", seed_options, NULL)) != -1) {
		switch (ch) {
		case 'D':
			demo = 1;
			break;
		case 'B':
			bulk = 1;
			if ((rc = ctl_parse_int("--bulk", optarg, 1,
			    SEED_BULK_MAX, &n)) != EXIT_OK)
				return rc;
			break;
		case 'Y':
			extra = 1;
			if ((rc = ctl_parse_real("--years", optarg, 0.1, 30,
			    &years)) != EXIT_OK)
				return rc;
			break;
		case 'O':
			extra = 1;
			if ((rc = ctl_parse_real("--open-fraction", optarg, 0,
			    1, &open)) != EXIT_OK)
				return rc;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (demo + bulk != 1 || (demo && extra))
		return CTL_USAGE;
	if ((rc = seed_ready(ctl, bulk)) != EXIT_OK)
		return rc;
	return demo ? seed_demo(ctl) : seed_bulk(ctl, (long long)n, years, open);
}

const struct ctl_entry ctl_seed_entry = {
	.name = "seed",
	.usage = "--demo\n"
	    "--bulk N [--years Y] [--open-fraction F]",
	.flags = CTL_DB,
	.help = N_("load the demo city, or a large data set for tests"),
	.options = seed_options,
	.exec = cmd_seed,
};
