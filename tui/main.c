/*
 * kota: the clerk console
 *
 *	kota [-d CONNINFO] [-r CONNINFO] [--lang id|en]
 *	kota --dump-keys
 *
 * Connects as the clerk's own role (asking for a password on the terminal,
 * without echo, when libpq needs one), checks that the role is a Kota
 * agent, and only then starts curses: every refusal is a plain message on
 * a normal terminal.  -r (or KOTA_READ_CONNINFO) names a streaming
 * standby for the dashboards and queue lists (lib/dbread.h).  The terminal is restored on every way out: a normal
 * quit, SIGTERM/SIGINT/SIGHUP (a flag the loop sees), exit() from
 * anywhere (atexit), a fatal error (tui_die) and a crash (loop.c).
 */
#include "config.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <curses.h>

#include "catalog.h"
#include "colour.h"
#include "data.h"
#include "dbread.h"
#include "i18n.h"
#include "keys.h"
#include "log.h"
#include "loop.h"
#include "screen.h"
#include "scrub.h"
#include "tui.h"
#include "xmalloc.h"

#define MAIN_PASSWORD_MAX	256
#define MAIN_PASSWORD_TRIES	3

static bool	main_curses;	/* curses is on: endwin() before leaving */
static char	*main_conninfo;	/* -d, copied before argv is scrubbed */
static char	*main_read_conninfo;	/* -r, likewise */

static void
main_endwin(void)
{
	if (main_curses && !isendwin())
		endwin();
	main_curses = false;
	log_set_sink(NULL, NULL);
}

