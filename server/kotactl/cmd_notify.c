/*
 * cmd_notify.c: kotactl notifications list|retry
 *
 * list reads the view kota.notification_list (newest first), with the
 * segments and encoding of each SMS that kotad rendered, counted by
 * lib/sms.c as kotad counts them when it fits a text; retry
 * re-queues a dead, failed or suppressed notification, or every dead one,
 * through kota.notification_retry() and kota.notification_retry_dead(),
 * which need a supervisor.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "request.h"
#include "sms.h"

static const char *const ntf_states[] = {
	"pending", "sending", "sent", "failed", "dead", "suppressed", NULL,
};

/* TRANSLATORS: a notification's state in "kotactl notifications list" */
static const char *const ntf_state_names[] = {
	N_("pending"), N_("sending"), N_("sent"), N_("failed"), N_("dead"),
	N_("suppressed"),
};

/* Events that are not a status, whose names the statuses do not give. */
static const struct {
	const char	*code;
	const char	*name;
} ntf_events[] = {
	/* TRANSLATORS: the event a notification tells of */
	{ "created", N_("received") },
	{ "comment", N_("comment") },
	{ "sla_warning", N_("SLA warning") },
	{ "escalated", N_("escalated") },
};

static const char *
ntf_state_name(const char *state)
{
	int	i;

	for (i = 0; ntf_states[i] != NULL; i++)
		if (strcmp(ntf_states[i], state) == 0)
			return _(ntf_state_names[i]);
	return state;
}

static const char *
ntf_event_name(const char *event)
{
	size_t	i;

	for (i = 0; i < sizeof ntf_events / sizeof ntf_events[0]; i++)
		if (strcmp(ntf_events[i].code, event) == 0)
			return _(ntf_events[i].name);
	return event;
}

static int
ntf_state_ok(const char *s)
{
	int	i;

	for (i = 0; ntf_states[i] != NULL; i++)
		if (strcmp(ntf_states[i], s) == 0)
			return 1;
	return 0;
}

/* The columns of the list's query, the text last. */
enum {
	NTF_ID, NTF_TICKET, NTF_EVENT, NTF_CHANNEL, NTF_TO, NTF_STATE,
	NTF_TRY, NTF_WHEN, NTF_ERROR, NTF_TEXT, NTF_STATUS_NAME,
};

/* Segments and encoding of an SMS's text; "-" until kotad rendered it. */
static void
ntf_add_segments(struct print_table *t, PGresult *res, int row)
{
	struct sms_count	 c;
	const char		*text = PQgetvalue(res, row, NTF_TEXT);
	char			 segs[16];

	if (strcmp(PQgetvalue(res, row, NTF_CHANNEL), "sms") != 0 ||
	    text[0] == '\0') {
		print_table_add(t, "-");
		print_table_add(t, "-");
		return;
	}
	sms_count(text, strlen(text), &c);
	snprintf(segs, sizeof segs, "%d", c.segments);
	print_table_add(t, segs);
	print_table_add(t, sms_encoding_name(c.encoding));
}

static void
ntf_print(PGresult *res, int rows, bool quiet)
{
	struct print_table	*t;
	const char		*v;
	int			 i, j;

	t = print_table_new(11);
	print_table_column(t, 0, _("ID"), PRINT_LEFT, 8);
	print_table_column(t, 1, _("TICKET"), PRINT_LEFT, 12);
	print_table_column(t, 2, _("EVENT"), PRINT_LEFT, 14);
	print_table_column(t, 3, _("CHANNEL"), PRINT_LEFT, 7);
	print_table_column(t, 4, _("TO"), PRINT_LEFT, 22);
	print_table_column(t, 5, _("STATE"), PRINT_LEFT, 10);
	print_table_column(t, 6, _("TRY"), PRINT_RIGHT, 3);
	print_table_column(t, 7, _("SEGMENTS"), PRINT_RIGHT, 8);
	print_table_column(t, 8, _("ENCODING"), PRINT_LEFT, 8);
	print_table_column(t, 9, _("WHEN"), PRINT_LEFT, 16);
	print_table_column(t, 10, _("LAST ERROR"), PRINT_LEFT, 0);
	for (i = 0; i < PQntuples(res) && i < rows; i++) {
		for (j = NTF_ID; j <= NTF_WHEN; j++) {
			if (j == NTF_WHEN)
				ntf_add_segments(t, res, i);
			v = PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j);
			/* names, never codes, for people to read */
			if (j == NTF_EVENT)
				v = !PQgetisnull(res, i, NTF_STATUS_NAME) ?
				    PQgetvalue(res, i, NTF_STATUS_NAME) :
				    ntf_event_name(v);
			else if (j == NTF_STATE)
				v = ntf_state_name(v);
			print_table_add(t, v);
		}
		print_table_add(t, PQgetvalue(res, i, NTF_ERROR));
	}
	print_table_text(stdout, t, quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
}

