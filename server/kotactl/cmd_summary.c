/*
 * cmd_summary.c: kotactl summary, what is in the database, queue by queue
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "kotactl.h"

static int
summary_table(struct ctl *ctl, const char *title, const char *sql)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	int			 j;

	res = db_query(ctl->db, NULL, sql, 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	/* a name of at most 44 cells, then the counts */
	t = print_table_new(PQnfields(res));
	for (j = 0; j < PQnfields(res); j++)
		print_table_column(t, j, PQfname(res, j), j == 0 ? PRINT_LEFT :
		    PRINT_RIGHT, j == 0 ? 44 : 9);
	print_table_limit(t, 0, 44);
	print_table_gap(t, 0, "  ");
	ctl_table_add_result(t, res);
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
	long		 ndept, nsvc, nreq, nagent, ncit;
	int		 rc;

	if (ctl_count(ctl, "SELECT count(*) FROM kota.department", &ndept,
	    &err) != 0 ||
	    ctl_count(ctl, "SELECT count(*) FROM kota.service", &nsvc,
	    &err) != 0 ||
	    ctl_count(ctl, "SELECT count(*) FROM kota.request", &nreq,
	    &err) != 0 ||
	    ctl_count(ctl, "SELECT count(*) FROM kota.agent", &nagent,
	    &err) != 0 ||
	    ctl_count(ctl, "SELECT count(*) FROM kota.citizen", &ncit,
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

static int
cmd_summary(struct ctl *ctl, int argc, char **argv)
{
	return summary_print(ctl);
}

const struct ctl_entry ctl_summary_entry = {
	.name = "summary",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("count what the database holds, and the open queues"),
	.exec = cmd_summary,
};
