/*
 * cmd_sla.c: kotactl sla list|set
 *
 * Service-level targets are business minutes of a calendar; the arithmetic
 * and the rules live in SQL (schema/006_sla.sql), this only speaks to it.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"

static void
sla_format(int minutes, char *buf, size_t size)
{
	if (minutes % 60 == 0)
		snprintf(buf, size, "%dh", minutes / 60);
	else if (minutes > 60)
		snprintf(buf, size, "%dh%02dm", minutes / 60, minutes % 60);
	else
		snprintf(buf, size, "%dm", minutes);
}

static int
sla_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	char			 ack[16], resolve[16], warn[16];
	int			 i;

	res = db_query(ctl->db, NULL,
	    "SELECT coalesce(service, '(default)'), calendar, ack_minutes,"
	    " resolve_minutes, warn_percent, escalate_raise"
	    " FROM kota.sla_policies ORDER BY service NULLS FIRST", 0, NULL,
	    &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(6);
	print_table_column(t, 0, _("SERVICE"), PRINT_LEFT, 24);
	print_table_column(t, 1, _("CALENDAR"), PRINT_LEFT, 12);
	print_table_column(t, 2, _("ACK"), PRINT_RIGHT, 8);
	print_table_column(t, 3, _("RESOLVE"), PRINT_RIGHT, 8);
	print_table_column(t, 4, _("WARN"), PRINT_RIGHT, 5);
	print_table_column(t, 5, _("RAISE"), PRINT_RIGHT, 5);
	for (i = 0; i < PQntuples(res); i++) {
		sla_format(atoi(PQgetvalue(res, i, 2)), ack, sizeof ack);
		sla_format(atoi(PQgetvalue(res, i, 3)), resolve, sizeof resolve);
		snprintf(warn, sizeof warn, "%s%%", PQgetvalue(res, i, 4));
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, PQgetvalue(res, i, 1));
		print_table_add(t, ack);
		print_table_add(t, resolve);
		print_table_add(t, warn);
		print_table_add(t, PQgetvalue(res, i, 5));
	}
	PQclear(res);
	print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	return EXIT_OK;
}

static const struct option sla_set_options[] = {
	{ "default", no_argument, NULL, 'D' },
	{ "calendar", required_argument, NULL, 'c' },
	{ "ack", required_argument, NULL, 'a' },
	{ "resolve", required_argument, NULL, 'r' },
	{ "warn", required_argument, NULL, 'w' },
	{ "raise", required_argument, NULL, 'R' },
	{ NULL, 0, NULL, 0 },
};

static int
sla_set(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*service = NULL, *calendar = "default";
	const char	*p[6];
	char		 ack[16], resolve[16], warn[16] = "80", raise[16] = "1";
	long		 v;
	int		 ch, rc, dflt = 0, a = -1, r = -1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", sla_set_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'D': dflt = 1; break;
		case 'c': calendar = optarg; break;
		case 'a':
			if ((rc = ctl_parse_duration("--ack", optarg, &a)) !=
			    EXIT_OK)
				return rc;
			break;
		case 'r':
			if ((rc = ctl_parse_duration("--resolve", optarg,
			    &r)) != EXIT_OK)
				return rc;
			break;
		case 'w':
		case 'R':
			/* the database says which are allowed */
			if ((rc = ctl_parse_int(ch == 'w' ? "--warn" :
			    "--raise", optarg, 0, INT_MAX, &v)) != EXIT_OK)
				return rc;
			snprintf(ch == 'w' ? warn : raise, sizeof warn, "%ld",
			    v);
			break;
		default: return CTL_USAGE;
		}
	}
	if (dflt == (optind < argc))
		return ctl_usage("%s", _("sla set takes SERVICE or --default"));
	if (a < 0 || r < 0)
		return ctl_usage("%s", _("sla set needs --ack and --resolve"));
	if (!dflt) {
		service = argv[optind];
		if ((rc = ctl_service_check(ctl, service)) != EXIT_OK)
			return rc;
	}
	snprintf(ack, sizeof ack, "%d", a);
	snprintf(resolve, sizeof resolve, "%d", r);
	p[0] = service;
	p[1] = calendar;
	p[2] = ack;
	p[3] = resolve;
	p[4] = warn;
	p[5] = raise;
	res = db_exec(ctl->db, NULL, "SELECT kota.sla_set($1, $2, $3::int,"
	    " $4::int, $5::int, $6::int)", 6, p, PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	PQclear(res);
	ctl_say(ctl, _("SLA for %s: acknowledge within %d and resolve within %d business minutes of calendar %s\n"),
	    service != NULL ? service : _("every other service"), a, r,
	    calendar);
	return EXIT_OK;
}

static const struct ctl_entry sla_list_entry = {
	.name = "list",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("list the service-level policies"),
	.exec = sla_list,
};

static const struct ctl_entry sla_set_entry = {
	.name = "set",
	.usage = "SERVICE|--default --ack DURATION --resolve DURATION [--calendar CODE] [--warn PERCENT] [--raise LEVELS]",
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("set the targets of a service, or the default ones"),
	.options = sla_set_options,
	.exec = sla_set,
};

static const struct ctl_entry *const sla_commands[] = {
	&sla_list_entry,
	&sla_set_entry,
	NULL,
};

const struct ctl_entry ctl_sla_entry = {
	.name = "sla",
	.help = N_("the targets to acknowledge and resolve, in business time"),
	.sub = sla_commands,
};
