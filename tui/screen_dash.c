/*
 * screen_dash.c: the dashboard
 *
 * Supervisors see one row per department from kota.report_queues() (007)
 * over the last 30 days: the open requests by status, unassigned, overdue
 * and at risk, the ageing buckets, intake against closed today and this
 * week, the median time to resolve and the SLA compliance, and the 14-day
 * sparklines of kota.dashboard_daily() (009).  w switches to the agents'
 * workload (kota.report_agents()).  A cell cursor moves over the numbers;
 * Enter opens the queue list filtered to exactly the requests behind the
 * number: a status, or one of kota.queue_slice()'s slices (unassigned,
 * overdue, an ageing bucket, today's intake...), in the row's department
 * or for the row's agent.  The figures come from counters (010_tally.sql)
 * whose journal the screen folds before each reload.  Columns scroll
 * sideways when the terminal is narrow.
 *
 * Clerks, who may not read the report functions, keep the simple view:
 * kota.queue_counts() per department, and a line saying the rest is for
 * supervisors.  Both reload live: a notification marks the screen stale,
 * and the loop reloads it at most a few times a second (LOOP_REFRESH_MS).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "colour.h"
#include "data.h"
#include "i18n.h"
#include "place.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

#define DASH_DAYS	30	/* median and SLA compliance over these */
#define DASH_SPARK	14	/* days in a sparkline */
#define DASH_CODE_W	8	/* the frozen first column: department */
#define DASH_AGENT_W	30	/* agents: role and name */
#define DASH_AGES	100	/* a field of kota.dashboard_ages(): + RG_ */
#define DASH_HOT_MAX	5	/* hotspots asked for */
#define DASH_HOT_MIN_TABLE 3	/* department rows the hotspots leave */

enum dash_view { DASH_QUEUES, DASH_AGENTS };
enum { SPARK_NONE, SPARK_INTAKE, SPARK_CLOSED };

/* A column of numbers: where it comes from and what Enter lists. */
struct dash_col {
	const char	*group;		/* over a run of columns ("" goes on) */
	const char	*head;
	int		 width;
	int		 field;		/* RQ_ or RA_ column */
	int		 spark;		/* SPARK_ */
	const char	*status;	/* the queue's status filter */
	const char	*slice;		/* kota.queue_slice(); NULL: none */
};

/* A group's heading; gettext would answer "" with its catalogue's header. */
static const char *
dash_group(const char *group)
{
	return group[0] != '\0' ? _(group) : "";
}

static const struct dash_col dash_queue_cols[] = {
	{ N_("open"), N_("all"), 5, RQ_OPEN, 0, "open", NULL },
	{ "", N_("new"), 5, RQ_NEW, 0, "new", NULL },
	{ "", N_("ack"), 5, RQ_ACKNOWLEDGED, 0, "acknowledged", NULL },
	{ "", N_("prog"), 5, RQ_IN_PROGRESS, 0, "in_progress", NULL },
	{ "", N_("hold"), 5, RQ_ON_HOLD, 0, "on_hold", NULL },
	{ N_("attention"), N_("unas"), 5, RQ_UNASSIGNED, 0, "open", "unassigned" },
	{ "", N_("late"), 5, RQ_OVERDUE, 0, "open", "overdue" },
	{ "", N_("risk"), 5, RQ_AT_RISK, 0, "open", "at_risk" },
	/*
	 * TRANSLATORS: the age headers count time since a request came in,
	 * as the queue's Age column does: "h" hours, "d" days of 24 hours
	 * (not calendar days).  At most 6 columns ("24-72h").
	 */
	{ N_("age"), N_("<24h"), 5, DASH_AGES + RG_LT_24H, 0, "open",
	    "age_lt_24h" },
	{ "", N_("24-72h"), 6, DASH_AGES + RG_24_72H, 0, "open", "age_24_72h" },
	{ "", N_("3-7d"), 5, DASH_AGES + RG_72_168H, 0, "open", "age_72_168h" },
	{ "", N_(">7d"), 5, DASH_AGES + RG_GT_168H, 0, "open", "age_gt_168h" },
	{ N_("today"), N_("in"), 5, RQ_INTAKE_TODAY, 0, "all", "intake_today" },
	{ "", N_("out"), 5, RQ_CLOSED_TODAY, 0, "all", "closed_today" },
	{ N_("week"), N_("in"), 5, RQ_INTAKE_WEEK, 0, "all", "intake_week" },
	{ "", N_("out"), 5, RQ_CLOSED_WEEK, 0, "all", "closed_week" },
	/* the median and the share: the requests they are computed over */
	{ N_("30 days"), N_("med h"), 6, RQ_MEDIAN_RESOLVE_HOURS, 0, "all",
	    "resolved_30d" },
	{ "", N_("SLA%"), 6, RQ_SLA_MET_PERCENT, 0, "all", "missed_30d" },
	{ N_("14 days"), N_("intake"), DASH_SPARK, RQ_DEPARTMENT, SPARK_INTAKE,
	    "all", "intake_14d" },
	{ "", N_("closed"), DASH_SPARK, RQ_DEPARTMENT, SPARK_CLOSED, "all",
	    "closed_14d" },
	{ NULL, NULL, 0, 0, 0, NULL, NULL },
};

