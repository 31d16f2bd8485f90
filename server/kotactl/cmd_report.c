/*
 * cmd_report.c: kotactl report — the supervisors' figures and open data
 *
 * The figures come from SQL (schema/api/report.sql), so the console's
 * dashboard and this report can never disagree.  Dates are days in the
 * city's time zone; --to is inclusive.  "report hotspots" is the areas
 * where a service's requests are piling up this week against the eight
 * before (kota.report_hotspots()); the open-data export comes as CSV or,
 * for QGIS and open-data portals, as GeoJSON (kota.open_data_geojson()),
 * made whole in SQL.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "xmalloc.h"

enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_GEOJSON };

/*
 * A table of the result, the columns named as the query names them (for
 * a person, in words: ctl_word());
 * booleans true and false (lib/print.c), in the text as in the CSV.
 */
static struct print_table *
report_table(PGresult *res, bool words)
{
	struct print_table	*t;
	const char		*name;
	int			 j;

	t = print_table_new(PQnfields(res));
	for (j = 0; j < PQnfields(res); j++) {
		name = PQfname(res, j);
		print_table_column(t, j, words ? ctl_word(name) : name,
		    j == 0 ? PRINT_LEFT : PRINT_RIGHT, 0);
	}
	print_table_add_result(t, res);
	return t;
}

/*
 * For a person, the open data's statuses by their names in the language
 * of the messages; the CSV keeps the codes.
 */
static int
report_status_names(struct ctl *ctl, PGresult *res)
{
	struct db_error	 err;
	PGresult	*names;
	const char	*p[1] = { i18n_lang() };
	int		 col = PQfnumber(res, "status"), i, j;

	if (col < 0 || PQntuples(res) == 0)
		return EXIT_OK;
	names = db_query(ctl->db, NULL, "SELECT st.code, " CTL_STATUS_LABEL(1)
	    " FROM kota.statuses st", 1, p, &err);
	if (names == NULL)
		return ctl_fail(&err);
	for (i = 0; i < PQntuples(res); i++) {
		for (j = 0; j < PQntuples(names); j++) {
			if (strcmp(PQgetvalue(res, i, col),
			    PQgetvalue(names, j, 0)) == 0) {
				PQsetvalue(res, i, col, PQgetvalue(names, j, 1),
				    PQgetlength(names, j, 1));
				break;
			}
		}
	}
	PQclear(names);
	return EXIT_OK;
}

static void
report_text(const char *title, PGresult *res)
{
	struct print_table	*t;

	printf("%s\n", title);
	if (PQntuples(res) == 0) {
		printf("  %s\n\n", _("(nothing)"));
		return;
	}
	t = report_table(res, true);
	print_table_gap(t, 0, "  ");
	print_table_null(t, "-");
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	printf("\n");
}

static void
report_csv(PGresult *res)
{
	struct print_table	*t;

	t = report_table(res, false);
	print_table_csv(stdout, t);
	print_table_free(&t);
}

struct report_query {
	const char	*name;
	const char	*title;
	const char	*sql;
};

static const struct report_query report_queries[] = {
	{ "queues", N_("Queues (open now; intake, closed, median hours to resolve and SLA met in the period):"),
	    "SELECT department, open, new, acknowledged AS ack, in_progress AS progress,"
	    " on_hold AS hold, unassigned AS unassig, overdue, at_risk,"
	    " age_lt_1d AS \"<1d\", age_1_3d AS \"1-3d\", age_3_7d AS \"3-7d\","
	    " age_gt_7d AS \">7d\", intake, closed, intake_today AS in_today,"
	    " closed_today AS out_today, intake_week AS in_week,"
	    " closed_week AS out_week, median_resolve_hours AS median_h,"
	    " sla_met_percent AS sla_pct"
	    " FROM kota.report_queues($1, $2, $3)" },
	{ "agents", N_("Workload per agent:"),
	    "SELECT agent, display_name, department, open, in_progress, overdue,"
	    " resolved FROM kota.report_agents($1, $2, $3)" },
	{ "trends", N_("Weekly trends per service and district:"),
	    "SELECT week, dimension, key, intake, closed"
	    " FROM kota.report_trends($1, $2, $3)" },
	{ NULL, NULL, NULL },
};

static int
report_run(struct ctl *ctl, const char *sql, const char *const *p,
    PGresult **resp)
{
	struct db_error	err;

	*resp = db_query(ctl->db, NULL, sql, 3, p, &err);
	return *resp == NULL ? ctl_fail(&err) : EXIT_OK;
}

static const struct option report_options[] = {
	{ "from", required_argument, NULL, 'f' },
	{ "to", required_argument, NULL, 't' },
	{ "department", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, 'F' },
	{ "table", required_argument, NULL, 'T' },
	{ "anonymised", no_argument, NULL, 'A' },
	{ "anonymized", no_argument, NULL, 'A' },
	/* report hotspots */
	{ "layer", required_argument, NULL, 'l' },
	{ "at", required_argument, NULL, 'a' },
	{ "limit", required_argument, NULL, 'n' },
	{ "min", required_argument, NULL, 'm' },
	{ NULL, 0, NULL, 0 },
};

