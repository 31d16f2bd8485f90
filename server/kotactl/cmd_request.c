/*
 * cmd_request.c: kotactl request new|show|status|list|assign|comment|duplicate|watch
 *
 * A status is taken as its code or as the console names it, a service and
 * a department as codes, each checked first (vocab.c); what a person reads
 * names the statuses in the language of the messages, what a script reads
 * (--format csv) by their codes.
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
	{ "idempotency-key", required_argument, NULL, 'K' },
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
		case 'K': in.idempotency_key = optarg; break;
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
	if ((rc = ctl_service_check(ctl, in.service)) != EXIT_OK ||
	    (in.department != NULL &&
	    (rc = ctl_department_check(ctl, in.department)) != EXIT_OK))
		return rc;
	if (request_create(ctl->db, NULL, &in, &out, &err) != 0)
		return ctl_fail(&err);
	printf("%" PRId64 " %s\n", out.id, out.ticket);
	if (!ctl->quiet && out.replayed)
		fprintf(stderr, _("request %s was already created with this idempotency key, in queue %s, priority %d; nothing new was made\n"),
		    out.ticket, out.department, out.priority);
	else if (!ctl->quiet)
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

/*
 * When the point and the typed district disagree, kota.request_detail()
 * says so in English (place_note); said here from its columns in the
 * language of the messages, as the console says it.
 */
static void
req_show_place_note(struct print_table *t, const PGresult *res)
{
	int	 note = db_column(res, "place_note");
	int	 kec = db_column(res, "kecamatan");
	int	 kel = db_column(res, "kelurahan");
	int	 dis = db_column(res, "district");
	char	*text;

	if (note < 0 || PQgetisnull(res, 0, note))
		return;
	if (kec < 0 || PQgetisnull(res, 0, kec) || dis < 0 ||
	    PQgetisnull(res, 0, dis))
		text = xstrdup(PQgetvalue(res, 0, note));
	else if (kel >= 0 && !PQgetisnull(res, 0, kel))
		xasprintf(&text, _("the point lies in kelurahan %s, kecamatan %s, not in \"%s\""),
		    PQgetvalue(res, 0, kel), PQgetvalue(res, 0, kec),
		    PQgetvalue(res, 0, dis));
	else
		xasprintf(&text, _("the point lies in kecamatan %s, not in \"%s\""),
		    PQgetvalue(res, 0, kec), PQgetvalue(res, 0, dis));
	print_table_add(t, _("Mismatch:"));
	print_table_add(t, text);
	free(text);
}

/* The request's fields, as the console reads them (tui/data.c). */
static int
req_show_fields(struct ctl *ctl, const char *const *p)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;

	/*
	 * kota.request_detail() refuses a request that does not exist, and
	 * records the read of the reporter's record: a write
	 */
	res = db_exec(ctl->db, NULL,
	    "SELECT r.ticket, coalesce((SELECT " CTL_STATUS_LABEL(2)
	    "  FROM kota.statuses st WHERE st.code = r.status), r.status)"
	    "  AS status, r.priority,"
	    " r.service_name_id || ' / ' || r.service_name_en AS service_name,"
	    " r.department, r.assignee, r.description, r.address, r.district,"
	    " CASE WHEN r.lat IS NOT NULL THEN r.lat || ',' || r.lon END AS location,"
	    " r.channel, r.reporter_name, r.reporter_phone,"
	    " to_char(r.created_at, 'YYYY-MM-DD HH24:MI') AS created,"
	    " to_char(r.updated_at, 'YYYY-MM-DD HH24:MI') AS updated,"
	    " to_char(r.due_at, 'YYYY-MM-DD HH24:MI') AS due,"
	    " r.version, r.duplicate_of_ticket AS duplicate_of,"
	    " r.kecamatan, r.kelurahan, r.place_note"
	    " FROM kota.request_detail($1::bigint) r", 2, p, PGRES_TUPLES_OK,
	    &err);
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
	/* the areas the point lies in, and where they and the district differ */
	req_show_row(t, res, _("Kecamatan:"), "kecamatan");
	req_show_row(t, res, _("Kelurahan:"), "kelurahan");
	req_show_place_note(t, res);
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
	/* the caller's words, lines kept, controls shown not obeyed */
	putchar('\n');
	print_text(stdout, PQgetvalue(res, 0, db_column(res, "description")),
	    PRINT_KEEP_LINES);
	putchar('\n');
	PQclear(res);
	return EXIT_OK;
}

/* The kinds of event of kota.request_event, as a person reads them */
static const struct {
	const char	*kind;
	const char	*name;
} req_event_kinds[] = {
	{ "created", N_("created") },
	{ "status", N_("status") },
	{ "assigned", N_("assigned") },
	{ "routed", N_("routed") },
	{ "comment", N_("comment") },
	{ "note", N_("note") },
	{ "duplicate", N_("duplicate") },
	{ "watcher", N_("watcher") },
	{ "priority", N_("priority") },
	{ "escalated", N_("escalated") },
	{ "notified", N_("notified") },
	{ "sla_warning", N_("SLA warning") },
};

