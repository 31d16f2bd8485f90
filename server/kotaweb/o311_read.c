/*
 * o311_read.c: Open311 GeoReport v2's GETs
 *
 *	discovery.{f}		what this endpoint is, from kotaweb.conf
 *	services.{f}		kota.web_services()
 *	services/{code}.{f}	kota.web_service_definition()
 *	requests.{f}		kota.web_requests()
 *	requests/{id}.{f}	kota.web_request()
 *	tokens/{token}.{f}	kota.web_token()
 *
 * They read from the standby when there is one (kw_read()); a request
 * asked for by its id, or a token, that the standby does not have yet is
 * read from the primary: it may have been posted a moment ago.
 *
 * Every parameter is checked here first and every problem reported at
 * once (400); what only the database knows (an unknown service, a span
 * over 90 days) comes back as its refusal.  The SQL functions return what
 * the public may see and nothing else; these only shape it.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "kotaweb.h"
#include "request.h"
#include "xmalloc.h"

#define O311_SPEC	"http://wiki.open311.org/GeoReport_v2"
#define O311_PAGE_MAX	500

static const struct db_stmt o311_stmt_services = {
	"o311_services",
	"SELECT service_code, service_name, description, metadata, type,"
	" keywords, \"group\" FROM kota.web_services($1)", 1, DB_READ,
};
static const struct db_stmt o311_stmt_definition = {
	"o311_definition",
	"SELECT code, variable, datatype, required, datatype_description,"
	" \"order\", description, value_key, value_name"
	" FROM kota.web_service_definition($1, $2)", 2, DB_READ,
};
static const struct db_stmt o311_stmt_requests = {
	"o311_requests",
	"SELECT * FROM kota.web_requests(string_to_array($1, ','),"
	" string_to_array($2, ','), string_to_array($3, ','), $4, $5, $6, $7,"
	" $8::int, $9::int, $10)", 10, DB_READ,
};
static const struct db_stmt o311_stmt_request = {
	"o311_request",
	"SELECT * FROM kota.web_request($1, $2)", 2, DB_READ,
};
static const struct db_stmt o311_stmt_token = {
	"o311_token",
	"SELECT service_request_id, token FROM kota.web_token($1)", 1, DB_READ,
};

/* A column's value, NULL for SQL NULL or a column the result lacks. */
static const char *
o311_col(const PGresult *res, int row, const char *name)
{
	int	col = PQfnumber(res, name);

	if (col < 0 || PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

static bool
o311_true(const PGresult *res, int row, const char *name)
{
	const char	*v = o311_col(res, row, name);

	return v != NULL && strcmp(v, "t") == 0;
}

void
o311_discovery(struct kw_call *c)
{
	const struct kw_settings	*s = &kw_cf.s;
	struct strbuf			 url = STRBUF_INIT;
	struct out			 o;

	if (s->o311_endpoint != NULL)
		strbuf_adds(&url, s->o311_endpoint);
	else	/* not configured: where this call came to */
		strbuf_addf(&url, "http://%s/open311/",
		    c->host != NULL ? c->host : "localhost");
	out_init(&o, c->fmt);
	out_open(&o, "discovery", OUT_OBJECT);
	out_str(&o, "changeset", kw_cf.changeset);
	out_str(&o, "contact", s->o311_contact);
	out_str(&o, "key_service", s->o311_key_service);
	out_open(&o, "endpoints", OUT_ARRAY);
	out_open(&o, "endpoint", OUT_OBJECT);
	out_str(&o, "specification", O311_SPEC);
	out_str(&o, "url", strbuf_str(&url));
	out_str(&o, "changeset", kw_cf.changeset);
	out_str(&o, "type", "production");
	out_open(&o, "formats", OUT_ARRAY);
	/* the spec's discovery names media types, without parameters */
	out_str(&o, "format", "text/xml");
	out_str(&o, "format", "application/json");
	out_close(&o);
	out_close(&o);
	out_close(&o);
	out_close(&o);
	kw_reply(c, &o);
	out_release(&o);
	strbuf_release(&url);
}

void
o311_services(struct kw_call *c)
{
	const char	*params[1] = { c->lang }, *group;
	PGresult	*res;
	struct out	 o;
	int		 i;

	if ((res = kw_read(c, &o311_stmt_services, params, 0)) == NULL)
		return;
	out_init(&o, c->fmt);
	out_open(&o, "services", OUT_ARRAY);
	for (i = 0; i < PQntuples(res); i++) {
		out_open(&o, "service", OUT_OBJECT);
		out_str(&o, "service_code", o311_col(res, i, "service_code"));
		out_str(&o, "service_name", o311_col(res, i, "service_name"));
		out_str(&o, "description", o311_col(res, i, "description"));
		out_bool(&o, "metadata", o311_true(res, i, "metadata"));
		out_str(&o, "type", o311_col(res, i, "type"));
		out_str(&o, "keywords", o311_col(res, i, "keywords"));
		group = o311_col(res, i, "group");
		out_str(&o, "group", group);
		/* the groups extension, which FixMyStreet reads first */
		if (group != NULL) {
			out_open(&o, "groups", OUT_ARRAY);
			out_str(&o, "group", group);
			out_close(&o);
		}
		out_close(&o);
	}
	out_close(&o);
	PQclear(res);
	kw_reply(c, &o);
	out_release(&o);
}

static bool
o311_same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

void
o311_service_definition(struct kw_call *c)
{
	const char	*params[2] = { c->arg, c->lang }, *code;
	PGresult	*res;
	struct out	 o;
	int		 i, n;

	if ((res = kw_read(c, &o311_stmt_definition, params, 0)) == NULL)
		return;
	n = PQntuples(res);
	out_init(&o, c->fmt);
	out_open(&o, "service_definition", OUT_OBJECT);
	out_str(&o, "service_code", c->arg);
	out_open(&o, "attributes", OUT_ARRAY);
	/* one row per (attribute, value), an attribute's rows together */
	for (i = 0; i < n; i++) {
		code = o311_col(res, i, "code");
		out_open(&o, "attribute", OUT_OBJECT);
		out_bool(&o, "variable", o311_true(res, i, "variable"));
		out_str(&o, "code", code);
		out_str(&o, "datatype", o311_col(res, i, "datatype"));
		out_bool(&o, "required", o311_true(res, i, "required"));
		out_str(&o, "datatype_description",
		    o311_col(res, i, "datatype_description"));
		out_num(&o, "order", o311_col(res, i, "order"));
		out_str(&o, "description", o311_col(res, i, "description"));
		if (o311_col(res, i, "value_key") != NULL) {
			out_open(&o, "values", OUT_ARRAY);
			for (; i < n && o311_same(code,
			    o311_col(res, i, "code")); i++) {
				out_open(&o, "value", OUT_OBJECT);
				out_str(&o, "key", o311_col(res, i, "value_key"));
				out_str(&o, "name",
				    o311_col(res, i, "value_name"));
				out_close(&o);
			}
			i--;
			out_close(&o);
		}
		out_close(&o);
	}
	out_close(&o);
	out_close(&o);
	PQclear(res);
	kw_reply(c, &o);
	out_release(&o);
}

/* One <request> of GET requests, requests/{id}: the spec's fields, as
 * kota.web_requests() names them. */
static void
o311_request_item(struct out *o, const PGresult *res, int i)
{
	static const char *const texts[] = {
		"service_request_id", "status", "status_notes", "service_name",
		"service_code", "description", "agency_responsible",
		"service_notice", "requested_datetime", "updated_datetime",
		"expected_datetime", "address", "address_id", "zipcode",
	};
	size_t	k;

	out_open(o, "request", OUT_OBJECT);
	for (k = 0; k < sizeof texts / sizeof texts[0]; k++)
		out_str(o, texts[k], o311_col(res, i, texts[k]));
	out_num(o, "lat", o311_col(res, i, "lat"));
	out_num(o, "long", o311_col(res, i, "long"));
	out_str(o, "media_url", o311_col(res, i, "media_url"));
	out_close(o);
}

static void
o311_request_list(struct kw_call *c, PGresult *res)
{
	struct out	o;
	int		i;

	out_init(&o, c->fmt);
	out_open(&o, "service_requests", OUT_ARRAY);
	for (i = 0; i < PQntuples(res); i++)
		o311_request_item(&o, res, i);
	out_close(&o);
	PQclear(res);
	kw_reply(c, &o);
	out_release(&o);
}

int
o311_ticket(struct kw_call *c, const char *name, const char *ref, char *out,
    size_t outsz)
{
	struct db_error	err;
	int64_t		id = 0;

	memset(&err, 0, sizeof err);
	if (request_parse_ref(ref, &id, &err) != 0 || id <= 0) {
		if (id <= 0 && err.message[0] == '\0')
			snprintf(err.message, sizeof err.message,
			    _("request \"%s\" is neither a number nor a ticket like KT-001234-5"),
			    ref);
		kw_error(c, 400, "%s: %s", name, err.message);
		return -1;
	}
	request_ticket_of(id, out, outsz);
	return 0;
}

static bool
o311_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Two digits at s, from lo to hi. */
static bool
o311_2(const char *s, int lo, int hi)
{
	int	v;

	if (!o311_digits(s, 2))
		return false;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return v >= lo && v <= hi;
}

/*
 * W3C-DTF as the spec uses it: YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss[.s]]
 * with Z or an offset +hh:mm / -hh:mm; the time zone is required.
 */
static bool
o311_w3c(char *s)
{
	char	*p;

	if (strlen(s) < 10 || !o311_digits(s, 4) || s[4] != '-' ||
	    !o311_2(s + 5, 1, 12) || s[7] != '-' || !o311_2(s + 8, 1, 31))
		return false;
	if (s[10] == '\0')
		return true;
	p = s + 10;
	if ((*p != 'T' && *p != 't') || !o311_2(p + 1, 0, 23) || p[3] != ':' ||
	    !o311_2(p + 4, 0, 59))
		return false;
	p += 6;
	if (*p == ':') {
		if (!o311_2(p + 1, 0, 60))
			return false;
		p += 3;
		if (*p == '.') {
			if (!isdigit((unsigned char)p[1]))
				return false;
			for (p++; isdigit((unsigned char)*p); p++)
				;
		}
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return true;
	/* a query string's '+' is a space: the offset's sign came as one */
	if (*p == ' ')
		*p = '+';
	return (*p == '+' || *p == '-') && o311_2(p + 1, 0, 23) &&
	    p[3] == ':' && o311_2(p + 4, 0, 59) && p[6] == '\0';
}

const char *
o311_datetime(struct kw_call *c, const char *name, char *out, size_t outsz)
{
	const char	*v = form_get(c->form, name);

	if (v == NULL)
		return NULL;
	if (strlen(v) >= outsz || (snprintf(out, outsz, "%s", v), !o311_w3c(out))) {
		kw_error(c, 400,
		    _("%s '%.40s' is not a W3C date-time with its time zone, such as 2026-12-05T14:03:09+07:00"),
		    name, v);
		return NULL;
	}
	return out;
}

/* A comma list of tickets, canonical, into sb ("" when none); how many. */
static int
o311_ids(struct kw_call *c, const char *list, struct strbuf *sb)
{
	char	*copy, *item, *save, ticket[32];
	size_t	 n;
	int	 count = 0;

	copy = xstrdup(list);
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		n = strlen(item);
		while (n > 0 && item[n - 1] == ' ')
			item[--n] = '\0';
		if (n == 0)
			continue;
		if (o311_ticket(c, "service_request_id", item, ticket,
		    sizeof ticket) != 0)
			continue;
		if (sb->len > 0)
			strbuf_adds(sb, ",");
		strbuf_adds(sb, ticket);
		count++;
	}
	free(copy);
	return count;
}

/* A comma list without blanks around its items and without empty ones. */
static void
o311_list(const char *list, struct strbuf *sb)
{
	const char	*p = list, *end;
	size_t		 n;

	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0) {
			if (sb->len > 0)
				strbuf_adds(sb, ",");
			strbuf_add(sb, p, n);
		}
		p = end;
	}
}

