/*
 * cmd_citizen.c: kotactl citizen export|erase, a citizen's rights over
 * their personal data (UU No. 27 Tahun 2022)
 *
 * "export" is the right of access: everything the city holds about the
 * citizen of a phone number, from kota.citizen_export(), as JSON (the
 * document the function builds, printed as it is) or as text for a person
 * (read back out of that same document, so that the export is made and
 * recorded once).  "erase" is the right of erasure: kota.citizen_erase()
 * anonymises the citizen everywhere and keeps the requests.  Both are for
 * admins, and both are recorded in the access log (schema/api/privacy.sql).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"

static const struct db_stmt citizen_stmt_export = {
	"ctl_citizen_export", "SELECT kota.citizen_export($1)", 1, DB_WRITE
};

static const struct db_stmt citizen_stmt_erase = {
	"ctl_citizen_erase",
	"SELECT citizen_id, requests, notifications, suppressed"
	" FROM kota.citizen_erase($1)", 1, DB_WRITE
};

static const struct db_stmt citizen_stmt_phone = {
	"ctl_citizen_phone", "SELECT kota.phone_normalise($1)", 1, DB_READ
};

/* The export document, $1, read back for the text format. */
static const struct db_stmt citizen_stmt_who = {
	"ctl_citizen_who",
	"SELECT d->'citizen'->>'id', d->'citizen'->>'name',"
	" d->'citizen'->>'phone', d->'citizen'->>'email',"
	" d->'citizen'->>'lang', d->'citizen'->>'channel',"
	" d->'citizen'->>'opted_out', d->'citizen'->>'created_at',"
	" d->>'exported_at'"
	" FROM (SELECT $1::jsonb AS d) x", 1, DB_READ
};
static const struct db_stmt citizen_stmt_requests = {
	"ctl_citizen_requests",
	"SELECT r->>'ticket', r->>'role', r->>'service_name', r->>'status',"
	" left(r->>'created_at', 10), coalesce(left(r->>'closed_at', 10), '-'),"
	" coalesce(r->>'address', '-'), r->>'description'"
	" FROM jsonb_array_elements($1::jsonb->'requests') r", 1, DB_READ
};
static const struct db_stmt citizen_stmt_notifications = {
	"ctl_citizen_notifications",
	"SELECT n->>'created_at', n->>'ticket', n->>'channel',"
	" coalesce(n->>'event', '-'), n->>'state', coalesce(n->>'text', '-')"
	" FROM jsonb_array_elements($1::jsonb->'notifications') n", 1, DB_READ
};
static const struct db_stmt citizen_stmt_messages = {
	"ctl_citizen_messages",
	"SELECT m->>'at', coalesce(m->>'ticket', '-'), m->>'channel',"
	" m->>'action', m->>'text', coalesce(m->>'reply', '-')"
	" FROM jsonb_array_elements($1::jsonb->'messages') m", 1, DB_READ
};
static const struct db_stmt citizen_stmt_access = {
	"ctl_citizen_access",
	"SELECT a->>'at', a->>'agent', a->>'purpose', coalesce(a->>'ticket', '-')"
	" FROM jsonb_array_elements($1::jsonb->'access_log') a", 1, DB_READ
};

/* A section of the text format: its title and its rows as columns. */
static int
citizen_text_section(struct ctl *ctl, const struct db_stmt *st,
    const char *doc, const char *title, int ncols)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1] = { doc };
	int			 i;

	if ((res = db_run(ctl->db, st, p, &err)) == NULL)
		return ctl_fail(&err);
	printf("\n%s (%d)\n", title, PQntuples(res));
	if (PQntuples(res) > 0) {
		t = print_table_new(ncols);
		for (i = 1; i < ncols; i++)
			print_table_gap(t, i, "  ");
		ctl_table_add_result(t, res);
		print_table_text(stdout, t, PRINT_NO_HEADER);
		print_table_free(&t);
	}
	PQclear(res);
	return EXIT_OK;
}

