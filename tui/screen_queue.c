/*
 * screen_queue.c: the queue list, the console's index
 *
 * A page is one call of kota.queue_page() with LIMIT the rows that fit
 * (plus one, to know whether there is a next page), starting after the
 * sort key of the previous page's last row: keyset pagination, so page
 * 5,000 costs what page 1 costs.  The start keys of the pages above are
 * kept on a stack for PgUp.  A change anywhere in the city reloads the
 * page in place, from the same start key, and the cursor stays on the
 * same request when it is still there.
 *
 * A request whose citizen wrote since its assignee last opened it (an SMS
 * or WhatsApp comment, kota.request_unread) is marked after its ticket;
 * the mark goes when the assignee opens it (screen_request.c).
 *
 * A search by words covers closed requests too (012_search.sql): one
 * started from the open queue shows all statuses, newest first, each
 * closed row marked after its age; the status filter (S, "open") narrows
 * it to the open ones.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "colour.h"
#include "data.h"
#include "format.h"
#include "i18n.h"
#include "picker.h"
#include "prompt.h"
#include "request.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

/* A search counts what it found up to this (kota.queue_count()). */
#define QUEUE_COUNT_MAX	1000

struct queue {
	struct screen		 s;
	struct queue_filter	 f;
	struct data_rows	 rows;
	struct queue_key	 start;		/* unset: the first page */
	struct queue_key	*pages;		/* start keys of the pages above */
	size_t			 npages, cappages;
	int			 sel;
	long long		 sel_id;	/* the cursor follows this request */
	int			 page;		/* rows that fit */
	bool			 more;		/* there is a next page */
	bool			 loaded;
};

static const struct screen_ops queue_ops;

static int
queue_shown(const struct queue *q)
{
	return q->rows.n < q->page ? q->rows.n : q->page;
}

/* Fetch the page that starts after q->start; keep the old one on error. */
static int
queue_fetch(struct queue *q)
{
	struct tui		*t = q->s.tui;
	struct data_rows	 rows;
	struct db_error		 err;
	int			 i;

	if (data_queue_page(t, &q->f, &q->start, q->page + 1, &rows,
	    &err) != 0) {
		tui_db_error(t, &err);
		return -1;
	}
	data_rows_release(&q->rows);
	q->rows = rows;
	q->more = rows.n > q->page;
	q->loaded = true;
	/* the cursor stays on its request, or where it was */
	for (i = 0; i < queue_shown(q); i++)
		if (data_int(&q->rows, i, QC_ID) == q->sel_id) {
			q->sel = i;
			break;
		}
	if (q->sel >= queue_shown(q))
		q->sel = queue_shown(q) > 0 ? queue_shown(q) - 1 : 0;
	q->sel_id = queue_shown(q) > 0 ? data_int(&q->rows, q->sel, QC_ID) : 0;
	return 0;
}

static void
queue_counts_scope(struct queue *q)
{
	snprintf(q->s.tui->counts_dept, sizeof q->s.tui->counts_dept, "%s",
	    q->f.department[0] != '\0' ? q->f.department :
	    q->s.tui->who.department);
	tui_counts_later(q->s.tui);
}

static void
queue_first_page(struct queue *q)
{
	memset(&q->start, 0, sizeof q->start);
	q->npages = 0;
	q->sel = 0;
	q->sel_id = 0;
	queue_fetch(q);
	queue_counts_scope(q);
}

/*
 * Show the first page of another filter.  If the database refuses it (a
 * word search among closed requests...), the list stays as it was, with
 * its filter, and the message line says why.
 */
static void
queue_apply(struct queue *q, const struct queue_filter *f)
{
	struct queue_filter	old = q->f;
	struct queue_key	start = q->start;
	size_t			npages = q->npages;
	int			sel = q->sel;
	long long		sel_id = q->sel_id;

	q->f = *f;
	memset(&q->start, 0, sizeof q->start);
	q->npages = 0;
	q->sel = 0;
	q->sel_id = 0;
	if (queue_fetch(q) != 0) {
		q->f = old;
		q->start = start;
		q->npages = npages;
		q->sel = sel;
		q->sel_id = sel_id;
		return;
	}
	queue_counts_scope(q);
}

