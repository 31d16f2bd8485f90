/*
 * screen_request.c: the request view, the console's pager
 *
 * Every field of the request and its citizen, the description, the
 * history (who by display name, when, what, public or internal), the
 * conversation with a citizen who texted (what the citizen wrote, what was
 * sent, in time order) and the notifications with their state, as lines that
 * scroll.  A notification for this request reloads it in place, keeping
 * the scroll position.  Each load tells the database the agent has seen
 * the citizen's words (kota.request_seen()), so that the queue's mark goes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "format.h"
#include "i18n.h"
#include "place.h"
#include "request.h"
#include "screen_request.h"
#include "strbuf.h"
#include "text.h"
#include "xmalloc.h"

#define RV_LABEL	14	/* columns of the label column */

struct rv_line {
	char	*label;
	char	*text;
	attr_t	 label_attr, text_attr;
	int	 x;		/* where the text starts */
};

static const struct screen_ops request_ops;

int
request_view_version(const struct request_view *rv)
{
	return (int)data_int(&rv->detail, 0, DC_VERSION);
}

/*
 * The agent is looking at what the citizen wrote: the queue's mark of it
 * goes (kota.request_seen() forgets it when the agent is the assignee).
 * The database sends no notification for that, so the screens below are
 * told here, and the queue reads its page again when it is back on top.
 * Before the conversation is read: words that come after are marked anew.
 */
static void
rv_seen(struct request_view *rv)
{
	struct tui	*t = rv->s.tui;
	struct db_error	 err;
	bool		 seen;
	int		 i;

	if (data_request_seen(t, rv->id, &seen, &err) != 0) {
		tui_db_error(t, &err);
		return;
	}
	if (!seen)
		return;
	tui_wrote(t);		/* the queue's mark is gone */
	for (i = 0; i < t->depth; i++)
		if (t->stack[i] != &rv->s && t->stack[i]->ops->notify != NULL)
			t->stack[i]->ops->notify(t->stack[i], rv->id);
}

int
request_view_load(struct request_view *rv)
{
	struct tui		*t = rv->s.tui;
	struct data_rows	 d, h, n, c;
	struct db_error		 err;

	if (data_request_detail(t, rv->id, &d, &err) != 0) {
		tui_db_error(t, &err);
		return -1;
	}
	if (d.n == 1)
		rv_seen(rv);
	if (data_request_history(t, rv->id, &h, &err) != 0) {
		data_rows_release(&d);
		tui_db_error(t, &err);
		return -1;
	}
	if (data_request_notifications(t, rv->id, &n, &err) != 0) {
		data_rows_release(&d);
		data_rows_release(&h);
		tui_db_error(t, &err);
		return -1;
	}
	if (data_request_conversation(t, rv->id, &c, &err) != 0) {
		data_rows_release(&d);
		data_rows_release(&h);
		data_rows_release(&n);
		tui_db_error(t, &err);
		return -1;
	}
	data_rows_release(&rv->detail);
	data_rows_release(&rv->history);
	data_rows_release(&rv->notes);
	data_rows_release(&rv->talk);
	rv->detail = d;
	rv->history = h;
	rv->notes = n;
	rv->talk = c;
	rv->loaded = d.n == 1;
	snprintf(rv->ticket, sizeof rv->ticket, "%s",
	    data_get(&d, 0, DC_TICKET));
	rv->width = 0;		/* render again */
	return 0;
}

/* Lines ---------------------------------------------------------------- */

static void
rv_clear(struct request_view *rv)
{
	size_t	i;

	for (i = 0; i < rv->nlines; i++) {
		free(rv->lines[i].label);
		free(rv->lines[i].text);
	}
	rv->nlines = 0;
}

