/*
 * form_actions.c: what the new-request form asks of the database and the
 * routing engine
 *
 * The route suggestion is computed in memory on every keystroke (the
 * engine of lib/route.h, no round trip), with the areas form_place.c
 * looked up for the point or the district (the same the database gives
 * the request when it saves it); what it shows is exactly what is saved,
 * since the form passes the department, the rule, its priority and
 * assignee to request_create().  The duplicate check is a query, run
 * FORM_DUP_DELAY_MS after the typing stops.  Nothing here changes what the
 * clerk typed, except filling an empty name or e-mail from a known caller.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banner.h"
#include "catalog.h"
#include "form.h"
#include "i18n.h"
#include "picker.h"
#include "request.h"
#include "route.h"
#include "xmalloc.h"

/* The caller ------------------------------------------------------------ */

static void
form_fill_caller(struct form *f, const struct data_rows *r)
{
	if (edit_blank(&f->edit[FF_NAME]) && !data_null(r, 0, CC_NAME))
		edit_set(&f->edit[FF_NAME], data_get(r, 0, CC_NAME));
	if (edit_blank(&f->edit[FF_EMAIL]) && !data_null(r, 0, CC_EMAIL))
		edit_set(&f->edit[FF_EMAIL], data_get(r, 0, CC_EMAIL));
	snprintf(f->lang, sizeof f->lang, "%s", data_get(r, 0, CC_LANG));
	snprintf(f->caller, sizeof f->caller,
	    _("known caller: %lld requests, %lld open%s"),
	    data_int(r, 0, CC_REQUESTS), data_int(r, 0, CC_OPEN_REQUESTS),
	    data_bool(r, 0, CC_OPTED_OUT) ? _(", opted out of messages") : "");
}

void
form_phone_left(struct form *f)
{
	struct data_rows	 r;
	struct db_error		 err;
	enum phone_status	 st;
	char			*text = edit_text(&f->edit[FF_PHONE]);

	if (strcmp(text, f->phone_checked) == 0) {
		free(text);
		return;
	}
	snprintf(f->phone_checked, sizeof f->phone_checked, "%s", text);
	f->phone_e164[0] = f->caller[0] = f->error[FF_PHONE][0] = '\0';
	if (edit_blank(&f->edit[FF_PHONE])) {
		free(text);
		return;
	}
	st = phone_normalise(text, f->phone_e164, sizeof f->phone_e164);
	if (st != PHONE_OK) {
		snprintf(f->error[FF_PHONE], sizeof f->error[FF_PHONE],
		    "%s", phone_strerror(st));
		free(text);
		return;
	}
	free(text);
	if (data_citizen_lookup(f->s.tui, f->phone_e164, &r, &err) != 0) {
		snprintf(f->caller, sizeof f->caller, "%s",
		    _("(caller not looked up: offline)"));
		if (err.status != DB_LOST)
			tui_db_error(f->s.tui, &err);
		return;
	}
	if (r.n > 0)
		form_fill_caller(f, &r);
	else
		snprintf(f->caller, sizeof f->caller, "%s", _("new caller"));
	data_rows_release(&r);
}

/* Route and duplicates --------------------------------------------------- */

int
form_effective_priority(const struct form *f, const char **why)
{
	const struct cat_service	*svc;
	const char			*dummy;

	if (why == NULL)
		why = &dummy;
	if (f->priority != 0) {
		*why = _("chosen (0: back to the default; 1 urgent .. 4 low)");
		return f->priority;
	}
	if (f->route_priority != 0) {
		*why = _("set by the routing rules (1-4 to change)");
		return f->route_priority;
	}
	if ((svc = catalog_service(f->s.tui->cat, f->service)) != NULL) {
		*why = _("the service's default (1-4 to change)");
		return svc->priority;
	}
	*why = _("default (1 urgent .. 4 low)");
	return 3;
}

static void
form_route_fallback(struct form *f)
{
	const struct cat_service	*svc;
	const struct cat_department	*d;
	struct tui			*t = f->s.tui;

	svc = catalog_service(t->cat, f->service);
	if (svc != NULL && svc->department[0] != '\0' &&
	    (d = catalog_department(t->cat, svc->department)) != NULL)
		snprintf(f->route_text, sizeof f->route_text,
		    _("\xe2\x86\x92 service default: %s (%s)"), d->code,
		    tui_pick_lang(t, d->name_id, d->name_en));
	else if ((d = catalog_triage(t->cat)) != NULL)
		snprintf(f->route_text, sizeof f->route_text,
		    _("\xe2\x86\x92 triage: %s (%s)"), d->code,
		    tui_pick_lang(t, d->name_id, d->name_en));
	else
		snprintf(f->route_text, sizeof f->route_text, "%s",
		    _("\xe2\x86\x92 no department yet"));
}

