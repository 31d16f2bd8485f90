/*
 * cmd_request.c: kotactl request new|show|status|list|assign|comment|duplicate|watch
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "request.h"
#include "xmalloc.h"

static const struct option req_new_options[] = {
	{ "service", required_argument, NULL, 's' },
	{ "description", required_argument, NULL, 'D' },
	{ "address", required_argument, NULL, 'a' },
	{ "district", required_argument, NULL, 'k' },
	{ "phone", required_argument, NULL, 'p' },
	{ "email", required_argument, NULL, 'e' },
	{ "name", required_argument, NULL, 'n' },
	{ "lat", required_argument, NULL, 'y' },
	{ "lon", required_argument, NULL, 'x' },
	{ "department", required_argument, NULL, 'd' },
	{ "priority", required_argument, NULL, 'P' },
	{ "channel", required_argument, NULL, 'c' },
	{ "lang", required_argument, NULL, 'l' },
	{ "assign", required_argument, NULL, 'A' },
	{ NULL, 0, NULL, 0 },
};

static int
req_new(struct ctl *ctl, int argc, char **argv)
{
	struct request_input	in;
	struct request_created	out;
	struct db_error		err;
	int			ch, rc, has_lat = 0, has_lon = 0;
	long			prio;

	memset(&in, 0, sizeof in);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", req_new_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 's': in.service = optarg; break;
		case 'D': in.description = optarg; break;
		case 'a': in.address = optarg; break;
		case 'k': in.district = optarg; break;
		case 'p': in.phone = optarg; break;
		case 'e': in.email = optarg; break;
		case 'n': in.name = optarg; break;
		case 'd': in.department = optarg; break;
		case 'c': in.channel = optarg; break;
		case 'l': in.lang = optarg; break;
		case 'A': in.assignee = optarg; break;
		case 'y':
			if ((rc = ctl_parse_real("--lat", optarg, -HUGE_VAL,
			    HUGE_VAL, &in.lat)) != EXIT_OK)
				return rc;
			has_lat = 1;
			break;
		case 'x':
			if ((rc = ctl_parse_real("--lon", optarg, -HUGE_VAL,
			    HUGE_VAL, &in.lon)) != EXIT_OK)
				return rc;
			has_lon = 1;
			break;
		case 'P':
			if ((rc = ctl_parse_int("--priority", optarg, 1, 4,
			    &prio)) != EXIT_OK)
				return rc;
			in.priority = (int)prio;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (in.service == NULL)
		return ctl_usage("%s", _("request new needs --service CODE"));
	if (in.description == NULL)
		return ctl_usage("%s", _("request new needs --description TEXT"));
	if (has_lat != has_lon)
		return ctl_usage("%s", _("--lat and --lon go together"));
	in.has_location = has_lat;
	if (request_create(ctl->db, NULL, &in, &out, &err) != 0)
		return ctl_fail(&err);
	printf("%" PRId64 " %s\n", out.id, out.ticket);
	if (!ctl->quiet)
		fprintf(stderr, _("request %s created in queue %s, priority %d\n"),
		    out.ticket, out.department, out.priority);
	return EXIT_OK;
}

/* "Label:       value", the value of column col when it has one. */
static void
req_show_row(struct print_table *t, PGresult *res, const char *label,
    const char *col)
{
	int	c = db_column(res, col);

	if (c >= 0 && !PQgetisnull(res, 0, c)) {
		print_table_add(t, label);
		print_table_add(t, PQgetvalue(res, 0, c));
	}
}