static const struct option ntf_list_options[] = {
	{ "state", required_argument, NULL, 's' },
	{ "request", required_argument, NULL, 'r' },
	{ "limit", required_argument, NULL, 'l' },
	{ "offset", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

#define NTF_LIST_WHERE \
	" WHERE ($1::text IS NULL OR n.state = $1)" \
	" AND ($2::bigint IS NULL OR n.request_id = $2::bigint)"

static int
ntf_list(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[5] = { NULL, NULL, NULL, NULL, NULL };
	char		 idbuf[24], lbuf[24], obuf[24];
	int64_t		 id;
	long		 limit = 50, offset = 0;
	int		 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", ntf_list_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 's':
			if (!ntf_state_ok(optarg))
				return ctl_invalid(_("--state '%s' must be pending, sending, sent, failed, dead or suppressed"),
				    optarg);
			p[0] = optarg;
			break;
		case 'r':
			if ((rc = ctl_parse_ref("--request", optarg, &id)) !=
			    EXIT_OK)
				return rc;
			snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
			p[1] = idbuf;
			break;
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
		default:
			return CTL_USAGE;
		}
	}
	if (p[1] != NULL) {
		res = db_query(ctl->db, NULL,
		    "SELECT 1 FROM kota.request_list WHERE id = $1::bigint", 1,
		    &p[1], &err);
		if (res == NULL)
			return ctl_fail(&err);
		rc = PQntuples(res);
		PQclear(res);
		if (rc == 0) {
			log_error(_("request %s does not exist"), p[1]);
			return EXIT_REFUSED;
		}
	}
	/* one row more than shown tells whether there are more */
	snprintf(lbuf, sizeof lbuf, "%ld", limit + 1);
	snprintf(obuf, sizeof obuf, "%ld", offset);
	p[2] = lbuf;
	p[3] = obuf;
	p[4] = i18n_lang();
	res = db_query(ctl->db, NULL,
	    "SELECT n.id, n.ticket, n.event, n.channel,"
	    " CASE n.target WHEN 'citizen' THEN coalesce(n.recipient,"
	    "  'citizen ' || n.citizen_id) WHEN 'reply' THEN"
	    "  coalesce(n.recipient, 'reply') WHEN 'department' THEN"
	    "  'dept ' || n.department ELSE 'city' END,"
	    " n.state, n.attempts,"
	    " to_char(CASE WHEN n.state = 'sent' THEN n.sent_at"
	    "  ELSE n.next_attempt_at END, 'YYYY-MM-DD HH24:MI'),"
	    " coalesce(left(n.last_error, 60), ''), n.payload,"
	    " (SELECT CASE WHEN $5 = 'id' THEN st.label_id ELSE st.label_en END"
	    "  FROM kota.statuses st WHERE st.code = n.event)"
	    " FROM kota.notification_list n" NTF_LIST_WHERE
	    " ORDER BY n.id DESC LIMIT $3::int OFFSET $4::int", 5, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	ntf_print(res, (int)limit, ctl->quiet);
	rc = EXIT_OK;
	if (PQntuples(res) > limit) {
		PQclear(res);
		res = db_query(ctl->db, NULL, "SELECT count(*)"
		    " FROM kota.notification_list n" NTF_LIST_WHERE, 2, p, &err);
		if (res == NULL)
			return ctl_fail(&err);
		ctl_list_more(offset, limit, atol(PQgetvalue(res, 0, 0)));
	}
	PQclear(res);
	return rc;
}

static const struct option ntf_retry_options[] = {
	{ "dead", no_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 },
};

static int
ntf_retry(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1] = { NULL };
	char		 idbuf[24];
	long		 id;
	int		 ch, rc, dead = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", ntf_retry_options, NULL)) !=
	    -1) {
		if (ch != 'd')
			return CTL_USAGE;
		dead = 1;
	}
	if (dead == (optind < argc))
		return ctl_usage("%s", _("notifications retry takes ID or --dead"));
	if (!dead) {
		if ((rc = ctl_parse_int("ID", argv[optind], 1, LONG_MAX,
		    &id)) != EXIT_OK)
			return rc;
		snprintf(idbuf, sizeof idbuf, "%ld", id);
		p[0] = idbuf;
	}
	if (dead)
		res = db_exec(ctl->db, NULL,
		    "SELECT kota.notification_retry_dead()", 0, NULL,
		    PGRES_TUPLES_OK, &err);
	else
		res = db_exec(ctl->db, NULL,
		    "SELECT kota.notification_retry($1::bigint)", 1, p,
		    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (dead)
		ctl_say(ctl, _("%s dead notifications re-queued\n"),
		    PQgetvalue(res, 0, 0));
	else
		ctl_say(ctl, _("notification %s re-queued\n"), p[0]);
	PQclear(res);
	return EXIT_OK;
}

static const struct ctl_entry ntf_list_entry = {
	.name = "list",
	.usage = "[--state S] [--request ID] [--limit N] [--offset N]",
	.flags = CTL_DB,
	.help = N_("list the outbox kotad delivers, newest first"),
	.options = ntf_list_options,
	.exec = ntf_list,
};

static const struct ctl_entry ntf_retry_entry = {
	.name = "retry",
	.usage = "ID|--dead",
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("re-queue one notification, or every dead one"),
	.options = ntf_retry_options,
	.exec = ntf_retry,
};

static const struct ctl_entry *const notifications_commands[] = {
	&ntf_list_entry,
	&ntf_retry_entry,
	NULL,
};

const struct ctl_entry ctl_notifications_entry = {
	.name = "notifications",
	.help = N_("the messages and webhooks kotad sends"),
	.sub = notifications_commands,
};