static const struct dash_col dash_agent_cols[] = {
	/* 7: "terbuka", the longest header of the Indonesian */
	{ N_("open now"), N_("open"), 7, RA_OPEN, 0, "open", NULL },
	{ "", N_("prog"), 7, RA_IN_PROGRESS, 0, "in_progress", NULL },
	{ "", N_("late"), 7, RA_OVERDUE, 0, "open", "overdue" },
	{ N_("30 days"), N_("solved"), 7, RA_RESOLVED, 0, "all",
	    "agent_resolved_30d" },
	{ NULL, NULL, 0, 0, 0, NULL, NULL },
};

struct dash_spark {
	long	in[DASH_SPARK], out[DASH_SPARK];
};

/* The clerks' view: kota.queue_counts() per department. */
struct dash_row {
	char	code[24];
	long	c[5];		/* open, new, unassigned, mine, overdue */
};

struct dash {
	struct screen		 s;
	bool			 super;		/* the supervisors' view */
	bool			 utf8;		/* block characters */
	enum dash_view		 view;
	struct data_rows	 q, a, daily, ages;
	struct data_rows	 hot;		/* kota.dashboard_hotspots() */
	struct dash_spark	*spark;		/* per row of q */
	struct dash_row		*rows;		/* clerks */
	size_t			 n;
	int			 sel, col;	/* the cell cursor */
	int			 top, left;	/* first row and column shown */
	int			 dept_w;	/* agents: the department column */
};

static const struct dash_col *
dash_cols(const struct dash *d)
{
	return d->view == DASH_AGENTS ? dash_agent_cols : dash_queue_cols;
}

static int
dash_ncols(const struct dash *d)
{
	const struct dash_col	*c = dash_cols(d);
	int			 n = 0;

	while (c[n].head != NULL)
		n++;
	return n;
}

static int
dash_nrows(const struct dash *d)
{
	if (!d->super)
		return (int)d->n;
	return d->view == DASH_AGENTS ? d->a.n : d->q.n;
}

/* Loading ------------------------------------------------------------- */

static void
dash_release(struct dash *d)
{
	data_rows_release(&d->q);
	data_rows_release(&d->a);
	data_rows_release(&d->daily);
	data_rows_release(&d->ages);
	data_rows_release(&d->hot);
	free(d->spark);
	d->spark = NULL;
	free(d->rows);
	d->rows = NULL;
	d->n = 0;
}

static void
dash_load_simple(struct dash *d)
{
	struct tui	*t = d->s.tui;
	struct db_error	 err;
	size_t		 i;

	d->n = t->cat->ndepartments;
	d->rows = xcalloc(d->n, sizeof *d->rows);
	for (i = 0; i < d->n; i++) {
		snprintf(d->rows[i].code, sizeof d->rows[i].code, "%s",
		    t->cat->departments[i].code);
		if (data_queue_counts(t, d->rows[i].code, d->rows[i].c,
		    &err) != 0) {
			tui_db_error(t, &err);
			break;
		}
	}
}

/* The daily rows, department by department, into each row's sparks. */
static void
dash_fill_sparks(struct dash *d)
{
	int	i, j, k;

	d->spark = xcalloc((size_t)d->q.n + 1, sizeof *d->spark);
	for (i = 0; i < d->q.n; i++) {
		k = 0;
		for (j = 0; j < d->daily.n && k < DASH_SPARK; j++) {
			if (strcmp(data_get(&d->daily, j, RD_DEPARTMENT),
			    data_get(&d->q, i, RQ_DEPARTMENT)) != 0)
				continue;
			d->spark[i].in[k] = (long)data_int(&d->daily, j,
			    RD_INTAKE);
			d->spark[i].out[k] = (long)data_int(&d->daily, j,
			    RD_CLOSED);
			k++;
		}
	}
}

