/*
 * cmd_app.c: kotactl app add|list|revoke
 *
 * The client applications that post to kotaweb (FixMyStreet, a city's own
 * app): each has a name, an API key and a rate limit per minute.  The key
 * is made here, 32 random bytes in hex, printed once on stdout and sent
 * to kota.web_app_add(), which keeps only its sha256 (schema/api/
 * open311.sql): nobody can show it again, a lost key is revoked and the
 * app added again.  The key is committed only once it is written out, as
 * a department's webhook secret is (cmd_department.c).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"

#define APP_KEY_BYTES	32
#define APP_KEY_SIZE	(APP_KEY_BYTES * 2 + 1)	/* hex and the NUL */

/* A new key: APP_KEY_BYTES from the CSPRNG, in lower-case hex. */
static int
app_key_new(char *out)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		key[APP_KEY_BYTES];
	size_t			i;

	if (RAND_bytes(key, sizeof key) != 1)
		return -1;
	for (i = 0; i < sizeof key; i++) {
		out[2 * i] = hex[key[i] >> 4];
		out[2 * i + 1] = hex[key[i] & 0xf];
	}
	out[2 * i] = '\0';
	explicit_bzero(key, sizeof key);
	return 0;
}

static const struct option app_add_options[] = {
	{ "rate", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

static int
app_add(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[3];
	char		 key[APP_KEY_SIZE], rate[24];
	long		 n = 60;
	int		 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", app_add_options, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (ctl_parse_int("--rate", optarg, 1, 1000000, &n) !=
			    EXIT_OK)
				return EXIT_USAGE;
			break;
		default:
			return CTL_USAGE;
		}
	}
	snprintf(rate, sizeof rate, "%ld", n);
	if (app_key_new(key) != 0) {
		log_error("%s", _("cannot generate an API key: the random number generator failed"));
		return EXIT_BUG;
	}
	p[0] = argv[optind];
	p[1] = key;
	p[2] = rate;
	if (db_command(ctl->db, "BEGIN", &err) != 0) {
		rc = ctl_fail(&err);
		goto out;
	}
	res = db_exec(ctl->db, NULL,
	    "SELECT kota.web_app_add($1, $2, $3::int)", 3, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL) {
		rc = ctl_fail(&err);
		db_command(ctl->db, "ROLLBACK", NULL);
		goto out;
	}
	PQclear(res);
	if (printf("%s\n", key) < 0 || fflush(stdout) == EOF) {
		log_error(_("cannot write the new key: %s; app %s was not added"),
		    strerror(errno), argv[optind]);
		db_command(ctl->db, "ROLLBACK", NULL);
		rc = EXIT_BUG;
		goto out;
	}
	if (db_command(ctl->db, "COMMIT", &err) != 0) {
		rc = ctl_fail(&err);
		goto out;
	}
	if (!ctl->quiet)
		log_info(_("app %s added, %ld requests a minute; its key is not shown again"),
		    argv[optind], n);
	rc = EXIT_OK;
out:
	explicit_bzero(key, sizeof key);
	return rc;
}

static int
app_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	int			 i;

	(void)argc;
	(void)argv;
	res = db_query(ctl->db, NULL,
	    "SELECT name, rate_per_minute,"
	    " to_char(created_at, 'YYYY-MM-DD HH24:MI'), created_by,"
	    " to_char(last_used_at, 'YYYY-MM-DD HH24:MI'), requests,"
	    " to_char(revoked_at, 'YYYY-MM-DD HH24:MI')"
	    " FROM kota.web_app_list()", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(7);
	print_table_column(t, 0, _("NAME"), PRINT_LEFT, 24);
	print_table_column(t, 1, _("RATE/MIN"), PRINT_RIGHT, 8);
	print_table_column(t, 2, _("CREATED"), PRINT_LEFT, 16);
	print_table_column(t, 3, _("BY"), PRINT_LEFT, 16);
	print_table_column(t, 4, _("LAST USED"), PRINT_LEFT, 16);
	print_table_column(t, 5, _("REQUESTS"), PRINT_RIGHT, 8);
	print_table_column(t, 6, _("REVOKED"), PRINT_LEFT, 0);
	for (i = 0; i < PQntuples(res); i++) {
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, PQgetvalue(res, i, 1));
		print_table_add(t, PQgetvalue(res, i, 2));
		print_table_add(t, PQgetvalue(res, i, 3));
		print_table_add(t, PQgetisnull(res, i, 4) ? "-" :
		    PQgetvalue(res, i, 4));
		print_table_add(t, PQgetvalue(res, i, 5));
		print_table_add(t, PQgetisnull(res, i, 6) ? "-" :
		    PQgetvalue(res, i, 6));
	}
	PQclear(res);
	print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	return EXIT_OK;
}

static int
app_revoke(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1];

	(void)argc;
	p[0] = argv[1];
	res = db_exec(ctl->db, NULL, "SELECT kota.web_app_revoke($1)", 1, p,
	    PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	PQclear(res);
	ctl_say(ctl, _("app %s revoked: its key is refused from now on\n"),
	    argv[1]);
	return EXIT_OK;
}

static const struct ctl_entry app_add_entry = {
	.name = "add",
	.usage = "NAME [--rate N]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("register a client app and print its API key once"),
	.options = app_add_options,
	.exec = app_add,
};

static const struct ctl_entry app_list_entry = {
	.name = "list",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("list the client apps, their rate limits and use"),
	.exec = app_list,
};

static const struct ctl_entry app_revoke_entry = {
	.name = "revoke",
	.usage = "NAME",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("revoke a client app's API key"),
	.exec = app_revoke,
};

static const struct ctl_entry *const app_commands[] = {
	&app_add_entry,
	&app_list_entry,
	&app_revoke_entry,
	NULL,
};

const struct ctl_entry ctl_app_entry = {
	.name = "app",
	.help = N_("the client apps that post through kotaweb (Open311)"),
	.sub = app_commands,
};
