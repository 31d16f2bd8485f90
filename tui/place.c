/*
 * place.c: where a request is, as the console reads, shows and checks it
 *
 * See place.h.  Only formatting and parsing: the lookups are data.c's.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "place.h"

static const char *
place_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * One decimal number: an optional sign, digits, an optional '.' and
 * digits.  NULL when there is none at p.
 */
static const char *
place_number(const char *p, double *v)
{
	double	x = 0, scale = 1;
	int	digits = 0, sign = 1;

	if (*p == '-' || *p == '+') {
		sign = *p == '-' ? -1 : 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		x = x * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			scale /= 10;
			x += (*p - '0') * scale;
		}
	if (digits == 0)
		return NULL;
	*v = sign * x;
	return p;
}

int
place_parse(const char *text, double *lat, double *lon, char *msg,
    size_t msgsz)
{
	const char	*p = place_blanks(text), *q;
	double		 a, b;

	msg[0] = '\0';
	if (*p == '\0')
		return 0;
	if ((p = place_number(p, &a)) == NULL)
		goto syntax;
	/* a comma (or a semicolon) between the two, or at least a blank */
	q = place_blanks(p);
	if (*q == ',' || *q == ';')
		q = place_blanks(q + 1);
	else if (q == p)
		goto syntax;
	if ((p = place_number(q, &b)) == NULL || *place_blanks(p) != '\0')
		goto syntax;
	/*
	 * "107.6150, -6.8870": longitude first, as GeoJSON and some tools
	 * write it; said, not guessed.  Short: the line under the field is
	 * all the clerk has at 80 columns.
	 */
	if (a < -90 || a > 90) {
		snprintf(msg, msgsz,
		    _("%g is not a latitude (-90 to 90): write the latitude first"),
		    a);
		return -1;
	}
	if (b < -180 || b > 180) {
		snprintf(msg, msgsz, _("%g is not a longitude (-180 to 180)"),
		    b);
		return -1;
	}
	*lat = a;
	*lon = b;
	return 1;
syntax:
	snprintf(msg, msgsz, "%s",
	    _("write latitude, longitude in degrees, as -6.8870, 107.6150"));
	return -1;
}

double
place_atof(const char *text)
{
	double	v;

	return place_number(place_blanks(text), &v) != NULL ? v : 0;
}

void
place_sql_coord(double v, char *buf, size_t size)
{
	char	*p;

	/* printf's decimal mark is the locale's (LC_NUMERIC): "-6,887" */
	snprintf(buf, size, "%.7f", v);
	for (p = buf; *p != '\0'; p++)
		if (*p == ',')
			*p = '.';
}

static void
place_add(char *buf, size_t size, size_t *off, const char *text)
{
	if (*off >= size)
		return;
	*off += (size_t)snprintf(buf + *off, size - *off, "%s%s",
	    *off > 0 ? " \xc2\xb7 " : "", text);
}

void
place_areas_text(const struct data_rows *r, char *buf, size_t size)
{
	/* the order people say it in: the smaller area first */
	static const char *const kinds[] = { "kelurahan", "kecamatan", "zone" };
	char	item[256];
	size_t	off = 0, k;
	int	i;

	buf[0] = '\0';
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (i = 0; i < r->n; i++) {
			const char *kind = data_get(r, i, AR_KIND);

			if (strcmp(kind, kinds[k]) != 0)
				continue;
			/*
			 * TRANSLATORS: "Kel." and "Kec." are the usual
			 * abbreviations of kelurahan and kecamatan, the names
			 * of Indonesia's urban villages and districts.
			 */
			if (k == 0)
				snprintf(item, sizeof item, _("Kel. %s"),
				    data_get(r, i, AR_NAME));
			else if (k == 1)
				snprintf(item, sizeof item, _("Kec. %s"),
				    data_get(r, i, AR_NAME));
			else
				snprintf(item, sizeof item, "%s (%s)",
				    data_get(r, i, AR_NAME),
				    data_get(r, i, AR_LAYER));
			place_add(buf, size, &off, item);
		}
}

void
place_distance(double metres, char *buf, size_t size)
{
	if (metres < 1000)
		snprintf(buf, size, _("%.0f m"), metres);
	else
		snprintf(buf, size, _("%.1f km"), metres / 1000);
}

void
place_district_names(const char *kelurahan, const char *kecamatan, char *buf,
    size_t size)
{
	char	kel[160] = "", kec[160] = "";

	if (kelurahan != NULL && kelurahan[0] != '\0')
		snprintf(kel, sizeof kel, _("Kel. %s"), kelurahan);
	if (kecamatan != NULL && kecamatan[0] != '\0')
		snprintf(kec, sizeof kec, _("Kec. %s"), kecamatan);
	snprintf(buf, size, "%s%s%s", kel, kel[0] != '\0' && kec[0] != '\0' ?
	    ", " : "", kec);
}

/*
 * The name as kota.district_key() compares it: lower-case (ASCII), without
 * a leading "Kecamatan", "Kelurahan", "Kec", "Kel" or "Desa" that a blank
 * or a dot ends, and without blanks and dots.
 */
static void
place_district_key(const char *name, char *buf, size_t size)
{
	static const char *const prefixes[] = {
		"kecamatan", "kelurahan", "kec", "kel", "desa",
	};
	const char	*p = place_blanks(name), *q;
	size_t		 i, n, off = 0;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		n = strlen(prefixes[i]);
		q = p + n;
		if (strncasecmp(p, prefixes[i], n) == 0 && (*q == '\0' ||
		    *q == '.' || *q == ' ' || *q == '\t')) {
			p = q;
			break;
		}
	}
	for (; *p != '\0' && off + 1 < size; p++) {
		if (*p == ' ' || *p == '\t' || *p == '.')
			continue;
		buf[off++] = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') :
		    *p;
	}
	buf[off] = '\0';
}

bool
place_district_is(const char *typed, const char *name)
{
	char	a[256], b[256];

	place_district_key(typed, a, sizeof a);
	place_district_key(name, b, sizeof b);
	return a[0] != '\0' && strcmp(a, b) == 0;
}