static void
queue_next_page(struct queue *q, int sel)
{
	struct queue_key	old = q->start;

	if (!q->more)
		return;
	if (q->npages == q->cappages) {
		q->cappages = q->cappages != 0 ? q->cappages * 2 : 16;
		q->pages = xreallocarray(q->pages, q->cappages,
		    sizeof *q->pages);
	}
	q->pages[q->npages++] = q->start;
	data_queue_key(&q->rows, queue_shown(q) - 1, q->f.sort, &q->start);
	q->sel_id = 0;
	q->sel = sel;
	if (queue_fetch(q) != 0) {
		q->start = old;
		q->npages--;
	}
}

static void
queue_prev_page(struct queue *q, int sel)
{
	struct queue_key	old = q->start;

	if (q->npages == 0) {
		q->sel = 0;
		return;
	}
	q->start = q->pages[--q->npages];
	q->sel_id = 0;
	q->sel = sel;
	if (queue_fetch(q) != 0)
		q->pages[q->npages++] = q->start, q->start = old;
}

/* The status filter as the title says it: a translated word or label. */
static const char *
queue_status_name(struct queue *q)
{
	const struct cat_status	*st;

	if (q->f.status[0] == '\0' || strcmp(q->f.status, "open") == 0)
		return _("open");
	if (strcmp(q->f.status, "closed") == 0)
		return _("closed");
	if (strcmp(q->f.status, "all") == 0)
		return _("all");
	st = catalog_status(q->s.tui->cat, q->f.status);
	return st != NULL ? tui_pick_lang(q->s.tui, st->label_id, st->label_en) :
	    q->f.status;
}

/* A dashboard slice (kota.queue_slice()) as the title says it. */
static const char *
queue_slice_name(const char *slice)
{
	static const struct {
		const char	*slice;
		const char	*name;
	} names[] = {
		{ "unassigned", N_("unassigned") },
		{ "overdue", N_("overdue") },
		{ "at_risk", N_("at risk") },
		{ "age_lt_1d", N_("created today") },
		{ "age_1_3d", N_("1-3 days old") },
		{ "age_3_7d", N_("3-7 days old") },
		{ "age_gt_7d", N_("over 7 days old") },
		{ "age_lt_24h", N_("in for less than 24 hours") },
		{ "age_24_72h", N_("in for 24 to 72 hours") },
		{ "age_72_168h", N_("in for 3 to 7 days") },
		{ "age_gt_168h", N_("in for over 7 days") },
		{ "intake_today", N_("came in today") },
		{ "intake_week", N_("came in this week") },
		{ "intake_14d", N_("came in over 14 days") },
		{ "intake_30d", N_("came in over 30 days") },
		{ "closed_today", N_("closed today") },
		{ "closed_week", N_("closed this week") },
		{ "closed_14d", N_("closed over 14 days") },
		{ "closed_30d", N_("closed over 30 days") },
		{ "resolved_30d", N_("resolved over 30 days") },
		{ "missed_30d", N_("missed the target over 30 days") },
		{ "agent_resolved_30d", N_("resolved by them over 30 days") },
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].slice, slice) == 0)
			return _(names[i].name);
	return slice;
}

static const char *
queue_sort_name(enum queue_sort sort)
{
	switch (sort) {
	case QUEUE_SORT_AGE:
		return _("age");
	case QUEUE_SORT_UPDATED:
		return _("updated");
	case QUEUE_SORT_PRIORITY:
		break;
	}
	return _("priority");
}