static void
rv_add(struct request_view *rv, int x, const char *label, const char *text,
    attr_t la, attr_t ta)
{
	struct rv_line	*l;

	if (rv->nlines == rv->caplines) {
		rv->caplines = rv->caplines != 0 ? rv->caplines * 2 : 64;
		rv->lines = xreallocarray(rv->lines, rv->caplines,
		    sizeof *rv->lines);
	}
	l = &rv->lines[rv->nlines++];
	l->label = xstrdup(label != NULL ? label : "");
	l->text = xstrdup(text != NULL ? text : "");
	l->label_attr = la;
	l->text_attr = ta;
	l->x = x;
}

struct rv_wrap {
	struct request_view	*rv;
	int			 x;
	const char		*label;
	attr_t			 la, ta;
};

static void
rv_wrapped_line(void *arg, const wchar_t *line, size_t n)
{
	struct rv_wrap	*w = arg;
	char		*s = text_encode(line, n);

	rv_add(w->rv, w->x, w->label, s, w->la, w->ta);
	w->label = "";
	free(s);
}

/* A labelled value, wrapped to the width; nothing for an empty value. */
static void
rv_field(struct request_view *rv, const char *label, const char *value,
    attr_t ta)
{
	struct rv_wrap	w = { rv, RV_LABEL, label, colour_attr(CE_LABEL), ta };

	if (value == NULL || value[0] == '\0')
		return;
	text_wrap(value, rv->width - RV_LABEL, rv_wrapped_line, &w);
}

/* Text without a label, from column x, wrapped. */
static void
rv_text(struct request_view *rv, int x, const char *value, attr_t ta)
{
	struct rv_wrap	w = { rv, x, "", A_NORMAL, ta };

	if (value == NULL || value[0] == '\0')
		return;
	text_wrap(value, rv->width - x, rv_wrapped_line, &w);
}

static void
rv_heading(struct request_view *rv, const char *title)
{
	char	buf[256];

	snprintf(buf, sizeof buf, "\xe2\x94\x80\xe2\x94\x80 %s", title);
	rv_add(rv, 0, "", "", A_NORMAL, A_NORMAL);
	rv_add(rv, 0, "", buf, A_NORMAL, colour_attr(CE_HEADER));
}

static const char *
rv_get(const struct request_view *rv, int col)
{
	return data_get(&rv->detail, 0, col);
}

static void
rv_time_field(struct request_view *rv, const char *label, int col)
{
	char	buf[64];

	format_time(data_time(rv_get(rv, col)), buf, sizeof buf);
	rv_field(rv, label, buf, A_NORMAL);
}

/*
 * The areas the database placed the request in, the point, and, when the
 * point and the typed district disagree (request_detail's place_note),
 * a line in the warning colour: the clerk checks with the caller.  The
 * note is English for the logs; the line is said here from the columns.
 */
static void
rv_render_place(struct request_view *rv)
{
	char	buf[512], names[320];

	rv_field(rv, _("Kelurahan"), rv_get(rv, DC_KELURAHAN), A_NORMAL);
	rv_field(rv, _("Kecamatan"), rv_get(rv, DC_KECAMATAN), A_NORMAL);
	if (!data_null(&rv->detail, 0, DC_LAT)) {
		snprintf(buf, sizeof buf, "%s, %s", rv_get(rv, DC_LAT),
		    rv_get(rv, DC_LON));
		rv_field(rv, _("Location"), buf, A_NORMAL);
	}
	if (data_null(&rv->detail, 0, DC_PLACE_NOTE))
		return;
	place_district_names(rv_get(rv, DC_KELURAHAN),
	    rv_get(rv, DC_KECAMATAN), names, sizeof names);
	if (names[0] != '\0')
		snprintf(buf, sizeof buf,
		    _("\xe2\x9a\xa0 the point lies in %s, not in \"%s\""),
		    names, rv_get(rv, DC_DISTRICT));
	else
		snprintf(buf, sizeof buf, "\xe2\x9a\xa0 %s",
		    rv_get(rv, DC_PLACE_NOTE));
	rv_field(rv, "", buf, colour_attr(CE_WARNING));
}

