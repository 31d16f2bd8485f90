/*
 * cmd_service.c: kotactl service list|set, service attribute list|add|remove
 *
 * The services the city takes reports for, and the attributes an Open311
 * client asks for with each (a pole number for a street light, a vehicle
 * plate for illegal parking): their datatype, whether they are required,
 * their order and, for the list datatypes, their values.  kotaweb serves
 * them as the service definitions; the rules (codes, datatypes, values)
 * live in SQL (kota.service_attribute_add() and its neighbours in
 * schema/api/open311.sql), this only speaks to them.  service set takes
 * what else a service keeps per city: the radius within which an open
 * request of the same service is a likely duplicate of a new one
 * (kota.service_duplicate_radius(), used at intake and on Open311 posts).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "strbuf.h"

static const char *
svc_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "-" : PQgetvalue(res, row, col);
}

static const char *
svc_bool(const PGresult *res, int row, int col)
{
	return strcmp(PQgetvalue(res, row, col), "t") == 0 ? _("yes") : _("no");
}

static int
svc_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1] = { i18n_lang() };
	int			 i;

	(void)argc;
	(void)argv;
	res = db_query(ctl->db, NULL,
	    "SELECT s.code, s.group_name, coalesce(s.department, '-'),"
	    " s.active, coalesce(c.attributes, 0), s.duplicate_radius_m,"
	    " CASE $1 WHEN 'id' THEN s.name_id ELSE s.name_en END"
	    " FROM kota.services s"
	    " LEFT JOIN kota.service_attribute_counts c ON c.service = s.code"
	    " ORDER BY s.group_name, s.code", 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(7);
	print_table_column(t, 0, _("CODE"), PRINT_LEFT, 24);
	print_table_column(t, 1, _("GROUP"), PRINT_LEFT, 12);
	print_table_column(t, 2, _("DEPARTMENT"), PRINT_LEFT, 16);
	print_table_column(t, 3, _("ACTIVE"), PRINT_LEFT, 6);
	print_table_column(t, 4, _("ATTRIBUTES"), PRINT_RIGHT, 10);
	/* TRANSLATORS: the duplicate radius of a service, in metres */
	print_table_column(t, 5, _("DUP. M"), PRINT_RIGHT, 6);
	print_table_column(t, 6, _("NAME"), PRINT_LEFT, 0);
	for (i = 0; i < PQntuples(res); i++) {
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, PQgetvalue(res, i, 1));
		print_table_add(t, PQgetvalue(res, i, 2));
		print_table_add(t, svc_bool(res, i, 3));
		print_table_add(t, PQgetvalue(res, i, 4));
		print_table_add(t, PQgetvalue(res, i, 5));
		print_table_add(t, PQgetvalue(res, i, 6));
	}
	PQclear(res);
	print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	return EXIT_OK;
}