/* The request's fields, as the console reads them (tui/data.c). */
static int
req_show_fields(struct ctl *ctl, const char *const *p)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;

	/* kota.request_detail() refuses a request that does not exist */
	res = db_query(ctl->db, NULL,
	    "SELECT r.ticket, r.status, r.priority,"
	    " r.service_name_id || ' / ' || r.service_name_en AS service_name,"
	    " r.department, r.assignee, r.description, r.address, r.district,"
	    " CASE WHEN r.lat IS NOT NULL THEN r.lat || ',' || r.lon END AS location,"
	    " r.channel, r.reporter_name, r.reporter_phone,"
	    " to_char(r.created_at, 'YYYY-MM-DD HH24:MI') AS created,"
	    " to_char(r.updated_at, 'YYYY-MM-DD HH24:MI') AS updated,"
	    " to_char(r.due_at, 'YYYY-MM-DD HH24:MI') AS due,"
	    " r.version, r.duplicate_of_ticket AS duplicate_of"
	    " FROM kota.request_detail($1::bigint) r", 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(2);
	print_table_column(t, 0, NULL, PRINT_LEFT, 13);
	req_show_row(t, res, _("Ticket:"), "ticket");
	req_show_row(t, res, _("Status:"), "status");
	req_show_row(t, res, _("Priority:"), "priority");
	req_show_row(t, res, _("Service:"), "service_name");
	req_show_row(t, res, _("Department:"), "department");
	req_show_row(t, res, _("Assignee:"), "assignee");
	req_show_row(t, res, _("Address:"), "address");
	req_show_row(t, res, _("District:"), "district");
	req_show_row(t, res, _("Location:"), "location");
	req_show_row(t, res, _("Channel:"), "channel");
	req_show_row(t, res, _("Reporter:"), "reporter_name");
	req_show_row(t, res, _("Phone:"), "reporter_phone");
	req_show_row(t, res, _("Created:"), "created");
	req_show_row(t, res, _("Updated:"), "updated");
	req_show_row(t, res, _("Due:"), "due");
	req_show_row(t, res, _("Duplicate of:"), "duplicate_of");
	req_show_row(t, res, _("Version:"), "version");
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	printf("\n%s\n", PQgetvalue(res, 0, db_column(res, "description")));
	PQclear(res);
	return EXIT_OK;
}

/* When, who, what, public or internal, the change and the note. */
static int
req_show_history(struct ctl *ctl, const char *const *p)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	char			*last;
	int			 i;

	res = db_query(ctl->db, NULL,
	    "SELECT to_char(h.at, 'YYYY-MM-DD HH24:MI'), h.actor, h.kind,"
	    " CASE WHEN h.public THEN 'public' ELSE 'internal' END,"
	    " concat_ws(' -> ', h.old_value, h.new_value), coalesce(h.note, '')"
	    " FROM kota.request_history($1::bigint) h ORDER BY h.id", 1, p,
	    &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(5);
	print_table_gap(t, 0, "  ");
	print_table_gap(t, 1, "  ");
	print_table_column(t, 1, NULL, PRINT_LEFT, 16);
	print_table_column(t, 2, NULL, PRINT_LEFT, 9);
	print_table_column(t, 3, NULL, PRINT_LEFT, 8);
	for (i = 0; i < PQntuples(res); i++) {
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, PQgetvalue(res, i, 1));
		print_table_add(t, PQgetvalue(res, i, 2));
		print_table_add(t, PQgetvalue(res, i, 3));
		/* the change, then the note two spaces on */
		xasprintf(&last, "%s%s%s", PQgetvalue(res, i, 4),
		    PQgetvalue(res, i, 5)[0] != '\0' ? "  " : "",
		    PQgetvalue(res, i, 5));
		print_table_add(t, last);
		free(last);
	}
	PQclear(res);
	printf("\n%s\n", _("History:"));
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	return EXIT_OK;
}

static int
req_show_watchers(struct ctl *ctl, const char *const *p)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;

	res = db_query(ctl->db, NULL,
	    "SELECT coalesce(name, '-'), coalesce(contact, '-'), reason"
	    " FROM kota.request_watchers($1::bigint)", 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (PQntuples(res) > 0) {
		t = print_table_new(3);
		print_table_gap(t, 0, "  ");
		print_table_column(t, 0, NULL, PRINT_LEFT, 24);
		print_table_column(t, 1, NULL, PRINT_LEFT, 16);
		ctl_table_add_result(t, res);
		printf("\n%s\n", _("Watchers:"));
		print_table_text(stdout, t, 0);
		print_table_free(&t);
	}
	PQclear(res);
	return EXIT_OK;
}

