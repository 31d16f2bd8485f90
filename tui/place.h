/*
 * place.h: where a request is, as the console reads, shows and checks it
 *
 * A point is typed as "latitude, longitude" in decimal degrees (what a
 * phone's map shares: "-6.8870, 107.6150"), or with a blank between the
 * two.  The areas around it come from kota.areas_at(): the kelurahan, the
 * kecamatan and any zone (a contractor's, a province road), shown on one
 * line ("Kel. Dago · Kec. Coblong").  The parser is our own, not strtod(),
 * so that a locale whose decimal mark is a comma reads the same text.
 */
#ifndef KOTA_TUI_PLACE_H
#define KOTA_TUI_PLACE_H

#include <stdbool.h>
#include <stddef.h>

#include "data.h"

#define PLACE_AREAS_MAX	16

/*
 * Read text as a point: 1 with *lat and *lon, 0 when text is blank, -1
 * with the reason for the clerk in msg.
 */
int	place_parse(const char *text, double *lat, double *lon, char *msg,
	    size_t msgsz);

/*
 * A number as PostgreSQL writes it ("0.85", "35.2"), whatever the
 * locale's decimal mark; 0 for anything else.
 */
double	place_atof(const char *text);

/* A coordinate for a $n parameter: "-6.8870000", never "-6,8870000". */
void	place_sql_coord(double v, char *buf, size_t size);

/*
 * The areas of kota.areas_at()'s rows as one line: kelurahan, kecamatan,
 * then zones, " · " between them; "" when there are none.
 */
void	place_areas_text(const struct data_rows *r, char *buf, size_t size);

/* A distance for people: "35 m", "1.2 km". */
void	place_distance(double metres, char *buf, size_t size);

/*
 * "Kel. Dago, Kec. Coblong" from a request's kelurahan and kecamatan (either
 * may be empty); "" when both are.
 */
void	place_district_names(const char *kelurahan, const char *kecamatan,
	    char *buf, size_t size);

/*
 * Whether a typed district names an area, as the database compares them
 * (kota.district_key()): case, blanks, dots and a "Kec.", "Kecamatan",
 * "Kel.", "Kelurahan" or "Desa" prefix ignored.
 */
bool	place_district_is(const char *typed, const char *name);

#endif