static void
queue_title(struct screen *s, char *buf, size_t size)
{
	struct queue	*q = (struct queue *)s;
	const struct cat_service *svc;
	size_t		 off;

	off = (size_t)snprintf(buf, size, " Kota \xc2\xb7 %s \xc2\xb7 %s",
	    _("Queue"), q->f.department[0] != '\0' ? q->f.department :
	    _("all departments"));
	if (off < size && q->f.mine)
		off += (size_t)snprintf(buf + off, size - off, " \xc2\xb7 %s",
		    _("mine"));
	else if (off < size && q->f.assignee[0] != '\0')
		off += (size_t)snprintf(buf + off, size - off, " \xc2\xb7 @%s",
		    q->f.assignee);
	if (off < size)
		off += (size_t)snprintf(buf + off, size - off, " \xc2\xb7 %s",
		    queue_status_name(q));
	if (off < size && q->f.slice[0] != '\0')
		off += (size_t)snprintf(buf + off, size - off, " \xc2\xb7 %s",
		    queue_slice_name(q->f.slice));
	if (off < size && q->f.service[0] != '\0') {
		svc = catalog_service(s->tui->cat, q->f.service);
		off += (size_t)snprintf(buf + off, size - off, " \xc2\xb7 %s",
		    svc != NULL ? tui_pick_lang(s->tui, svc->name_id,
		    svc->name_en) : q->f.service);
	}
	if (off < size && q->f.search[0] != '\0')
		off += (size_t)snprintf(buf + off, size - off,
		    " \xc2\xb7 /%s", q->f.search);
	/* a search lists newest first, whatever the sort (queue_page()) */
	if (off < size && q->f.search[0] != '\0')
		snprintf(buf + off, size - off, " \xc2\xb7 %s",
		    _("newest first"));
	else if (off < size)
		snprintf(buf + off, size - off, " \xc2\xb7 %s %s",
		    _("by"), queue_sort_name(q->f.sort));
}

/*
 * A closed request (a search's list, "all"): a cross where the SLA mark of an
 * open one goes, or "x" where the terminal may not draw one.
 */
static const char *
queue_closed_mark(void)
{
	static int	utf8 = -1;

	if (utf8 < 0)
		utf8 = text_locale_utf8();
	return utf8 ? "\xc3\x97" : "x";
}

/*
 * Column widths for a width: ticket, the citizen's mark, age, P, status,
 * service, place.
 */
struct queue_cols {
	int	ticket, mark, age, prio, status, service, place, summary;
};

/*
 * At 80 columns something gives.  The ticket, age, priority and status
 * never do; the service gets its longest name on the page (up to 24), the
 * summary what is left, and the district and address a third of that
 * only when the summary keeps 22: they are the first to go.
 */
static void
queue_layout(struct queue *q, int cols, struct queue_cols *c)
{
	int	rest, longest = 0, w, i;

	c->ticket = 11;
	c->mark = 1;
	c->age = 4;
	c->prio = 2;
	c->status = 12;
	rest = cols - (c->ticket + c->mark + c->age + c->prio + c->status +
	    6);
	for (i = 0; i < queue_shown(q); i++) {
		w = text_width(tui_pick_lang(q->s.tui,
		    data_get(&q->rows, i, QC_SERVICE_NAME_ID),
		    data_get(&q->rows, i, QC_SERVICE_NAME_EN)));
		if (w > longest)
			longest = w;
	}
	if (longest < text_width(_("Service")))
		longest = text_width(_("Service"));
	c->service = longest < 24 ? longest : 24;
	if (c->service > rest / 2)
		c->service = rest / 2 > 0 ? rest / 2 : 0;
	rest -= c->service;
	c->place = rest >= 22 * 3 / 2 ? rest / 3 : 0;
	/* without the place, its separator goes to the summary */
	c->summary = rest - c->place + (c->place == 0 ? 1 : 0);
	if (c->summary < 0)
		c->summary = 0;
}

