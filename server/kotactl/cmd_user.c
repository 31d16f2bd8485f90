/*
 * cmd_user.c: kotactl user add|list|scope
 *
 * "user scope" lists, gives and takes away an agent's scopes: the
 * departments it works in and its role in each (api/scope.sql), which
 * decide what it sees and may change.
 * The password is read from stdin (one line) when stdin is not a terminal,
 * else asked twice without echo.  It is hashed here with the server's
 * password_encryption (SCRAM) and only the hash travels.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"

#define USER_PASSWORD_MAX	256

static int
user_read_line(FILE *fp, char *buf, size_t size)
{
	size_t	n;

	if (fgets(buf, (int)size, fp) == NULL)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == size - 1)
		return -2;		/* too long */
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

static int
user_prompt(const char *prompt, char *buf, size_t size)
{
	struct termios	 old, noecho;
	int		 rc;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return user_read_line(stdin, buf, size);
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
	rc = user_read_line(stdin, buf, size);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

static int
user_password(char *pw, size_t size)
{
	char	again[USER_PASSWORD_MAX];
	int	rc;

	if (!isatty(STDIN_FILENO)) {
		rc = user_read_line(stdin, pw, size);
	} else {
		rc = user_prompt(_("Password: "), pw, size);
		if (rc == 0 && user_prompt(_("Password again: "), again,
		    sizeof again) == 0 && strcmp(pw, again) != 0) {
			log_error("%s", _("the passwords do not match"));
			rc = -3;
		}
		explicit_bzero(again, sizeof again);
	}
	if (rc == -1)
		log_error("%s", _("no password given on stdin (use --no-password for a role that logs in another way)"));
	else if (rc == -2)
		log_error(_("the password is longer than %d characters"),
		    USER_PASSWORD_MAX - 2);
	else if (rc == 0 && strlen(pw) < 8) {
		log_error("%s", _("the password must have at least 8 characters"));
		rc = -4;
	}
	return rc;
}

static const struct option user_add_options[] = {
	{ "role", required_argument, NULL, 'r' },
	{ "department", required_argument, NULL, 'D' },
	{ "display-name", required_argument, NULL, 'n' },
	{ "lang", required_argument, NULL, 'l' },
	{ "no-password", no_argument, NULL, 'N' },
	{ NULL, 0, NULL, 0 },
};

static int
user_add(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	const char	*role = NULL, *dept = NULL, *display = NULL;
	const char	*lang = "id", *name, *p[6];
	char		 pw[USER_PASSWORD_MAX], *hash = NULL;
	int		 ch, nopw = 0;
	PGresult	*res;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", user_add_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'r': role = optarg; break;
		case 'D': dept = optarg; break;
		case 'n': display = optarg; break;
		case 'l': lang = optarg; break;
		case 'N': nopw = 1; break;
		default: return CTL_USAGE;
		}
	}
	if (role == NULL)
		return ctl_usage("%s", _("user add needs --role"));
	name = argv[optind];
	if (strcmp(role, "clerk") != 0 && strcmp(role, "supervisor") != 0 &&
	    strcmp(role, "admin") != 0)
		return ctl_invalid(_("--role must be clerk, supervisor or admin, not '%s'"),
		    role);
	if (dept != NULL && (ch = ctl_department_check(ctl, dept)) != EXIT_OK)
		return ch;
	if (!nopw) {
		if (user_password(pw, sizeof pw) != 0)
			return EXIT_REFUSED;
		hash = PQencryptPasswordConn(db_conn(ctl->db), pw, name, NULL);
		explicit_bzero(pw, sizeof pw);
		if (hash == NULL) {
			log_error(_("cannot hash the password: %s"),
			    PQerrorMessage(db_conn(ctl->db)));
			return EXIT_BUG;
		}
	}
	p[0] = name;
	p[1] = role;
	p[2] = dept;
	p[3] = display;
	p[4] = hash;
	p[5] = lang;
	res = db_exec(ctl->db, NULL,
	    "SELECT kota.agent_create($1, $2, $3, $4, $5, $6)", 6, p,
	    PGRES_TUPLES_OK, &err);
	if (hash != NULL) {
		explicit_bzero(hash, strlen(hash));
		PQfreemem(hash);
	}
	if (res == NULL)
		return ctl_fail(&err);
	PQclear(res);
	ctl_say(ctl, _("agent %s created as %s%s%s\n"), name, role,
	    dept != NULL ? _(" in department ") : "", dept != NULL ? dept : "");
	return EXIT_OK;
}

static int
user_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	int			 i;

	res = db_query(ctl->db, NULL,
	    "SELECT role_name, kind, coalesce(department, '-'),"
	    " CASE WHEN active THEN 'active' ELSE 'inactive' END, display_name"
	    " FROM kota.agents ORDER BY role_name", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(5);
	print_table_column(t, 0, NULL, PRINT_LEFT, 20);
	print_table_column(t, 1, NULL, PRINT_LEFT, 10);
	print_table_column(t, 2, NULL, PRINT_LEFT, 12);
	print_table_column(t, 3, NULL, PRINT_LEFT, 8);
	/* the login name and the department are codes; the rest words */
	for (i = 0; i < PQntuples(res); i++) {
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, ctl_word(PQgetvalue(res, i, 1)));
		print_table_add(t, PQgetvalue(res, i, 2));
		print_table_add(t, ctl_word(PQgetvalue(res, i, 3)));
		print_table_add(t, PQgetvalue(res, i, 4));
	}
	PQclear(res);
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	return EXIT_OK;
}

