/*
 * cmd_calendar.c: kotactl calendar list|show|add|hours|holiday
 *
 * The business hours and holidays that SLA targets count in; the rules
 * live in SQL (schema/006_sla.sql), this only speaks to them.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "xmalloc.h"

/* Monday..Sunday as ISO 1..7, in English or Indonesian, or the digit. */
static int
cal_day(const char *s)
{
	static const char *const en[] = { "mon", "tue", "wed", "thu", "fri",
	    "sat", "sun" };
	static const char *const id[] = { "sen", "sel", "rab", "kam", "jum",
	    "sab", "min" };
	int	i;

	if (s[0] >= '1' && s[0] <= '7' && s[1] == '\0')
		return s[0] - '0';
	for (i = 0; i < 7; i++)
		if (strncasecmp(s, en[i], 3) == 0 || strncasecmp(s, id[i], 3) == 0)
			return i + 1;
	return 0;
}

static int
cal_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	char			*spans;
	int			 i;

	res = db_query(ctl->db, NULL,
	    "SELECT code, time_zone, spans, holidays, name FROM kota.calendars"
	    " ORDER BY code",
	    0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(4);
	print_table_column(t, 0, NULL, PRINT_LEFT, 16);
	print_table_column(t, 1, NULL, PRINT_LEFT, 20);
	print_table_gap(t, 3, "  ");
	for (i = 0; i < PQntuples(res); i++) {
		xasprintf(&spans, _("%s spans, %s holidays"),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, PQgetvalue(res, i, 1));
		print_table_add(t, spans);
		print_table_add(t, PQgetvalue(res, i, 4));
		free(spans);
	}
	PQclear(res);
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	return EXIT_OK;
}