static void
rv_render_head(struct request_view *rv)
{
	struct tui	*t = rv->s.tui;
	char		 buf[512], due[64];
	enum sla_state	 sla = SLA_NONE;
	time_t		 now = time(NULL);

	if (data_bool(&rv->detail, 0, DC_IS_OPEN))
		sla = format_sla(data_time(rv_get(rv, DC_CREATED_AT)),
		    data_time(rv_get(rv, DC_DUE_AT)), now);
	format_time(data_time(rv_get(rv, DC_DUE_AT)), due, sizeof due);
	snprintf(buf, sizeof buf, "%s \xc2\xb7 P%s \xc2\xb7 %s%s%s%s",
	    tui_pick_lang(t, rv_get(rv, DC_STATUS_LABEL_ID),
	    rv_get(rv, DC_STATUS_LABEL_EN)), rv_get(rv, DC_PRIORITY),
	    format_sla_name(sla), due[0] != '\0' ? " (" : "", due,
	    due[0] != '\0' ? ")" : "");
	rv_add(rv, RV_LABEL, rv->ticket, buf, A_BOLD, sla == SLA_NONE ? A_BOLD :
	    format_sla_attr(sla) | A_BOLD);
	snprintf(buf, sizeof buf, "%s (%s)", tui_pick_lang(t,
	    rv_get(rv, DC_SERVICE_NAME_ID), rv_get(rv, DC_SERVICE_NAME_EN)),
	    rv_get(rv, DC_SERVICE));
	rv_field(rv, _("Service"), buf, A_NORMAL);
	snprintf(buf, sizeof buf, "%s \xe2\x80\x94 %s", rv_get(rv, DC_DEPARTMENT),
	    tui_pick_lang(t, rv_get(rv, DC_DEPARTMENT_NAME_ID),
	    rv_get(rv, DC_DEPARTMENT_NAME_EN)));
	rv_field(rv, _("Department"), buf, A_NORMAL);
	if (!data_null(&rv->detail, 0, DC_ASSIGNEE))
		snprintf(buf, sizeof buf, "%s (%s)",
		    rv_get(rv, DC_ASSIGNEE_NAME), rv_get(rv, DC_ASSIGNEE));
	else
		snprintf(buf, sizeof buf, "%s", _("(nobody yet)"));
	rv_field(rv, _("Assignee"), buf, A_NORMAL);
	rv_field(rv, _("Address"), rv_get(rv, DC_ADDRESS), A_NORMAL);
	rv_field(rv, _("District"), rv_get(rv, DC_DISTRICT), A_NORMAL);
	rv_render_place(rv);
	/* a request posted by a client app (kotaweb) names the app */
	if (!data_null(&rv->detail, 0, DC_SOURCE_APP)) {
		snprintf(buf, sizeof buf, _("%s, via app %s"),
		    format_channel(rv_get(rv, DC_CHANNEL)),
		    rv_get(rv, DC_SOURCE_APP));
		rv_field(rv, _("Channel"), buf, A_NORMAL);
	} else
		rv_field(rv, _("Channel"), format_channel(rv_get(rv, DC_CHANNEL)),
		    A_NORMAL);
	rv_time_field(rv, _("Created"), DC_CREATED_AT);
	rv_time_field(rv, _("Updated"), DC_UPDATED_AT);
	rv_time_field(rv, _("Acknowledged"), DC_ACK_AT);
	rv_time_field(rv, _("Resolved"), DC_RESOLVED_AT);
	rv_time_field(rv, _("Closed"), DC_CLOSED_AT);
	rv_field(rv, _("Duplicate of"), rv_get(rv, DC_DUPLICATE_OF_TICKET),
	    A_BOLD);
	rv_field(rv, _("Version"), rv_get(rv, DC_VERSION), A_NORMAL);
}

