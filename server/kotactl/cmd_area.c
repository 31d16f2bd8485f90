/*
 * cmd_area.c: kotactl area import|list|show|remove
 *
 * The city's places: named polygons in layers (the kecamatan, the
 * kelurahan, a contractor's zone, a province road's corridor), which give
 * a request with a point its district and let a routing rule match where
 * a request is.  A layer is loaded from GeoJSON, the format the national
 * geospatial agency's and OpenStreetMap's exports come in.
 *
 * Everything about the geometry is decided in SQL (kota.area_import() in
 * schema/api/places.sql: the CRS, repairing or refusing an invalid
 * polygon, the names and codes, the upsert, assigning the districts of the
 * requests already there), in one transaction: a file is loaded whole or
 * not at all.  Here the file is only read, checked to be text the
 * database can take (UTF-8, no NUL, not absurdly large) and sent as one
 * parameter; parsing JSON twice would only give two sets of errors.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "strbuf.h"

/*
 * The largest file taken.  PostgreSQL takes a parameter up to 1 GB, but
 * PostGIS holds a file's JSON, its geometries and their repair in memory
 * at once: a whole country's kelurahan simplified is a few tens of MB.
 */
#define AREA_FILE_MAX_MB	256
#define AREA_FILE_MAX		((size_t)AREA_FILE_MAX_MB << 20)

/*
 * Where s stops being UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), or holds a NUL, which no text parameter can
 * carry; n when it is all good.
 */
static size_t
area_utf8_bad(const unsigned char *s, size_t n)
{
	size_t		i = 0, len, k;
	unsigned int	c, min;

	while (i < n) {
		c = s[i];
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			c &= 0x07;
			min = 0x10000;
		} else
			return i;
		if (n - i < len)
			return i;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

/*
 * The whole of path ("-": standard input) in sb, checked; EXIT_OK, or
 * the message is out and EXIT_USAGE returned.
 */
static int
area_read(const char *path, struct strbuf *sb)
{
	FILE		*fp;
	struct stat	 st;
	char		 name[512], buf[65536];
	size_t		 n, bad, line, i;
	int		 rc = EXIT_USAGE;

	/* for the messages: a file's name quoted */
	if (strcmp(path, "-") == 0)
		snprintf(name, sizeof name, "%s", _("standard input"));
	else
		snprintf(name, sizeof name, "'%s'", path);
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL) {
		log_error(_("cannot open '%s': %s"), path, strerror(errno));
		return EXIT_USAGE;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		log_error(_("cannot read %s: %s"), name, strerror(EISDIR));
		goto out;
	}
	/* a regular file too large is refused before reading a byte of it */
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > AREA_FILE_MAX)
		goto too_large;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (sb->len + n > AREA_FILE_MAX)
			goto too_large;
		strbuf_add(sb, buf, n);
	}
	if (ferror(fp)) {
		log_error(_("cannot read %s: %s"), name, strerror(errno));
		goto out;
	}
	if (sb->len == 0) {
		log_error(_("%s is empty: a GeoJSON file was expected"), name);
		goto out;
	}
	if ((bad = area_utf8_bad((const unsigned char *)sb->buf, sb->len)) !=
	    sb->len) {
		for (line = 1, i = 0; i < bad; i++)
			if (sb->buf[i] == '\n')
				line++;
		log_error(_("%s is not UTF-8 text (line %zu, byte %zu): GeoJSON is UTF-8; convert it first (iconv, or ogr2ogr -f GeoJSON)"),
		    name, line, bad + 1);
		goto out;
	}
	rc = EXIT_OK;
	goto out;
too_large:
	log_error(_("%s is larger than %d MiB: import the layer in parts, or simplify it first (ogr2ogr -simplify)"),
	    name, AREA_FILE_MAX_MB);
out:
	if (fp != stdin)
		fclose(fp);
	return rc;
}

static const struct option area_import_options[] = {
	{ "layer", required_argument, NULL, 'l' },
	{ "kind", required_argument, NULL, 'k' },
	{ "name-property", required_argument, NULL, 'n' },
	{ "code-property", required_argument, NULL, 'c' },
	{ "replace", no_argument, NULL, 'r' },
	{ "no-assign", no_argument, NULL, 'A' },
	{ NULL, 0, NULL, 0 },
};

