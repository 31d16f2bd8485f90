/*
 * tui.c: the calls every screen uses: messages, the screen stack, modals
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbread.h"
#include "i18n.h"
#include "loop.h"
#include "prompt.h"
#include "screen.h"
#include "tui.h"

int64_t
tui_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void __attribute__((format(printf, 3, 0)))
tui_vmessage(struct tui *t, bool error, const char *fmt, va_list ap)
{
	char	*p;

	vsnprintf(t->message, sizeof t->message, fmt, ap);
	/* one line: the message line cannot show more */
	for (p = t->message; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	t->message_error = error;
	t->message_long = true;
	t->dirty = true;
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tui_vmessage(t, false, fmt, ap);
	va_end(ap);
}

void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tui_vmessage(t, true, fmt, ap);
	va_end(ap);
}

void
tui_db_error(struct tui *t, const struct db_error *err)
{
	if (err->status == DB_LOST) {
		loop_conn_lost(t, err->message);
		tui_error(t, _("not done: the connection to the database is lost (%s); what you typed is kept, try again once connected"),
		    err->message);
		return;
	}
	if (err->detail[0] != '\0')
		tui_error(t, "%s (%s)", err->message, err->detail);
	else
		tui_error(t, "%s", err->message);
}

int
tui_online(struct tui *t, struct db_error *err)
{
	if (t->conn == TUI_CONNECTED && db_is_connected(t->db))
		return 0;
	db_error_printf(err, DB_LOST, "%s",
	    _("not connected to the database"));
	return -1;
}

struct screen *
tui_top(const struct tui *t)
{
	return t->depth > 0 ? t->stack[t->depth - 1] : NULL;
}

void
tui_push(struct tui *t, struct screen *s)
{
	if (t->depth == TUI_MAX_SCREENS) {
		/* keep the queue at the bottom; drop the oldest above it */
		struct screen	*old = t->stack[1];

		memmove(t->stack + 1, t->stack + 2,
		    (size_t)(t->depth - 2) * sizeof t->stack[0]);
		t->depth--;
		if (old != t->form)
			old->ops->free(old);
	}
	t->stack[t->depth++] = s;
	t->dirty = true;
}

void
tui_pop(struct tui *t)
{
	struct screen	*s;

	if (t->depth <= 1)
		return;
	s = t->stack[--t->depth];
	if (s != t->form)
		s->ops->free(s);
	s = tui_top(t);
	if (s->stale && s->ops->reload != NULL) {
		s->ops->reload(s);
		s->stale = false;
	}
	t->dirty = true;
}

void
tui_open_form(struct tui *t)
{
	int	i;

	for (i = 0; i < t->depth; i++)
		if (t->stack[i] == t->form && t->form != NULL) {
			/* it is on the stack already: bring it to the top */
			memmove(t->stack + i, t->stack + i + 1,
			    (size_t)(t->depth - i - 1) * sizeof t->stack[0]);
			t->depth--;
			break;
		}
	if (t->form == NULL)
		t->form = screen_form_new(t);
	tui_push(t, t->form);
}

void
tui_modal_push(struct tui *t, struct modal *m)
{
	if (t->nmodals == TUI_MAX_MODALS) {
		m->ops->free(m);
		return;
	}
	t->modals[t->nmodals++] = m;
	t->dirty = true;
}

bool
tui_has_modal(const struct tui *t)
{
	return t->nmodals > 0;
}

void
tui_cursor(struct tui *t, int y, int x)
{
	t->cursor_on = y >= 0;
	t->cursor_y = y;
	t->cursor_x = x;
}

const char *
tui_pick_lang(const struct tui *t, const char *id_text, const char *en_text)
{
	if (strcmp(t->lang, "en") == 0 && en_text != NULL && *en_text != '\0')
		return en_text;
	return id_text != NULL ? id_text : "";
}

const struct route_engine *
tui_route_engine(struct tui *t)
{
	struct db_error	err;

	if (tui_online(t, &err) == 0 &&
	    route_cache_engine(&t->routes, t->db, &err) == NULL &&
	    err.status == DB_LOST)
		loop_conn_lost(t, err.message);
	return t->routes.engine;
}

void
tui_wrote(struct tui *t)
{
	if (t->reads != NULL)
		dbread_wrote(t->reads);
}

void
tui_reads_state(const struct tui *t, char *buf, size_t size)
{
	double	lag;

	if (t->reads == NULL || !dbread_configured(t->reads)) {
		if (size > 0)
			buf[0] = '\0';
		return;
	}
	if ((lag = dbread_lag(t->reads)) >= 0)
		snprintf(buf, size, _("standby \xc2\xb7 lag %.1f s"), lag);
	else
		snprintf(buf, size, _("%s: reading the primary"),
		    dbread_state(t->reads));
}

void
tui_counts_later(struct tui *t)
{
	t->changes = true;
}

static void
tui_quit_confirmed(void *arg, bool yes)
{
	struct tui	*t = arg;

	if (yes)
		t->quit = true;
}

void
tui_quit(struct tui *t)
{
	if (t->form != NULL && t->form->ops->unsaved(t->form)) {
		prompt_confirm(t, _("The new request is not saved. Quit anyway?"),
		    tui_quit_confirmed, t);
		return;
	}
	t->quit = true;
}