static int
req_show(struct ctl *ctl, int argc, char **argv)
{
	char		 idbuf[24];
	const char	*p[1];
	int64_t		 id;
	int		 rc;

	if ((rc = ctl_parse_ref(NULL, argv[1], &id)) != EXIT_OK)
		return rc;
	snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
	p[0] = idbuf;
	if ((rc = req_show_fields(ctl, p)) != EXIT_OK ||
	    (rc = req_show_history(ctl, p)) != EXIT_OK)
		return rc;
	return req_show_watchers(ctl, p);
}

/* Refuse a filter value that names nothing, rather than list nothing. */
static int
req_check_exists(struct ctl *ctl, const char *sql, const char *what,
    const char *value)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1] = { value };
	int		 found;

	res = db_query(ctl->db, NULL, sql, 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	found = PQntuples(res) > 0;
	PQclear(res);
	if (!found) {
		log_error(_("%s \"%s\" does not exist"), what, value);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

static const struct option req_list_options[] = {
	{ "status", required_argument, NULL, 's' },
	{ "department", required_argument, NULL, 'd' },
	{ "service", required_argument, NULL, 'S' },
	{ "limit", required_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

static int
req_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[4] = { NULL, NULL, NULL, "50" };
	char			 lbuf[24];
	long			 limit;
	int			 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", req_list_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 's': p[0] = optarg; break;
		case 'd': p[1] = optarg; break;
		case 'S': p[2] = optarg; break;
		case 'l':
			if ((rc = ctl_parse_int("--limit", optarg, 1, 100000,
			    &limit)) != EXIT_OK)
				return rc;
			snprintf(lbuf, sizeof lbuf, "%ld", limit);
			p[3] = lbuf;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (p[0] != NULL && (rc = req_check_exists(ctl,
	    "SELECT 1 FROM kota.statuses WHERE code = $1 OR $1 IN ('open', 'closed')",
	    "status", p[0])) != EXIT_OK)
		return rc;
	if (p[1] != NULL && (rc = req_check_exists(ctl,
	    "SELECT 1 FROM kota.departments WHERE code = upper($1)",
	    "department", p[1])) != EXIT_OK)
		return rc;
	if (p[2] != NULL && (rc = req_check_exists(ctl,
	    "SELECT 1 FROM kota.services WHERE code = lower($1)",
	    "service", p[2])) != EXIT_OK)
		return rc;
	res = db_query(ctl->db, NULL,
	    "SELECT r.ticket, r.status, r.priority,"
	    " CASE WHEN now() - r.created_at >= interval '1 day'"
	    "  THEN floor(extract(epoch FROM now() - r.created_at) / 86400) || 'd'"
	    "  WHEN now() - r.created_at >= interval '1 hour'"
	    "  THEN floor(extract(epoch FROM now() - r.created_at) / 3600) || 'h'"
	    "  ELSE floor(extract(epoch FROM now() - r.created_at) / 60) || 'm' END,"
	    " r.department, r.service,"
	    " left(regexp_replace(concat_ws(': ', r.address, r.description),"
	    "  '[[:space:]]+', ' ', 'g'), 60)"
	    " FROM kota.request_list r"
	    " WHERE ($1::text IS NULL OR r.status = $1"
	    "  OR ($1 = 'open' AND r.is_open) OR ($1 = 'closed' AND NOT r.is_open))"
	    " AND ($2::text IS NULL OR r.department = upper($2))"
	    " AND ($3::text IS NULL OR r.service = lower($3))"
	    " ORDER BY r.created_at DESC, r.id DESC LIMIT $4::int", 4, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(7);
	print_table_column(t, 0, _("TICKET"), PRINT_LEFT, 12);
	print_table_column(t, 1, _("STATUS"), PRINT_LEFT, 12);
	print_table_column(t, 2, "P", PRINT_LEFT, 1);
	print_table_column(t, 3, _("AGE"), PRINT_RIGHT, 4);
	print_table_column(t, 4, _("QUEUE"), PRINT_LEFT, 10);
	print_table_column(t, 5, _("SERVICE"), PRINT_LEFT, 18);
	print_table_column(t, 6, _("WHERE / WHAT"), PRINT_LEFT, 0);
	ctl_table_add_result(t, res);
	PQclear(res);
	print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	return EXIT_OK;
}

static int
req_version_opt(const char *s, int *version)
{
	long	v;
	int	rc;

	if ((rc = ctl_parse_int("--version", s, 1, INT_MAX, &v)) != EXIT_OK)
		return rc;
	*version = (int)v;
	return EXIT_OK;
}

static const struct option req_status_options[] = {
	{ "note", required_argument, NULL, 'n' },
	{ "version", required_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static int
req_status(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	const char	*note = NULL;
	int64_t		 id;
	int		 ch, rc, version = REQUEST_NO_VERSION, newv;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", req_status_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'n': note = optarg; break;
		case 'v':
			if ((rc = req_version_opt(optarg, &version)) != 0)
				return rc;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if ((rc = ctl_parse_ref(NULL, argv[optind], &id)) != EXIT_OK)
		return rc;
	if (request_transition(ctl->db, id, argv[optind + 1], note, version,
	    &newv, &err) != 0)
		return ctl_fail(&err);
	ctl_say(ctl, _("request %s is now %s (version %d)\n"), argv[optind],
	    argv[optind + 1], newv);
	return EXIT_OK;
}

static const struct option req_assign_options[] = {
	{ "department", required_argument, NULL, 'd' },
	{ "agent", required_argument, NULL, 'a' },
	{ "version", required_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static int
req_assign(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	const char	*dept = NULL, *agent = NULL;
	int64_t		 id;
	int		 ch, rc, version = REQUEST_NO_VERSION, newv;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", req_assign_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd': dept = optarg; break;
		case 'a': agent = optarg; break;
		case 'v':
			if ((rc = req_version_opt(optarg, &version)) != 0)
				return rc;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (dept == NULL && agent == NULL)
		return ctl_usage("%s", _("request assign needs --department, --agent or both"));
	if ((rc = ctl_parse_ref(NULL, argv[optind], &id)) != EXIT_OK)
		return rc;
	if (request_assign(ctl->db, id, dept, agent, version, &newv,
	    &err) != 0)
		return ctl_fail(&err);
	ctl_say(ctl, _("request %s assigned (version %d)\n"), argv[optind],
	    newv);
	return EXIT_OK;
}

static const struct option req_comment_options[] = {
	{ "internal", no_argument, NULL, 'i' },
	{ "public", no_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 },
};

static int
req_comment(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	err;
	int64_t		id;
	int		ch, rc, public = 1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", req_comment_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'i': public = 0; break;
		case 'p': public = 1; break;
		default:
			return CTL_USAGE;
		}
	}
	if ((rc = ctl_parse_ref(NULL, argv[optind], &id)) != EXIT_OK)
		return rc;
	if (request_comment(ctl->db, id, argv[optind + 1], public, &err) != 0)
		return ctl_fail(&err);
	ctl_say(ctl, public ? _("public comment added to %s\n") :
	    _("internal note added to %s\n"), argv[optind]);
	return EXIT_OK;
}

static int
req_duplicate(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	err;
	int64_t		id, orig;
	int		rc, newv;

	if ((rc = ctl_parse_ref(NULL, argv[1], &id)) != EXIT_OK ||
	    (rc = ctl_parse_ref(NULL, argv[2], &orig)) != EXIT_OK)
		return rc;
	if (request_mark_duplicate(ctl->db, id, orig, REQUEST_NO_VERSION,
	    &newv, &err) != 0)
		return ctl_fail(&err);
	ctl_say(ctl, _("request %s is a duplicate of %s\n"), argv[1], argv[2]);
	return EXIT_OK;
}

static const struct option req_watch_options[] = {
	{ "phone", required_argument, NULL, 'p' },
	{ "name", required_argument, NULL, 'n' },
	{ "email", required_argument, NULL, 'e' },
	{ NULL, 0, NULL, 0 },
};

static int
req_watch(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	const char	*phone = NULL, *name = NULL, *email = NULL;
	int64_t		 id;
	int		 ch, rc;
	bool		 added;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", req_watch_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'p': phone = optarg; break;
		case 'n': name = optarg; break;
		case 'e': email = optarg; break;
		default:
			return CTL_USAGE;
		}
	}
	if (phone == NULL && email == NULL)
		return ctl_usage("%s", _("request watch needs --phone or --email"));
	if ((rc = ctl_parse_ref(NULL, argv[optind], &id)) != EXIT_OK)
		return rc;
	if (request_watch(ctl->db, id, phone, name, email, &added, &err) != 0)
		return ctl_fail(&err);
	ctl_say(ctl, added ? _("the caller now follows %s\n") :
	    _("the caller already follows %s; nothing changed\n"),
	    argv[optind]);
	return EXIT_OK;
}

static const struct ctl_entry req_new_entry = {
	.name = "new",
	.usage = "--service CODE --description TEXT [--address TEXT] [--district TEXT] [--phone P] [--email E] [--name N] [--lat X --lon Y] [--department CODE] [--priority 1-4] [--channel C] [--lang id|en] [--assign AGENT]",
	.flags = CTL_DB,
	.help = N_("log a request; prints its id and ticket"),
	.options = req_new_options,
	.exec = req_new,
};

static const struct ctl_entry req_show_entry = {
	.name = "show",
	.usage = "ID|TICKET",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("print a request, its history and its watchers"),
	.exec = req_show,
};

static const struct ctl_entry req_status_entry = {
	.name = "status",
	.usage = "ID STATUS [--note TEXT] [--version N]",
	.args_min = 2,
	.args_max = 2,
	.flags = CTL_DB,
	.help = N_("move a request to another status"),
	.options = req_status_options,
	.exec = req_status,
};

static const struct ctl_entry req_list_entry = {
	.name = "list",
	.usage = "[--status S] [--department D] [--service S] [--limit N]",
	.flags = CTL_DB,
	.help = N_("list requests, newest first"),
	.options = req_list_options,
	.exec = req_list,
};

static const struct ctl_entry req_assign_entry = {
	.name = "assign",
	.usage = "ID [--department CODE] [--agent NAME] [--version N]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("assign a request to a department, an agent or both"),
	.options = req_assign_options,
	.exec = req_assign,
};

static const struct ctl_entry req_comment_entry = {
	.name = "comment",
	.usage = "ID TEXT [--internal]",
	.args_min = 2,
	.args_max = 2,
	.flags = CTL_DB,
	.help = N_("add a public comment, or an internal note"),
	.options = req_comment_options,
	.exec = req_comment,
};

static const struct ctl_entry req_duplicate_entry = {
	.name = "duplicate",
	.usage = "ID ORIGINAL",
	.args_min = 2,
	.args_max = 2,
	.flags = CTL_DB,
	.help = N_("mark a request as a duplicate of an open one"),
	.exec = req_duplicate,
};

static const struct ctl_entry req_watch_entry = {
	.name = "watch",
	.usage = "ID --phone P [--name N] [--email E]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("let a caller follow a request"),
	.options = req_watch_options,
	.exec = req_watch,
};

static const struct ctl_entry *const request_commands[] = {
	&req_new_entry,
	&req_show_entry,
	&req_status_entry,
	&req_list_entry,
	&req_assign_entry,
	&req_comment_entry,
	&req_duplicate_entry,
	&req_watch_entry,
	NULL,
};

const struct ctl_entry ctl_request_entry = {
	.name = "request",
	.help = N_("log, show, list and move requests"),
	.sub = request_commands,
};
