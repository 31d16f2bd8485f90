/*
 * screen_form.c: the new-request form
 *
 * Built for a clerk with a caller on the line: the fields in the order of
 * the conversation (phone, name, what, where, the story), Tab between
 * them, typing on Service opens the service list already searching, F2
 * saves.  Beside the fields: the phone number as it will be stored, the
 * known caller, the department the rules choose and the open requests that
 * may be the same problem.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "colour.h"
#include "form.h"
#include "format.h"
#include "i18n.h"
#include "picker.h"
#include "place.h"
#include "prompt.h"
#include "text.h"
#include "xmalloc.h"

#define FORM_LABEL	14
#define FORM_DESC_ROWS	3

static const struct {
	const char	*label;
	size_t		 max;		/* characters */
} form_fields[FF_COUNT] = {
	[FF_PHONE] = { N_("Phone"), 40 },
	[FF_NAME] = { N_("Name"), 200 },
	[FF_EMAIL] = { N_("E-mail"), 200 },
	[FF_SERVICE] = { N_("Service"), 0 },
	[FF_ADDRESS] = { N_("Address"), 300 },
	[FF_DISTRICT] = { N_("District"), 100 },
	[FF_DESCRIPTION] = { N_("Description"), 4000 },
	[FF_LOCATION] = { N_("Location"), 60 },
	[FF_PRIORITY] = { N_("Priority"), 0 },
};

static const struct screen_ops form_ops;

static bool
form_is_text(int field)
{
	return field != FF_SERVICE && field != FF_PRIORITY;
}

/* Drawing ------------------------------------------------------------- */

static void
form_title(struct screen *s, char *buf, size_t size)
{
	(void)s;
	snprintf(buf, size, " Kota \xc2\xb7 %s", _("New request"));
}

/* The row of each field, from the top of the screen's area. */
static int
form_row(int field)
{
	/*
	 * The description has its rows and one for its inline error, the
	 * location one for its areas.
	 */
	return 1 + field + (field > FF_DESCRIPTION ? FORM_DESC_ROWS : 0) +
	    (field > FF_LOCATION ? 1 : 0);
}

static void
form_draw_hint(struct form *f, WINDOW *w, int y, int x, int cols, int field)
{
	const struct cat_service	*svc;
	char				 buf[256];
	const char			*why;

	if (cols <= 0)
		return;
	/* the location's goes under it, where there is room */
	if (f->error[field][0] != '\0' && field != FF_LOCATION) {
		text_put(w, y, x, cols, f->error[field],
		    colour_attr(CE_FIELD_ERROR));
		return;
	}
	switch (field) {
	case FF_PHONE:
		if (f->phone_e164[0] != '\0')
			snprintf(buf, sizeof buf, "\xe2\x86\x92 %s", f->phone_e164);
		else
			buf[0] = '\0';
		text_put(w, y, x, cols, buf, colour_attr(CE_HINT));
		break;
	case FF_NAME:
		text_put(w, y, x, cols, f->caller, colour_attr(CE_HINT));
		break;
	case FF_SERVICE:
		if ((svc = catalog_service(f->s.tui->cat, f->service)) != NULL) {
			snprintf(buf, sizeof buf, _("default P%d, %s"),
			    svc->priority, svc->department[0] != '\0' ?
			    svc->department : _("no department"));
			text_put(w, y, x, cols, buf, colour_attr(CE_HINT));
		}
		break;
	case FF_LOCATION:
		/* how to write one, while the clerk is there to read it */
		if (f->focus == field && edit_blank(&f->edit[field]))
			text_put(w, y, x, cols,
			    _("latitude, longitude: -6.8870, 107.6150"),
			    colour_attr(CE_HINT));
		break;
	case FF_PRIORITY:
		form_effective_priority(f, &why);
		text_put(w, y, x, cols, why, colour_attr(CE_HINT));
		break;
	default:
		break;
	}
}