void
form_route(struct form *f)
{
	struct tui			*t = f->s.tui;
	const struct route_engine	*e = tui_route_engine(t);
	const struct cat_department	*d;
	struct route_result		 res;
	char				*desc, *addr, *dist;
	size_t				 off;

	f->route_department[0] = f->route_rule[0] = '\0';
	f->route_assignee[0] = '\0';
	f->route_warning[0] = '\0';
	f->route_priority = 0;
	desc = edit_text(&f->edit[FF_DESCRIPTION]);
	addr = edit_text(&f->edit[FF_ADDRESS]);
	dist = edit_text(&f->edit[FF_DISTRICT]);
	/* copy what the engine says: its strings go with a reload */
	if (e != NULL) {
		route_decide_at(e, f->service[0] != '\0' ? f->service : NULL,
		    desc, addr, dist, f->areas, f->nareas, &res);
		/* a pattern that ran into a limit: the rules decided without it */
		if (route_warning(&res, f->route_text, sizeof f->route_text))
			snprintf(f->route_warning, sizeof f->route_warning,
			    _("\xe2\x9a\xa0 %s; tell an administrator"),
			    f->route_text);
		f->route_priority = res.priority;
		if (res.department != NULL) {
			snprintf(f->route_department,
			    sizeof f->route_department, "%s", res.department);
			snprintf(f->route_rule, sizeof f->route_rule, "%s",
			    res.rule != NULL ? res.rule : "");
		}
		if (res.assignee != NULL)
			snprintf(f->route_assignee, sizeof f->route_assignee,
			    "%s", res.assignee);
	}
	free(desc);
	free(addr);
	free(dist);
	if (f->route_department[0] == '\0') {
		form_route_fallback(f);
		return;
	}
	d = catalog_department(t->cat, f->route_department);
	off = (size_t)snprintf(f->route_text, sizeof f->route_text,
	    _("\xe2\x86\x92 %s (%s), rule \"%s\""), f->route_department,
	    d != NULL ? tui_pick_lang(t, d->name_id, d->name_en) : "",
	    f->route_rule);
	if (off < sizeof f->route_text && f->route_assignee[0] != '\0')
		snprintf(f->route_text + off, sizeof f->route_text - off,
		    _(", to %s"), f->route_assignee);
}

void
form_changed(struct form *f, int field)
{
	if (field == FF_PHONE) {
		f->phone_e164[0] = '\0';
		f->caller[0] = '\0';
	}
	if (field == FF_SERVICE || field == FF_DESCRIPTION ||
	    field == FF_ADDRESS || field == FF_DISTRICT)
		form_route(f);
	if (field == FF_DISTRICT)
		form_district_changed(f);
	if (field == FF_SERVICE || field == FF_DESCRIPTION ||
	    field == FF_ADDRESS) {
		f->dup_pending = true;
		f->dup_due = tui_now() + FORM_DUP_DELAY_MS;
	}
}

int64_t
form_dup_tick(struct form *f, int64_t now)
{
	struct data_rows	 r;
	struct db_error		 err;
	char			*desc, *addr, lat[32], lon[32];

	if (!f->dup_pending)
		return 0;
	if (now < f->dup_due)
		return f->dup_due;
	f->dup_pending = false;
	f->s.tui->dirty = true;
	if (f->service[0] == '\0' || (edit_blank(&f->edit[FF_DESCRIPTION]) &&
	    edit_blank(&f->edit[FF_ADDRESS]) && !f->has_point)) {
		data_rows_release(&f->dups);
		return 0;
	}
	desc = edit_text(&f->edit[FF_DESCRIPTION]);
	addr = edit_text(&f->edit[FF_ADDRESS]);
	/* with a point: the same service within its radius, by distance */
	place_sql_coord(f->lat, lat, sizeof lat);
	place_sql_coord(f->lon, lon, sizeof lon);
	if (data_duplicates(f->s.tui, f->service, desc, addr,
	    f->has_point ? lat : NULL, f->has_point ? lon : NULL,
	    FORM_DUP_MAX, &r, &err) == 0) {
		data_rows_release(&f->dups);
		f->dups = r;
	}
	free(desc);
	free(addr);
	return 0;
}