static int
citizen_text(struct ctl *ctl, const char *doc)
{
	static const char *labels[] = {
		N_("Citizen:"), N_("Name:"), N_("Phone:"), N_("E-mail:"),
		N_("Language:"), N_("Channel:"), N_("Opted out:"),
		N_("Since:"), N_("Exported:"),
	};
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1] = { doc };
	size_t			 i;
	int			 rc;

	if ((res = db_run(ctl->db, &citizen_stmt_who, p, &err)) == NULL)
		return ctl_fail(&err);
	t = print_table_new(2);
	print_table_column(t, 0, NULL, PRINT_LEFT, 12);
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		print_table_add(t, _(labels[i]));
		print_table_add(t, PQgetisnull(res, 0, (int)i) ? "-" :
		    PQgetvalue(res, 0, (int)i));
	}
	PQclear(res);
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	if ((rc = citizen_text_section(ctl, &citizen_stmt_requests, doc,
	    _("Requests reported or followed:"), 8)) != EXIT_OK ||
	    (rc = citizen_text_section(ctl, &citizen_stmt_notifications, doc,
	    _("Messages sent or due:"), 6)) != EXIT_OK ||
	    (rc = citizen_text_section(ctl, &citizen_stmt_messages, doc,
	    _("Messages received (SMS, WhatsApp) and the answers:"), 6)) !=
	    EXIT_OK)
		return rc;
	return citizen_text_section(ctl, &citizen_stmt_access, doc,
	    _("Reads of this record:"), 4);
}

static const struct option citizen_export_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

static int
citizen_export(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1];
	bool		 text = false;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", citizen_export_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				text = true;
			else if (strcmp(optarg, "json") != 0)
				return ctl_invalid(_("--format: '%s' is not json or text"),
				    optarg);
			break;
		default:
			return CTL_USAGE;
		}
	}
	p[0] = argv[optind];
	if ((res = db_run(ctl->db, &citizen_stmt_export, p, &err)) == NULL)
		return ctl_fail(&err);
	if (!text) {
		printf("%s\n", PQgetvalue(res, 0, 0));
		rc = EXIT_OK;
	} else
		rc = citizen_text(ctl, PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

/* On a terminal, ask; "y" or "yes" (either language's "ya") goes on. */
static bool
citizen_confirm(const char *phone)
{
	char	line[32];
	size_t	n;

	fprintf(stderr, _("Erase the name, phone number and e-mail of the citizen of %s everywhere? This cannot be undone. [y/N] "),
	    phone);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		return false;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0 ||
	    strcasecmp(line, "ya") == 0;
}

static const struct option citizen_erase_options[] = {
	{ "yes", no_argument, NULL, 'y' },
	{ NULL, 0, NULL, 0 },
};

static int
citizen_erase(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1];
	char		 phone[32];
	bool		 yes = false;
	int		 ch;

	while ((ch = getopt_long(argc, argv, "", citizen_erase_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'y':
			yes = true;
			break;
		default:
			return CTL_USAGE;
		}
	}
	p[0] = argv[optind];
	/* the number as the database keeps it: refused here if it is none */
	if ((res = db_run(ctl->db, &citizen_stmt_phone, p, &err)) == NULL)
		return ctl_fail(&err);
	snprintf(phone, sizeof phone, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			log_error("%s", _("erasing cannot be undone: give --yes to erase without a terminal to ask on"));
			return EXIT_USAGE;
		}
		if (!citizen_confirm(phone)) {
			log_error("%s", _("nothing erased"));
			return EXIT_REFUSED;
		}
	}
	if ((res = db_run(ctl->db, &citizen_stmt_erase, p, &err)) == NULL)
		return ctl_fail(&err);
	if (PQntuples(res) == 0)
		ctl_say(ctl, _("nothing to erase: no citizen holds %s (never did, or was erased already)\n"),
		    phone);
	else
		ctl_say(ctl, _("citizen %s erased: name, phone and e-mail removed; %s requests kept, %s notifications scrubbed, %s pending ones suppressed\n"),
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
	PQclear(res);
	return EXIT_OK;
}

static const struct ctl_entry citizen_export_entry = {
	.name = "export",
	.usage = "PHONE [--format json|text]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("print everything held about a citizen (right of access)"),
	.options = citizen_export_options,
	.exec = citizen_export,
};

static const struct ctl_entry citizen_erase_entry = {
	.name = "erase",
	.usage = "PHONE [--yes]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("anonymise a citizen everywhere, keeping the requests (right of erasure)"),
	.options = citizen_erase_options,
	.exec = citizen_erase,
};

static const struct ctl_entry *const citizen_subs[] = {
	&citizen_export_entry,
	&citizen_erase_entry,
	NULL,
};

const struct ctl_entry ctl_citizen_entry = {
	.name = "citizen",
	.help = N_("a citizen's personal data: export, erase"),
	.sub = citizen_subs,
};
