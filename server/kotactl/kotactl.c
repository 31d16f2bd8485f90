/*
 * kotactl: administer Kota and script it from the shell
 *
 *	kotactl [-d CONNINFO] [-r CONNINFO] [-c FILE] [-q] [-v] [--lang id|en] COMMAND [ARGS]
 *	kotactl --help | --version | --dump-usage
 *
 * main() reads the global options and hands the rest to the dispatcher
 * (dispatch.c); here too are what every command uses: connecting, and the
 * messages of a usage error and of a database error.
 *
 * The language: --lang, else LC_ALL, LC_MESSAGES, LANG (lib/i18n.c); when
 * none of them asks for Indonesian or English, the language of the agent
 * kotactl connects as, once connected, and English for anyone else (a
 * database superuser, a role that is no agent) and for what is printed
 * before connecting.  The database's refusals name statuses as
 * kota.statuses labels them in that language (ctl_vocabulary).
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dbread.h"
#include "i18n.h"
#include "xmalloc.h"
#include "kotactl.h"
#include "log.h"
#include "scrub.h"
#include "settings.h"

static char	*ctl_conninfo;	/* -d, copied before argv is scrubbed */
static char	*ctl_read_conninfo;	/* -r, likewise */
static struct ctl *ctl_main;	/* for ctl_fail(): which server refused */

/*
 * Every log line goes to stderr cleaned: a message may quote what a user
 * typed or the database holds ("service \"...\" is not a known service").
 */
static void
ctl_log_sink(enum log_level level, const char *line, void *arg)
{
	(void)level;
	(void)arg;
	print_text(stderr, line, PRINT_KEEP_LINES);
	fputc('\n', stderr);
}

/* Messages may quote what a user typed or the database holds: cleaned. */
static void ctl_vmessage(const char *, va_list)
    __attribute__((format(printf, 1, 0)));

static void
ctl_vmessage(const char *fmt, va_list ap)
{
	char	msg[4096];

	vsnprintf(msg, sizeof msg, fmt, ap);
	fputs("kotactl: ", stderr);
	print_text(stderr, msg, PRINT_KEEP_LINES);
	fputc('\n', stderr);
}

/* A usage error: the message, then the dispatcher prints the usage. */
int
ctl_usage(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ctl_vmessage(fmt, ap);
	va_end(ap);
	return CTL_USAGE;
}

