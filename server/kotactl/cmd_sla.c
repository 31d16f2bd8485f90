/*
 * cmd_sla.c: kotactl sla list|set
 *
 * Service-level targets are business minutes of a calendar; the arithmetic
 * and the rules live in SQL (schema/006_sla.sql), this only speaks to it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"

/* "90", "90m", "4h", "1h30m": business minutes; 0 on error. */
static int
sla_minutes(const char *s)
{
	long	total = 0, n;
	char	*end;

	if (s == NULL || *s == '\0')
		return 0;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s))
			return 0;
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno != 0 || n > 1000000)
			return 0;
		if (*end == 'h' || *end == 'H') {
			n *= 60;
			end++;
		} else if (*end == 'm' || *end == 'M')
			end++;
		else if (*end != '\0')
			return 0;
		total += n;
		if (total > 10000000)
			return 0;
		s = end;
	}
	return (int)total;
}

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
	struct db_error	 err;
	PGresult	*res;
	char		 ack[16], resolve[16];
	int		 i;

	res = db_query(ctl->db, NULL,
	    "SELECT coalesce(s.code, '(default)'), c.code, p.ack_minutes,"
	    " p.resolve_minutes, p.warn_percent, p.escalate_raise"
	    " FROM kota.sla_policy p JOIN kota.calendar c ON c.id = p.calendar_id"
	    " LEFT JOIN kota.service s ON s.id = p.service_id"
	    " ORDER BY p.service_id NULLS FIRST, s.code", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (!ctl->quiet)
		printf("%-24s %-12s %8s %8s %5s %5s\n", _("SERVICE"),
		    _("CALENDAR"), _("ACK"), _("RESOLVE"), _("WARN"),
		    _("RAISE"));
	for (i = 0; i < PQntuples(res); i++) {
		sla_format(atoi(PQgetvalue(res, i, 2)), ack, sizeof ack);
		sla_format(atoi(PQgetvalue(res, i, 3)), resolve, sizeof resolve);
		printf("%-24s %-12s %8s %8s %4s%% %5s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), ack, resolve,
		    PQgetvalue(res, i, 4), PQgetvalue(res, i, 5));
	}
	PQclear(res);
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
	const char	*warn = "80", *raise = "1", *p[6];
	char		 ack[16], resolve[16];
	int		 ch, dflt = 0, a = -1, r = -1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", sla_set_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'D': dflt = 1; break;
		case 'c': calendar = optarg; break;
		case 'a':
			if ((a = sla_minutes(optarg)) == 0)
				return ctl_invalid(_("--ack: '%s' is not a duration like 30m, 4h or 1h30m"), optarg);
			break;
		case 'r':
			if ((r = sla_minutes(optarg)) == 0)
				return ctl_invalid(_("--resolve: '%s' is not a duration like 30m, 4h or 1h30m"), optarg);
			break;
		case 'w': warn = optarg; break;
		case 'R': raise = optarg; break;
		default: return CTL_USAGE;
		}
	}
	if (dflt == (optind < argc))
		return ctl_usage("%s", _("sla set takes SERVICE or --default"));
	if (a < 0 || r < 0)
		return ctl_usage("%s", _("sla set needs --ack and --resolve"));
	if (!dflt)
		service = argv[optind];
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