static int
area_import(struct ctl *ctl, int argc, char **argv)
{
	struct strbuf	 file = STRBUF_INIT;
	struct db_error	 err;
	PGresult	*res;
	const char	*p[7] = { NULL, NULL, NULL, NULL, NULL, "false", "true" };
	const char	*text;
	int		 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", area_import_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'l': p[0] = optarg; break;
		case 'k': p[2] = optarg; break;
		case 'n': p[3] = optarg; break;
		case 'c': p[4] = optarg; break;
		case 'r': p[5] = "true"; break;
		case 'A': p[6] = "false"; break;
		default:
			return CTL_USAGE;
		}
	}
	if (p[0] == NULL)
		return ctl_usage("%s", _("area import needs --layer NAME"));
	if (p[2] != NULL && strcmp(p[2], "kecamatan") != 0 &&
	    strcmp(p[2], "kelurahan") != 0 && strcmp(p[2], "zone") != 0)
		return ctl_invalid(_("--kind must be kecamatan, kelurahan or zone, not '%s'"),
		    p[2]);
	/* the file is read before connecting: its faults need no database */
	if ((rc = area_read(argv[optind], &file)) != EXIT_OK ||
	    (rc = ctl_connect(ctl)) != EXIT_OK)
		goto out;
	/* a byte order mark is no part of the JSON (RFC 8259, 8.1) */
	text = strbuf_str(&file);
	if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3;
	p[1] = text;
	res = db_exec(ctl->db, NULL,
	    "SELECT features, inserted, updated, removed, repaired,"
	    " requests_assigned FROM kota.area_import($1, $2, $3, $4, $5,"
	    " $6::boolean, $7::boolean)", 7, p, PGRES_TUPLES_OK, &err);
	if (res == NULL) {
		rc = ctl_fail(&err);
		goto out;
	}
	ctl_say(ctl, _("layer %s: %s features read; %s areas added, %s updated, %s removed, %s repaired; %s requests given their district\n"),
	    p[0], PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
	    PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5));
	PQclear(res);
	rc = EXIT_OK;
out:
	strbuf_release(&file);
	return rc;
}

static const struct option area_list_options[] = {
	{ "layer", required_argument, NULL, 'l' },
	{ "format", required_argument, NULL, 'F' },
	{ NULL, 0, NULL, 0 },
};

static int
area_list(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1] = { NULL };
	int			 ch, j, csv = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", area_list_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'l': p[0] = optarg; break;
		case 'F':
			if (strcmp(optarg, "csv") == 0)
				csv = 1;
			else if (strcmp(optarg, "text") != 0)
				return ctl_invalid(_("--format must be text or csv, not '%s'"),
				    optarg);
			break;
		default:
			return CTL_USAGE;
		}
	}
	res = db_query(ctl->db, NULL,
	    "SELECT id, layer, kind, code, name, area_km2, vertices, rules,"
	    " requests, to_char(imported_at, 'YYYY-MM-DD HH24:MI') AS imported"
	    " FROM kota.area_list($1) ORDER BY layer, code", 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	t = print_table_new(PQnfields(res));
	if (csv) {
		for (j = 0; j < PQnfields(res); j++)
			print_table_column(t, j, PQfname(res, j), PRINT_LEFT, 0);
	} else {
		print_table_column(t, 0, _("ID"), PRINT_RIGHT, 0);
		print_table_column(t, 1, _("LAYER"), PRINT_LEFT, 0);
		print_table_column(t, 2, _("KIND"), PRINT_LEFT, 0);
		print_table_column(t, 3, _("CODE"), PRINT_LEFT, 0);
		print_table_column(t, 4, _("NAME"), PRINT_LEFT, 0);
		print_table_column(t, 5, _("KM2"), PRINT_RIGHT, 0);
		print_table_column(t, 6, _("VERTICES"), PRINT_RIGHT, 0);
		print_table_column(t, 7, _("RULES"), PRINT_RIGHT, 0);
		print_table_column(t, 8, _("REQUESTS"), PRINT_RIGHT, 0);
		print_table_column(t, 9, _("IMPORTED"), PRINT_LEFT, 0);
		print_table_limit(t, 4, 40);
	}
	print_table_add_result(t, res);
	PQclear(res);
	if (csv)
		print_table_csv(stdout, t);
	else if (print_table_rows(t) == 0 && !ctl->quiet)
		fprintf(stderr, "%s\n", p[0] != NULL ?
		    _("no areas in that layer") :
		    _("no areas yet: load a layer with kotactl area import FILE.geojson --layer NAME"));
	else
		print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
	print_table_free(&t);
	return EXIT_OK;
}

static void
area_show_row(struct print_table *t, const PGresult *res, const char *label,
    const char *col)
{
	int	c = db_column(res, col);

	if (c >= 0 && !PQgetisnull(res, 0, c) &&
	    PQgetvalue(res, 0, c)[0] != '\0') {
		print_table_add(t, label);
		print_table_add(t, PQgetvalue(res, 0, c));
	}
}