/* Saving ----------------------------------------------------------------- */

static int
form_field_of(const char *api_field)
{
	static const char *const names[FF_COUNT] = {
		"phone", "name", "email", "service", "address", "district",
		"description", "location", "priority",
	};
	int	i;

	/* the API's p_lat and p_lon are the one field here */
	if (strcmp(api_field, "lat") == 0 || strcmp(api_field, "lon") == 0)
		return FF_LOCATION;
	for (i = 0; i < FF_COUNT; i++)
		if (strcmp(names[i], api_field) == 0)
			return i;
	return -1;
}

/* Check what can be checked here; mark the fields, focus the first. */
static bool
form_valid(struct form *f)
{
	int	i, first = -1;

	if (f->service[0] == '\0')
		snprintf(f->error[FF_SERVICE], sizeof f->error[FF_SERVICE],
		    "%s", _("choose a service (type to search)"));
	if (edit_blank(&f->edit[FF_DESCRIPTION]))
		snprintf(f->error[FF_DESCRIPTION],
		    sizeof f->error[FF_DESCRIPTION], "%s",
		    _("description: say what the problem is"));
	for (i = 0; i < FF_COUNT; i++)
		if (f->error[i][0] != '\0' && first < 0)
			first = i;
	if (first < 0)
		return true;
	f->focus = first;
	tui_error(f->s.tui, _("not saved: %s: %s"), form_field_name(first),
	    f->error[first]);
	return false;
}

static void
form_saved(void *arg)
{
	form_close(arg);
}

static void
form_refused(struct form *f, const struct db_error *err)
{
	int	field = form_field_of(err->field);

	if (err->status == DB_REFUSED && field >= 0) {
		snprintf(f->error[field], sizeof f->error[field], "%s",
		    err->message);
		f->focus = field;
		tui_error(f->s.tui, _("not saved: %s"), err->message);
		return;
	}
	if (err->status == DB_LOST) {
		tui_db_error(f->s.tui, err);
		tui_error(f->s.tui, _("not saved: the connection is lost; the form is kept, %s again once connected"),
		    "F2");
		return;
	}
	tui_db_error(f->s.tui, err);
}

/*
 * The connection went while the request was sent: the server may have
 * committed it.  Saying "not saved" could make the clerk save it twice;
 * the form saves again with the same key once the console is connected,
 * which returns the first request if there was one.
 */
static void
form_save_lost(struct form *f, const struct db_error *err)
{
	f->save_unsure = true;
	tui_db_error(f->s.tui, err);
	tui_error(f->s.tui, "%s", _("the connection was lost while saving: the request may be saved; the form is kept and saved again, once, as soon as the console is connected"));
}

bool
form_save_retry(struct form *f)
{
	struct tui	*t = f->s.tui;
	struct db_error	 err;

	if (!f->save_unsure || tui_online(t, &err) != 0)
		return false;
	f->save_unsure = false;
	return form_save(f);
}