/* The agents' department column: its longest code, up to 10. */
static int
dash_dept_width(const struct dash *d)
{
	int	i, n, w = 4;

	for (i = 0; i < d->a.n; i++)
		if ((n = text_width(data_get(&d->a, i, RA_DEPARTMENT))) > w)
			w = n;
	return w < 10 ? w : 10;
}

static void
dash_load(struct dash *d)
{
	struct tui	*t = d->s.tui;
	struct db_error	 err;

	dash_release(d);
	if (d->super && data_tally_fold(t, &err) != 0 && err.status == DB_LOST)
		tui_db_error(t, &err);
	if (d->super && (data_dash_queues(t, DASH_DAYS, &d->q, &err) != 0 ||
	    data_dash_ages(t, &d->ages, &err) != 0 ||
	    data_dash_agents(t, DASH_DAYS, &d->a, &err) != 0 ||
	    data_dash_daily(t, DASH_SPARK, &d->daily, &err) != 0)) {
		/* not a supervisor after all, or lost: the simple view */
		tui_db_error(t, &err);
		dash_release(d);
		d->super = false;
	}
	if (!d->super) {
		dash_load_simple(d);
		d->view = DASH_QUEUES;
	} else {
		dash_fill_sparks(d);
		/* without its hotspots the dashboard is still worth showing */
		if (data_dash_hotspots(t, DASH_HOT_MAX, &d->hot, &err) != 0)
			tui_db_error(t, &err);
	}
	d->dept_w = dash_dept_width(d);
	if (d->sel >= dash_nrows(d))
		d->sel = dash_nrows(d) > 0 ? dash_nrows(d) - 1 : 0;
}

/* Drawing ------------------------------------------------------------- */

/*
 * A series as a line of levels, scaled to max: block characters, or ASCII
 * in other locales.  Only a zero is blank.
 */
