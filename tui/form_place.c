/*
 * form_place.c: the new-request form's point and the areas around it
 *
 * The clerk types a point ("-6.8870, 107.6150") and leaves the field: the
 * point is checked here (a bad one is refused at the field and never
 * sent), then kota.areas_at() names the areas around it, once, and the
 * line under the field shows them ("Kel. Dago · Kec. Coblong").  Without a
 * point, the district's name finds its areas the same way the database
 * does at saving, a moment after the typing stops.  The areas feed the
 * live route suggestion (rules that name an area) and the duplicates
 * (same service within the service's radius).  A typed district that the
 * point contradicts is said at once, while the caller is on the line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "place.h"

/* What the areas would be of: the point, else the district's name. */
static void
form_areas_key(struct form *f, char *buf, size_t size)
{
	char	*dist;

	if (f->has_point) {
		snprintf(buf, size, "point %.7f %.7f", f->lat, f->lon);
		return;
	}
	if (edit_blank(&f->edit[FF_DISTRICT])) {
		buf[0] = '\0';
		return;
	}
	dist = edit_text(&f->edit[FF_DISTRICT]);
	snprintf(buf, size, "district %s", dist);
	free(dist);
}

/*
 * The district disagrees with the point: it names neither the point's
 * kelurahan nor its kecamatan.  Said in the form as the request view
 * says it after saving.
 */
static void
form_place_check(struct form *f)
{
	char	*dist, names[300];

	f->areas_warning[0] = '\0';
	if (!f->has_point || edit_blank(&f->edit[FF_DISTRICT]) ||
	    (f->kelurahan[0] == '\0' && f->kecamatan[0] == '\0'))
		return;
	dist = edit_text(&f->edit[FF_DISTRICT]);
	if (!place_district_is(dist, f->kelurahan) &&
	    !place_district_is(dist, f->kecamatan)) {
		place_district_names(f->kelurahan, f->kecamatan, names,
		    sizeof names);
		snprintf(f->areas_warning, sizeof f->areas_warning,
		    _("\xe2\x9a\xa0 the point lies in %s, not in \"%s\""),
		    names, dist);
	}
	free(dist);
}

static void
form_areas_clear(struct form *f)
{
	f->nareas = 0;
	f->areas_text[0] = f->kelurahan[0] = f->kecamatan[0] = '\0';
}

static void
form_areas_take(struct form *f, const struct data_rows *r)
{
	char	 line[sizeof f->areas_text];
	int	 i;

	for (i = 0; i < r->n && f->nareas < PLACE_AREAS_MAX; i++) {
		const char *kind = data_get(r, i, AR_KIND);

		f->areas[f->nareas++] = (int)data_int(r, i, AR_ID);
		if (strcmp(kind, "kelurahan") == 0)
			snprintf(f->kelurahan, sizeof f->kelurahan, "%s",
			    data_get(r, i, AR_NAME));
		else if (strcmp(kind, "kecamatan") == 0)
			snprintf(f->kecamatan, sizeof f->kecamatan, "%s",
			    data_get(r, i, AR_NAME));
	}
	place_areas_text(r, line, sizeof line);
	if (r->n == 0 && f->has_point)
		snprintf(f->areas_text, sizeof f->areas_text, "%s",
		    _("outside the city's areas"));
	else if (r->n > 0 && !f->has_point)
		snprintf(f->areas_text, sizeof f->areas_text,
		    _("%s (from the district's name)"), line);
	else
		snprintf(f->areas_text, sizeof f->areas_text, "%s", line);
}

/*
 * Look the areas up unless they are known for what the form holds now.
 * Returns -1 when the lookup failed (offline): the areas are unknown and
 * asked again next time.
 */
int
form_areas_lookup(struct form *f)
{
	struct tui		*t = f->s.tui;
	struct data_rows	 r;
	struct db_error		 err;
	char			 key[sizeof f->areas_checked], lat[32], lon[32];
	char			*dist;
	int			 rc;

	f->areas_pending = false;
	form_areas_key(f, key, sizeof key);
	if (strcmp(key, f->areas_checked) == 0) {
		form_place_check(f);
		return 0;
	}
	form_areas_clear(f);
	f->areas_checked[0] = '\0';
	t->dirty = true;
	if (key[0] == '\0') {
		form_place_check(f);
		form_route(f);
		return 0;
	}
	dist = edit_text(&f->edit[FF_DISTRICT]);
	place_sql_coord(f->lat, lat, sizeof lat);
	place_sql_coord(f->lon, lon, sizeof lon);
	rc = data_areas_at(t, f->has_point ? lat : NULL,
	    f->has_point ? lon : NULL, f->has_point ? NULL : dist, &r, &err);
	free(dist);
	if (rc != 0) {
		snprintf(f->areas_text, sizeof f->areas_text, "%s",
		    _("(areas not looked up: offline)"));
		if (err.status != DB_LOST)
			tui_db_error(t, &err);
		form_route(f);
		return -1;
	}
	snprintf(f->areas_checked, sizeof f->areas_checked, "%s", key);
	form_areas_take(f, &r);
	data_rows_release(&r);
	form_place_check(f);
	form_route(f);
	return 0;
}

void
form_location_left(struct form *f)
{
	char	*text = edit_text(&f->edit[FF_LOCATION]);
	int	 rc;

	if (strcmp(text, f->location_checked) == 0) {
		free(text);
		/* the same point: its areas again only if they were not had */
		form_areas_lookup(f);
		return;
	}
	snprintf(f->location_checked, sizeof f->location_checked, "%s", text);
	f->has_point = false;
	rc = place_parse(text, &f->lat, &f->lon, f->error[FF_LOCATION],
	    sizeof f->error[FF_LOCATION]);
	free(text);
	f->has_point = rc == 1;
	form_areas_lookup(f);
	/* the duplicates near the point, at once */
	f->dup_pending = true;
	f->dup_due = tui_now();
}

/* The district's typing stopped: its areas, when there is no point. */
int64_t
form_areas_tick(struct form *f, int64_t now)
{
	if (!f->areas_pending)
		return 0;
	if (now < f->areas_due)
		return f->areas_due;
	form_areas_lookup(f);
	return 0;
}

/* The district changed: the warning now, the areas a moment later. */
void
form_district_changed(struct form *f)
{
	form_place_check(f);
	if (f->has_point)
		return;
	f->areas_pending = true;
	f->areas_due = tui_now() + FORM_DUP_DELAY_MS;
}