void
tui_die(const char *fmt, ...)
{
	va_list	ap;

	main_endwin();
	fputs("kota: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_BUG);
}

static void
main_usage(FILE *fp)
{
	fprintf(fp, "%s\n", _("usage: kota [-d CONNINFO] [-r CONNINFO] [--lang id|en]"));
	fprintf(fp, "%s\n", _("       kota --dump-keys"));
	fprintf(fp, "%s\n", _("See kota(1); in the console, ? shows every key."));
}

/*
 * KOTA_MAX_LAG: seconds a standby may be behind and still be read (the
 * [database] max_lag of kotad.conf, which the console does not read);
 * 0, the default of lib/dbread.h, when unset or not a number.
 */
static double
main_max_lag(void)
{
	const char	*s = getenv("KOTA_MAX_LAG");
	char		*end;
	double		 v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtod(s, &end);
	return *end == '\0' && v > 0 && v < 86400 ? v : 0;
}

/* ncursesw needs a UTF-8 character type, whatever LANG says. */
static void
main_utf8(void)
{
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

/*
 * A status code in a refusal from the database ("a reason is required to
 * move a request to on_hold") as the console labels it (lib/db.h).
 */
static const char *
main_vocabulary(const char *word, void *arg)
{
	struct tui		*t = arg;
	const struct cat_status	*st;

	if (t->cat == NULL || (st = catalog_status(t->cat, word)) == NULL)
		return NULL;
	return tui_pick_lang(t, st->label_id, st->label_en);
}

/* Echo is off while a password is typed: a signal must turn it back on. */
static struct termios	main_tty_saved;

static void
main_prompt_signal(int sig)
{
	(void)tcsetattr(STDIN_FILENO, TCSANOW, &main_tty_saved);
	(void)write(STDERR_FILENO, "\n", 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
main_read_password(const char *user, char *buf, size_t size)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction	 sa, old_sa[4];
	struct termios		 noecho;
	bool			 tty;
	size_t			 n, i;

	/* echo off first (it flushes typed-ahead input), then the prompt */
	tty = tcgetattr(STDIN_FILENO, &main_tty_saved) == 0;
	if (tty) {
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = main_prompt_signal;
		sa.sa_flags = SA_RESETHAND;
		for (i = 0; i < 4; i++)
			sigaction(sigs[i], &sa, &old_sa[i]);
		noecho = main_tty_saved;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
	}
	fprintf(stderr, _("Password for %s: "), user);
	fflush(stderr);
	if (fgets(buf, (int)size, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &main_tty_saved);
		for (i = 0; i < 4; i++)
			sigaction(sigs[i], &old_sa[i], NULL);
		fputc('\n', stderr);
	}
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return n > 0 ? 0 : -1;
}

/* libpq's message without "connection to server on socket ... failed:". */
static const char *
main_short_error(const char *msg)
{
	const char	*p = strstr(msg, "FATAL:");

	if (p == NULL)
		return msg;
	for (p += 6; *p == ' '; p++)
		continue;
	return p;
}

/* Connect, asking for the password when the server wants one. */
static int
main_connect(struct tui *t)
{
	struct db_error	 err;
	char		 pw[MAIN_PASSWORD_MAX];
	int		 tries = 0;
	bool		 ask;

	while (db_connect(t->db, tries > 0 ? pw : NULL, &err) != 0) {
		/* no password given, or a wrong one: ask (again) */
		ask = db_needs_password(t->db) || (tries > 0 &&
		    err.status == DB_REFUSED &&
		    strstr(err.message, "password") != NULL);
		if (tries > 0 || !ask)
			fprintf(stderr, "kota: %s\n", main_short_error(err.message));
		if (!ask) {
			explicit_bzero(pw, sizeof pw);
			return err.status == DB_REFUSED ? EXIT_REFUSED :
			    EXIT_UNREACHABLE;
		}
		if (tries == MAIN_PASSWORD_TRIES || !isatty(STDIN_FILENO) ||
		    main_read_password(PQuser(db_conn(t->db)), pw,
		    sizeof pw) != 0) {
			if (tries == 0)
				fprintf(stderr, "kota: %s\n",
				    main_short_error(err.message));
			explicit_bzero(pw, sizeof pw);
			return EXIT_REFUSED;
		}
		tries++;
	}
	if (tries > 0)
		t->password = xstrdup(pw);
	explicit_bzero(pw, sizeof pw);
	return EXIT_OK;
}

/* The library's log lines go to the message line while curses is on. */
static void
main_log_sink(enum log_level level, const char *line, void *arg)
{
	struct tui	*t = arg;

	if (level >= LOG_LEVEL_WARNING)
		tui_error(t, "%s", line);
	else
		tui_message(t, "%s", line);
}

/*
 * lang: the language --lang or the environment asked for, or NULL
 * (lib/i18n.c).  gettext's language and t->lang, the language of the
 * names from the database, are one: a screen never mixes two.
 */
static int
main_start(struct tui *t, const char *lang)
{
	struct db_error	err;
	int		rc;

	if ((rc = main_connect(t)) != EXIT_OK)
		return rc;
	t->conn = TUI_CONNECTED;
	if (data_whoami(t, &err) != 0) {
		fprintf(stderr, "kota: %s\n", err.message);
		return err.status == DB_REFUSED ? EXIT_REFUSED :
		    err.status == DB_LOST ? EXIT_UNREACHABLE : EXIT_BUG;
	}
	/* neither --lang nor the environment: the agent's own language */
	if (lang == NULL && t->who.lang[0] != '\0')
		i18n_set_lang(t->who.lang);
	snprintf(t->lang, sizeof t->lang, "%s", i18n_lang());
	db_set_vocabulary(main_vocabulary, t);
	snprintf(t->counts_dept, sizeof t->counts_dept, "%s",
	    t->who.department);
	if (loop_session(t, &err) != 0) {
		fprintf(stderr, "kota: %s\n", err.message);
		/* LISTEN refused: -d named a standby */
		if (dbread_is_standby(t->db)) {
			fprintf(stderr, "kota: %s\n",
			    _("the server is a standby, which only reads: give the primary's conninfo with -d; a standby belongs in -r"));
			return EXIT_USAGE;
		}
		return err.status == DB_LOST ? EXIT_UNREACHABLE :
		    EXIT_BUG;
	}
	return EXIT_OK;
}

static void
main_curses_start(struct tui *t)
{
	loop_save_terminal();
	if (initscr() == NULL)
		tui_die("%s", _("cannot start curses on this terminal"));
	main_curses = true;
	raw();			/* C-s, C-q and C-c are keys, not signals */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	colour_init();
	loop_signals();
	log_set_sink(main_log_sink, t);
}

static void
main_free(struct tui *t)
{
	int	i;

	while (t->nmodals > 0) {
		struct modal	*m = t->modals[--t->nmodals];

		m->ops->free(m);
	}
	for (i = t->depth - 1; i >= 0; i--)
		if (t->stack[i] != t->form)
			t->stack[i]->ops->free(t->stack[i]);
	if (t->form != NULL)
		t->form->ops->free(t->form);
	if (t->probe != NULL)
		PQfinish(t->probe);
	route_cache_release(&t->routes);
	db_set_vocabulary(NULL, NULL);
	dbread_free(&t->reads);
	db_free(&t->db);
	catalog_release(t->cat);
	free(t->cat);
	if (t->password != NULL) {
		explicit_bzero(t->password, strlen(t->password));
		free(t->password);
	}
	free(t->conninfo);
	free(t);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dbname", required_argument, NULL, 'd' },
		{ "read", required_argument, NULL, 'r' },
		{ "lang", required_argument, NULL, 'L' },
		{ "dump-keys", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui	*t;
	const char	*lang = NULL, *conninfo = NULL, *read_conninfo;
	int		 ch, rc, dump = 0, sig;

	for (ch = 1; ch < argc; ch++) {
		if (strcmp(argv[ch], "--lang") == 0 && ch + 1 < argc)
			lang = argv[ch + 1];
		else if (strncmp(argv[ch], "--lang=", 7) == 0)
			lang = argv[ch] + 7;
	}
	if (lang != NULL && strcmp(lang, "id") != 0 && strcmp(lang, "en") != 0) {
		fprintf(stderr, "kota: --lang must be id or en\n");
		return EXIT_USAGE;
	}
	lang = i18n_init(lang);
	main_utf8();
	log_init(argv[0], LOG_LEVEL_WARNING, 0);

	read_conninfo = getenv("KOTA_READ_CONNINFO");
	while ((ch = getopt_long(argc, argv, "d:r:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			/*
			 * Our copy; then the password out of argv, which
			 * ps(1) shows to every user for as long as we run.
			 */
			free(main_conninfo);
			conninfo = main_conninfo = xstrdup(optarg);
			scrub_conninfo(optarg);
			break;
		case 'r':
			free(main_read_conninfo);
			read_conninfo = main_read_conninfo = xstrdup(optarg);
			scrub_conninfo(optarg);
			break;
		case 'L':
			break;
		case 'K':
			dump = 1;
			break;
		case 'h':
			main_usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("kota (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EXIT_OK;
		default:
			main_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	if (dump) {
		keys_dump_man(stdout);
		return EXIT_OK;
	}

	t = xcalloc(1, sizeof *t);
	t->cat = xcalloc(1, sizeof *t->cat);
	t->conninfo = conninfo != NULL ? xstrdup(conninfo) : NULL;
	t->db = db_new(conninfo, "kota");
	/* "" (or -r '') reads the primary, whatever the environment says */
	t->reads = dbread_new(t->db, read_conninfo, main_max_lag());
	dbread_set_appname(t->reads, "kota");
	dbread_set_setup(t->reads, data_standby_setup, NULL);
	dbread_set_async(t->reads, true);	/* the loop never waits for it */
	route_cache_init(&t->routes);
	t->conn = TUI_LOST;
	if ((rc = main_start(t, lang)) != EXIT_OK) {
		main_free(t);
		return rc;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kota: %s\n",
		    _("the console needs a terminal on standard input and output"));
		main_free(t);
		return EXIT_USAGE;
	}
	atexit(main_endwin);
	xmalloc_set_fatal(main_endwin);
	main_curses_start(t);
	tui_push(t, screen_queue_new(t));
	sig = loop_run(t);
	main_endwin();
	main_free(t);
	free(main_conninfo);
	free(main_read_conninfo);
	if (sig != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return EXIT_OK;
}
