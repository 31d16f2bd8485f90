/*
 * cmd_tally.c: kotactl tally check|rebuild, the dashboard's kept counters
 *
 * The counters behind the dashboard and kotactl report are kept by
 * triggers in the same transaction as each change of a request
 * (schema/api/tally.sql).  A bulk load with the triggers off, a restore
 * that went wrong or a hand edit of the tables can leave them out of step;
 * "check" recounts every request and names each counter that differs,
 * "rebuild" sums them again from the requests.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "kotactl.h"

static const struct db_stmt tally_stmt_check = {
	"ctl_tally_check",
	"SELECT tally, department, agent, status, sla, day, bucket, met,"
	" kept, actual FROM kota.tally_differences()",
	0, DB_READ
};

static const struct db_stmt tally_stmt_rebuild = {
	"ctl_tally_rebuild",
	"SELECT kota.tally_rebuild()",
	0, DB_WRITE
};

static int
tally_check(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	int			 n;

	(void)argc;
	(void)argv;
	if ((res = db_run(ctl->db, &tally_stmt_check, NULL, &err)) == NULL)
		return ctl_fail(&err);
	n = PQntuples(res);
	if (n == 0) {
		PQclear(res);
		ctl_say(ctl, "%s\n", _("tally: consistent"));
		return EXIT_OK;
	}
	t = print_table_new(10);
	/* TRANSLATORS: headings of kotactl tally check: which counter, its key */
	print_table_column(t, 0, _("TALLY"), PRINT_LEFT, 0);
	print_table_column(t, 1, _("DEPARTMENT"), PRINT_LEFT, 0);
	print_table_column(t, 2, _("AGENT"), PRINT_LEFT, 0);
	print_table_column(t, 3, _("STATUS"), PRINT_LEFT, 0);
	print_table_column(t, 4, _("SLA"), PRINT_RIGHT, 0);
	print_table_column(t, 5, _("DAY"), PRINT_LEFT, 0);
	print_table_column(t, 6, _("BUCKET"), PRINT_RIGHT, 0);
	print_table_column(t, 7, _("MET"), PRINT_RIGHT, 0);
	/* TRANSLATORS: the counter's value, and the requests counted afresh */
	print_table_column(t, 8, _("KEPT"), PRINT_RIGHT, 0);
	print_table_column(t, 9, _("ACTUAL"), PRINT_RIGHT, 0);
	ctl_table_add_result(t, res);
	print_table_null(t, "-");
	print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	PQclear(res);
	fprintf(stderr, _("kotactl: tally: counters that differ from the requests: %d; \"kotactl tally rebuild\" recounts them\n"),
	    n);
	return EXIT_REFUSED;
}

static int
tally_rebuild(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;

	(void)argc;
	(void)argv;
	if ((res = db_run(ctl->db, &tally_stmt_rebuild, NULL, &err)) == NULL)
		return ctl_fail(&err);
	ctl_say(ctl, _("tally: rebuilt from %s requests\n"),
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	return EXIT_OK;
}

static const struct ctl_entry tally_check_entry = {
	.name = "check",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("compare the dashboard's counters with the requests"),
	.exec = tally_check,
};

static const struct ctl_entry tally_rebuild_entry = {
	.name = "rebuild",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("count the dashboard's counters again from the requests"),
	.exec = tally_rebuild,
};

static const struct ctl_entry *const tally_subs[] = {
	&tally_check_entry,
	&tally_rebuild_entry,
	NULL,
};

const struct ctl_entry ctl_tally_entry = {
	.name = "tally",
	.help = N_("check or rebuild the dashboard's counters"),
	.sub = tally_subs,
};
