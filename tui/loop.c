/*
 * loop.c: the console's one poll loop
 *
 * Each turn: notice a lost or replaced connection, drain the
 * notifications libpq has buffered, reload what changed (at most a few
 * times a second), draw if anything changed (erase, draw, one doupdate(),
 * so nothing flickers), then poll() the keyboard, the connection's socket
 * and a reconnect attempt until the next timer.  Keys are read after every
 * wake-up, so a KEY_RESIZE after SIGWINCH is handled here and only here.
 *
 * Reconnecting never blocks the screen: after a loss the loop waits
 * 0.5 s, doubling to 10 s, and then starts a non-blocking connection
 * attempt (PQconnectStartParams) whose socket it polls with the keyboard.
 * Only when that attempt is accepted does db_connect() open the console's
 * real connection, which then takes a moment at most.  On a multi-host
 * conninfo with target_session_attrs=read-write that is the new primary
 * after a failover: loop_session() sets it up and LISTENs again.
 *
 * With a standby (-r), the loop looks at it every LOOP_STANDBY_MS even
 * when nothing is read, so that the status line's lag is fresh and a
 * standby that went or came back is noticed.  A connect to the standby
 * is never waited for (dbread_set_async()): its socket is polled with
 * the others, and until it is done the reads go to the primary.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
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
#include "loop.h"
#include "screen.h"
#include "statusline.h"

#define LOOP_REFRESH_MS		250	/* at most four reloads a second */
#define LOOP_BACKOFF_MIN_MS	500
#define LOOP_BACKOFF_MAX_MS	10000
#define LOOP_PROBE_TIMEOUT_MS	10000
#define LOOP_IDLE_MS		30000	/* redraw ages now and then */
#define LOOP_STANDBY_MS		2000	/* the status line's lag */

static volatile sig_atomic_t	loop_signal;

/* For the fatal signal handler: written before curses starts. */
static struct termios		loop_termios;
static bool			loop_termios_saved;
static char			loop_reset[256];
static size_t			loop_reset_len;

static void
loop_on_signal(int sig)
{
	loop_signal = sig;
}

/*
 * A crash: put the terminal back with async-signal-safe calls only
 * (write, tcsetattr), then die of the same signal.
 */
static void
loop_on_fatal(int sig)
{
	if (loop_reset_len > 0)
		(void)write(STDOUT_FILENO, loop_reset, loop_reset_len);
	if (loop_termios_saved)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &loop_termios);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
loop_add_cap(const char *name)
{
	char	*s = tigetstr(name);
	size_t	 n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (loop_reset_len + n < sizeof loop_reset) {
		memcpy(loop_reset + loop_reset_len, s, n);
		loop_reset_len += n;
	}
}

void
loop_save_terminal(void)
{
	if (tcgetattr(STDIN_FILENO, &loop_termios) == 0)
		loop_termios_saved = true;
}