static const char *
req_event_kind(const char *kind)
{
	size_t	i;

	for (i = 0; i < sizeof req_event_kinds / sizeof req_event_kinds[0];
	    i++)
		if (strcmp(req_event_kinds[i].kind, kind) == 0)
			return _(req_event_kinds[i].name);
	return kind;
}

/*
 * When, who, what, public or internal, the change and the note; the
 * statuses a change names by their names, as the console shows them.
 */
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
	    " h.public, concat_ws(' -> ',"
	    "  coalesce((SELECT " CTL_STATUS_LABEL(2) " FROM kota.statuses st"
	    "   WHERE h.kind IN ('created', 'status') AND st.code = h.old_value),"
	    "   h.old_value),"
	    "  coalesce((SELECT " CTL_STATUS_LABEL(2) " FROM kota.statuses st"
	    "   WHERE h.kind IN ('created', 'status') AND st.code = h.new_value),"
	    "   h.new_value)),"
	    " coalesce(h.note, '')"
	    " FROM kota.request_history($1::bigint) h ORDER BY h.id", 2, p,
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
		print_table_add(t, req_event_kind(PQgetvalue(res, i, 2)));
		print_table_add(t, strcmp(PQgetvalue(res, i, 3), "t") == 0 ?
		    _("public") : _("internal"));
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

	/* records the read of the watchers' contacts: a write */
	res = db_exec(ctl->db, NULL,
	    "SELECT coalesce(name, '-'), coalesce(contact, '-'), reason"
	    " FROM kota.request_watchers($1::bigint)", 1, p, PGRES_TUPLES_OK,
	    &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (PQntuples(res) > 0) {
		t = print_table_new(3);
		print_table_gap(t, 0, "  ");
		print_table_column(t, 0, NULL, PRINT_LEFT, 24);
		print_table_column(t, 1, NULL, PRINT_LEFT, 16);
		print_table_add_result(t, res);
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
	const char	*p[2];
	int64_t		 id;
	int		 rc;

	if ((rc = ctl_parse_ref(NULL, argv[1], &id)) != EXIT_OK)
		return rc;
	snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
	p[0] = idbuf;
	p[1] = i18n_lang();
	if ((rc = req_show_fields(ctl, p)) != EXIT_OK ||
	    (rc = req_show_history(ctl, p)) != EXIT_OK)
		return rc;
	return req_show_watchers(ctl, p);
}

#define REQ_LIST_LIMIT	50	/* rows when --limit does not say */

/*
 * request list's filters: $1 a status code, "open" (every open status)
 * or "closed" (every closed one, the status closed among them), $2 a
 * department, $3 a service.
 */
#define REQ_LIST_WHERE							\
	" WHERE ($1::text IS NULL OR r.status = $1"			\
	"  OR ($1 = 'open' AND r.is_open) OR ($1 = 'closed' AND NOT r.is_open))" \
	" AND ($2::text IS NULL OR r.department = upper(btrim($2)))"	\
	" AND ($3::text IS NULL OR r.service = lower(btrim($3)))"

/* For a person: the status's name, the age, where and what in short */
static const char req_list_text_sql[] =
    "SELECT r.ticket, coalesce(" CTL_STATUS_LABEL(6) ", r.status),"
    " r.priority,"
    " CASE WHEN now() - r.created_at >= interval '1 day'"
    "  THEN floor(extract(epoch FROM now() - r.created_at) / 86400) || 'd'"
    "  WHEN now() - r.created_at >= interval '1 hour'"
    "  THEN floor(extract(epoch FROM now() - r.created_at) / 3600) || 'h'"
    "  ELSE floor(extract(epoch FROM now() - r.created_at) / 60) || 'm' END,"
    " r.department, r.service,"
    " left(regexp_replace(concat_ws(': ', r.address, r.description),"
    "  '[[:space:]]+', ' ', 'g'), 60)"
    " FROM kota.request_list r LEFT JOIN kota.statuses st"
    "  ON st.code = r.status"
    REQ_LIST_WHERE
    " ORDER BY r.created_at DESC, r.id DESC LIMIT $4::int OFFSET $5::int";

/* For a script: codes, whole values, a column each */
static const char req_list_csv_sql[] =
    "SELECT r.id, r.ticket, r.status, r.is_open, r.priority, r.department,"
    " r.service, r.assignee,"
    " to_char(r.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF') AS created_at,"
    " r.address, r.district, r.description"
    " FROM kota.request_list r"
    REQ_LIST_WHERE
    " ORDER BY r.created_at DESC, r.id DESC LIMIT $4::int OFFSET $5::int";

static const struct option req_list_options[] = {
	{ "status", required_argument, NULL, 's' },
	{ "department", required_argument, NULL, 'd' },
	{ "service", required_argument, NULL, 'S' },
	{ "limit", required_argument, NULL, 'l' },
	{ "offset", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'F' },
	{ NULL, 0, NULL, 0 },
};

/* The list stopped at its limit with more rows after it: say how many. */
static int
req_list_more(struct ctl *ctl, const char *const *p, long offset,
    long shown)
{
	struct db_error	 err;
	PGresult	*res;

	res = db_query(ctl->db, NULL, "SELECT count(*) FROM kota.request_list r"
	    REQ_LIST_WHERE, 3, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	ctl_list_more(offset, shown, atol(PQgetvalue(res, 0, 0)));
	PQclear(res);
	return EXIT_OK;
}

static void
req_list_table(struct ctl *ctl, PGresult *res, int csv, long limit)
{
	struct print_table	*t;
	int			 i, j;

	t = print_table_new(PQnfields(res));
	if (csv) {
		for (j = 0; j < PQnfields(res); j++)
			print_table_column(t, j, PQfname(res, j), PRINT_LEFT, 0);
	} else {
		print_table_column(t, 0, _("TICKET"), PRINT_LEFT, 12);
		print_table_column(t, 1, _("STATUS"), PRINT_LEFT, 12);
		print_table_column(t, 2, "P", PRINT_LEFT, 1);
		print_table_column(t, 3, _("AGE"), PRINT_RIGHT, 4);
		print_table_column(t, 4, _("QUEUE"), PRINT_LEFT, 10);
		print_table_column(t, 5, _("SERVICE"), PRINT_LEFT, 18);
		print_table_column(t, 6, _("WHERE / WHAT"), PRINT_LEFT, 0);
	}
	for (i = 0; i < PQntuples(res) && i < limit; i++)
		print_table_add_row(t, res, i);
	if (csv)
		print_table_csv(stdout, t);
	else
		print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
}

static int
req_list(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
	char		 status[64], lbuf[24], obuf[24];
	long		 limit = REQ_LIST_LIMIT, offset = 0;
	int		 ch, rc, csv = 0;

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
			break;
		case 'o':
			if ((rc = ctl_parse_int("--offset", optarg, 0,
			    100000000, &offset)) != EXIT_OK)
				return rc;
			break;
		case 'F':
			if (strcmp(optarg, "csv") == 0)
				csv = 1;
			else if (strcmp(optarg, "text") != 0)
				return ctl_invalid(_("--format must be text or csv, not '%s'"),
				    optarg);
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (p[0] != NULL) {
		if ((rc = ctl_status_resolve(ctl, p[0], 1, status,
		    sizeof status)) != EXIT_OK)
			return rc;
		p[0] = status;
	}
	if ((p[1] != NULL && (rc = ctl_department_check(ctl, p[1])) !=
	    EXIT_OK) ||
	    (p[2] != NULL && (rc = ctl_service_check(ctl, p[2])) != EXIT_OK))
		return rc;
	/* one row more than shown tells whether there are more */
	snprintf(lbuf, sizeof lbuf, "%ld", limit + 1);
	snprintf(obuf, sizeof obuf, "%ld", offset);
	p[3] = lbuf;
	p[4] = obuf;
	p[5] = i18n_lang();
	res = db_query(ctl->db, NULL, csv ? req_list_csv_sql :
	    req_list_text_sql, csv ? 5 : 6, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	req_list_table(ctl, res, csv, limit);
	rc = EXIT_OK;
	if (PQntuples(res) > limit)
		rc = req_list_more(ctl, p, offset, limit);
	PQclear(res);
	return rc;
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

/* "request 17 is now in progress (version 3)", in the console's words */
static void
req_say_status(struct ctl *ctl, const char *ref, const char *code,
    int version)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[2] = { code, i18n_lang() };

	res = db_query(ctl->db, NULL, "SELECT " CTL_STATUS_LABEL(2)
	    " FROM kota.statuses st WHERE st.code = $1", 2, p, &err);
	ctl_say(ctl, _("request %s is now %s (version %d)\n"), ref,
	    res != NULL && PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : code,
	    version);
	PQclear(res);
}

static int
req_status(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	char		 status[64];
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
	if ((rc = ctl_parse_ref(NULL, argv[optind], &id)) != EXIT_OK ||
	    (rc = ctl_status_resolve(ctl, argv[optind + 1], 0, status,
	    sizeof status)) != EXIT_OK)
		return rc;
	if (request_transition(ctl->db, id, status, note, version, &newv,
	    &err) != 0)
		return ctl_fail(&err);
	if (!ctl->quiet)
		req_say_status(ctl, argv[optind], status, newv);
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
	if ((rc = ctl_parse_ref(NULL, argv[optind], &id)) != EXIT_OK ||
	    (dept != NULL && (rc = ctl_department_check(ctl, dept)) != EXIT_OK))
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
	.usage = "--service CODE --description TEXT [--address TEXT] [--district TEXT] [--phone P] [--email E] [--name N] [--lat X --lon Y] [--department CODE] [--priority 1-4] [--channel C] [--lang id|en] [--assign AGENT] [--idempotency-key KEY]",
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
	.usage = "[--status S] [--department D] [--service S] [--limit N] [--offset N] [--format text|csv]",
	.flags = CTL_DB | CTL_READ,
	.help = N_("list requests, newest first, 50 unless --limit says"),
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