bool
form_save(struct form *f)
{
	struct tui		*t = f->s.tui;
	struct request_input	 in;
	struct request_created	 out;
	struct db_error		 err;
	const struct cat_department *d;
	char			*text[FF_COUNT] = { NULL };
	char			 detail[256];
	int			 i, rc;

	form_location_left(f);		/* a point typed and not left */
	if (!form_valid(f))
		return false;
	if (tui_online(t, &err) != 0) {
		form_refused(f, &err);
		return false;
	}
	/* the route the form shows is decided with the areas it shows */
	if (form_areas_lookup(f) != 0) {
		tui_error(t, "%s", _("not saved: the areas of the location could not be looked up; F2 again"));
		return false;
	}
	for (i = 0; i < FF_COUNT; i++)
		text[i] = edit_text(&f->edit[i]);
	memset(&in, 0, sizeof in);
	in.service = f->service;
	in.description = text[FF_DESCRIPTION];
	in.address = text[FF_ADDRESS];
	in.district = text[FF_DISTRICT];
	in.phone = text[FF_PHONE];
	in.email = text[FF_EMAIL];
	in.name = text[FF_NAME];
	in.channel = "phone";
	in.lang = f->lang;
	in.has_location = f->has_point;
	in.lat = f->lat;
	in.lon = f->lon;
	/* what the form shows is what is saved */
	form_route(f);
	if (f->route_department[0] != '\0') {
		in.department = f->route_department;
		in.rule = f->route_rule;
	}
	if (f->route_assignee[0] != '\0')
		in.assignee = f->route_assignee;
	in.priority = f->priority != 0 ? f->priority : f->route_priority;
	in.idempotency_key = f->key[0] != '\0' ? f->key : NULL;
	rc = request_create(t->db, &t->routes, &in, &out, &err);
	for (i = 0; i < FF_COUNT; i++)
		free(text[i]);
	if (rc != 0 && err.status == DB_LOST && in.idempotency_key != NULL)
		form_save_lost(f, &err);
	if (rc != 0) {
		if (err.status != DB_LOST || in.idempotency_key == NULL)
			form_refused(f, &err);
		return false;
	}
	tui_wrote(t);
	d = catalog_department(t->cat, out.department);
	snprintf(detail, sizeof detail, "%s (%s) \xc2\xb7 P%d",
	    d != NULL ? tui_pick_lang(t, d->name_id, d->name_en) : "",
	    out.department, out.priority);
	if (out.replayed)
		tui_message(t, _("%s was saved before the connection was lost: %s, priority %d; nothing was saved twice"),
		    out.ticket, out.department, out.priority);
	else
		tui_message(t, _("%s saved: %s, priority %d"), out.ticket,
		    out.department, out.priority);
	tui_counts_later(t);
	/*
	 * The saved request replaces the form, so the clerk can read the
	 * caller its ticket, route and service level; the banner over it
	 * spells the ticket out until Enter.
	 */
	form_close(f);
	tui_push(t, screen_request_new(t, out.id));
	banner_show(t, _("Saved. Read the ticket number to the caller:"),
	    out.ticket, detail, NULL, NULL);
	return true;
}

/* Attaching the caller to a duplicate ------------------------------------ */

static void
form_attach_chosen(void *arg, const char *value)
{
	struct form	*f = arg;
	struct tui	*t = f->s.tui;
	struct db_error	 err;
	char		*phone, *name, *email, ticket[24];
	int64_t		 id;
	bool		 added = false;
	int		 rc;

	if (value == NULL)
		return;
	if (tui_online(t, &err) != 0) {
		form_refused(f, &err);
		return;
	}
	id = strtoll(value, NULL, 10);
	phone = edit_text(&f->edit[FF_PHONE]);
	name = edit_text(&f->edit[FF_NAME]);
	email = edit_text(&f->edit[FF_EMAIL]);
	rc = request_watch(t->db, id, phone, name, email, &added, &err);
	free(phone);
	free(name);
	free(email);
	if (rc != 0) {
		form_refused(f, &err);
		return;
	}
	tui_wrote(t);
	request_ticket_of(id, ticket, sizeof ticket);
	tui_message(t, added ? _("the caller now follows %s") :
	    _("the caller already followed %s"), ticket);
	banner_show(t, _("No new request: the caller follows this one:"),
	    ticket, added ? _("added as a watcher; they will be told of every public change") :
	    _("they were following it already"), form_saved, f);
}

void
form_attach(struct form *f)
{
	struct picker	*p;
	char		 label[512], id[32];
	int		 i;

	if (f->dups.n == 0) {
		tui_error(f->s.tui, "%s", _("there are no possible duplicates to add the caller to"));
		return;
	}
	if (edit_blank(&f->edit[FF_PHONE]) && edit_blank(&f->edit[FF_EMAIL])) {
		snprintf(f->error[FF_PHONE], sizeof f->error[FF_PHONE], "%s",
		    _("a follower needs a phone number or an e-mail address"));
		f->focus = FF_PHONE;
		tui_error(f->s.tui, "%s", f->error[FF_PHONE]);
		return;
	}
	if (f->error[FF_PHONE][0] != '\0') {
		f->focus = FF_PHONE;
		tui_error(f->s.tui, _("not added: %s"), f->error[FF_PHONE]);
		return;
	}
	p = picker_new(f->s.tui, _("Add the caller to"), form_attach_chosen, f);
	for (i = 0; i < f->dups.n; i++) {
		snprintf(id, sizeof id, "%lld", data_int(&f->dups, i, UC_ID));
		snprintf(label, sizeof label, "%s %s", data_get(&f->dups, i,
		    UC_TICKET), data_get(&f->dups, i, UC_SUMMARY));
		picker_add(p, id, label, data_get(&f->dups, i, UC_ADDRESS));
	}
	picker_open(p);
}