static void
form_draw_value(struct form *f, WINDOW *w, int y, int x, int width, int field)
{
	const struct cat_service	*svc;
	attr_t				 a = f->focus == field ?
					    colour_attr(CE_FIELD_FOCUS) :
					    colour_attr(CE_FIELD);
	char				 buf[256];
	const char			*why;
	int				 cx, cy;

	switch (field) {
	case FF_SERVICE:
		svc = catalog_service(f->s.tui->cat, f->service);
		if (svc != NULL)
			snprintf(buf, sizeof buf, "%s (%s)", tui_pick_lang(
			    f->s.tui, svc->name_id, svc->name_en), svc->code);
		else
			snprintf(buf, sizeof buf, "%s", f->focus == field ?
			    _("type to search, Enter for the list") : "");
		text_put_pad(w, y, x, width, buf, a);
		if (f->focus == field)
			tui_cursor(f->s.tui, y, x);
		break;
	case FF_PRIORITY:
		snprintf(buf, sizeof buf, "%d", form_effective_priority(f,
		    &why));
		text_put_pad(w, y, x, 3, buf, a);
		if (f->focus == field)
			tui_cursor(f->s.tui, y, x);
		break;
	case FF_DESCRIPTION:
		edit_draw_wrapped(&f->edit[field], w, y, x, width,
		    FORM_DESC_ROWS, a, &cy, &cx);
		if (f->focus == field)
			tui_cursor(f->s.tui, cy, cx);
		break;
	default:
		cx = edit_draw(&f->edit[field], w, y, x, width, a);
		if (f->focus == field)
			tui_cursor(f->s.tui, y, cx);
		break;
	}
}

static void
form_draw_dups(struct form *f, WINDOW *w, int y, int rows, int cols)
{
	const struct data_rows	*d = &f->dups;
	char			 buf[512], key[16], dist[32];
	int			 i;

	if (rows < 2 || d->n == 0)
		return;
	snprintf(buf, sizeof buf,
	    _("Possible duplicates (%s adds the caller to one instead):"),
	    keys_hint(KS_FORM, KA_ATTACH, key, sizeof key));
	text_put(w, y, 0, cols, buf, colour_attr(CE_HEADER));
	for (i = 0; i < d->n && i < rows - 1; i++) {
		/* how far, when the form has a point and the request one */
		dist[0] = '\0';
		if (!data_null(d, i, UC_DISTANCE_M))
			place_distance(place_atof(data_get(d, i,
			    UC_DISTANCE_M)), dist, sizeof dist);
		snprintf(buf, sizeof buf,
		    "%s %-12s %3.0f%% %7s  %s \xe2\x80\x94 %s",
		    data_get(d, i, UC_TICKET),
		    format_status(f->s.tui, data_get(d, i, UC_STATUS)),
		    place_atof(data_get(d, i, UC_SIMILARITY)) * 100, dist,
		    data_get(d, i, UC_SUMMARY), data_get(d, i, UC_ADDRESS));
		text_put(w, y + 1 + i, 2, cols - 2, buf, A_NORMAL);
	}
}

/*
 * Under the location: why it is refused; else its areas, or the
 * district's; and the point's quarrel with the typed district, in the
 * warning colour, which wins the line: the areas are in it.
 */
static void
form_draw_areas(struct form *f, WINDOW *w, int y, int cols)
{
	if (f->error[FF_LOCATION][0] != '\0')
		text_put(w, y, FORM_LABEL, cols - FORM_LABEL,
		    f->error[FF_LOCATION], colour_attr(CE_FIELD_ERROR));
	else if (f->areas_warning[0] != '\0')
		text_put(w, y, FORM_LABEL, cols - FORM_LABEL,
		    f->areas_warning, colour_attr(CE_WARNING));
	else
		text_put(w, y, FORM_LABEL, cols - FORM_LABEL, f->areas_text,
		    colour_attr(CE_HINT));
}

