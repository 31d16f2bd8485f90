/*
 * request_actions.c: changing a request from its view
 *
 * Each action is a short chain of widgets (a pick list, maybe a prompt)
 * ending in one call of lib/request.h.  The version is taken when the
 * action starts: if another clerk changes the request while this one is
 * choosing or typing, the database refuses (KT004), the clerk is told what
 * changed, the view shows the new state and the typed text waits in a
 * draft, offered again by the next try.  A lost connection keeps the draft
 * as well.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "i18n.h"
#include "picker.h"
#include "prompt.h"
#include "request.h"
#include "route.h"
#include "screen_request.h"
#include "xmalloc.h"

static void
rv_draft(char **slot, const char *text)
{
	free(*slot);
	*slot = text != NULL && text[0] != '\0' ? xstrdup(text) : NULL;
}

/* The change is made: say so and show it, at the end of the history. */
static void
rv_done(struct request_view *rv, const char *what)
{
	tui_wrote(rv->s.tui);
	request_view_load(rv);
	rv->scroll = INT32_MAX / 2;	/* the draw clamps it */
	tui_message(rv->s.tui, "%s: %s", rv->ticket, what);
	tui_counts_later(rv->s.tui);
}

/* Refused or failed; a conflict shows the request as it is now. */
static void
rv_failed(struct request_view *rv, const struct db_error *err, enum key_action again)
{
	struct tui	*t = rv->s.tui;
	char		 key[16];

	if (err->status != DB_CONFLICT) {
		tui_db_error(t, err);
		return;
	}
	request_view_load(rv);
	keys_hint(KS_REQUEST, again, key, sizeof key);
	if (err->detail[0] != '\0')
		tui_error(t, _("%s (%s); what you typed is kept: %s tries again"),
		    err->message, err->detail, key);
	else
		tui_error(t, _("%s; what you typed is kept: %s tries again"),
		    err->message, key);
}

static bool
rv_online(struct request_view *rv)
{
	struct db_error	err;

	if (tui_online(rv->s.tui, &err) == 0)
		return true;
	tui_db_error(rv->s.tui, &err);
	return false;
}

/* Status ----------------------------------------------------------------- */

static const char *
status_label(struct request_view *rv, const char *code)
{
	int	i;

	for (i = 0; i < rv->allowed.n; i++)
		if (strcmp(data_get(&rv->allowed, i, AC_TO_STATUS), code) == 0)
			return tui_pick_lang(rv->s.tui,
			    data_get(&rv->allowed, i, AC_LABEL_ID),
			    data_get(&rv->allowed, i, AC_LABEL_EN));
	return code;
}

static void
status_apply(struct request_view *rv, const char *note)
{
	struct db_error	 err;
	char		 what[128];
	int		 version;

	if (!rv_online(rv))
		return;
	if (request_transition(rv->s.tui->db, rv->id, rv->act_status, note,
	    rv->act_version, &version, &err) != 0) {
		rv_failed(rv, &err, KA_STATUS);
		return;
	}
	rv_draft(&rv->draft_reason, NULL);
	snprintf(what, sizeof what, _("status is now %s"),
	    status_label(rv, rv->act_status));
	rv_done(rv, what);
}

/* A step that waits for the clerk's yes: what to do once it comes. */
struct rv_pending {
	struct request_view	*rv;
	char			*note;		/* the reason, or NULL */
	int64_t			 original;	/* of a duplicate */
};

static struct rv_pending *
rv_pending_new(struct request_view *rv, const char *note, int64_t original)
{
	struct rv_pending	*pd = xcalloc(1, sizeof *pd);

	pd->rv = rv;
	pd->note = note != NULL ? xstrdup(note) : NULL;
	pd->original = original;
	return pd;
}

static void
rv_pending_free(struct rv_pending *pd)
{
	free(pd->note);
	free(pd);
}

static void
status_confirmed(void *arg, bool yes)
{
	struct rv_pending	*pd = arg;

	if (yes)
		status_apply(pd->rv, pd->note);
	else
		tui_message(pd->rv->s.tui, "%s: %s", pd->rv->ticket,
		    _("nothing changed"));
	rv_pending_free(pd);
}

/*
 * A move into a status a clerk cannot take the request out of again
 * (closed, rejected: the catalogue's final statuses) is asked first.
 */