void
loop_signals(void)
{
	struct sigaction	 sa;
	static const int	 fatal[] = {
		SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	};
	size_t			 i;

	/* what endwin() would send, for the fatal handler */
	loop_reset_len = 0;
	loop_add_cap("sgr0");
	loop_add_cap("cnorm");
	loop_add_cap("rmkx");
	loop_add_cap("rmcup");

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = loop_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = loop_on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

/* The connection ------------------------------------------------------- */

void
loop_conn_lost(struct tui *t, const char *why)
{
	if (t->conn != TUI_CONNECTED)
		return;
	t->conn = TUI_LOST;
	t->listen_pid = 0;
	t->backoff_ms = LOOP_BACKOFF_MIN_MS;
	t->retry_at = tui_now() + t->backoff_ms;
	/* libpq's first line says why: "server closed the connection..." */
	snprintf(t->conn_error, sizeof t->conn_error, "%.*s",
	    why != NULL ? (int)strcspn(why, "\n") : 0, why != NULL ? why : "");
	tui_error(t, _("the connection to the database is lost (%s); reconnecting, what you typed is kept"),
	    t->conn_error);
}

void
loop_counts(struct tui *t)
{
	struct db_error	 err;
	long		 c[5];

	if (data_queue_counts(t, t->counts_dept, c, &err) != 0) {
		if (err.status == DB_LOST)
			loop_conn_lost(t, err.message);
		t->counts.valid = false;
		return;
	}
	t->counts.valid = true;
	t->counts.open = c[0];
	t->counts.fresh = c[1];
	t->counts.unassigned = c[2];
	t->counts.mine = c[3];
	t->counts.overdue = c[4];
	t->dirty = true;
}

int
loop_session(struct tui *t, struct db_error *err)
{
	int	i;

	t->conn = TUI_CONNECTED;
	if (data_session_setup(t, err) != 0)
		return -1;
	t->listen_pid = PQbackendPID(db_conn(t->db));
	/* notifications sent while we were away are lost: reload it all */
	if (catalog_load(t, t->cat, err) != 0)
		return -1;
	tui_route_engine(t);
	for (i = 0; i < t->depth; i++)
		t->stack[i]->stale = true;
	t->changes = true;
	t->last_refresh = 0;
	return 0;
}

static void
loop_backoff(struct tui *t)
{
	t->conn = TUI_LOST;
	t->backoff_ms = t->backoff_ms * 2 > LOOP_BACKOFF_MAX_MS ?
	    LOOP_BACKOFF_MAX_MS : t->backoff_ms * 2;
	t->retry_at = tui_now() + t->backoff_ms;
	t->dirty = true;
}

/* The probe is through: open the real connection and set it up. */
static void
loop_reconnect(struct tui *t)
{
	struct db_error	err;

	if (db_connect(t->db, NULL, &err) != 0 ||
	    loop_session(t, &err) != 0) {
		snprintf(t->conn_error, sizeof t->conn_error, "%s",
		    err.message);
		loop_backoff(t);
		return;
	}
	t->conn_error[0] = '\0';
	tui_message(t, "%s", _("reconnected to the database"));
}

static void
loop_probe_end(struct tui *t, bool ok)
{
	PGconn	*probe = t->probe;

	if (!ok)
		snprintf(t->conn_error, sizeof t->conn_error, "%s",
		    PQerrorMessage(probe));
	PQfinish(probe);
	t->probe = NULL;
	if (ok)
		loop_reconnect(t);
	else
		loop_backoff(t);
}

static void
loop_probe_start(struct tui *t)
{
	const char	*keys[4], *vals[4];
	int		 n = 0;
	PGconn		*probe;

	if (t->conninfo != NULL) {
		keys[n] = "dbname";
		vals[n++] = t->conninfo;
	}
	keys[n] = "fallback_application_name";
	vals[n++] = "kota";
	if (t->password != NULL) {
		keys[n] = "password";
		vals[n++] = t->password;
	}
	keys[n] = vals[n] = NULL;
	probe = PQconnectStartParams(keys, vals, 1);
	if (probe == NULL)
		tui_die("%s", _("out of memory"));
	t->probe = probe;
	t->conn = TUI_PROBING;
	t->retry_at = tui_now() + LOOP_PROBE_TIMEOUT_MS;
	t->probe_events = POLLOUT;
	if (PQstatus(probe) == CONNECTION_BAD)
		loop_probe_end(t, false);
	t->dirty = true;
}

static void
loop_probe_step(struct tui *t)
{
	switch (PQconnectPoll(t->probe)) {
	case PGRES_POLLING_READING:
		t->probe_events = POLLIN;
		break;
	case PGRES_POLLING_WRITING:
		t->probe_events = POLLOUT;
		break;
	case PGRES_POLLING_OK:
		loop_probe_end(t, true);
		break;
	default:
		loop_probe_end(t, false);
		break;
	}
}

/* A connection replaced behind our back (a DB_READ reconnects) or lost. */
static void
loop_conn_check(struct tui *t)
{
	struct db_error	err;

	if (t->conn != TUI_CONNECTED)
		return;
	if (!db_is_connected(t->db)) {
		loop_conn_lost(t, PQerrorMessage(db_conn(t->db)));
		return;
	}
	if (PQbackendPID(db_conn(t->db)) == t->listen_pid ||
	    loop_session(t, &err) == 0)
		return;
	if (err.status == DB_LOST) {
		loop_conn_lost(t, err.message);
		return;
	}
	/* not worth a retry on every turn of the loop: say it, go on */
	t->listen_pid = PQbackendPID(db_conn(t->db));
	tui_db_error(t, &err);
}

/* Notifications -------------------------------------------------------- */

static void
loop_notified(struct tui *t, const char *channel, const char *payload)
{
	int64_t	id;
	int	i;

	if (route_cache_notify(&t->routes, channel)) {
		/* the form's suggestion may change (never its fields) */
		if (t->form != NULL)
			t->form->stale = true;
		t->changes = true;
		return;
	}
	id = strtoll(payload, NULL, 10);
	for (i = 0; i < t->depth; i++)
		if (t->stack[i]->ops->notify != NULL)
			t->stack[i]->ops->notify(t->stack[i], id);
	t->changes = true;
}

static void
loop_drain(struct tui *t)
{
	PGnotify	*n;
	PGconn		*conn;

	if (t->conn != TUI_CONNECTED || (conn = db_conn(t->db)) == NULL)
		return;
	while ((n = PQnotifies(conn)) != NULL) {
		loop_notified(t, n->relname, n->extra);
		PQfreemem(n);
	}
}

/* Reload the top screen if something changed, a few times a second. */
static void
loop_refresh(struct tui *t, int64_t now)
{
	struct screen	*s = tui_top(t);

	if (!t->changes || t->conn != TUI_CONNECTED ||
	    now - t->last_refresh < LOOP_REFRESH_MS)
		return;
	t->changes = false;
	t->last_refresh = now;
	if (s != NULL && s->stale && s->ops->reload != NULL) {
		s->stale = false;
		s->ops->reload(s);
	}
	loop_counts(t);
	t->dirty = true;
}

/* Drawing -------------------------------------------------------------- */

static void
loop_draw(struct tui *t)
{
	struct screen	*s = tui_top(t);
	int		 lines = LINES, cols = COLS, i, mrows;
	char		 msg[128];

	werase(stdscr);
	tui_cursor(t, -1, -1);
	if (cols < TUI_MIN_COLS || lines < TUI_MIN_LINES) {
		snprintf(msg, sizeof msg,
		    _("the terminal is %dx%d; kota needs %dx%d"), cols, lines,
		    TUI_MIN_COLS, TUI_MIN_LINES);
		mvwaddnstr(stdscr, lines / 2, 0, msg, cols);
	} else if (s != NULL) {
		statusline_title(t, s, stdscr, 0, cols);
		s->ops->draw(s, stdscr, 1, lines - 3, cols);
		s->rows = lines - 3;
		s->cols = cols;
		mrows = statusline_message_rows(t, cols);
		statusline_draw(t, stdscr, lines - 1 - mrows, cols);
		statusline_message(t, stdscr, lines - mrows, cols);
		for (i = 0; i < t->nmodals; i++)
			t->modals[i]->ops->draw(t->modals[i], stdscr, lines,
			    cols);
	}
	if (t->cursor_on) {
		curs_set(1);
		wmove(stdscr, t->cursor_y, t->cursor_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = false;
}

/* Keys ----------------------------------------------------------------- */

static void
loop_global(struct tui *t, struct screen *s, enum key_action action)
{
	switch (action) {
	case KA_HELP:
		tui_push(t, screen_help_new(t, s->ops->scopes));
		break;
	case KA_NEW:
		tui_open_form(t);
		break;
	case KA_DASHBOARD:
		if (strcmp(s->ops->name, "dashboard") != 0)
			tui_push(t, screen_dash_new(t));
		break;
	case KA_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
}

static void
loop_modal_key(struct tui *t, int key)
{
	struct modal	*m = t->modals[t->nmodals - 1];
	enum key_action	 action = keys_lookup(m->ops->scopes, key);

	if (action == KA_REDRAW) {
		clearok(curscr, TRUE);
		return;
	}
	if (m->ops->key(m, action, key) != MODAL_DONE)
		return;
	t->nmodals--;
	m->ops->finish(m);
	m->ops->free(m);
}

static void
loop_key(struct tui *t, int key)
{
	struct screen	*s = tui_top(t);
	enum key_action	 action;

	t->dirty = true;
	/*
	 * The message line belongs to the moment it was written: the next
	 * key clears it, and only what this key says is shown after it.
	 */
	t->message[0] = '\0';
	t->message_error = false;
	t->message_long = false;
	if (t->nmodals > 0) {
		loop_modal_key(t, key);
		return;
	}
	if (s == NULL || COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES)
		return;
	action = keys_lookup(s->ops->scopes, key);
	switch (s->ops->key(s, action, key)) {
	case SCREEN_CLOSE:
		tui_pop(t);
		break;
	case SCREEN_UNHANDLED:
		loop_global(t, s, action);
		break;
	default:
		break;
	}
}

static void
loop_read_keys(struct tui *t)
{
	wint_t	wc;
	int	r;

	while (!t->quit && (r = wget_wch(stdscr, &wc)) != ERR) {
		if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
			t->dirty = true;
			continue;
		}
		loop_key(t, r == KEY_CODE_YES ? (int)(KEYS_FN | wc) : (int)wc);
		loop_conn_check(t);
		loop_drain(t);
	}
}

/* Timers --------------------------------------------------------------- */

static int64_t
loop_deadline(struct tui *t, int64_t now, int64_t tick)
{
	int64_t		 next = now + LOOP_IDLE_MS;

	if (t->conn != TUI_CONNECTED) {
		if (t->retry_at < next)
			next = t->retry_at;
		if (now + 1000 < next)
			next = now + 1000 - now % 1000;	/* the countdown */
	}
	/* offline, changes wait for the reconnect, which reloads it all */
	if (t->changes && t->conn == TUI_CONNECTED &&
	    t->last_refresh + LOOP_REFRESH_MS < next)
		next = t->last_refresh + LOOP_REFRESH_MS;
	if (t->conn == TUI_CONNECTED && dbread_configured(t->reads) &&
	    t->reads_check_at < next)
		next = t->reads_check_at;
	if (tick > 0 && tick < next)
		next = tick;
	return next;
}

static void
loop_timers(struct tui *t, int64_t now)
{
	if (t->conn == TUI_LOST && now >= t->retry_at)
		loop_probe_start(t);
	else if (t->conn == TUI_PROBING && now >= t->retry_at) {
		snprintf(t->conn_error, sizeof t->conn_error, "%s",
		    _("timed out"));
		PQfinish(t->probe);
		t->probe = NULL;
		loop_backoff(t);
	}
	if (t->conn != TUI_CONNECTED)
		t->dirty = true;	/* the countdown on the status line */
	else if (dbread_configured(t->reads) && now >= t->reads_check_at) {
		(void)dbread_db(t->reads);
		t->reads_check_at = now + LOOP_STANDBY_MS;
		t->dirty = true;
	}
}

/* The loop ------------------------------------------------------------- */

int
loop_run(struct tui *t)
{
	struct pollfd	 fds[4];
	nfds_t		 n;
	struct screen	*s;
	int64_t		 now, next, tick;
	int		 db_fd, probe_fd, read_fd, timeout;
	short		 read_events;

	t->dirty = true;
	while (!t->quit && loop_signal == 0) {
		loop_conn_check(t);
		loop_drain(t);
		now = tui_now();
		loop_refresh(t, now);
		s = tui_top(t);
		tick = s != NULL && s->ops->tick != NULL && t->nmodals == 0 ?
		    s->ops->tick(s, now) : 0;
		if (t->dirty)
			loop_draw(t);
		/*
		 * The queries above may have read a notification into libpq's
		 * buffer: the socket will not wake poll() for it, so take it
		 * now (it sets the deadline of the next refresh).
		 */
		loop_conn_check(t);
		loop_drain(t);

		memset(fds, 0, sizeof fds);
		n = 0;
		fds[n].fd = STDIN_FILENO;
		fds[n++].events = POLLIN;
		db_fd = probe_fd = read_fd = -1;
		if (t->conn == TUI_CONNECTED &&
		    (db_fd = PQsocket(db_conn(t->db))) >= 0) {
			fds[n].fd = db_fd;
			fds[n++].events = POLLIN;
		}
		if (t->conn == TUI_PROBING &&
		    (probe_fd = PQsocket(t->probe)) >= 0) {
			fds[n].fd = probe_fd;
			fds[n++].events = (short)t->probe_events;
		}
		/* a connect to the standby under way (dbread_set_async()) */
		if (t->conn == TUI_CONNECTED && (read_fd =
		    dbread_connect_fd(t->reads, &read_events)) >= 0) {
			fds[n].fd = read_fd;
			fds[n++].events = read_events;
		}
		next = loop_deadline(t, now, tick);
		timeout = next > now ? (int)(next - now) : 0;
		if (poll(fds, n, timeout) < 0) {
			if (errno != EINTR)
				tui_die("poll: %s", strerror(errno));
			n = 0;		/* a signal (SIGWINCH): only the keys */
		}

		for (nfds_t i = 1; i < n; i++) {
			if (fds[i].revents == 0)
				continue;
			if (fds[i].fd == db_fd &&
			    PQconsumeInput(db_conn(t->db)) == 0)
				loop_conn_check(t);
			else if (fds[i].fd == probe_fd && t->probe != NULL)
				loop_probe_step(t);
			else if (fds[i].fd == read_fd) {
				(void)dbread_db(t->reads);
				t->dirty = true;	/* the status line */
			}
		}
		loop_read_keys(t);
		loop_timers(t, tui_now());
	}
	return loop_signal;
}