static void
form_draw(struct screen *s, WINDOW *w, int top, int rows, int cols)
{
	struct form	*f = (struct form *)s;
	int		 i, y, fw = (cols - FORM_LABEL) * 55 / 100, hx;

	hx = FORM_LABEL + fw + 2;
	for (i = 0; i < FF_COUNT; i++) {
		y = top + form_row(i);
		text_put(w, y, 1, FORM_LABEL - 2, _(form_fields[i].label),
		    f->focus == i ? colour_attr(CE_LABEL) | A_BOLD :
		    colour_attr(CE_LABEL));
		if (i == FF_DESCRIPTION) {
			form_draw_value(f, w, y, FORM_LABEL, cols - FORM_LABEL - 1,
			    i);
			if (f->error[i][0] != '\0')
				text_put(w, y + FORM_DESC_ROWS, FORM_LABEL,
				    cols - FORM_LABEL, f->error[i],
				    colour_attr(CE_FIELD_ERROR));
			continue;
		}
		form_draw_value(f, w, y, FORM_LABEL, i == FF_PRIORITY ? 3 : fw,
		    i);
		form_draw_hint(f, w, y, i == FF_PRIORITY ? FORM_LABEL + 5 : hx,
		    cols - (i == FF_PRIORITY ? FORM_LABEL + 5 : hx), i);
		if (i == FF_LOCATION)
			form_draw_areas(f, w, y + 1, cols);
	}
	y = top + form_row(FF_PRIORITY) + 1;
	text_put(w, y, 1, FORM_LABEL - 2, _("Route"), colour_attr(CE_LABEL));
	text_put(w, y, FORM_LABEL, cols - FORM_LABEL, f->route_text,
	    colour_attr(CE_HINT) | A_BOLD);
	if (f->route_warning[0] != '\0')
		text_put(w, y + 1, FORM_LABEL, cols - FORM_LABEL,
		    f->route_warning, colour_attr(CE_FIELD_ERROR));
	form_draw_dups(f, w, y + 2, rows - (y + 2 - top), cols);
}

/* Keys ----------------------------------------------------------------- */

static void
form_focus(struct form *f, int field)
{
	int	old = f->focus;

	f->focus = (field + FF_COUNT) % FF_COUNT;
	if (old == FF_PHONE && f->focus != FF_PHONE)
		form_phone_left(f);
	if (old == FF_LOCATION && f->focus != FF_LOCATION)
		form_location_left(f);
}

static void
form_service_chosen(void *arg, const char *value)
{
	struct form	*f = arg;

	if (value == NULL)
		return;
	snprintf(f->service, sizeof f->service, "%s", value);
	f->error[FF_SERVICE][0] = '\0';
	form_changed(f, FF_SERVICE);
}

void
form_pick_service(struct form *f, const char *search)
{
	struct tui	*t = f->s.tui;
	struct picker	*p = picker_new(t, _("Service"), form_service_chosen, f);
	char		 detail[256];
	size_t		 i;

	for (i = 0; i < t->cat->nservices; i++) {
		const struct cat_service *svc = &t->cat->services[i];

		/* the other language's name too, so either finds it */
		snprintf(detail, sizeof detail, "%s \xc2\xb7 %s",
		    strcmp(t->lang, "en") == 0 ? svc->name_id : svc->name_en,
		    svc->code);
		picker_add(p, svc->code, tui_pick_lang(t, svc->name_id,
		    svc->name_en), detail);
		picker_uses(p, svc->uses);
	}
	if (search != NULL)
		picker_set_search(p, search);
	picker_select(p, f->service);
	picker_open(p);
}

static int
form_priority_key(struct form *f, enum key_action action, int key)
{
	int	p = form_effective_priority(f, NULL);

	if (key >= '1' && key <= '4')
		f->priority = key - '0';
	else if (key == '0' || action == KA_BACKSPACE || action == KA_DELETE)
		f->priority = 0;
	else if (action == KA_PRIO_UP)
		f->priority = p > 1 ? p - 1 : 1;
	else if (action == KA_PRIO_DOWN)
		f->priority = p < 4 ? p + 1 : 4;
	else
		return SCREEN_UNHANDLED;
	return SCREEN_OK;
}

static void
form_cancel_confirmed(void *arg, bool yes)
{
	if (yes)
		form_close(arg);
}

static bool
form_unsaved(const struct screen *s)
{
	const struct form	*f = (const struct form *)s;
	int			 i;

	for (i = 0; i < FF_COUNT; i++)
		if (form_is_text(i) && !edit_blank(&f->edit[i]))
			return true;
	return f->service[0] != '\0' || f->priority != 0;
}