static void
queue_draw_header(WINDOW *w, int y, int cols, const struct queue_cols *c)
{
	attr_t	a = colour_attr(CE_HEADER);
	int	x = 0;

	text_fill(w, y, 0, cols, a);
	text_put(w, y, x, c->ticket + c->mark, _("Ticket"), a);
	x += c->ticket + c->mark + 1;
	text_put(w, y, x, c->age + 1, _("Age"), a);
	x += c->age + 1;
	text_put(w, y, x, c->prio, "P", a);
	x += c->prio + 1;
	text_put(w, y, x, c->status, _("Status"), a);
	x += c->status + 1;
	text_put(w, y, x, c->service, _("Service"), a);
	x += c->service + 1;
	if (c->place > 0) {
		text_put(w, y, x, c->place, _("District/address"), a);
		x += c->place + 1;
	}
	text_put(w, y, x, c->summary, _("Summary"), a);
}

static void
queue_draw_row(struct queue *q, WINDOW *w, int y, int row,
    const struct queue_cols *c, time_t now)
{
	const struct data_rows	*r = &q->rows;
	char			 age[16], prio[8], place[400];
	attr_t			 base = row == q->sel ? colour_attr(CE_CURSOR) :
				    A_NORMAL;
	enum sla_state		 sla = SLA_NONE;
	time_t			 created = data_time(data_get(r, row,
				    QC_CREATED_AT));
	int			 x = 0, p = (int)data_int(r, row, QC_PRIORITY);

	if (data_bool(r, row, QC_IS_OPEN))
		sla = format_sla(created, data_time(data_get(r, row,
		    QC_DUE_AT)), now);
	text_fill(w, y, 0, c->ticket + c->mark + c->age + c->prio + c->status +
	    c->service + c->place + c->summary + (c->place > 0 ? 6 : 5), base);
	text_put(w, y, x, c->ticket, data_get(r, row, QC_TICKET), base);
	x += c->ticket;
	if (data_bool(r, row, QC_CITIZEN_SAID))
		text_put(w, y, x, c->mark, format_said_mark(),
		    base != A_NORMAL ? base | A_BOLD : colour_attr(CE_PUBLIC));
	x += c->mark + 1;
	format_age(created, now, age, sizeof age);
	x += text_put(w, y, x, c->age, age, base);
	/* one colour pair at a time: on the cursor row, the row's */
	if (data_bool(r, row, QC_IS_OPEN))
		x += text_put(w, y, x, 1, format_sla_mark(sla),
		    base != A_NORMAL ? base | A_BOLD : format_sla_attr(sla));
	else
		x += text_put(w, y, x, 1, queue_closed_mark(),
		    base != A_NORMAL ? base : colour_attr(CE_HINT));
	x = c->ticket + c->mark + 1 + c->age + 1;
	snprintf(prio, sizeof prio, "P%d", p);
	text_put(w, y, x, c->prio, prio, base != A_NORMAL ? base :
	    colour_priority(p));
	x += c->prio + 1;
	text_put(w, y, x, c->status, format_status(q->s.tui,
	    data_get(r, row, QC_STATUS)), base);
	x += c->status + 1;
	text_put(w, y, x, c->service, tui_pick_lang(q->s.tui,
	    data_get(r, row, QC_SERVICE_NAME_ID),
	    data_get(r, row, QC_SERVICE_NAME_EN)), base);
	x += c->service + 1;
	if (c->place > 0) {
		snprintf(place, sizeof place, "%s%s%s", data_get(r, row,
		    QC_DISTRICT), !data_null(r, row, QC_DISTRICT) &&
		    !data_null(r, row, QC_ADDRESS) ? ", " : "",
		    data_get(r, row, QC_ADDRESS));
		text_put(w, y, x, c->place, place, base);
		x += c->place + 1;
	}
	text_put(w, y, x, c->summary, data_get(r, row, QC_SUMMARY), base);
}