static const struct option svc_set_options[] = {
	{ "duplicate-radius", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

static int
svc_set(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[2] = { NULL, NULL };
	char		 metres[24];
	long		 n;
	int		 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", svc_set_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'r':
			if ((rc = ctl_parse_int("--duplicate-radius", optarg,
			    0, 5000, &n)) != EXIT_OK)
				return rc;
			snprintf(metres, sizeof metres, "%ld", n);
			p[1] = metres;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (p[1] == NULL)
		return ctl_usage("%s", _("service set needs --duplicate-radius METRES"));
	p[0] = argv[optind];
	if ((rc = ctl_service_check(ctl, p[0])) != EXIT_OK)
		return rc;
	res = db_exec(ctl->db, NULL,
	    "SELECT kota.service_duplicate_radius($1, $2::int)", 2, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	PQclear(res);
	if (n == 0)
		ctl_say(ctl, _("service %s: duplicates are no longer looked for by distance\n"),
		    p[0]);
	else
		ctl_say(ctl, _("service %s: an open request within %ld m is a possible duplicate\n"),
		    p[0], n);
	return EXIT_OK;
}

static int
svc_attr_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1];
	int			 i, rc;

	(void)argc;
	p[0] = argv[1];
	if ((rc = ctl_service_check(ctl, p[0])) != EXIT_OK)
		return rc;
	res = db_query(ctl->db, NULL,
	    "SELECT \"order\", code, datatype, required, variable, description,"
	    " datatype_description, \"values\""
	    " FROM kota.service_attribute_list($1)", 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(8);
	print_table_column(t, 0, _("ORDER"), PRINT_RIGHT, 5);
	print_table_column(t, 1, _("CODE"), PRINT_LEFT, 20);
	print_table_column(t, 2, _("DATATYPE"), PRINT_LEFT, 15);
	print_table_column(t, 3, _("REQUIRED"), PRINT_LEFT, 8);
	print_table_column(t, 4, _("VARIABLE"), PRINT_LEFT, 8);
	print_table_column(t, 5, _("DESCRIPTION"), PRINT_LEFT, 30);
	print_table_column(t, 6, _("HINT"), PRINT_LEFT, 20);
	print_table_column(t, 7, _("VALUES"), PRINT_LEFT, 0);
	for (i = 0; i < PQntuples(res); i++) {
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, PQgetvalue(res, i, 1));
		print_table_add(t, PQgetvalue(res, i, 2));
		print_table_add(t, svc_bool(res, i, 3));
		print_table_add(t, svc_bool(res, i, 4));
		print_table_add(t, svc_value(res, i, 5));
		print_table_add(t, svc_value(res, i, 6));
		print_table_add(t, svc_value(res, i, 7));
	}
	PQclear(res);
	print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	return EXIT_OK;
}

/* s as an element of a PostgreSQL array literal: quoted, \ and " escaped. */
static void
svc_array_add(struct strbuf *sb, const char *s, size_t n)
{
	size_t	i;

	strbuf_adds(sb, sb->len > 1 ? ",\"" : "\"");
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			strbuf_add(sb, "\\", 1);
		strbuf_add(sb, s + i, 1);
	}
	strbuf_adds(sb, "\"");
}

static const struct option svc_attr_add_options[] = {
	{ "datatype", required_argument, NULL, 't' },
	{ "required", no_argument, NULL, 'r' },
	{ "description", required_argument, NULL, 'd' },
	{ "datatype-description", required_argument, NULL, 'h' },
	{ "order", required_argument, NULL, 'o' },
	{ "value", required_argument, NULL, 'v' },
	{ "no-variable", no_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static int
svc_attr_add(struct ctl *ctl, int argc, char **argv)
{
	struct strbuf	 keys = STRBUF_INIT, names = STRBUF_INIT;
	struct db_error	 err;
	PGresult	*res;
	const char	*p[10] = { NULL };
	const char	*eq;
	char		 order[24];
	long		 n;
	int		 ch, rc = CTL_USAGE;

	strbuf_adds(&keys, "{");
	strbuf_adds(&names, "{");
	p[3] = "false";
	p[9] = "true";
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", svc_attr_add_options,
	    NULL)) != -1) {
		switch (ch) {
		case 't': p[2] = optarg; break;
		case 'r': p[3] = "true"; break;
		case 'd': p[4] = optarg; break;
		case 'h': p[5] = optarg; break;
		case 'n': p[9] = "false"; break;
		case 'o':
			if (ctl_parse_int("--order", optarg, 1, 1000000, &n) !=
			    EXIT_OK) {
				rc = EXIT_USAGE;
				goto out;
			}
			snprintf(order, sizeof order, "%ld", n);
			p[6] = order;
			break;
		case 'v':
			if ((eq = strchr(optarg, '=')) == NULL || eq == optarg ||
			    eq[1] == '\0') {
				rc = ctl_usage(_("--value '%s' must be KEY=NAME"),
				    optarg);
				goto out;
			}
			svc_array_add(&keys, optarg, (size_t)(eq - optarg));
			svc_array_add(&names, eq + 1, strlen(eq + 1));
			break;
		default:
			goto out;
		}
	}
	if (p[2] == NULL) {
		rc = ctl_usage("%s", _("service attribute add needs --datatype"));
		goto out;
	}
	strbuf_adds(&keys, "}");
	strbuf_adds(&names, "}");
	p[0] = argv[optind];
	p[1] = argv[optind + 1];
	p[7] = strbuf_str(&keys);
	p[8] = strbuf_str(&names);
	if ((rc = ctl_service_check(ctl, p[0])) != EXIT_OK)
		goto out;
	res = db_exec(ctl->db, NULL,
	    "SELECT kota.service_attribute_add($1, $2, $3, $4::boolean, $5,"
	    " $6, $7::int, $8::text[], $9::text[], $10::boolean)", 10, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL) {
		rc = ctl_fail(&err);
		goto out;
	}
	ctl_say(ctl, _("service %s: attribute %s added at order %s\n"), p[0],
	    p[1], PQgetvalue(res, 0, 0));
	PQclear(res);
	rc = EXIT_OK;