static int
form_key(struct screen *s, enum key_action action, int key)
{
	struct form	*f = (struct form *)s;
	char		 buf[8];

	switch (action) {
	case KA_NEXT_FIELD:
		if (f->focus == FF_SERVICE && (key == '\r' || key == '\n') &&
		    f->service[0] == '\0') {
			form_pick_service(f, NULL);
			return SCREEN_OK;
		}
		form_focus(f, f->focus + 1);
		return SCREEN_OK;
	case KA_PREV_FIELD:
		form_focus(f, f->focus - 1);
		return SCREEN_OK;
	case KA_SAVE:
		form_phone_left(f);		/* as if leaving the field */
		form_save(f);
		return SCREEN_OK;
	case KA_ATTACH:
		form_phone_left(f);
		form_attach(f);
		return SCREEN_OK;
	case KA_HIDE:
		form_phone_left(f);
		form_location_left(f);
		return SCREEN_CLOSE;	/* the tui keeps it as s->tui->form */
	case KA_CANCEL:
		if (form_unsaved(s))
			prompt_confirm(s->tui, _("Discard this new request?"),
			    form_cancel_confirmed, f);
		else
			form_close(f);
		return SCREEN_OK;
	case KA_REDRAW:
	case KA_HELP:
		return SCREEN_UNHANDLED;
	default:
		break;
	}
	if (f->focus == FF_PRIORITY)
		return form_priority_key(f, keys_lookup(KS_FORM | KS_EDIT, key),
		    key);
	if (f->focus == FF_SERVICE) {
		if (edit_is_text_key(key)) {
			snprintf(buf, sizeof buf, "%lc", (wint_t)key);
			form_pick_service(f, buf);
		} else if (action == KA_BACKSPACE || action == KA_DELETE) {
			f->service[0] = '\0';
			form_changed(f, FF_SERVICE);
		}
		return SCREEN_OK;
	}
	/* a text field: its editing keys, and + and - are text here */
	if (edit_key(&f->edit[f->focus], keys_lookup(KS_EDIT, key), key) ==
	    EDIT_CHANGED) {
		f->error[f->focus][0] = '\0';
		form_changed(f, f->focus);
	}
	return SCREEN_OK;
}

static int64_t
form_tick(struct screen *s, int64_t now)
{
	struct form	*f = (struct form *)s;
	int64_t		 a, b;

	/* saved (and closed) by the retry: f is gone */
	if (form_save_retry(f))
		return 0;
	a = form_dup_tick(f, now);
	b = form_areas_tick(f, now);
	return a == 0 || (b != 0 && b < a) ? b : a;
}

/* The rules changed (kota_rules): the suggestion, never the fields. */
static void
form_reload(struct screen *s)
{
	form_route((struct form *)s);
}

static void
form_free(struct screen *s)
{
	struct form	*f = (struct form *)s;
	int		 i;

	for (i = 0; i < FF_COUNT; i++)
		edit_release(&f->edit[i]);
	data_rows_release(&f->dups);
	free(f);
}

void
form_close(struct form *f)
{
	struct tui	*t = f->s.tui;
	int		 i;

	for (i = 0; i < t->depth; i++)
		if (t->stack[i] == &f->s) {
			memmove(t->stack + i, t->stack + i + 1,
			    (size_t)(t->depth - i - 1) * sizeof t->stack[0]);
			t->depth--;
			break;
		}
	if (t->form == &f->s)
		t->form = NULL;
	form_free(&f->s);
	t->dirty = true;
	if (tui_top(t) != NULL && tui_top(t)->stale &&
	    tui_top(t)->ops->reload != NULL) {
		tui_top(t)->stale = false;
		tui_top(t)->ops->reload(tui_top(t));
	}
}

static const struct screen_ops form_ops = {
	.name = "form",
	.scopes = KS_FORM | KS_EDIT,
	.title = form_title,
	.draw = form_draw,
	.key = form_key,
	.tick = form_tick,
	.reload = form_reload,
	.unsaved = form_unsaved,
	.free = form_free,
};

struct screen *
screen_form_new(struct tui *t)
{
	struct form	*f = xcalloc(1, sizeof *f);
	int		 i;

	f->s.ops = &form_ops;
	f->s.tui = t;
	for (i = 0; i < FF_COUNT; i++)
		edit_init(&f->edit[i], form_fields[i].max);
	snprintf(f->lang, sizeof f->lang, "id");
	/* without a key (no entropy: never on Linux) a save is as before */
	if (request_key_new(f->key, sizeof f->key) != 0)
		f->key[0] = '\0';
	form_route(f);
	return &f->s;
}

const char *
form_field_name(int field)
{
	return field >= 0 && field < FF_COUNT ? _(form_fields[field].label) :
	    "";
}