/*
 * kotactl report hotspots: per area and service, the requests created in
 * the 7 days to --at (the end of that day in the city; by default now),
 * how many are still open, the weekly average of the 8 weeks before and
 * their ratio, the largest rise first.
 */
static int
report_hotspots(struct ctl *ctl, const char *const *p, enum report_format fmt)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;

	res = db_query(ctl->db, NULL,
	    "SELECT area, area_name, service, service_name, this_week, open_now,"
	    " avg_8w, ratio FROM kota.report_hotspots($1,"
	    " coalesce(($2::date + 1)::timestamp AT TIME ZONE kota.city_zone(),"
	    "  now()), $3::int, $4::int)", 4, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (fmt == REPORT_CSV) {
		report_csv(res);
		PQclear(res);
		return EXIT_OK;
	}
	if (p[1] != NULL)
		printf(_("Hotspots: requests per area and service in the 7 days to %s, against the weekly average of the 8 weeks before\n\n"),
		    p[1]);
	else
		printf("%s\n\n", _("Hotspots: requests per area and service in the last 7 days, against the weekly average of the 8 weeks before"));
	if (PQntuples(res) == 0) {
		printf("  %s\n", _("(nothing: no area has that many requests of one service this week)"));
		PQclear(res);
		return EXIT_OK;
	}
	t = print_table_new(8);
	print_table_gap(t, 0, "  ");
	print_table_column(t, 0, _("AREA"), PRINT_LEFT, 0);
	print_table_column(t, 1, _("NAME"), PRINT_LEFT, 0);
	print_table_column(t, 2, _("SERVICE"), PRINT_LEFT, 0);
	print_table_column(t, 3, _("SERVICE NAME"), PRINT_LEFT, 0);
	print_table_column(t, 4, _("WEEK"), PRINT_RIGHT, 0);
	print_table_column(t, 5, _("OPEN"), PRINT_RIGHT, 0);
	print_table_column(t, 6, _("AVG 8W"), PRINT_RIGHT, 0);
	print_table_column(t, 7, _("RATIO"), PRINT_RIGHT, 0);
	print_table_limit(t, 1, 24);
	print_table_limit(t, 3, 28);
	print_table_add_result(t, res);
	PQclear(res);
	print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	return EXIT_OK;
}