out:
	strbuf_release(&keys);
	strbuf_release(&names);
	return rc;
}

static int
svc_attr_remove(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[2];
	int		 rc;

	(void)argc;
	p[0] = argv[1];
	p[1] = argv[2];
	if ((rc = ctl_service_check(ctl, p[0])) != EXIT_OK)
		return rc;
	res = db_exec(ctl->db, NULL,
	    "SELECT kota.service_attribute_remove($1, $2)", 2, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	PQclear(res);
	ctl_say(ctl, _("service %s: attribute %s removed\n"), p[0], p[1]);
	return EXIT_OK;
}

static const struct ctl_entry svc_list_entry = {
	.name = "list",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("list the services and how many attributes each asks for"),
	.exec = svc_list,
};

static const struct ctl_entry svc_set_entry = {
	.name = "set",
	.usage = "SERVICE --duplicate-radius METRES",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("set how near an open request of the service is a likely duplicate"),
	.options = svc_set_options,
	.exec = svc_set,
};

static const struct ctl_entry svc_attr_list_entry = {
	.name = "list",
	.usage = "SERVICE",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("list a service's attributes in their order"),
	.exec = svc_attr_list,
};

static const struct ctl_entry svc_attr_add_entry = {
	.name = "add",
	.usage = "SERVICE CODE --datatype TYPE [--required] [--description TEXT] [--datatype-description TEXT] [--order N] [--value KEY=NAME]... [--no-variable]",
	.args_min = 2,
	.args_max = 2,
	.flags = CTL_DB,
	.help = N_("add an attribute that Open311 clients ask for with a service"),
	.options = svc_attr_add_options,
	.exec = svc_attr_add,
};

static const struct ctl_entry svc_attr_remove_entry = {
	.name = "remove",
	.usage = "SERVICE CODE",
	.args_min = 2,
	.args_max = 2,
	.flags = CTL_DB,
	.help = N_("remove an attribute from a service"),
	.exec = svc_attr_remove,
};

static const struct ctl_entry *const svc_attr_commands[] = {
	&svc_attr_list_entry,
	&svc_attr_add_entry,
	&svc_attr_remove_entry,
	NULL,
};

static const struct ctl_entry svc_attr_entry = {
	.name = "attribute",
	.help = N_("the attributes of a service's Open311 definition"),
	.sub = svc_attr_commands,
};

static const struct ctl_entry *const service_commands[] = {
	&svc_list_entry,
	&svc_set_entry,
	&svc_attr_entry,
	NULL,
};

const struct ctl_entry ctl_service_entry = {
	.name = "service",
	.help = N_("the services, their duplicate radius and Open311 attributes"),
	.sub = service_commands,
};