static void
rv_render_citizen(struct request_view *rv)
{
	rv_heading(rv, _("Citizen"));
	if (data_null(&rv->detail, 0, DC_REPORTER_ID)) {
		rv_text(rv, 1, _("(no reporter recorded)"), A_NORMAL);
		return;
	}
	rv_field(rv, _("Name"), rv_get(rv, DC_REPORTER_NAME), A_NORMAL);
	rv_field(rv, _("Phone"), rv_get(rv, DC_REPORTER_PHONE), A_NORMAL);
	rv_field(rv, _("E-mail"), rv_get(rv, DC_REPORTER_EMAIL), A_NORMAL);
	rv_field(rv, _("Language"), format_lang(rv_get(rv, DC_REPORTER_LANG)),
	    A_NORMAL);
	rv_field(rv, _("Watchers"), rv_get(rv, DC_WATCHERS), A_NORMAL);
}

/*
 * A value of an event: a status by its label, a priority as "P2", a
 * comment's source by its channel's name.
 */
static const char *
rv_event_value(struct tui *t, const char *kind, const char *v, char *buf,
    size_t size)
{
	if (strcmp(kind, "status") == 0 || strcmp(kind, "created") == 0)
		return format_status(t, v);
	if (strcmp(kind, "priority") == 0 || strcmp(kind, "escalated") == 0) {
		snprintf(buf, size, "P%s", v);
		return buf;
	}
	/* a comment's source: a channel (the citizen texted) or an app */
	if (strcmp(kind, "comment") == 0)
		return format_channel(v);
	return v;
}

/*
 * The notes the database writes itself (request.sql, sla.sql) are English
 * patterns: said in the agent's language.  A note a person typed (a
 * reason for a status) is shown as typed.
 */
static const struct {
	const char	*note;
	const char	*text;		/* N_() */
} rv_fixed_notes[] = {
	{ "chosen", N_("chosen by hand") },
	{ "rules", N_("by the routing rules") },
	{ "service default", N_("the service's department") },
	{ "the resolve target is close", N_("the resolve target is close") },
	{ NULL, NULL },
};

/* The value after prefix in note, or NULL. */
static const char *
rv_after(const char *note, const char *prefix)
{
	size_t	n = strlen(prefix);

	return strncmp(note, prefix, n) == 0 ? note + n : NULL;
}

static void
rv_event_note(struct strbuf *sb, const char *note)
{
	static const char	 dup[] = " is a duplicate of this request";
	const char		*v;
	size_t			 i, n = strlen(note);

	for (i = 0; rv_fixed_notes[i].note != NULL; i++)
		if (strcmp(note, rv_fixed_notes[i].note) == 0) {
			strbuf_adds(sb, _(rv_fixed_notes[i].text));
			return;
		}
	if ((v = rv_after(note, "rule: ")) != NULL)
		strbuf_addf(sb, _("rule: %s"), v);
	else if ((v = rv_after(note, "duplicate of ")) != NULL)
		strbuf_addf(sb, _("duplicate of %s"), v);
	else if ((v = rv_after(note, "the resolve target passed at ")) != NULL)
		strbuf_addf(sb, _("the resolve target passed at %s"), v);
	else if (n > sizeof dup - 1 && strcmp(note + n - (sizeof dup - 1),
	    dup) == 0)
		strbuf_addf(sb, _("%.*s is a duplicate of this request"),
		    (int)(n - (sizeof dup - 1)), note);
	else
		strbuf_adds(sb, note);
}

/*
 * "status: new -> acknowledged", "public comment: ...", "routed: PU (rule:
 * X)"...  in words: the kind and any status by its translated name.
 */
static void
rv_event_text(struct tui *t, const struct data_rows *h, int i,
    struct strbuf *sb)
{
	const char	*kind = data_get(h, i, HC_KIND);
	char		 buf[64];