static int
user_scope_list(struct ctl *ctl, const char *name)
{
	struct print_table	*t;
	struct db_error		 err;
	const char		*p[1];
	char			 note[128];
	PGresult		*res;
	int			 i;

	p[0] = name;
	res = db_query(ctl->db, NULL,
	    "SELECT department, role, home, is_triage"
	    " FROM kota.agent_scopes($1)", 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(3);
	print_table_column(t, 0, NULL, PRINT_LEFT, 16);
	print_table_column(t, 1, NULL, PRINT_LEFT, 10);
	/* the department is a code; the role and its notes words */
	for (i = 0; i < PQntuples(res); i++) {
		print_table_add(t, PQgetvalue(res, i, 0));
		print_table_add(t, ctl_word(PQgetvalue(res, i, 1)));
		/* TRANSLATORS: kotactl user scope: the agent's own department */
		snprintf(note, sizeof note, "%s%s%s",
		    strcmp(PQgetvalue(res, i, 2), "t") == 0 ? _("home") : "",
		    strcmp(PQgetvalue(res, i, 2), "t") == 0 &&
		    strcmp(PQgetvalue(res, i, 3), "t") == 0 ? ", " : "",
		    /* TRANSLATORS: kotactl user scope: the call centre's */
		    strcmp(PQgetvalue(res, i, 3), "t") == 0 ?
		    _("call centre: sees every request") : "");
		print_table_add(t, note);
	}
	if (PQntuples(res) == 0)
		ctl_say(ctl, _("agent %s holds no scope\n"), name);
	PQclear(res);
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	return EXIT_OK;
}

static const struct option user_scope_options[] = {
	{ "role", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

/*
 * kotactl user scope NAME
 * kotactl user scope add NAME CODE [--role clerk|supervisor]
 * kotactl user scope remove NAME CODE
 */
static int
user_scope(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	const char	*role = NULL, *verb, *p[3];
	int		 ch, n;
	PGresult	*res;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", user_scope_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'r': role = optarg; break;
		default: return CTL_USAGE;
		}
	}
	n = argc - optind;
	if (n == 1 && role == NULL)
		return user_scope_list(ctl, argv[optind]);
	verb = argv[optind];
	if (n != 3 || (strcmp(verb, "add") != 0 && strcmp(verb, "remove") != 0))
		return ctl_usage("%s", _("user scope takes NAME, add NAME CODE or remove NAME CODE"));
	if (role != NULL && strcmp(verb, "add") != 0)
		return ctl_usage("%s", _("--role goes with user scope add"));
	if (role != NULL && strcmp(role, "clerk") != 0 &&
	    strcmp(role, "supervisor") != 0)
		return ctl_invalid(_("--role must be clerk or supervisor, not '%s'"),
		    role);
	p[0] = argv[optind + 1];
	p[1] = argv[optind + 2];
	p[2] = role != NULL ? role : "clerk";
	if (strcmp(verb, "add") == 0) {
		res = db_exec(ctl->db, NULL,
		    "SELECT kota.agent_scope_set($1, $2, $3)", 3, p,
		    PGRES_TUPLES_OK, &err);
		if (res == NULL)
			return ctl_fail(&err);
		if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
			ctl_say(ctl, _("agent %s works in department %s as %s\n"),
			    p[0], p[1], ctl_word(p[2]));
		else
			ctl_say(ctl, _("agent %s already works in department %s as %s\n"),
			    p[0], p[1], ctl_word(p[2]));
	} else {
		res = db_exec(ctl->db, NULL,
		    "SELECT kota.agent_scope_remove($1, $2)", 2, p,
		    PGRES_TUPLES_OK, &err);
		if (res == NULL)
			return ctl_fail(&err);
		ctl_say(ctl, _("agent %s no longer works in department %s\n"),
		    p[0], p[1]);
	}
	PQclear(res);
	return EXIT_OK;
}

static const struct ctl_entry user_add_entry = {
	.name = "add",
	.usage = "NAME --role clerk|supervisor|admin [--department CODE] [--display-name TEXT] [--lang id|en] [--no-password]",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("create an agent and its login role"),
	.options = user_add_options,
	.exec = user_add,
};

static const struct ctl_entry user_list_entry = {
	.name = "list",
	.usage = "",
	.flags = CTL_DB,
	.help = N_("list the agents"),
	.exec = user_list,
};

static const struct ctl_entry user_scope_entry = {
	.name = "scope",
	.usage = "NAME\n"
	    "add NAME CODE [--role clerk|supervisor]\n"
	    "remove NAME CODE",
	.args_min = 1,
	.args_max = 3,
	.flags = CTL_DB,
	.help = N_("list, give or take away the departments an agent works in"),
	.options = user_scope_options,
	.exec = user_scope,
};

static const struct ctl_entry *const user_commands[] = {
	&user_add_entry,
	&user_list_entry,
	&user_scope_entry,
	NULL,
};

const struct ctl_entry ctl_user_entry = {
	.name = "user",
	.help = N_("the agents: clerks, supervisors and administrators"),
	.sub = user_commands,
};