static void
dash_sparkline(const struct dash *d, const long *v, long max, char *buf,
    size_t size)
{
	static const char *const blocks[] = { " ", "\xe2\x96\x81",
	    "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85",
	    "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = " .:-=+*#";
	size_t	off = 0;
	int	i, lev, nlev = d->utf8 ? 9 : 8;

	buf[0] = '\0';
	for (i = 0; i < DASH_SPARK && off + 4 < size; i++) {
		lev = v[i] <= 0 || max <= 0 ? 0 :
		    1 + (int)((v[i] - 1) * (nlev - 1) / max);
		if (lev >= nlev)
			lev = nlev - 1;
		if (d->utf8)
			off += (size_t)snprintf(buf + off, size - off, "%s",
			    blocks[lev]);
		else {
			buf[off++] = ascii[lev];
			buf[off] = '\0';
		}
	}
}

/* Both series of a row share one scale, so intake and closed compare. */
static void
dash_spark_text(const struct dash *d, int row, int spark, char *buf,
    size_t size)
{
	const struct dash_spark	*sp = &d->spark[row];
	long			 max = 0;
	int			 i;

	for (i = 0; i < DASH_SPARK; i++) {
		if (sp->in[i] > max)
			max = sp->in[i];
		if (sp->out[i] > max)
			max = sp->out[i];
	}
	dash_sparkline(d, spark == SPARK_INTAKE ? sp->in : sp->out, max, buf,
	    size);
}

static const struct data_rows *
dash_data(const struct dash *d)
{
	return d->view == DASH_AGENTS ? &d->a : &d->q;
}

/* A number of a row, as text; NULL for none (SQL NULL). */
static const char *
dash_value(const struct dash *d, int row, const struct dash_col *c)
{
	const struct data_rows	*r = dash_data(d);
	const char		*dept;
	int			 i;

	if (c->field < DASH_AGES)
		return data_null(r, row, c->field) ? NULL :
		    data_get(r, row, c->field);
	dept = data_get(&d->q, row, RQ_DEPARTMENT);
	for (i = 0; i < d->ages.n; i++)
		if (strcmp(data_get(&d->ages, i, RG_DEPARTMENT), dept) == 0)
			return data_get(&d->ages, i, c->field - DASH_AGES);
	return NULL;
}

static void
dash_cell_text(const struct dash *d, int row, const struct dash_col *c,
    char *buf, size_t size)
{
	const char	*v;

	if (c->spark != SPARK_NONE)
		dash_spark_text(d, row, c->spark, buf, size);
	else if ((v = dash_value(d, row, c)) == NULL)
		snprintf(buf, size, "%*s", c->width, "-");
	else
		snprintf(buf, size, "%*s", c->width, v);
}

static attr_t
dash_cell_attr(const struct dash *d, int row, int col, const struct dash_col *c)
{
	if (row == d->sel && col == d->col)
		return colour_attr(CE_CURSOR);
	if (d->view == DASH_QUEUES && c->spark == SPARK_NONE &&
	    c->field < DASH_AGES && data_int(&d->q, row, c->field) > 0) {
		if (c->field == RQ_OVERDUE)
			return colour_attr(CE_SLA_BREACHED);
		if (c->field == RQ_AT_RISK)
			return colour_attr(CE_SLA_RISK);
	}
	return A_NORMAL;
}

/* Scroll sideways: as many columns left of the cursor's as fit. */
static int
dash_fit_left(struct dash *d, int avail)
{
	const struct dash_col	*c = dash_cols(d);
	int			 w = c[d->col].width + 1;

	d->left = d->col;
	while (d->left > 0 && w + c[d->left - 1].width + 1 <= avail)
		w += c[--d->left].width + 1;
	return d->left;
}

static void
dash_draw_heads(struct dash *d, WINDOW *w, int y, int x0, int cols)
{
	const struct dash_col	*c = dash_cols(d);
	attr_t			 h = colour_attr(CE_HEADER);
	int			 i, j, x, gw;

	text_fill(w, y, 0, cols, h);
	text_fill(w, y + 1, 0, cols, h);
	if (d->view == DASH_AGENTS) {
		text_put(w, y + 1, 0, d->dept_w, _("Dept"), h);
		text_put(w, y + 1, d->dept_w + 1, x0 - d->dept_w - 1,
		    _("Agent"), h);
	} else
		text_put(w, y + 1, 0, x0, _("Dept"), h);
	for (i = d->left, x = x0; c[i].head != NULL &&
	    x + c[i].width <= cols; i++) {
		if (c[i].group[0] != '\0' || i == d->left) {
			for (gw = c[i].width, j = i + 1; c[j].head != NULL &&
			    c[j].group[0] == '\0'; j++)
				gw += c[j].width + 1;
			for (j = i; c[i].group[0] == '\0' && j > 0 &&
			    c[j].group[0] == '\0'; j--)
				continue;
			if (gw > cols - x)
				gw = cols - x;
			text_put(w, y, x, gw, dash_group(c[j].group), h | A_BOLD);
		}
		text_put(w, y + 1, x + (c[i].spark != SPARK_NONE ? 0 :
		    c[i].width - text_width(_(c[i].head))), c[i].width,
		    _(c[i].head), h);
		x += c[i].width + 1;
	}
}

static void
dash_draw_row(struct dash *d, WINDOW *w, int y, int row, int x0, int cols)
{
	const struct dash_col	*c = dash_cols(d);
	char			 buf[128], name[160];
	attr_t			 a = row == d->sel ? A_BOLD : A_NORMAL;
	int			 i, x;

	text_fill(w, y, 0, cols, A_NORMAL);
	if (d->view == DASH_AGENTS) {
		/* the department in a column as wide as its longest code */
		text_put(w, y, 0, d->dept_w, data_get(&d->a, row,
		    RA_DEPARTMENT), a);
		snprintf(name, sizeof name, "%s", data_get(&d->a, row,
		    RA_DISPLAY_NAME));
		text_put(w, y, d->dept_w + 1, x0 - d->dept_w - 2, name, a);
	} else
		text_put(w, y, 0, x0 - 1, data_get(&d->q, row, RQ_DEPARTMENT),
		    a);
	for (i = d->left, x = x0; c[i].head != NULL &&
	    x + c[i].width <= cols; i++) {
		dash_cell_text(d, row, &c[i], buf, sizeof buf);
		text_put(w, y, x, c[i].width, buf,
		    dash_cell_attr(d, row, i, &c[i]));
		x += c[i].width + 1;
	}
}

/* The footer's text for the cursor's number, about who. */
static void
dash_footer_text(struct dash *d, const char *who, char *buf, size_t size)
{
	const struct dash_col	*c = &dash_cols(d)[d->col], *g;
	size_t			 off;
	int			 i;

	/* the group of the cursor's run of columns: "age <24h" */
	for (g = c; g > dash_cols(d) && g->group[0] == '\0'; g--)
		continue;
	if (c->spark != SPARK_NONE) {
		off = (size_t)snprintf(buf, size, "%s \xc2\xb7 %s, %s:",
		    who, _(c->head), _("last 14 days"));
		for (i = 0; i < DASH_SPARK && off < size; i++)
			off += (size_t)snprintf(buf + off, size - off,
			    " %ld", c->spark == SPARK_INTAKE ?
			    d->spark[d->sel].in[i] : d->spark[d->sel].out[i]);
		if (off < size)
			snprintf(buf + off, size - off, " \xc2\xb7 %s",
			    _("Enter lists them"));
	} else
		snprintf(buf, size, "%s \xc2\xb7 %s %s: %s \xc2\xb7 %s",
		    who, dash_group(g->group), _(c->head),
		    dash_value(d, d->sel, c) == NULL ? "-" :
		    dash_value(d, d->sel, c), _("Enter lists them"));
}

/*
 * The line under the table: what the cursor is on, and whether it lists.
 * When it does not fit, the department's or agent's name goes first: the
 * code and the number stay.
 */
static void
dash_draw_footer(struct dash *d, WINDOW *w, int y, int cols)
{
	const struct data_rows	*r = dash_data(d);
	char			 buf[512], who[200];

	if (r->n == 0)
		return;
	if (d->view == DASH_AGENTS)
		snprintf(who, sizeof who, "%s (%s)", data_get(r, d->sel,
		    RA_DISPLAY_NAME), data_get(r, d->sel, RA_AGENT));
	else
		snprintf(who, sizeof who, "%s %s", data_get(r, d->sel,
		    RQ_DEPARTMENT), tui_pick_lang(d->s.tui, data_get(r,
		    d->sel, RQ_NAME_ID), data_get(r, d->sel, RQ_NAME_EN)));
	dash_footer_text(d, who, buf, sizeof buf);
	if (text_width(buf) > cols) {
		snprintf(who, sizeof who, "%s", data_get(r, d->sel,
		    d->view == DASH_AGENTS ? RA_DISPLAY_NAME : RQ_DEPARTMENT));
		dash_footer_text(d, who, buf, sizeof buf);
	}
	text_put_pad(w, y, 0, cols, buf, colour_attr(CE_HINT));
}

/*
 * How many hotspots fit under the departments' table in rows, leaving it
 * DASH_HOT_MIN_TABLE rows (or all it has); 0 hides the panel.
 */
static int
dash_hot_rows(const struct dash *d, int rows)
{
	int	keep = dash_nrows(d), n;

	if (d->view != DASH_QUEUES || d->hot.n == 0)
		return 0;
	if (keep > DASH_HOT_MIN_TABLE)
		keep = DASH_HOT_MIN_TABLE;
	if (keep < 1)
		keep = 1;
	/* a blank line, the panel's title and its heads, then the rows */
	n = rows - 4 - keep - 3;
	return n < 1 ? 0 : n < d->hot.n ? n : d->hot.n;
}

/*
 * Where requests of one service gather this week in one area against the
 * 8 weeks before (kota.dashboard_hotspots()): a cluster forming after a
 * storm.  A ratio of 2 or more is in the warning colour.
 */
static void
dash_draw_hot(struct dash *d, WINDOW *w, int y, int n, int cols)
{
	const struct cat_service	*svc;
	attr_t				 h = colour_attr(CE_HEADER);
	char				 buf[512];
	int				 i, nw = 27, aw = (cols - nw - 2) / 2;
	double				 ratio;

	if (aw > 30)
		aw = 30;
	text_put_pad(w, y, 0, cols,
	    _("Hotspots: this week against the 8 weeks before"), h | A_BOLD);
	text_fill(w, y + 1, 0, cols, h);
	text_put(w, y + 1, 0, aw, _("Area"), h);
	text_put(w, y + 1, aw + 1, aw, _("Service"), h);
	/* TRANSLATORS: at most 5, 6, 7 and 6 columns */
	snprintf(buf, sizeof buf, "%5s %6s %7s %6s", _("week"), _("open"),
	    _("8w avg"), _("ratio"));
	text_put(w, y + 1, 2 * aw + 2, cols - 2 * aw - 2, buf, h);
	for (i = 0; i < n; i++) {
		svc = catalog_service(d->s.tui->cat, data_get(&d->hot, i,
		    HS_SERVICE));
		text_fill(w, y + 2 + i, 0, cols, A_NORMAL);
		text_put(w, y + 2 + i, 0, aw, data_get(&d->hot, i,
		    HS_AREA_NAME), A_BOLD);
		text_put(w, y + 2 + i, aw + 1, aw, svc != NULL ?
		    tui_pick_lang(d->s.tui, svc->name_id, svc->name_en) :
		    data_get(&d->hot, i, HS_SERVICE_NAME), A_NORMAL);
		ratio = place_atof(data_get(&d->hot, i, HS_RATIO));
		/* "3.0×": printf pads bytes, and × is two */
		snprintf(buf, sizeof buf, "%5s %6s %7s %5s\xc3\x97",
		    data_get(&d->hot, i, HS_THIS_WEEK),
		    data_get(&d->hot, i, HS_OPEN_NOW),
		    data_get(&d->hot, i, HS_AVG_8W),
		    data_get(&d->hot, i, HS_RATIO));
		text_put(w, y + 2 + i, 2 * aw + 2, cols - 2 * aw - 2, buf,
		    ratio >= 2 ? colour_attr(CE_WARNING) : A_NORMAL);
	}
}

static void
dash_draw_super(struct dash *d, WINDOW *w, int top, int rows, int cols)
{
	int	x0 = d->view == DASH_AGENTS ? DASH_AGENT_W : DASH_CODE_W;
	int	hot = dash_hot_rows(d, rows);
	int	body = rows - 4 - (hot > 0 ? hot + 3 : 0), i;

	if (body < 1)
		body = 1;
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + body)
		d->top = d->sel - body + 1;
	dash_fit_left(d, cols - x0);
	dash_draw_heads(d, w, top, x0, cols);
	for (i = 0; i < body && d->top + i < dash_nrows(d); i++)
		dash_draw_row(d, w, top + 2 + i, d->top + i, x0, cols);
	if (dash_nrows(d) == 0)
		text_put(w, top + 2, 0, cols, _("nothing to show"), A_NORMAL);
	/* right under the table when it is short */
	if (hot > 0)
		dash_draw_hot(d, w, top + 2 + (dash_nrows(d) < body ?
		    dash_nrows(d) : body) + 1, hot, cols);
	dash_draw_footer(d, w, top + rows - 1, cols);
}