static void
status_confirm(struct request_view *rv, const char *note)
{
	struct tui		*t = rv->s.tui;
	const struct cat_status	*st = catalog_status(t->cat, rv->act_status);
	char			 q[512];

	if (st == NULL || !st->final) {
		status_apply(rv, note);
		return;
	}
	snprintf(q, sizeof q,
	    _("Set %s to \"%s\"? A clerk cannot undo this, and the citizen is told."),
	    rv->ticket, status_label(rv, rv->act_status));
	prompt_confirm(t, q, status_confirmed, rv_pending_new(rv, note, 0));
}

static void
status_reason(void *arg, const char *text, bool ok)
{
	struct request_view	*rv = arg;

	rv_draft(&rv->draft_reason, text);
	if (ok)
		status_confirm(rv, text);
}

static void
status_chosen(void *arg, const char *value)
{
	struct request_view	*rv = arg;
	bool			 required = false;
	int			 i;

	if (value == NULL)
		return;
	snprintf(rv->act_status, sizeof rv->act_status, "%s", value);
	for (i = 0; i < rv->allowed.n; i++)
		if (strcmp(data_get(&rv->allowed, i, AC_TO_STATUS), value) == 0)
			required = data_bool(&rv->allowed, i, AC_NOTE_REQUIRED);
	if (required)
		prompt_text(rv->s.tui, _("Reason (required):"),
		    rv->draft_reason, status_reason, rv);
	else
		status_confirm(rv, NULL);
}

void
request_action_status(struct request_view *rv)
{
	struct tui	*t = rv->s.tui;
	struct db_error	 err;
	struct picker	*p;
	char		 title[128];
	int		 i;

	if (!rv->loaded)
		return;
	rv->act_version = request_view_version(rv);
	data_rows_release(&rv->allowed);
	if (data_request_allowed(t, rv->id, &rv->allowed, &err) != 0) {
		tui_db_error(t, &err);
		return;
	}
	if (rv->allowed.n == 0) {
		tui_error(t, _("%s: no status change is open to you from here"),
		    rv->ticket);
		return;
	}
	snprintf(title, sizeof title, _("New status of %s"), rv->ticket);
	p = picker_new(t, title, status_chosen, rv);
	for (i = 0; i < rv->allowed.n; i++)
		picker_add(p, data_get(&rv->allowed, i, AC_TO_STATUS),
		    tui_pick_lang(t, data_get(&rv->allowed, i, AC_LABEL_ID),
		    data_get(&rv->allowed, i, AC_LABEL_EN)),
		    data_bool(&rv->allowed, i, AC_NOTE_REQUIRED) ?
		    _("reason required") : "");
	picker_open(p);
}

/* Assign and route --------------------------------------------------------- */

static void
assign_apply(struct request_view *rv, const char *department,
    const char *agent)
{
	struct db_error	 err;
	char		 what[160];
	int		 version;

	if (!rv_online(rv))
		return;
	if (request_assign(rv->s.tui->db, rv->id, department, agent,
	    rv->act_version, &version, &err) != 0) {
		rv_failed(rv, &err, KA_ASSIGN);
		return;
	}
	snprintf(what, sizeof what, _("assigned to %s%s%s"), department,
	    agent != NULL ? "/" : "", agent != NULL ? agent : "");
	rv_done(rv, what);
}

static void
assign_agent_chosen(void *arg, const char *value)
{
	struct request_view	*rv = arg;

	if (value == NULL)
		return;
	assign_apply(rv, rv->act_department, strcmp(value, "-") != 0 ?
	    value : NULL);
}

/* The agents of a department, and of the whole city, to choose from. */
static void
assign_agents(struct request_view *rv, const char *department)
{
	struct tui	*t = rv->s.tui;
	struct picker	*p;
	char		 title[128];
	size_t		 i;

	snprintf(rv->act_department, sizeof rv->act_department, "%s",
	    department);
	snprintf(title, sizeof title, _("Agent in %s"), department);
	p = picker_new(t, title, assign_agent_chosen, rv);
	picker_add(p, "-", _("(the department, no one in particular)"), "");
	for (i = 0; i < t->cat->nagents; i++) {
		const struct cat_agent	*a = &t->cat->agents[i];

		if (a->department[0] != '\0' &&
		    strcmp(a->department, department) != 0)
			continue;
		picker_add(p, a->role, a->name, a->department[0] != '\0' ?
		    a->department : _("the whole city"));
		picker_uses(p, a->uses);
	}
	picker_select(p, data_get(&rv->detail, 0, DC_ASSIGNEE));
	picker_open(p);
}

/* An agent of the request's department is assigned at once; a department
 * offers its agents. */