static int
cal_show(struct ctl *ctl, int argc, char **argv)
{
	static const char *const days[] = { N_("Monday"), N_("Tuesday"),
	    N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
	    N_("Sunday") };
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1];
	int			 i, d;

	p[0] = argv[1];
	res = db_query(ctl->db, NULL,
	    "SELECT d, coalesce(string_agg(to_char(h.opens, 'HH24:MI') || '-' ||"
	    " CASE WHEN h.closes = '24:00' THEN '24:00'"
	    " ELSE to_char(h.closes, 'HH24:MI') END, ', ' ORDER BY h.opens), ''),"
	    " c.time_zone"
	    " FROM kota.calendars c CROSS JOIN generate_series(1, 7) AS d"
	    " LEFT JOIN kota.working_hours h ON h.calendar = c.code AND h.dow = d"
	    " WHERE c.code = lower($1) GROUP BY d, c.time_zone ORDER BY d",
	    1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (PQntuples(res) == 0) {
		PQclear(res);
		log_error(_("calendar \"%s\" does not exist"), argv[1]);
		return EXIT_REFUSED;
	}
	printf(_("Calendar %s (%s)\n"), argv[1], PQgetvalue(res, 0, 2));
	t = print_table_new(2);
	print_table_gap(t, 0, "  ");
	print_table_column(t, 0, NULL, PRINT_LEFT, 10);
	for (i = 0; i < PQntuples(res); i++) {
		d = atoi(PQgetvalue(res, i, 0));
		print_table_add(t, _(days[d - 1]));
		print_table_add(t, PQgetvalue(res, i, 1)[0] != '\0' ?
		    PQgetvalue(res, i, 1) : _("closed"));
	}
	PQclear(res);
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	res = db_query(ctl->db, NULL,
	    "SELECT day, name FROM kota.holidays"
	    " WHERE calendar = lower($1) AND day >= current_date - 31"
	    " ORDER BY day", 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (PQntuples(res) > 0) {
		t = print_table_new(2);
		print_table_gap(t, 0, "  ");
		print_table_gap(t, 1, "  ");
		print_table_add_result(t, res);
		printf("%s\n", _("Holidays:"));
		print_table_text(stdout, t, 0);
		print_table_free(&t);
	}
	PQclear(res);
	return EXIT_OK;
}

/* Run one admin call and report its refusal, if any. */
static int
cal_call(struct ctl *ctl, const char *sql, int n, const char *const *p)
{
	struct db_error	 err;
	PGresult	*res;

	res = db_exec(ctl->db, NULL, sql, n, p, PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	PQclear(res);
	return EXIT_OK;
}

static const struct option cal_add_options[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "time-zone", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

static int
cal_add(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[3] = { NULL, NULL, "Asia/Jakarta" };
	int		 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", cal_add_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'n': p[1] = optarg; break;
		case 't': p[2] = optarg; break;
		default:
			return CTL_USAGE;
		}
	}
	if (p[1] == NULL)
		return ctl_usage("%s", _("calendar add needs --name TEXT"));
	p[0] = argv[optind];
	if ((rc = cal_call(ctl, "SELECT kota.calendar_save($1, $2, $3)", 3,
	    p)) != EXIT_OK)
		return rc;
	ctl_say(ctl, _("calendar %s saved\n"), p[0]);
	return EXIT_OK;
}

static int
cal_hours(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[3];
	char		 dow[4];
	int		 d, rc;

	if ((d = cal_day(argv[2])) == 0)
		return ctl_invalid(_("DAY: '%s' is not a day (mon..sun, sen..min or 1..7)"),
		    argv[2]);
	snprintf(dow, sizeof dow, "%d", d);
	p[0] = argv[1];
	p[1] = dow;
	p[2] = strcasecmp(argv[3], "closed") == 0 ||
	    strcasecmp(argv[3], "tutup") == 0 ? "" : argv[3];
	if ((rc = cal_call(ctl,
	    "SELECT kota.calendar_set_hours($1, $2::int, $3)", 3, p)) != EXIT_OK)
		return rc;
	ctl_say(ctl, _("calendar %s: hours of day %d set\n"), argv[1], d);
	return EXIT_OK;
}

static int
cal_holiday(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[3];
	int		 rc;

	if ((rc = ctl_parse_date("DATE", argv[strcmp(argv[1], "remove") ==
	    0 ? 3 : 2])) != EXIT_OK)
		return rc;
	if (strcmp(argv[1], "remove") == 0) {
		p[0] = argv[2];
		p[1] = argv[3];
		return cal_call(ctl,
		    "SELECT kota.holiday_remove($1, $2::date)", 2, p);
	}
	p[0] = argv[1];
	p[1] = argv[2];
	p[2] = argv[3];
	if ((rc = cal_call(ctl, "SELECT kota.holiday_set($1, $2::date, $3)",
	    3, p)) != EXIT_OK)
		return rc;
	ctl_say(ctl, _("calendar %s: %s is a holiday (%s)\n"), argv[1],
	    argv[2], argv[3]);
	return EXIT_OK;
}

static const struct ctl_entry cal_list_entry = {
	.name = "list",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("list the calendars"),
	.exec = cal_list,
};

static const struct ctl_entry cal_show_entry = {
	.name = "show",
	.usage = "CODE",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("show a calendar's weekly hours and holidays"),
	.exec = cal_show,
};

static const struct ctl_entry cal_add_entry = {
	.name = "add",
	.usage = "CODE --name TEXT [--time-zone TZ]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("create or rename a calendar"),
	.options = cal_add_options,
	.exec = cal_add,
};

static const struct ctl_entry cal_hours_entry = {
	.name = "hours",
	.usage = "CODE DAY 08:00-12:00,13:00-16:00|closed",
	.args_min = 3,
	.args_max = 3,
	.flags = CTL_DB,
	.help = N_("set one day's working hours"),
	.exec = cal_hours,
};

static const struct ctl_entry cal_holiday_entry = {
	.name = "holiday",
	.usage = "CODE YYYY-MM-DD NAME\n"
	    "remove CODE YYYY-MM-DD",
	.args_min = 3,
	.args_max = 3,
	.flags = CTL_DB,
	.help = N_("add, rename or remove a holiday"),
	.exec = cal_holiday,
};

static const struct ctl_entry *const calendar_commands[] = {
	&cal_list_entry,
	&cal_show_entry,
	&cal_add_entry,
	&cal_hours_entry,
	&cal_holiday_entry,
	NULL,
};

const struct ctl_entry ctl_calendar_entry = {
	.name = "calendar",
	.help = N_("the business hours and holidays SLA targets count in"),
	.sub = calendar_commands,
};