static void
dash_draw_simple(struct dash *d, WINDOW *w, int top, int rows, int cols)
{
	const struct cat_department	*dep;
	char				 buf[256];
	attr_t				 a;
	int				 i;

	snprintf(buf, sizeof buf, "%-12s %-30s %8s %8s %11s %8s %8s",
	    _("Department"), "", _("open"), _("new"), _("unassigned"),
	    _("mine"), _("overdue"));
	text_put_pad(w, top, 0, cols, buf, colour_attr(CE_HEADER));
	for (i = 0; i < (int)d->n && i < rows - 3; i++) {
		dep = catalog_department(d->s.tui->cat, d->rows[i].code);
		a = i == d->sel ? colour_attr(CE_CURSOR) : A_NORMAL;
		text_fill(w, top + 1 + i, 0, cols, a);
		text_put(w, top + 1 + i, 0, 12, d->rows[i].code, a);
		text_put(w, top + 1 + i, 13, 30, dep != NULL ? tui_pick_lang(
		    d->s.tui, dep->name_id, dep->name_en) : "", a);
		snprintf(buf, sizeof buf, "%8ld %8ld %11ld %8ld %8ld",
		    d->rows[i].c[0], d->rows[i].c[1], d->rows[i].c[2],
		    d->rows[i].c[3], d->rows[i].c[4]);
		text_put(w, top + 1 + i, 44, cols - 44, buf,
		    d->rows[i].c[4] > 0 && a == A_NORMAL ?
		    colour_attr(CE_SLA_RISK) : a);
	}
	text_put_pad(w, top + rows - 1, 0, cols,
	    _("The full dashboard (ageing, SLA, workload, drill-down) is for supervisors."),
	    colour_attr(CE_HINT));
}