static void
assign_chosen(void *arg, const char *value)
{
	struct request_view	*rv = arg;
	struct tui		*t = rv->s.tui;
	const char		*current = data_get(&rv->detail, 0,
				    DC_DEPARTMENT);

	if (value == NULL)
		return;
	if (catalog_department(t->cat, value) == NULL &&
	    catalog_agent(t->cat, value) != NULL) {
		snprintf(rv->act_department, sizeof rv->act_department, "%s",
		    current);
		assign_apply(rv, current, value);
		return;
	}
	assign_agents(rv, value);
}

static void
department_add(struct tui *t, struct picker *p,
    const struct cat_department *d)
{
	picker_add(p, d->code, tui_pick_lang(t, d->name_id, d->name_en),
	    d->code);
	picker_uses(p, d->uses);
}

static void
department_choices(struct tui *t, struct picker *p, const char *except)
{
	size_t	i;

	for (i = 0; i < t->cat->ndepartments; i++)
		if (except == NULL ||
		    strcmp(t->cat->departments[i].code, except) != 0)
			department_add(t, p, &t->cat->departments[i]);
}

/*
 * The list starts where the request is: the agents of its department
 * (most requests stay there and only need someone), that department,
 * then every other one.
 */
void
request_action_assign(struct request_view *rv)
{
	struct tui			*t = rv->s.tui;
	const struct cat_department	*d;
	struct picker			*p;
	const char			*current;
	char				 title[128];
	size_t				 i;

	if (!rv->loaded)
		return;
	rv->act_version = request_view_version(rv);
	current = data_get(&rv->detail, 0, DC_DEPARTMENT);
	snprintf(title, sizeof title,
	    _("Assign %s: an agent of %s, or a department"), rv->ticket,
	    current);
	p = picker_new(t, title, assign_chosen, rv);
	for (i = 0; i < t->cat->nagents; i++) {
		const struct cat_agent	*a = &t->cat->agents[i];

		if (strcmp(a->department, current) != 0)
			continue;
		picker_add(p, a->role, a->name, a->department);
		picker_uses(p, a->uses);
	}
	if ((d = catalog_department(t->cat, current)) != NULL)
		department_add(t, p, d);
	department_choices(t, p, current);
	picker_open(p);
}

static void
route_chosen(void *arg, const char *value)
{
	struct request_view	*rv = arg;
	const char		*agent = NULL;

	if (value == NULL)
		return;
	/* the suggestion's assignee comes with its department */
	if (strncmp(value, "rule:", 5) == 0) {
		value += 5;
		if (rv->act_rule_assignee[0] != '\0')
			agent = rv->act_rule_assignee;
	}
	if (strcmp(value, data_get(&rv->detail, 0, DC_DEPARTMENT)) == 0 &&
	    agent == NULL) {
		tui_message(rv->s.tui, _("%s is in %s already"), rv->ticket,
		    value);
		return;
	}
	snprintf(rv->act_department, sizeof rv->act_department, "%s", value);
	assign_apply(rv, value, agent);
}

/* The first choice: what the rules say, else the service's default. */
static void
route_suggestion(struct request_view *rv, struct picker *p)
{
	struct tui			*t = rv->s.tui;
	const struct route_engine	*e = tui_route_engine(t);
	const struct cat_service	*svc;
	const struct cat_department	*d;
	struct route_result		 res;
	char				 label[256], value[64], detail[256];

	rv->act_rule_assignee[0] = '\0';
	res.department = NULL;
	if (e != NULL)
		route_decide(e, data_get(&rv->detail, 0, DC_SERVICE),
		    data_get(&rv->detail, 0, DC_DESCRIPTION),
		    data_get(&rv->detail, 0, DC_ADDRESS),
		    data_get(&rv->detail, 0, DC_DISTRICT), &res);
	if (e != NULL && route_warning(&res, detail, sizeof detail))
		tui_error(t, _("%s; tell an administrator"), detail);
	if (res.department != NULL) {
		snprintf(value, sizeof value, "rule:%s", res.department);
		snprintf(label, sizeof label, _("suggested: %s"), res.department);
		snprintf(detail, sizeof detail, _("rule \"%s\""), res.rule);
		if (res.assignee != NULL)
			snprintf(rv->act_rule_assignee,
			    sizeof rv->act_rule_assignee, "%s", res.assignee);
		picker_add(p, value, label, detail);
		return;
	}
	if (e == NULL)
		tui_error(t, "%s", _("the routing rules could not be read; choose a department"));
	svc = catalog_service(t->cat, data_get(&rv->detail, 0, DC_SERVICE));
	if (svc != NULL && svc->department[0] != '\0') {
		snprintf(label, sizeof label, _("service default: %s"),
		    svc->department);
		picker_add(p, svc->department, label, _("no rule matches"));
	} else if ((d = catalog_triage(t->cat)) != NULL) {
		snprintf(label, sizeof label, _("triage: %s"), d->code);
		picker_add(p, d->code, label, _("no rule matches"));
	}
}

