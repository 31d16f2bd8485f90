/*
 * cmd_summary.c: kotactl summary, what is in the database, queue by queue
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "kotactl.h"

/* With named, $1 of sql is the language of the statuses' names. */
static int
summary_table(struct ctl *ctl, const char *title, const char *sql,
    int named)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1] = { i18n_lang() };
	int			 j;

	res = db_query(ctl->db, NULL, sql, named ? 1 : 0, named ? p : NULL,
	    &err);
	if (res == NULL)
		return ctl_fail(&err);
	/* a name of at most 44 cells, then the counts */
	t = print_table_new(PQnfields(res));
	for (j = 0; j < PQnfields(res); j++)
		print_table_column(t, j, ctl_word(PQfname(res, j)), j == 0 ? PRINT_LEFT :
		    PRINT_RIGHT, j == 0 ? 44 : 9);
	print_table_limit(t, 0, 44);
	print_table_gap(t, 0, "  ");
	print_table_add_result(t, res);
	PQclear(res);
	printf("\n%s\n", title);
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	return EXIT_OK;
}

/* What is in the database, queue by queue; seed --demo ends with it. */
int
summary_print(struct ctl *ctl)
{
	struct db_error	 err;
	PGresult	*res;
	int		 rc;

	res = db_query(ctl->db, NULL, "SELECT departments, services, agents,"
	    " citizens, requests FROM kota.city_summary()", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	printf(_("Kota: %ld departments, %ld services, %ld agents, %ld citizens, %ld requests\n"),
	    atol(PQgetvalue(res, 0, 0)), atol(PQgetvalue(res, 0, 1)),
	    atol(PQgetvalue(res, 0, 2)), atol(PQgetvalue(res, 0, 3)),
	    atol(PQgetvalue(res, 0, 4)));
	PQclear(res);
	rc = summary_table(ctl, _("Requests by status:"),
	    "SELECT coalesce(" CTL_STATUS_LABEL(1) ", s.status) AS status,"
	    " s.requests FROM kota.summary_by_status() WITH ORDINALITY s"
	    " LEFT JOIN kota.statuses st ON st.code = s.status"
	    " ORDER BY s.ordinality", 1);
	if (rc != EXIT_OK)
		return rc;
	return summary_table(ctl, _("Open queues by department:"),
	    "SELECT s.department || ' ' || CASE WHEN $1 = 'id' THEN d.name_id"
	    " ELSE s.name_en END AS department, s.new, s.ack,"
	    " s.progress, s.on_hold, s.unassigned, s.open"
	    " FROM kota.summary_by_department() WITH ORDINALITY s"
	    " JOIN kota.departments d ON d.code = s.department"
	    " ORDER BY s.ordinality", 1);
}

static int
cmd_summary(struct ctl *ctl, int argc, char **argv)
{
	return summary_print(ctl);
}

const struct ctl_entry ctl_summary_entry = {
	.name = "summary",
	.usage = "",
	.flags = CTL_DB | CTL_READ,
	.help = N_("count what the database holds, and the open queues"),
	.exec = cmd_summary,
};