	strbuf_adds(sb, format_event_kind(kind));
	if (!data_null(h, i, HC_OLD_VALUE) || !data_null(h, i, HC_NEW_VALUE)) {
		strbuf_adds(sb, ": ");
		if (!data_null(h, i, HC_OLD_VALUE))
			strbuf_addf(sb, "%s \xe2\x86\x92 ", rv_event_value(t,
			    kind, data_get(h, i, HC_OLD_VALUE), buf,
			    sizeof buf));
		strbuf_adds(sb, rv_event_value(t, kind,
		    data_get(h, i, HC_NEW_VALUE), buf, sizeof buf));
	}
	if (data_null(h, i, HC_NOTE))
		return;
	if (strcmp(kind, "comment") == 0 || strcmp(kind, "note") == 0)
		strbuf_addf(sb, ": %s", data_get(h, i, HC_NOTE));
	else {
		strbuf_adds(sb, " (");
		rv_event_note(sb, data_get(h, i, HC_NOTE));
		strbuf_adds(sb, ")");
	}
}

static void
rv_render_history(struct request_view *rv)
{
	const struct data_rows	*h = &rv->history;
	struct strbuf		 sb = STRBUF_INIT;
	char			 when[64], title[64];
	int			 i;
	bool			 pub;

	snprintf(title, sizeof title, _("History (%d)"), h->n);
	rv_heading(rv, title);
	for (i = 0; i < h->n; i++) {
		pub = data_bool(h, i, HC_PUBLIC);
		format_time(data_time(data_get(h, i, HC_AT)), when,
		    sizeof when);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s  %s", when, data_get(h, i, HC_ACTOR_NAME));
		if (strcmp(data_get(h, i, HC_ACTOR_NAME),
		    data_get(h, i, HC_ACTOR)) != 0)
			strbuf_addf(&sb, " (%s)", data_get(h, i, HC_ACTOR));
		strbuf_addf(&sb, "  [%s]", pub ? _("public") : _("internal"));
		rv_text(rv, 1, strbuf_str(&sb), pub ?
		    colour_attr(CE_PUBLIC) : colour_attr(CE_INTERNAL));
		strbuf_reset(&sb);
		rv_event_text(rv->s.tui, h, i, &sb);
		rv_text(rv, 5, strbuf_str(&sb), A_NORMAL);
	}
	strbuf_release(&sb);
}

/*
 * What a citizen's message did (kota.inbound's action, api/inbound.sql),
 * said in the agent's language; a comment says nothing more than its
 * text, and an action this table does not know is shown as it is.
 */
static const struct {
	const char	*action;
	const char	*text;		/* N_() */
} rv_inbound_actions[] = {
	{ "comment", NULL },
	{ "status", N_("asked for the status") },
	{ "status_none", N_("asked for the status") },
	{ "status_bad", N_("asked for the status of a wrong ticket") },
	{ "stop", N_("opted out of messages") },
	{ "start", N_("opted in to messages again") },
	{ "help", N_("asked for help") },
	{ "report", N_("reported it by message") },
	{ "report_duplicate", N_("reported it again") },
	{ "report_none", N_("a report without text") },
	{ "report_capped", N_("too many reports today: not taken") },
	{ "limited", N_("too many messages: not acted on") },
	{ "unknown", N_("no text to act on (a picture?)") },
	{ NULL, NULL },
};

static void
rv_inbound_action(struct strbuf *sb, const char *action)
{
	size_t	i;

	if (action[0] == '\0')
		return;
	for (i = 0; rv_inbound_actions[i].action != NULL; i++)
		if (strcmp(action, rv_inbound_actions[i].action) == 0) {
			if (rv_inbound_actions[i].text != NULL)
				strbuf_addf(sb, " \xc2\xb7 %s",
				    _(rv_inbound_actions[i].text));
			return;
		}
	strbuf_addf(sb, " \xc2\xb7 %s", action);
}

/* Did the citizen write about the request (SMS, WhatsApp)? */
static bool
rv_citizen_wrote(const struct data_rows *c)
{
	int	i;

	for (i = 0; i < c->n; i++)
		if (strcmp(data_get(c, i, VC_DIRECTION), "in") == 0)
			return true;
	return false;
}