static void
queue_draw(struct screen *s, WINDOW *w, int top, int rows, int cols)
{
	struct queue		*q = (struct queue *)s;
	struct queue_cols	 c;
	char			 buf[128];
	time_t			 now = time(NULL);
	int			 i;

	if (rows - 1 != q->page) {
		/* a new size: the same start, as many rows as now fit */
		q->page = rows - 1;
		queue_fetch(q);
	}
	queue_layout(q, cols, &c);
	queue_draw_header(w, top, cols, &c);
	for (i = 0; i < queue_shown(q); i++)
		queue_draw_row(q, w, top + 1 + i, i, &c, now);
	if (q->loaded && q->rows.n == 0)
		text_put(w, top + 2, 2, cols - 4, q->npages > 0 ?
		    _("(no more requests)") : _("(no requests match)"),
		    colour_attr(CE_HINT));
	if (queue_shown(q) > 0) {
		snprintf(buf, sizeof buf, _(" page %zu%s "), q->npages + 1,
		    q->more ? "+" : "");
		text_put(w, top, cols - text_width(buf), text_width(buf), buf,
		    colour_attr(CE_HEADER));
	}
}

/* Filters ---------------------------------------------------------------- */

static void
queue_status_chosen(void *arg, const char *value)
{
	struct queue	*q = arg;

	struct queue_filter	 f = q->f;

	if (value == NULL)
		return;
	snprintf(f.status, sizeof f.status, "%s",
	    strcmp(value, "open") == 0 ? "" : value);
	queue_apply(q, &f);
}

static void
queue_pick_status(struct queue *q)
{
	struct tui	*t = q->s.tui;
	struct picker	*p = picker_new(t, _("Show requests that are"),
			    queue_status_chosen, q);
	size_t		 i;

	picker_add(p, "open", _("open (any open status)"), "");
	picker_add(p, "closed", _("closed (any closed status)"), "");
	picker_add(p, "all", _("all"), "");
	for (i = 0; i < t->cat->nstatuses; i++)
		picker_add(p, t->cat->statuses[i].code,
		    tui_pick_lang(t, t->cat->statuses[i].label_id,
		    t->cat->statuses[i].label_en), "");
	picker_select(p, q->f.status[0] != '\0' ? q->f.status : "open");
	picker_open(p);
}

static void
queue_service_chosen(void *arg, const char *value)
{
	struct queue	*q = arg;

	struct queue_filter	 f = q->f;

	if (value == NULL)
		return;
	snprintf(f.service, sizeof f.service, "%s",
	    strcmp(value, "*") == 0 ? "" : value);
	queue_apply(q, &f);
}

static void
queue_pick_service(struct queue *q)
{
	struct tui	*t = q->s.tui;
	struct picker	*p = picker_new(t, _("Show requests of the service"),
			    queue_service_chosen, q);
	size_t		 i;

	picker_add(p, "*", _("all services"), "");
	for (i = 0; i < t->cat->nservices; i++)
		picker_add(p, t->cat->services[i].code,
		    tui_pick_lang(t, t->cat->services[i].name_id,
		    t->cat->services[i].name_en), t->cat->services[i].code);
	picker_select(p, q->f.service[0] != '\0' ? q->f.service : "*");
	picker_open(p);
}

static void
queue_department_chosen(void *arg, const char *value)
{
	struct queue	*q = arg;

	struct queue_filter	 f = q->f;

	if (value == NULL)
		return;
	snprintf(f.department, sizeof f.department, "%s", value);
	queue_apply(q, &f);
}

