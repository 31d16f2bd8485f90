/*
 * cmd_department.c: kotactl department list|set|secret
 *
 * Where a department's webhooks go: its webhook (new and assigned
 * requests) and its supervisors' escalation webhook (SLA breaches; without
 * one, escalations go to the webhook), and the whsec_ secret that signs
 * them.  The rules live in SQL (kota.department_set_webhooks(),
 * kota.department_list(), in schema/011_escalation.sql;
 * kota.department_webhook_secret(), in schema/005_outbox.sql); this only
 * speaks to them.  A secret never comes from the command line, which ps
 * shows to everyone.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "secret.h"
#include "webhook.h"

/* "none" removes a URL: the empty string for kota.department_set_webhooks() */
static const char *
dept_url_arg(const char *s)
{
	return strcmp(s, "none") == 0 ? "" : s;
}

static const char *
dept_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "-" : PQgetvalue(res, row, col);
}

/* Where escalations go: the escalation URL, else the webhook, else none. */
static const char *
dept_escalation(const PGresult *res, int row, int esc, int hook)
{
	if (!PQgetisnull(res, row, esc))
		return PQgetvalue(res, row, esc);
	if (!PQgetisnull(res, row, hook))
		return _("(webhook)");
	return "-";
}

static int
dept_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	int			 i;

	res = db_query(ctl->db, NULL,
	    "SELECT code, webhook_url, escalation_url, secret_set, supervisors,"
	    " name_id FROM kota.department_list()", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(6);
	print_table_column(t, 0, _("CODE"), PRINT_LEFT, 16);
	print_table_column(t, 1, _("WEBHOOK"), PRINT_LEFT, 36);
	print_table_column(t, 2, _("ESCALATION WEBHOOK"), PRINT_LEFT, 36);
	print_table_column(t, 3, _("SECRET"), PRINT_LEFT, 6);
	print_table_column(t, 4, _("SUPERVISORS"), PRINT_RIGHT, 11);
	print_table_column(t, 5, _("NAME"), PRINT_LEFT, 0);
	for (i = 0; i < PQntuples(res); i++) {
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, dept_value(res, i, 1));
		print_table_add(t, dept_escalation(res, i, 2, 1));
		print_table_add(t, strcmp(PQgetvalue(res, i, 3), "t") == 0 ?
		    _("yes") : _("no"));
		print_table_add(t, PQgetvalue(res, i, 4));
		print_table_add(t, PQgetvalue(res, i, 5));
	}
	PQclear(res);
	print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	return EXIT_OK;
}

/* What set left, in words: where the department's webhooks go now. */
static void
dept_say(struct ctl *ctl, const PGresult *res)
{
	const char	*code = PQgetvalue(res, 0, 0);
	bool	hook = !PQgetisnull(res, 0, 1), esc = !PQgetisnull(res, 0, 2);

	if (hook)
		ctl_say(ctl, _("department %s: webhook %s\n"), code,
		    PQgetvalue(res, 0, 1));
	else
		ctl_say(ctl, _("department %s: no webhook\n"), code);
	if (esc)
		ctl_say(ctl, _("department %s: escalations go to %s\n"), code,
		    PQgetvalue(res, 0, 2));
	else if (hook)
		ctl_say(ctl, _("department %s: escalations go to its webhook\n"),
		    code);
	else
		ctl_say(ctl, _("department %s: escalations are not sent by webhook\n"),
		    code);
}

static const struct option dept_set_options[] = {
	{ "webhook", required_argument, NULL, 'w' },
	{ "escalation-webhook", required_argument, NULL, 'e' },
	{ NULL, 0, NULL, 0 },
};

static int
dept_set(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[3] = { NULL, NULL, NULL };
	int		 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", dept_set_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'w': p[1] = dept_url_arg(optarg); break;
		case 'e': p[2] = dept_url_arg(optarg); break;
		default: return CTL_USAGE;
		}
	}
	if (p[1] == NULL && p[2] == NULL)
		return ctl_usage("%s",
		    _("department set needs --webhook, --escalation-webhook or both"));
	p[0] = argv[optind];
	if ((ch = ctl_department_check(ctl, p[0])) != EXIT_OK)
		return ch;
	res = db_exec(ctl->db, NULL,
	    "SELECT code, webhook_url, escalation_url, secret_set"
	    " FROM kota.department_set_webhooks($1, $2, $3)", 3, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	dept_say(ctl, res);
	if ((!PQgetisnull(res, 0, 1) || !PQgetisnull(res, 0, 2)) &&
	    strcmp(PQgetvalue(res, 0, 3), "t") != 0)
		log_warn(_("department %s has no webhook secret: its webhooks are not sent until one is set (kotactl department secret %s --generate)"),
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 0));
	PQclear(res);
	return EXIT_OK;
}