/* A bad value: the message is enough. */
int
ctl_invalid(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ctl_vmessage(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

void
ctl_say(struct ctl *ctl, const char *fmt, ...)
{
	va_list	ap;

	if (ctl->quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int
ctl_fail(const struct db_error *err)
{
	char	*clean;

	/* the log sink cleans the message; a detail may quote text too */
	log_error("%s", err->message);
	if (err->detail[0] != '\0') {
		clean = print_clean(err->detail, PRINT_KEEP_LINES);
		fprintf(stderr, _("DETAIL: %s\n"), clean);
		free(clean);
	}
	if (err->hint[0] != '\0') {
		clean = print_clean(err->hint, PRINT_KEEP_LINES);
		fprintf(stderr, _("HINT: %s\n"), clean);
		free(clean);
	}
	/* a standby named where the primary should be */
	if (strcmp(err->sqlstate, "25006") == 0 && ctl_main != NULL &&
	    dbread_is_standby(ctl_main->db)) {
		log_error("%s", _("the server is a standby, which only reads: give the primary's conninfo (-d or [database] conninfo); a standby belongs in -r or [database] read_conninfo"));
		return EXIT_USAGE;
	}
	switch (err->status) {
	case DB_OK:
		return EXIT_OK;
	case DB_REFUSED:
	case DB_CONFLICT:
		return EXIT_REFUSED;
	case DB_LOST:
		return EXIT_UNREACHABLE;
	case DB_BUG:
		break;
	}
	if (err->sqlstate[0] != '\0')
		fprintf(stderr, _("SQLSTATE: %s (please report this as a bug)\n"),
		    err->sqlstate);
	return EXIT_BUG;
}

/* The one number a query such as "SELECT count(*) ..." returns. */
int
ctl_count(struct ctl *ctl, const char *sql, long *n, struct db_error *err)
{
	PGresult	*res;

	res = db_query(ctl->db, NULL, sql, 0, NULL, err);
	if (res == NULL)
		return -1;
	*n = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Every row of res, a cell a field, NULL for SQL's NULL. */
void
ctl_table_add_result(struct print_table *t, const PGresult *res)
{
	int	i, j;

	for (i = 0; i < PQntuples(res); i++)
		for (j = 0; j < PQnfields(res); j++)
			print_table_add(t, PQgetisnull(res, i, j) ? NULL :
			    PQgetvalue(res, i, j));
}

static bool	 ctl_lang_asked;	/* by --lang or the environment */

/* The statuses' labels, read from kota.statuses when a refusal needs one. */
static struct ctl_status {
	char	*code, *label_id, *label_en;
}		*ctl_statuses;
static int	 ctl_nstatuses = -1;	/* -1: not read yet */

static void
ctl_statuses_free(void)
{
	int	i;

	for (i = 0; i < ctl_nstatuses; i++) {
		free(ctl_statuses[i].code);
		free(ctl_statuses[i].label_id);
		free(ctl_statuses[i].label_en);
	}
	free(ctl_statuses);
	ctl_statuses = NULL;
	ctl_nstatuses = -1;
}

static void
ctl_statuses_load(struct db *db)
{
	struct db_error	 err;
	PGresult	*res;
	int		 i;

	/* not inside a failed transaction: try again at the next refusal */
	if (PQtransactionStatus(db_conn(db)) == PQTRANS_INERROR)
		return;
	ctl_nstatuses = 0;
	res = db_query(db, NULL,
	    "SELECT code, label_id, label_en FROM kota.statuses", 0, NULL,
	    &err);
	if (res == NULL) {
		log_debug("statuses: %s", err.message);
		return;
	}
	ctl_statuses = xcalloc((size_t)PQntuples(res) + 1,
	    sizeof *ctl_statuses);
	for (i = 0; i < PQntuples(res); i++) {
		ctl_statuses[i].code = xstrdup(PQgetvalue(res, i, 0));
		ctl_statuses[i].label_id = xstrdup(PQgetvalue(res, i, 1));
		ctl_statuses[i].label_en = xstrdup(PQgetvalue(res, i, 2));
	}
	ctl_nstatuses = PQntuples(res);
	PQclear(res);
}

/* A status code in a refusal, as kota.statuses labels it (db.h). */
static const char *
ctl_vocabulary(const char *word, void *arg)
{
	struct ctl	*ctl = arg;
	int		 i;

	if (ctl->db == NULL)
		return NULL;
	if (ctl_nstatuses < 0)
		ctl_statuses_load(ctl->db);
	for (i = 0; i < ctl_nstatuses; i++)
		if (strcmp(ctl_statuses[i].code, word) == 0)
			return strcmp(i18n_lang(), "id") == 0 ?
			    ctl_statuses[i].label_id :
			    ctl_statuses[i].label_en;
	return NULL;
}

/* No language asked for: the agent's own, if kotactl connected as one. */
static void
ctl_agent_lang(struct ctl *ctl)
{
	struct db_error	 err;
	PGresult	*res;

	if (ctl_lang_asked)
		return;
	/*
	 * Before migrate there is no kota.whoami(), and a role that is no
	 * Kota role may not call it: ask first, so that the server's log
	 * does not fill with errors.
	 */
	res = db_query(ctl->db, NULL,
	    "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_namespace"
	    " WHERE nspname = 'kota' AND has_schema_privilege(oid, 'USAGE'))"
	    " THEN has_function_privilege(to_regprocedure('kota.whoami()'),"
	    " 'EXECUTE') END", 0, NULL, &err);
	if (res == NULL || strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		if (res == NULL)
			log_debug("whoami: %s", err.message);
		PQclear(res);
		return;
	}
	PQclear(res);
	res = db_query(ctl->db, NULL, "SELECT lang FROM kota.whoami()", 0,
	    NULL, &err);
	if (res == NULL) {
		log_debug("whoami: %s", err.message);
		return;
	}
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		i18n_set_lang(PQgetvalue(res, 0, 0));
	PQclear(res);
}

/*
 * One clock: times people read are the city's (the default calendar's
 * zone), as the console shows them, whatever the server's TimeZone is.
 * Before migrate there is no kota.city_zone(): then the server's stays.
 */
#define CTL_CITY_CLOCK_SQL \
	"SELECT set_config('TimeZone', kota.city_zone(), false)" \
	" WHERE has_function_privilege(" \
	"  to_regprocedure('kota.city_zone()'), 'EXECUTE')"

static void
ctl_city_clock(struct ctl *ctl)
{
	struct db_error	 err;
	PGresult	*res;

	res = db_query(ctl->db, NULL, CTL_CITY_CLOCK_SQL, 0, NULL, &err);
	if (res == NULL)
		log_debug("city_zone: %s", err.message);
	PQclear(res);
}

/* A standby's session on the city's clock too (dbread_set_setup()). */
static int
ctl_standby_setup(struct db *db, void *arg, struct db_error *err)
{
	PGresult	*res;

	(void)arg;
	if ((res = db_query(db, NULL, CTL_CITY_CLOCK_SQL, 0, NULL,
	    err)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/*
 * -r wins, then [database] read_conninfo from -c FILE; max_lag from -c
 * FILE.  The standby is used when dbread_db() finds it usable; else the
 * command reads the primary, and says why (unless -q).
 */
void
ctl_read_from_standby(struct ctl *ctl)
{
	struct settings	 s;
	char		 cerr[CONF_ERRMAX];
	const char	*conninfo = ctl->read_conninfo;
	double		 max_lag = 0;
	struct db	*db;

	memset(&s, 0, sizeof s);
	if (ctl->config != NULL) {
		if (conf_load(settings_table, &s, ctl->config, cerr,
		    sizeof cerr) == 0) {
			if (conninfo == NULL)
				conninfo = s.db_read_conninfo;
			max_lag = s.db_max_lag_ms / 1000.0;
		} else if (conninfo == NULL)
			log_warn("%s", cerr);
	}
	if (conninfo != NULL && conninfo[0] != '\0') {
		ctl->reads = dbread_new(ctl->primary, conninfo, max_lag);
		dbread_set_appname(ctl->reads, "kotactl");
		dbread_set_setup(ctl->reads, ctl_standby_setup, NULL);
		db = dbread_db(ctl->reads);
		if (db != ctl->primary) {
			ctl->db = db;
			log_debug("reading the standby, %.1f s behind",
			    dbread_lag(ctl->reads));
		} else if (!ctl->quiet)
			log_warn(_("%s: reading the primary"),
			    dbread_state(ctl->reads));
	}
	conf_free(settings_table, &s);
}

void
ctl_disconnect(struct ctl *ctl)
{
	ctl->db = ctl->primary;
	dbread_free(&ctl->reads);
	db_free(&ctl->db);
	ctl->primary = NULL;
}

/* -d wins, then [database] conninfo from -c FILE, then PG* variables. */
int
ctl_connect(struct ctl *ctl)
{
	struct db_error		 err;
	struct settings		 s;
	char			 cerr[CONF_ERRMAX];
	const char		*conninfo = ctl->conninfo;
	int			 rc;

	memset(&s, 0, sizeof s);
	if (conninfo == NULL && ctl->config != NULL) {
		if (conf_load(settings_table, &s, ctl->config, cerr,
		    sizeof cerr) != 0) {
			log_error("%s", cerr);
			conf_free(settings_table, &s);
			return EXIT_USAGE;
		}
		conninfo = s.db_conninfo;
	}
	ctl->primary = ctl->db = db_new(conninfo, "kotactl");
	conf_free(settings_table, &s);
	if (ctl->db == NULL) {
		log_error("%s", _("out of memory"));
		return EXIT_BUG;
	}
	if (db_connect(ctl->db, NULL, &err) != 0) {
		rc = ctl_fail(&err);
		/* an unreachable or refusing server is the same to a script */
		return rc == EXIT_REFUSED ? EXIT_UNREACHABLE : rc;
	}
	ctl_agent_lang(ctl);
	ctl_city_clock(ctl);
	db_set_vocabulary(ctl_vocabulary, ctl);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dbname", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "read", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "lang", required_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "dump-usage", no_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl	 ctl;
	const char	*lang = NULL;
	int		 ch, rc;

	memset(&ctl, 0, sizeof ctl);
	ctl_main = &ctl;
	for (ch = 1; ch < argc; ch++) {
		if (strcmp(argv[ch], "--lang") == 0 && ch + 1 < argc)
			lang = argv[ch + 1];
		else if (strncmp(argv[ch], "--lang=", 7) == 0)
			lang = argv[ch] + 7;
	}
	if (lang != NULL && strcmp(lang, "id") != 0 && strcmp(lang, "en") != 0) {
		fprintf(stderr, "kotactl: --lang must be id or en\n");
		return EXIT_USAGE;
	}
	ctl_lang_asked = i18n_init(lang) != NULL;
	log_init(argv[0], LOG_LEVEL_INFO, 0);
	log_set_sink(ctl_log_sink, NULL);

	while ((ch = getopt_long(argc, argv, "+d:c:r:qvhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			/* our copy; then the password out of ps (scrub.h) */
			free(ctl_conninfo);
			ctl.conninfo = ctl_conninfo = xstrdup(optarg);
			scrub_conninfo(optarg);
			break;
		case 'c':
			ctl.config = optarg;
			break;
		case 'r':
			free(ctl_read_conninfo);
			ctl.read_conninfo = ctl_read_conninfo = xstrdup(optarg);
			scrub_conninfo(optarg);
			break;
		case 'q':
			ctl.quiet = true;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		case 'L':
			break;
		case 'h':
			ctl_help(stdout);
			return EXIT_OK;
		case 'V':
			printf("kotactl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EXIT_OK;
		case 'U':
			ctl_dump_usage(stdout);
			return EXIT_OK;
		default:
			ctl_help(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		ctl_help(stderr);
		return EXIT_USAGE;
	}
	rc = ctl_dispatch(&ctl, argc, argv);
	db_set_vocabulary(NULL, NULL);
	ctl_disconnect(&ctl);
	ctl_statuses_free();
	free(ctl_conninfo);
	free(ctl_read_conninfo);
	return rc;
}