/*
 * The conversation: each message a line of when, which way (← the
 * citizen wrote, → was sent to the citizen), the masked number and the
 * channel, and what it did (in) or where its delivery stands (out); its
 * text below, wrapped.  The citizen's words stand out as the public
 * history does; a message that could not be sent as a failed
 * notification does.  Until the citizen writes, it would only say again
 * what the notifications say: it is left out.
 */
static void
rv_render_conversation(struct request_view *rv)
{
	const struct data_rows	*c = &rv->talk;
	struct strbuf		 sb = STRBUF_INIT;
	char			 when[64], title[64];
	const char		*state;
	attr_t			 a;
	int			 i;
	bool			 in;

	if (!rv_citizen_wrote(c))
		return;
	snprintf(title, sizeof title, _("Conversation (%d)"), c->n);
	rv_heading(rv, title);
	for (i = 0; i < c->n; i++) {
		in = strcmp(data_get(c, i, VC_DIRECTION), "in") == 0;
		state = data_get(c, i, VC_STATE);
		format_time(data_time(data_get(c, i, VC_AT)), when,
		    sizeof when);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s  %s %s (%s)", when,
		    in ? "\xe2\x86\x90" : "\xe2\x86\x92",
		    data_get(c, i, VC_PARTY),
		    format_channel(data_get(c, i, VC_CHANNEL)));
		if (in)
			rv_inbound_action(&sb, data_get(c, i, VC_ACTION));
		else if (state[0] != '\0')
			strbuf_addf(&sb, " \xc2\xb7 %s",
			    format_notice_state(state));
		if (in)
			a = colour_attr(CE_PUBLIC);
		else if (strcmp(state, "dead") == 0 ||
		    strcmp(state, "failed") == 0)
			a = colour_attr(CE_MSG_ERROR);
		else
			a = A_NORMAL;
		rv_text(rv, 1, strbuf_str(&sb), a);
		rv_text(rv, 5, data_get(c, i, VC_BODY), A_NORMAL);
	}
	strbuf_release(&sb);
}

static void
rv_render_notifications(struct request_view *rv)
{
	const struct data_rows	*n = &rv->notes;
	struct strbuf		 sb = STRBUF_INIT;
	char			 when[64], title[64];
	const char		*state;
	int			 i;

	snprintf(title, sizeof title, _("Notifications (%d)"), n->n);
	rv_heading(rv, title);
	if (n->n == 0)
		rv_text(rv, 1, _("(none)"), A_NORMAL);
	for (i = 0; i < n->n; i++) {
		state = data_get(n, i, NC_STATE);
		format_time(data_time(data_get(n, i, NC_CREATED_AT)), when,
		    sizeof when);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s  %s \xc2\xb7 %s %s: %s", when,
		    format_notice_event(rv->s.tui, data_get(n, i, NC_EVENT)),
		    format_channel(data_get(n, i, NC_CHANNEL)),
		    data_get(n, i, NC_RECIPIENT), format_notice_state(state));
		if (data_int(n, i, NC_ATTEMPTS) > 0)
			strbuf_addf(&sb, _(" (%lld attempts)"),
			    data_int(n, i, NC_ATTEMPTS));
		if (!data_null(n, i, NC_LAST_ERROR))
			strbuf_addf(&sb, " \xe2\x80\x94 %s",
			    data_get(n, i, NC_LAST_ERROR));
		rv_text(rv, 1, strbuf_str(&sb),
		    strcmp(state, "dead") == 0 || strcmp(state, "failed") == 0 ?
		    colour_attr(CE_MSG_ERROR) : A_NORMAL);
	}
	strbuf_release(&sb);
}

static void
rv_render(struct request_view *rv, int width)
{
	rv_clear(rv);
	rv->width = width;
	if (!rv->loaded)
		return;
	rv_render_head(rv);
	rv_render_citizen(rv);
	rv_heading(rv, _("Description"));
	rv_text(rv, 1, rv_get(rv, DC_DESCRIPTION), A_NORMAL);
	rv_render_history(rv);
	rv_render_conversation(rv);
	rv_render_notifications(rv);
}