/* A whole number from lo to hi, or an error. */
static const char *
o311_int(struct kw_call *c, const char *name, int lo, int hi)
{
	const char	*v = form_get(c->form, name);
	char		*end;
	long		 n;

	if (v == NULL)
		return NULL;
	n = strtol(v, &end, 10);
	if (!isdigit((unsigned char)*v) || *end != '\0' || n < lo || n > hi) {
		kw_error(c, 400,
		    _("%s '%.20s' must be a whole number from %d to %d"),
		    name, v, lo, hi);
		return NULL;
	}
	return v;
}

void
o311_requests_get(struct kw_call *c)
{
	struct strbuf	 ids = STRBUF_INIT, codes = STRBUF_INIT;
	struct strbuf	 status = STRBUF_INIT;
	const char	*params[10] = { NULL }, *v;
	char		 start[40], end[40], after[40], before[40];
	char		*copy, *item, *save;
	PGresult	*res;
	int		 nids = 0;	/* asked for by id: that many exist */

	params[9] = c->lang;
	/* service_request_id overrides every other parameter */
	if ((v = form_get(c->form, "service_request_id")) != NULL) {
		nids = o311_ids(c, v, &ids);
		if (c->nerr > 0)
			goto done;
		if (ids.len > 0) {
			params[0] = ids.buf;
			goto run;
		}
		/* only blanks and commas: as if it were not there */
	}
	if ((v = form_get(c->form, "service_code")) != NULL) {
		o311_list(v, &codes);
		params[1] = codes.len > 0 ? codes.buf : NULL;
	}
	if ((v = form_get(c->form, "status")) != NULL) {
		copy = xstrdup(v);
		for (item = strtok_r(copy, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
			while (*item == ' ')
				item++;
			item[strcspn(item, " ")] = '\0';
			if (strcasecmp(item, "open") != 0 &&
			    strcasecmp(item, "closed") != 0) {
				kw_error(c, 400,
				    _("status '%.20s' must be open or closed"),
				    item);
				continue;
			}
			if (status.len > 0)
				strbuf_adds(&status, ",");
			strbuf_adds(&status, strcasecmp(item, "open") == 0 ?
			    "open" : "closed");
		}
		free(copy);
		params[2] = status.len > 0 ? status.buf : NULL;
	}
	params[3] = o311_datetime(c, "start_date", start, sizeof start);
	params[4] = o311_datetime(c, "end_date", end, sizeof end);
	params[5] = o311_datetime(c, "updated_after", after, sizeof after);
	params[6] = o311_datetime(c, "updated_before", before, sizeof before);
	params[7] = o311_int(c, "page", 1, 1000000);
	params[8] = o311_int(c, "page_size", 1, O311_PAGE_MAX);
	if (c->nerr > 0)
		goto done;
run:
	if ((res = kw_read(c, &o311_stmt_requests, params, nids)) != NULL)
		o311_request_list(c, res);
done:
	strbuf_release(&ids);
	strbuf_release(&codes);
	strbuf_release(&status);
}

void
o311_request_get(struct kw_call *c)
{
	const char	*params[2];
	char		 ticket[32];
	PGresult	*res;

	if (o311_ticket(c, "service_request_id", c->arg, ticket,
	    sizeof ticket) != 0)
		return;
	params[0] = ticket;
	params[1] = c->lang;
	if ((res = kw_read(c, &o311_stmt_request, params, 1)) != NULL)
		o311_request_list(c, res);
}

void
o311_token_get(struct kw_call *c)
{
	const char	*params[1] = { c->arg };
	PGresult	*res;
	struct out	 o;
	int		 i;

	if ((res = kw_read(c, &o311_stmt_token, params, 1)) == NULL)
		return;
	out_init(&o, c->fmt);
	out_open(&o, "service_requests", OUT_ARRAY);
	for (i = 0; i < PQntuples(res); i++) {
		out_open(&o, "request", OUT_OBJECT);
		out_str(&o, "service_request_id",
		    o311_col(res, i, "service_request_id"));
		out_str(&o, "token", o311_col(res, i, "token"));
		out_close(&o);
	}
	out_close(&o);
	PQclear(res);
	kw_reply(c, &o);
	out_release(&o);
}