static void
queue_toggle_department(struct queue *q)
{
	struct tui	*t = q->s.tui;
	struct picker	*p;
	size_t		 i;

	if (q->f.department[0] != '\0') {
		queue_department_chosen(q, "");
		return;
	}
	if (t->who.department[0] != '\0') {
		queue_department_chosen(q, t->who.department);
		return;
	}
	/* an agent of the whole city: which department? */
	p = picker_new(t, _("Show the queue of"), queue_department_chosen, q);
	for (i = 0; i < t->cat->ndepartments; i++)
		picker_add(p, t->cat->departments[i].code,
		    tui_pick_lang(t, t->cat->departments[i].name_id,
		    t->cat->departments[i].name_en),
		    t->cat->departments[i].code);
	picker_open(p);
}

/*
 * A ticket whose check digit is wrong finds nothing: say so as kotactl and
 * the duplicate prompt say it (request_parse_ref()), so the clerk checks
 * the number with the caller rather than believing it does not exist.
 */
static bool
queue_bad_ticket(struct tui *t, const char *text)
{
	struct db_error	 err, err2;
	char		 bare[256];
	const char	*dash;
	int64_t		 id;

	if (request_parse_ref(text, &id, &err) == 0 ||
	    (dash = strrchr(text, '-')) == NULL)
		return false;
	/* the same text without its check digit is a ticket: the digit is wrong */
	snprintf(bare, sizeof bare, "%.*s", (int)(dash - text), text);
	if (request_parse_ref(bare, &id, &err2) != 0)
		return false;
	tui_error(t, "%s", err.message);
	return true;
}

/* "35 found", and how many of them this page shows when not all. */
static void
queue_say_found(struct queue *q)
{
	struct tui	*t = q->s.tui;
	struct db_error	 err;
	long		 found;
	int		 shown = queue_shown(q);

	if (q->rows.n == 0) {
		tui_message(t, _("nothing found for \"%s\""), q->f.search);
		return;
	}
	if (!q->more) {
		tui_message(t, _("%d found for \"%s\""), shown, q->f.search);
		return;
	}
	if (data_queue_count(t, &q->f, QUEUE_COUNT_MAX, &found, &err) != 0) {
		tui_db_error(t, &err);
		return;
	}
	if (found >= QUEUE_COUNT_MAX)
		tui_message(t, _("more than %ld found for \"%s\", %d on this page"),
		    found - 1, q->f.search, shown);
	else
		tui_message(t, _("%ld found for \"%s\", %d on this page"),
		    found, q->f.search, shown);
}

static void
queue_searched(void *arg, const char *text, bool ok)
{
	struct queue	*q = arg;

	struct queue_filter	 f = q->f;

	if (!ok || queue_bad_ticket(q->s.tui, text))
		return;
	/*
	 * A search from the open queue looks among closed requests too; its
	 * end brings the open queue back.  A status the clerk chose stays.
	 */
	if (q->f.search[0] == '\0' && text[0] != '\0' && f.status[0] == '\0')
		snprintf(f.status, sizeof f.status, "all");
	else if (q->f.search[0] != '\0' && text[0] == '\0' &&
	    strcmp(f.status, "all") == 0)
		f.status[0] = '\0';
	snprintf(f.search, sizeof f.search, "%s", text);
	queue_apply(q, &f);
	if (q->f.search[0] != '\0' && strcmp(q->f.search, text) == 0)
		queue_say_found(q);
}

void
screen_queue_show_department(struct screen *s, const char *department)
{
	struct queue	*q = (struct queue *)s;

	struct queue_filter	 f;

	memset(&f, 0, sizeof f);
	f.sort = q->f.sort;
	snprintf(f.department, sizeof f.department, "%s", department);
	queue_apply(q, &f);
}

void
screen_queue_show_filter(struct screen *s, const struct queue_filter *filter)
{
	struct queue		*q = (struct queue *)s;
	struct queue_filter	 f = *filter;

	f.sort = q->f.sort;
	queue_apply(q, &f);
}

/* Keys ----------------------------------------------------------------- */