void
request_action_route(struct request_view *rv)
{
	struct picker	*p;
	char		 title[128];

	if (!rv->loaded)
		return;
	rv->act_version = request_view_version(rv);
	snprintf(title, sizeof title, _("Route %s to"), rv->ticket);
	p = picker_new(rv->s.tui, title, route_chosen, rv);
	route_suggestion(rv, p);
	department_choices(rv->s.tui, p, NULL);
	picker_open(p);
}

/* Comments and notes ------------------------------------------------------- */

static void
comment_apply(struct request_view *rv, const char *text, bool public)
{
	struct db_error	err;

	if (!rv_online(rv))
		return;
	if (request_comment(rv->s.tui->db, rv->id, text, public, &err) != 0) {
		rv_failed(rv, &err, public ? KA_COMMENT : KA_NOTE);
		return;
	}
	rv_draft(public ? &rv->draft_comment : &rv->draft_note, NULL);
	rv_done(rv, public ? _("public comment added (the citizen will be told)") :
	    _("internal note added"));
}

static void
comment_typed(struct request_view *rv, const char *text, bool ok, bool public)
{
	rv_draft(public ? &rv->draft_comment : &rv->draft_note, text);
	if (!ok)
		return;
	if (text[strspn(text, " \t")] == '\0') {
		tui_error(rv->s.tui, "%s", _("nothing was typed: nothing saved"));
		return;
	}
	comment_apply(rv, text, public);
}

static void
comment_public_typed(void *arg, const char *text, bool ok)
{
	comment_typed(arg, text, ok, true);
}

static void
comment_internal_typed(void *arg, const char *text, bool ok)
{
	comment_typed(arg, text, ok, false);
}

void
request_action_comment(struct request_view *rv, bool public)
{
	if (!rv->loaded)
		return;
	if (public)
		prompt_text(rv->s.tui, _("Public comment (the citizen is told):"),
		    rv->draft_comment, comment_public_typed, rv);
	else
		prompt_text(rv->s.tui, _("Internal note (staff only):"),
		    rv->draft_note, comment_internal_typed, rv);
}

/* Duplicate ---------------------------------------------------------------- */

static void
duplicate_apply(struct request_view *rv, int64_t original)
{
	struct db_error	 err;
	int		 version;
	char		 ticket[24], what[128];

	if (!rv_online(rv))
		return;
	if (request_mark_duplicate(rv->s.tui->db, rv->id, original,
	    rv->act_version, &version, &err) != 0) {
		rv_failed(rv, &err, KA_DUPLICATE);
		return;
	}
	rv_draft(&rv->draft_duplicate, NULL);
	request_ticket_of(original, ticket, sizeof ticket);
	snprintf(what, sizeof what, _("marked as a duplicate of %s"), ticket);
	rv_done(rv, what);
}

static void
duplicate_confirmed(void *arg, bool yes)
{
	struct rv_pending	*pd = arg;

	if (yes)
		duplicate_apply(pd->rv, pd->original);
	else
		tui_message(pd->rv->s.tui, "%s: %s", pd->rv->ticket,
		    _("nothing changed"));
	rv_pending_free(pd);
}

/* A duplicate is closed for good, and its citizens sent elsewhere: ask. */
static void
duplicate_typed(void *arg, const char *text, bool ok)
{
	struct request_view	*rv = arg;
	struct db_error		 err;
	int64_t			 original;
	char			 ticket[24], q[512];

	rv_draft(&rv->draft_duplicate, text);
	if (!ok)
		return;
	if (request_parse_ref(text, &original, &err) != 0) {
		tui_db_error(rv->s.tui, &err);
		return;
	}
	request_ticket_of(original, ticket, sizeof ticket);
	snprintf(q, sizeof q,
	    _("Mark %s as a duplicate of %s? It is closed for good, and the citizen is told by SMS to follow %s instead."),
	    rv->ticket, ticket, ticket);
	prompt_confirm(rv->s.tui, q, duplicate_confirmed,
	    rv_pending_new(rv, NULL, original));
}

void
request_action_duplicate(struct request_view *rv)
{
	if (!rv->loaded)
		return;
	rv->act_version = request_view_version(rv);
	prompt_text(rv->s.tui, _("Duplicate of (ticket, e.g. KT-000123-4):"),
	    rv->draft_duplicate, duplicate_typed, rv);
}