static int
area_show(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1];

	(void)argc;
	p[0] = argv[1];
	res = db_query(ctl->db, NULL,
	    "SELECT id, layer || '/' || code AS ref, layer, kind, code, name,"
	    " area_km2, vertices, bbox,"
	    " round(centroid_lat::numeric, 5) || ',' ||"
	    "  round(centroid_lon::numeric, 5) AS centroid,"
	    " nullif(array_to_string(rules, ', '), '') AS rules,"
	    " open_requests, requests, props::text AS props"
	    " FROM kota.area_show($1)", 1, p, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (PQntuples(res) == 0) {
		PQclear(res);
		log_error(_("area \"%s\" does not exist"), p[0]);
		return EXIT_REFUSED;
	}
	t = print_table_new(2);
	print_table_column(t, 0, NULL, PRINT_LEFT, 15);
	area_show_row(t, res, _("Area:"), "ref");
	area_show_row(t, res, _("Id:"), "id");
	area_show_row(t, res, _("Name:"), "name");
	area_show_row(t, res, _("Kind:"), "kind");
	area_show_row(t, res, _("Size (km²):"), "area_km2");
	area_show_row(t, res, _("Vertices:"), "vertices");
	area_show_row(t, res, _("Bounds:"), "bbox");
	area_show_row(t, res, _("Point inside:"), "centroid");
	area_show_row(t, res, _("Rules:"), "rules");
	area_show_row(t, res, _("Open requests:"), "open_requests");
	area_show_row(t, res, _("Requests:"), "requests");
	area_show_row(t, res, _("Properties:"), "props");
	print_table_text(stdout, t, 0);
	print_table_free(&t);
	PQclear(res);
	return EXIT_OK;
}

static const struct option area_remove_options[] = {
	{ "layer", required_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

/*
 * One area, or a whole layer.  Not asked again, as rules delete and the
 * other removals are not: a layer comes back with area import, and the
 * districts the requests typed stay in them.  The database refuses to
 * remove an area a routing rule names, naming the rule.
 */
static int
area_remove(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1], *layer = NULL;
	int		 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", area_remove_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'l': layer = optarg; break;
		default:
			return CTL_USAGE;
		}
	}
	if ((layer == NULL) == (optind >= argc))
		return ctl_usage("%s", _("area remove takes an area (LAYER/CODE or its id) or --layer NAME"));
	p[0] = layer != NULL ? layer : argv[optind];
	res = db_exec(ctl->db, NULL, layer != NULL ?
	    "SELECT kota.area_layer_remove($1)::text" :
	    "SELECT kota.area_remove($1)::text", 1, p, PGRES_TUPLES_OK, &err);
	if (res == NULL)
		return ctl_fail(&err);
	if (layer != NULL)
		ctl_say(ctl, _("layer %s removed with its %s areas\n"), layer,
		    PQgetvalue(res, 0, 0));
	else
		ctl_say(ctl, _("area %s removed\n"), p[0]);
	PQclear(res);
	return EXIT_OK;
}

static const struct ctl_entry area_import_entry = {
	.name = "import",
	.usage = "FILE|- --layer NAME [--kind kecamatan|kelurahan|zone] [--name-property P] [--code-property P] [--replace] [--no-assign]",
	.args_min = 1,
	.args_max = 1,
	.flags = 0,	/* connects once the file is read */
	.help = N_("load a layer of areas from a GeoJSON file"),
	.options = area_import_options,
	.exec = area_import,
};

static const struct ctl_entry area_list_entry = {
	.name = "list",
	.usage = "[--layer NAME] [--format text|csv]",
	.flags = CTL_DB,
	.help = N_("list the areas, their size and the requests in them"),
	.options = area_list_options,
	.exec = area_list,
};

static const struct ctl_entry area_show_entry = {
	.name = "show",
	.usage = "LAYER/CODE|ID",
	.args_min = 1,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("show an area: its size, bounds, rules and requests"),
	.exec = area_show,
};

static const struct ctl_entry area_remove_entry = {
	.name = "remove",
	.usage = "LAYER/CODE|ID\n--layer NAME",
	.args_min = 0,
	.args_max = 1,
	.flags = CTL_DB,
	.help = N_("remove an area, or a whole layer"),
	.options = area_remove_options,
	.exec = area_remove,
};

static const struct ctl_entry *const area_commands[] = {
	&area_import_entry,
	&area_list_entry,
	&area_show_entry,
	&area_remove_entry,
	NULL,
};

const struct ctl_entry ctl_area_entry = {
	.name = "area",
	.help = N_("the city's places: kecamatan, kelurahan, zones"),
	.sub = area_commands,
};
