/*
 * cmd_privacy.c: kotactl privacy status|retention, how long the city keeps
 * citizens' personal data
 *
 * The retention period lives in the database (kota.privacy_setting), so
 * that every kotad reads the same one; kotad's sweep anonymises the
 * citizens whose requests were all closed longer ago than that
 * (kota.privacy_sweep(), schema/api/privacy.sql).  "status" says what is
 * held, what was anonymised, what is due, and when kotad last swept.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "xmalloc.h"

static const struct db_stmt privacy_stmt_status = {
	"ctl_privacy_status",
	"SELECT retention_months, citizens_held, erased, retained, due_now,"
	" oldest_ticket,"
	" to_char(oldest_closed_at, 'YYYY-MM-DD HH24:MI') AS oldest_closed_at,"
	" access_30d,"
	" to_char(last_sweep_at, 'YYYY-MM-DD HH24:MI:SS') AS last_sweep_at,"
	" last_sweep_count"
	" FROM kota.privacy_status()", 0, DB_READ
};

static const struct db_stmt privacy_stmt_retention = {
	"ctl_privacy_retention",
	"SELECT kota.privacy_retention_set($1::int)", 1, DB_WRITE
};

static int
privacy_status(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	char			*s;

	(void)argc;
	(void)argv;
	if ((res = db_run(ctl->db, &privacy_stmt_status, NULL, &err)) == NULL)
		return ctl_fail(&err);
	t = print_table_new(2);
	print_table_column(t, 0, NULL, PRINT_LEFT, 24);

	print_table_add(t, _("Retention:"));
	if (PQgetisnull(res, 0, 0))
		print_table_add(t, _("off (personal data is kept until erased)"));
	else {
		/* no ngettext here: one month is its own message */
		if (strcmp(PQgetvalue(res, 0, 0), "1") == 0)
			s = xstrdup(_("1 month after the last request closed"));
		else
			xasprintf(&s, _("%s months after the last request closed"),
			    PQgetvalue(res, 0, 0));
		print_table_add(t, s);
		free(s);
	}
	print_table_add(t, _("Citizens held:"));
	print_table_add(t, PQgetvalue(res, 0, 1));
	print_table_add(t, _("Erased on request:"));
	print_table_add(t, PQgetvalue(res, 0, 2));
	print_table_add(t, _("Anonymised by retention:"));
	print_table_add(t, PQgetvalue(res, 0, 3));
	print_table_add(t, _("Due now:"));
	print_table_add(t, PQgetisnull(res, 0, 4) ? "-" : PQgetvalue(res, 0, 4));
	print_table_add(t, _("Oldest closed, still held:"));
	if (PQgetisnull(res, 0, 5))
		print_table_add(t, "-");
	else {
		xasprintf(&s, _("%s, closed %s"), PQgetvalue(res, 0, 5),
		    PQgetvalue(res, 0, 6));
		print_table_add(t, s);
		free(s);
	}
	print_table_add(t, _("Reads logged, 30 days:"));
	print_table_add(t, PQgetvalue(res, 0, 7));
	print_table_add(t, _("Last sweep:"));
	if (PQgetisnull(res, 0, 8))
		print_table_add(t, _("never"));
	else {
		xasprintf(&s, _("%s, %s anonymised"), PQgetvalue(res, 0, 8),
		    PQgetvalue(res, 0, 9));
		print_table_add(t, s);
		free(s);
	}
	PQclear(res);
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	return EXIT_OK;
}

static int
privacy_retention(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1] = { NULL };
	long		 months = 0;
	int		 rc;

	(void)argc;
	if (strcmp(argv[1], "off") != 0) {
		if ((rc = ctl_parse_int(_("months"), argv[1], 1, 1200,
		    &months)) != EXIT_OK)
			return rc;
		p[0] = argv[1];
	}
	if ((res = db_run(ctl->db, &privacy_stmt_retention, p, &err)) == NULL)
		return ctl_fail(&err);
	PQclear(res);
	if (p[0] == NULL)
		ctl_say(ctl, "%s", _("retention off: personal data is kept until a citizen is erased\n"));
	else if (months == 1)
		ctl_say(ctl, "%s", _("retention 1 month: kotad anonymises a citizen a month after their last request closed\n"));
	else
		ctl_say(ctl, _("retention %ld months: kotad anonymises a citizen %ld months after their last request closed\n"),
		    months, months);
	return EXIT_OK;
}

static const struct ctl_entry privacy_status_entry = {
	.name = "status",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("what personal data is held, anonymised and due"),
	.exec = privacy_status,
};

static const struct ctl_entry privacy_retention_entry = {
	.name = "retention",
	.usage = "MONTHS|off",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("keep citizens' personal data MONTHS after their last request closed"),
	.exec = privacy_retention,
};

static const struct ctl_entry *const privacy_subs[] = {
	&privacy_status_entry,
	&privacy_retention_entry,
	NULL,
};

const struct ctl_entry ctl_privacy_entry = {
	.name = "privacy",
	.help = N_("retention of citizens' personal data"),
	.sub = privacy_subs,
};