static void
dash_title(struct screen *s, char *buf, size_t size)
{
	struct dash	*d = (struct dash *)s;

	snprintf(buf, size, " Kota \xc2\xb7 %s", !d->super ?
	    _("Dashboard: open requests per department") :
	    d->view == DASH_AGENTS ? _("Dashboard: agents' workload (w: departments)") :
	    _("Dashboard: departments (w: agents)"));
}

static void
dash_draw(struct screen *s, WINDOW *w, int top, int rows, int cols)
{
	struct dash	*d = (struct dash *)s;

	if (d->super)
		dash_draw_super(d, w, top, rows, cols);
	else
		dash_draw_simple(d, w, top, rows, cols);
}

/* Keys ---------------------------------------------------------------- */

/* Enter on a number: the queue list of exactly those requests. */
static int
dash_open(struct dash *d)
{
	struct tui		*t = d->s.tui;
	const struct dash_col	*c;
	struct queue_filter	 f;

	if (dash_nrows(d) == 0)
		return SCREEN_OK;
	if (!d->super) {
		screen_queue_show_department(t->stack[0], d->rows[d->sel].code);
		return SCREEN_CLOSE;
	}
	c = &dash_cols(d)[d->col];
	memset(&f, 0, sizeof f);
	snprintf(f.status, sizeof f.status, "%s", c->status);
	if (c->slice != NULL)
		snprintf(f.slice, sizeof f.slice, "%s", c->slice);
	if (d->view == DASH_AGENTS)
		snprintf(f.assignee, sizeof f.assignee, "%s",
		    data_get(&d->a, d->sel, RA_AGENT));
	else
		snprintf(f.department, sizeof f.department, "%s",
		    data_get(&d->q, d->sel, RQ_DEPARTMENT));
	screen_queue_show_filter(t->stack[0], &f);
	return SCREEN_CLOSE;
}