/* Store secret as code's webhook secret; NULL removes it.  Admins only. */
static int
dept_store_secret(struct ctl *ctl, const char *code, const char *secret)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[2] = { code, secret };

	res = db_exec(ctl->db, NULL,
	    "SELECT kota.department_webhook_secret($1, $2)", 2, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	PQclear(res);
	return EXIT_OK;
}

/*
 * A new secret, stored and then printed alone on stdout for the admin to
 * hand on.  It is committed only once it is written out: a secret nobody
 * has would leave the department's webhooks unverifiable.
 */
static int
dept_secret_generate(struct ctl *ctl, const char *code)
{
	struct db_error	err;
	char		secret[WEBHOOK_SECRET_NEW_MAX];
	int		rc;

	if (webhook_secret_generate(secret, sizeof secret) != 0) {
		log_error("%s", _("cannot generate a webhook secret: the random number generator failed"));
		return EXIT_BUG;
	}
	if (db_command(ctl->db, "BEGIN", &err) != 0) {
		rc = ctl_fail(&err);
		goto out;
	}
	if ((rc = dept_store_secret(ctl, code, secret)) != EXIT_OK)
		goto out;
	if (printf("%s\n", secret) < 0 || fflush(stdout) == EOF) {
		log_error(_("cannot write the new secret: %s; the secret of department %s is unchanged"),
		    strerror(errno), code);
		db_command(ctl->db, "ROLLBACK", NULL);
		rc = EXIT_BUG;
		goto out;
	}
	if (db_command(ctl->db, "COMMIT", &err) != 0) {
		rc = ctl_fail(&err);
		goto out;
	}
	if (!ctl->quiet)
		log_info(_("department %s: new webhook secret set; it is not shown again"),
		    code);
out:
	explicit_bzero(secret, sizeof secret);
	return rc;
}

/* The secret in path (owner-only, one line, as kotad reads its own). */
static int
dept_secret_file(struct ctl *ctl, const char *code, const char *path)
{
	char	 cerr[512];
	char	*secret;
	int	 rc;

	if (secret_read(path, "--file", &secret, cerr, sizeof cerr) != 0) {
		log_error("%s", cerr);
		return EXIT_USAGE;
	}
	if ((rc = dept_store_secret(ctl, code, secret)) == EXIT_OK)
		ctl_say(ctl, _("department %s: webhook secret set\n"), code);
	secret_free(&secret);
	return rc;
}

static int
dept_secret_remove(struct ctl *ctl, const char *code)
{
	int	rc;

	if ((rc = dept_store_secret(ctl, code, NULL)) == EXIT_OK)
		ctl_say(ctl, _("department %s: webhook secret removed; its webhooks are not sent until one is set\n"),
		    code);
	return rc;
}

static const struct option dept_secret_options[] = {
	{ "generate", no_argument, NULL, 'g' },
	{ "file", required_argument, NULL, 'f' },
	{ "remove", no_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

static int
dept_secret(struct ctl *ctl, int argc, char **argv)
{
	const char	*path = NULL, *code;
	int		 ch, how = 0, n = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", dept_secret_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f': path = optarg; how = ch; n++; break;
		case 'g': case 'r': how = ch; n++; break;
		default: return CTL_USAGE;
		}
	}
	if (n != 1)
		return ctl_usage("%s",
		    _("department secret needs one of --generate, --file PATH or --remove"));
	code = argv[optind];
	if ((ch = ctl_department_check(ctl, code)) != EXIT_OK)
		return ch;
	if (how == 'g')
		return dept_secret_generate(ctl, code);
	if (how == 'f')
		return dept_secret_file(ctl, code, path);
	return dept_secret_remove(ctl, code);
}

static const struct ctl_entry dept_list_entry = {
	.name = "list",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("list the departments and where their webhooks go"),
	.exec = dept_list,
};

static const struct ctl_entry dept_set_entry = {
	.name = "set",
	.usage = "CODE [--webhook URL|none] [--escalation-webhook URL|none]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("set a department's webhook and its escalation webhook"),
	.options = dept_set_options,
	.exec = dept_set,
};

static const struct ctl_entry dept_secret_entry = {
	.name = "secret",
	.usage = "CODE --generate|--file PATH|--remove",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("set or remove the secret that signs a department's webhooks"),
	.options = dept_secret_options,
	.exec = dept_secret,
};

static const struct ctl_entry *const department_commands[] = {
	&dept_list_entry,
	&dept_set_entry,
	&dept_secret_entry,
	NULL,
};

const struct ctl_entry ctl_department_entry = {
	.name = "department",
	.help = N_("the departments' webhooks and their secrets"),
	.sub = department_commands,
};