static void
queue_move(struct queue *q, enum key_action action)
{
	int	last = queue_shown(q) - 1;

	switch (action) {
	case KA_UP:
		if (q->sel > 0)
			q->sel--;
		else
			queue_prev_page(q, q->page - 1);
		break;
	case KA_DOWN:
		if (q->sel < last)
			q->sel++;
		else
			queue_next_page(q, 0);
		break;
	case KA_PGUP:
		queue_prev_page(q, q->sel);
		break;
	case KA_PGDN:
		if (q->more)
			queue_next_page(q, q->sel);
		else
			q->sel = last > 0 ? last : 0;
		break;
	case KA_HOME:
		queue_first_page(q);
		break;
	case KA_END:
		if (q->sel < last)
			q->sel = last;
		else
			queue_next_page(q, q->page - 1);
		break;
	default:
		break;
	}
	if (q->sel >= queue_shown(q))
		q->sel = queue_shown(q) > 0 ? queue_shown(q) - 1 : 0;
	q->sel_id = queue_shown(q) > 0 ? data_int(&q->rows, q->sel, QC_ID) : 0;
}

static int
queue_key(struct screen *s, enum key_action action, int key)
{
	struct queue		*q = (struct queue *)s;
	struct queue_filter	 f;

	(void)key;
	switch (action) {
	case KA_UP: case KA_DOWN: case KA_PGUP: case KA_PGDN:
	case KA_HOME: case KA_END:
		queue_move(q, action);
		return SCREEN_OK;
	case KA_OPEN:
		if (queue_shown(q) > 0)
			tui_push(s->tui, screen_request_new(s->tui,
			    data_int(&q->rows, q->sel, QC_ID)));
		return SCREEN_OK;
	case KA_SEARCH:
		prompt_text(s->tui, _("Search (ticket, phone or words):"),
		    q->f.search, queue_searched, q);
		return SCREEN_OK;
	case KA_SORT:
		f = q->f;
		f.sort = (enum queue_sort)((q->f.sort + 1) % 3);
		queue_apply(q, &f);
		return SCREEN_OK;
	case KA_FILTER_DEPT:
		queue_toggle_department(q);
		return SCREEN_OK;
	case KA_FILTER_MINE:
		f = q->f;
		f.mine = !f.mine;
		f.assignee[0] = '\0';
		queue_apply(q, &f);
		return SCREEN_OK;
	case KA_FILTER_STATUS:
		queue_pick_status(q);
		return SCREEN_OK;
	case KA_FILTER_SERVICE:
		queue_pick_service(q);
		return SCREEN_OK;
	case KA_FILTER_CLEAR:
		memset(&f, 0, sizeof f);
		queue_apply(q, &f);
		return SCREEN_OK;
	case KA_RELOAD:
		queue_fetch(q);
		tui_counts_later(s->tui);
		return SCREEN_OK;
	case KA_QUIT:
		tui_quit(s->tui);
		return SCREEN_OK;
	default:
		return SCREEN_UNHANDLED;
	}
}

static void
queue_notify(struct screen *s, int64_t id)
{
	(void)id;
	s->stale = true;	/* a new or changed request may be on this page */
}

static void
queue_reload(struct screen *s)
{
	queue_fetch((struct queue *)s);
}

static void
queue_free(struct screen *s)
{
	struct queue	*q = (struct queue *)s;

	data_rows_release(&q->rows);
	free(q->pages);
	free(q);
}

static const struct screen_ops queue_ops = {
	.name = "queue",
	.scopes = KS_GLOBAL | KS_LIST | KS_QUEUE,
	.title = queue_title,
	.draw = queue_draw,
	.key = queue_key,
	.notify = queue_notify,
	.reload = queue_reload,
	.free = queue_free,
};

struct screen *
screen_queue_new(struct tui *t)
{
	struct queue	*q = xcalloc(1, sizeof *q);

	q->s.ops = &queue_ops;
	q->s.tui = t;
	q->page = LINES - 4 > 1 ? LINES - 4 : 1;
	queue_first_page(q);
	return &q->s;
}