/* The screen ----------------------------------------------------------- */

static void
request_title(struct screen *s, char *buf, size_t size)
{
	struct request_view	*rv = (struct request_view *)s;

	snprintf(buf, size, " Kota \xc2\xb7 %s %s", _("Request"), rv->ticket);
}

static void
request_draw(struct screen *s, WINDOW *w, int top, int rows, int cols)
{
	struct request_view	*rv = (struct request_view *)s;
	const struct rv_line	*l;
	int			 i;

	if (rv->width != cols)
		rv_render(rv, cols);
	if (rv->scroll > (int)rv->nlines - rows)
		rv->scroll = (int)rv->nlines - rows;
	if (rv->scroll < 0)
		rv->scroll = 0;
	if (!rv->loaded) {
		text_put(w, top + 1, 2, cols - 4, _("(the request could not be read)"),
		    colour_attr(CE_HINT));
		return;
	}
	for (i = 0; i < rows && rv->scroll + i < (int)rv->nlines; i++) {
		l = &rv->lines[rv->scroll + i];
		if (l->label[0] != '\0')
			text_put(w, top + i, 0, RV_LABEL - 1, l->label,
			    l->label_attr);
		text_put(w, top + i, l->x, cols - l->x, l->text, l->text_attr);
	}
}

static int
request_key(struct screen *s, enum key_action action, int key)
{
	struct request_view	*rv = (struct request_view *)s;
	int			 page = s->rows > 2 ? s->rows - 1 : 1;

	(void)key;
	switch (action) {
	case KA_UP:	rv->scroll--; break;
	case KA_DOWN:	rv->scroll++; break;
	case KA_PGUP:	rv->scroll -= page; break;
	case KA_PGDN:	rv->scroll += page; break;
	case KA_HOME:	rv->scroll = 0; break;
	case KA_END:	rv->scroll = (int)rv->nlines; break;
	case KA_BACK:
		return SCREEN_CLOSE;
	case KA_RELOAD:
		request_view_load(rv);
		break;
	case KA_STATUS:
		request_action_status(rv);
		break;
	case KA_ASSIGN:
		request_action_assign(rv);
		break;
	case KA_ROUTE:
		request_action_route(rv);
		break;
	case KA_COMMENT:
		request_action_comment(rv, true);
		break;
	case KA_NOTE:
		request_action_comment(rv, false);
		break;
	case KA_DUPLICATE:
		request_action_duplicate(rv);
		break;
	default:
		return SCREEN_UNHANDLED;
	}
	return SCREEN_OK;
}

static void
request_notify(struct screen *s, int64_t id)
{
	struct request_view	*rv = (struct request_view *)s;

	if (id == rv->id || id == 0)
		s->stale = true;
}

static void
request_reload(struct screen *s)
{
	request_view_load((struct request_view *)s);
}

static void
request_free(struct screen *s)
{
	struct request_view	*rv = (struct request_view *)s;

	rv_clear(rv);
	free(rv->lines);
	data_rows_release(&rv->detail);
	data_rows_release(&rv->history);
	data_rows_release(&rv->notes);
	data_rows_release(&rv->talk);
	data_rows_release(&rv->allowed);
	free(rv->draft_reason);
	free(rv->draft_comment);
	free(rv->draft_note);
	free(rv->draft_duplicate);
	free(rv);
}

static const struct screen_ops request_ops = {
	.name = "request",
	.scopes = KS_GLOBAL | KS_LIST | KS_REQUEST,
	.title = request_title,
	.draw = request_draw,
	.key = request_key,
	.notify = request_notify,
	.reload = request_reload,
	.free = request_free,
};

struct screen *
screen_request_new(struct tui *t, int64_t id)
{
	struct request_view	*rv = xcalloc(1, sizeof *rv);

	rv->s.ops = &request_ops;
	rv->s.tui = t;
	rv->id = id;
	request_ticket_of(id, rv->ticket, sizeof rv->ticket);
	request_view_load(rv);
	return &rv->s;
}