static int
dash_key(struct screen *s, enum key_action action, int key)
{
	struct dash	*d = (struct dash *)s;
	int		 n = dash_nrows(d);

	(void)key;
	switch (action) {
	case KA_UP:
		if (d->sel > 0)
			d->sel--;
		return SCREEN_OK;
	case KA_DOWN:
		if (d->sel + 1 < n)
			d->sel++;
		return SCREEN_OK;
	case KA_LEFT:
		if (d->super && d->col > 0)
			d->col--;
		return SCREEN_OK;
	case KA_RIGHT:
		if (d->super && d->col + 1 < dash_ncols(d))
			d->col++;
		return SCREEN_OK;
	case KA_HOME: case KA_PGUP:
		d->sel = 0;
		return SCREEN_OK;
	case KA_END: case KA_PGDN:
		d->sel = n > 0 ? n - 1 : 0;
		return SCREEN_OK;
	case KA_WORKLOAD:
		if (!d->super) {
			tui_message(s->tui, _("the agents' workload is for supervisors"));
			return SCREEN_OK;
		}
		d->view = d->view == DASH_AGENTS ? DASH_QUEUES : DASH_AGENTS;
		d->sel = d->col = d->top = d->left = 0;
		return SCREEN_OK;
	case KA_RELOAD:
		dash_load(d);
		return SCREEN_OK;
	case KA_OPEN:
		return dash_open(d);
	case KA_BACK:
		return SCREEN_CLOSE;
	default:
		return SCREEN_UNHANDLED;
	}
}

static void
dash_notify(struct screen *s, int64_t id)
{
	(void)id;
	s->stale = true;	/* the loop reloads at most a few times a second */
}

static void
dash_reload(struct screen *s)
{
	dash_load((struct dash *)s);
}

static void
dash_free(struct screen *s)
{
	struct dash	*d = (struct dash *)s;

	dash_release(d);
	free(d);
}

static const struct screen_ops dash_ops = {
	.name = "dashboard",
	.scopes = KS_GLOBAL | KS_LIST | KS_DASH,
	.title = dash_title,
	.draw = dash_draw,
	.key = dash_key,
	.notify = dash_notify,
	.reload = dash_reload,
	.free = dash_free,
};

struct screen *
screen_dash_new(struct tui *t)
{
	struct dash	*d = xcalloc(1, sizeof *d);

	d->s.ops = &dash_ops;
	d->s.tui = t;
	d->super = strcmp(t->who.kind, "clerk") != 0 && t->who.kind[0] != '\0';
	d->utf8 = text_locale_utf8();
	dash_load(d);
	return &d->s;
}