/* The open-data export as one GeoJSON FeatureCollection, made in SQL. */
static int
report_geojson(struct ctl *ctl, const char *const *p)
{
	struct db_error	 err;
	PGresult	*res;

	res = db_query(ctl->db, NULL,
	    "SELECT kota.open_data_geojson($1, $2, $3)", 3, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	/* JSON, which escapes its own controls: written as it is */
	fputs(PQgetvalue(res, 0, 0), stdout);
	putchar('\n');
	PQclear(res);
	return EXIT_OK;
}

static int
cmd_report(struct ctl *ctl, int argc, char **argv)
{
	const struct report_query	*q;
	PGresult			*res;
	const char			*from = NULL, *to = NULL, *table = NULL;
	const char			*p[3] = { NULL, NULL, NULL };
	const char			*hp[4] = { NULL, NULL, "20", "3" };
	enum report_format		 fmt = REPORT_TEXT;
	char				 day_from[16], day_to[16];
	char				 limit[24], min[24];
	char				*from_at = NULL, *to_at = NULL;
	long				 n;
	int				 ch, rc, anon = 0, fmt_given = 0;
	int				 said = 0, hot_opt = 0, period_opt = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", report_options, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((rc = ctl_parse_date("--from", optarg)) != EXIT_OK)
				return rc;
			from = optarg;
			period_opt = 1;
			break;
		case 't':
			if ((rc = ctl_parse_date("--to", optarg)) != EXIT_OK)
				return rc;
			to = optarg;
			period_opt = 1;
			break;
		case 'd': p[2] = optarg; period_opt = 1; break;
		case 'T': table = optarg; period_opt = 1; break;
		case 'A': anon = 1; period_opt = 1; break;
		case 'F':
			fmt_given = 1;
			if (strcmp(optarg, "csv") == 0)
				fmt = REPORT_CSV;
			else if (strcmp(optarg, "geojson") == 0)
				fmt = REPORT_GEOJSON;
			else if (strcmp(optarg, "text") != 0)
				return ctl_invalid(_("--format must be text, csv or geojson, not '%s'"),
				    optarg);
			break;
		case 'l': hp[0] = optarg; hot_opt = 1; break;
		case 'a':
			if ((rc = ctl_parse_date("--at", optarg)) != EXIT_OK)
				return rc;
			hp[1] = optarg;
			hot_opt = 1;
			break;
		case 'n':
			if ((rc = ctl_parse_int("--limit", optarg, 1, 1000,
			    &n)) != EXIT_OK)
				return rc;
			snprintf(limit, sizeof limit, "%ld", n);
			hp[2] = limit;
			hot_opt = 1;
			break;
		case 'm':
			if ((rc = ctl_parse_int("--min", optarg, 1, 1000000,
			    &n)) != EXIT_OK)
				return rc;
			snprintf(min, sizeof min, "%ld", n);
			hp[3] = min;
			hot_opt = 1;
			break;
		default:
			return CTL_USAGE;
		}
	}
	/* "report hotspots" is the one operand; the dispatcher allows one */
	if (optind < argc) {
		if (strcmp(argv[optind], "hotspots") != 0)
			return ctl_usage(_("%s: unexpected argument '%s'"),
			    "report", argv[optind]);
		if (period_opt)
			return ctl_usage("%s", _("report hotspots takes --layer, --at, --limit, --min and --format text|csv"));
		if (fmt == REPORT_GEOJSON)
			return ctl_invalid("%s", _("report hotspots: --format must be text or csv"));
		return report_hotspots(ctl, hp, fmt);
	}
	if (hot_opt)
		return ctl_usage("%s", _("--layer, --at, --limit and --min go with report hotspots"));
	if (fmt == REPORT_GEOJSON)
		anon = 1;	/* the only GeoJSON is the open data's */
	if (anon && !fmt_given)
		fmt = REPORT_CSV;	/* open data is a CSV file */
	if (p[2] != NULL && (rc = ctl_department_check(ctl, p[2])) != EXIT_OK)
		return rc;
	if (table != NULL) {
		for (q = report_queries; q->name != NULL; q++)
			if (strcmp(q->name, table) == 0)
				break;
		if (q->name == NULL)
			return ctl_invalid(_("--table must be queues, agents or trends, not '%s'"),
			    table);
	}

	/* whole days in the city's time zone; --to is inclusive */
	{
		struct db_error	 err;
		const char	*dp[2] = { from, to };

		res = db_query(ctl->db, NULL,
		    "SELECT (coalesce($1::date, ($2::date - 29),"
		    "   (now() AT TIME ZONE kota.city_zone())::date - 29)::timestamp"
		    "   AT TIME ZONE kota.city_zone())::text,"
		    " ((coalesce($2::date, (now() AT TIME ZONE kota.city_zone())::date)"
		    "   + 1)::timestamp AT TIME ZONE kota.city_zone())::text,"
		    " coalesce($1::date, ($2::date - 29),"
		    "   (now() AT TIME ZONE kota.city_zone())::date - 29)::text,"
		    " coalesce($2::date, (now() AT TIME ZONE kota.city_zone())::date)::text",
		    2, dp, &err);
		if (res == NULL)
			return ctl_fail(&err);
		p[0] = from_at = xstrdup(PQgetvalue(res, 0, 0));
		p[1] = to_at = xstrdup(PQgetvalue(res, 0, 1));
		snprintf(day_from, sizeof day_from, "%s", PQgetvalue(res, 0, 2));
		snprintf(day_to, sizeof day_to, "%s", PQgetvalue(res, 0, 3));
		PQclear(res);
	}

	rc = EXIT_OK;
	if (anon) {
		if (fmt == REPORT_GEOJSON) {
			rc = report_geojson(ctl, p);
			goto out;
		}
		rc = report_run(ctl, "SELECT * FROM kota.open_data($1, $2, $3)",
		    p, &res);
		if (rc == EXIT_OK) {
			if (fmt == REPORT_CSV)
				report_csv(res);
			else if ((rc = report_status_names(ctl, res)) ==
			    EXIT_OK)
				report_text(_("Open data:"), res);
			PQclear(res);
		}
		goto out;
	}
	for (q = report_queries; q->name != NULL; q++) {
		if (fmt == REPORT_CSV && (table != NULL ?
		    strcmp(q->name, table) != 0 : q != report_queries))
			continue;
		if (fmt == REPORT_TEXT && table != NULL &&
		    strcmp(q->name, table) != 0)
			continue;
		if ((rc = report_run(ctl, q->sql, p, &res)) != EXIT_OK)
			break;
		if (fmt == REPORT_TEXT && !said) {
			printf(_("Kota report from %s to %s%s%s\n\n"), day_from,
			    day_to, p[2] != NULL ? _(", department ") : "",
			    p[2] != NULL ? p[2] : "");
			said = 1;
		}
		if (fmt == REPORT_CSV)
			report_csv(res);
		else
			report_text(_(q->title), res);
		PQclear(res);
	}
out:
	xfree(&from_at);
	xfree(&to_at);
	return rc;
}

const struct ctl_entry ctl_report_entry = {
	.name = "report",
	.usage = "[--from DATE] [--to DATE] [--department CODE] [--format text|csv|geojson] [--table queues|agents|trends] [--anonymised]\n"
	    "hotspots [--layer NAME] [--at DATE] [--limit N] [--min N] [--format text|csv]",
	.args_max = 1,
	.flags = CTL_DB | CTL_READ,
	.help = N_("the supervisors' figures, the hotspots, or the open-data export"),
	.options = report_options,
	.exec = cmd_report,
};
