/*
 * o311_write.c: POST requests, and FixMyStreet's servicerequestupdates
 *
 *	POST requests.{f}		kota.web_request_create()
 *	GET servicerequestupdates.{f}	kota.web_updates()
 *	POST servicerequestupdates.{f}	kota.web_update_post()
 *
 * Each needs an api_key (kw_key_check(): 403, or 429 over the app's
 * rate); the SQL checks it again, so a key revoked within the cache's
 * minute writes nothing.  The parameters are checked here, every problem
 * reported at once; what depends on the data (a service's attributes, a
 * request's lifecycle) is the database's to refuse.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotaweb.h"

static const struct db_stmt o311_stmt_create = {
	"o311_create",
	"SELECT service_request_id, token, service_notice, account_id,"
	" duplicate_of FROM kota.web_request_create($1, $2, $3,"
	" $4::double precision, $5::double precision, $6, $7, $8, $9, $10,"
	" $11, $12, $13, $14, $15::jsonb, $16)", 16, DB_WRITE,
};
static const struct db_stmt o311_stmt_updates = {
	"o311_updates",
	"SELECT update_id, service_request_id, status, updated_datetime,"
	" description, media_url, external_status_code"
	" FROM kota.web_updates($1, $2, $3)", 3, DB_READ,
};
static const struct db_stmt o311_stmt_update_post = {
	"o311_update_post",
	"SELECT update_id FROM kota.web_update_post($1, $2, $3, $4, $5, $6,"
	" $7, $8, $9, $10, $11)", 11, DB_WRITE,
};

static const char *
o311_val(const PGresult *res, int row, const char *name)
{
	int	col = PQfnumber(res, name);

	if (col < 0 || PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

/*
 * The service_notice of a new request: the database's, and when an open
 * request of the same service lies within the service's radius (the
 * request was made all the same: a citizen may be right that there are
 * two), the ticket it may repeat, so that the app can tell its user.
 */
static const char *
o311_notice(const char *notice, const char *dup, char *buf, size_t bufsz)
{
	size_t	n = 0;

	if (dup == NULL)
		return notice;
	if (notice != NULL)
		n = (size_t)snprintf(buf, bufsz, "%s ", notice);
	if (n >= bufsz)
		return notice;
	snprintf(buf + n, bufsz - n, _("A request for this service near this place is already open: %s. Yours has been recorded as well."),
	    dup);
	return buf;
}

/* A coordinate: a decimal number from -max to max, or an error. */
static const char *
o311_coord(struct kw_call *c, const char *name, double max)
{
	const char	*v = form_get(c->form, name);
	char		*end;
	double		 d;

	if (v == NULL)
		return NULL;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || !isfinite(d) || d < -max || d > max ||
	    strpbrk(v, "xXnNiI") != NULL) {	/* no hex, nan or inf */
		kw_error(c, 400, _("%s '%.40s' must be a number from %g to %g"),
		    name, v, -max, max);
		return NULL;
	}
	return v;
}

void
o311_requests_post(struct kw_call *c)
{
	struct strbuf	 attrs = STRBUF_INIT;
	const char	*params[16], *lat, *lon, *addr, *addr_id, *id;
	char		 notice[512];
	PGresult	*res;
	struct out	 o;
	int		 i;

	if (kw_key_check(c, form_get(c->form, "api_key")) != 0)
		return;
	if (form_get(c->form, "service_code") == NULL)
		kw_error(c, 400, "%s", _("service_code is required"));
	lat = o311_coord(c, "lat", 90);
	lon = o311_coord(c, "long", 180);
	addr = form_get(c->form, "address_string");
	addr_id = form_get(c->form, "address_id");
	if ((form_get(c->form, "lat") == NULL) !=
	    (form_get(c->form, "long") == NULL))
		kw_error(c, 400, "%s",
		    _("lat and long must be given together"));
	else if (form_get(c->form, "lat") == NULL && addr == NULL &&
	    addr_id == NULL)
		kw_error(c, 400, "%s",
		    _("a location is required: lat and long, address_string or address_id"));
	if (c->nerr > 0)
		return;
	form_attributes_json(c->form, &attrs);
	id = form_get(c->form, "device_id");
	params[0] = form_get(c->form, "api_key");
	params[1] = form_get(c->form, "service_code");
	params[2] = form_get(c->form, "description");
	params[3] = lat;
	params[4] = lon;
	params[5] = addr;
	params[6] = addr_id;
	params[7] = form_get(c->form, "email");
	params[8] = form_get(c->form, "phone");
	params[9] = form_get(c->form, "first_name");
	params[10] = form_get(c->form, "last_name");
	params[11] = form_get(c->form, "media_url");
	/* FixMyStreet's spelling */
	params[12] = id != NULL ? id : form_get(c->form, "deviceid");
	params[13] = form_get(c->form, "account_id");
	params[14] = attrs.buf;
	params[15] = c->lang;
	res = kw_run(c, &o311_stmt_create, params);
	strbuf_release(&attrs);
	if (res == NULL)
		return;
	out_init(&o, c->fmt);
	out_open(&o, "service_requests", OUT_ARRAY);
	for (i = 0; i < PQntuples(res); i++) {
		out_open(&o, "request", OUT_OBJECT);
		if (kw_cf.s.o311_answer == KW_ANSWER_TOKEN)
			out_str(&o, "token", o311_val(res, i, "token"));
		else
			out_str(&o, "service_request_id",
			    o311_val(res, i, "service_request_id"));
		out_str(&o, "service_notice", o311_notice(o311_val(res, i,
		    "service_notice"), o311_val(res, i, "duplicate_of"),
		    notice, sizeof notice));
		out_str(&o, "account_id", o311_val(res, i, "account_id"));
		out_close(&o);
	}
	out_close(&o);
	PQclear(res);
	kw_reply(c, &o);
	out_release(&o);
}

void
o311_updates_get(struct kw_call *c)
{
	const char	*params[3];
	char		 start[40], end[40];
	PGresult	*res;
	struct out	 o;
	int		 i;

	if (kw_key_check(c, form_get(c->form, "api_key")) != 0)
		return;
	params[0] = form_get(c->form, "api_key");
	params[1] = o311_datetime(c, "start_date", start, sizeof start);
	params[2] = o311_datetime(c, "end_date", end, sizeof end);
	if (c->nerr == 0 && (params[1] == NULL) != (params[2] == NULL))
		kw_error(c, 400, "%s",
		    _("start_date and end_date go together: give both or neither"));
	if (c->nerr > 0)
		return;
	if ((res = kw_run(c, &o311_stmt_updates, params)) == NULL)
		return;
	out_init(&o, c->fmt);
	out_open(&o, "service_request_updates", OUT_ARRAY);
	for (i = 0; i < PQntuples(res); i++) {
		out_open(&o, "request_update", OUT_OBJECT);
		out_str(&o, "update_id", o311_val(res, i, "update_id"));
		out_str(&o, "service_request_id",
		    o311_val(res, i, "service_request_id"));
		out_str(&o, "status", o311_val(res, i, "status"));
		out_str(&o, "updated_datetime",
		    o311_val(res, i, "updated_datetime"));
		out_str(&o, "description", o311_val(res, i, "description"));
		out_str(&o, "media_url", o311_val(res, i, "media_url"));
		out_str(&o, "external_status_code",
		    o311_val(res, i, "external_status_code"));
		out_close(&o);
	}
	out_close(&o);
	PQclear(res);
	kw_reply(c, &o);
	out_release(&o);
}

void
o311_updates_post(struct kw_call *c)
{
	const char	*params[11], *ref;
	char		 ticket[32], updated[40];
	PGresult	*res;
	struct out	 o;
	int		 i;

	if (kw_key_check(c, form_get(c->form, "api_key")) != 0)
		return;
	if ((ref = form_get(c->form, "service_request_id")) == NULL)
		kw_error(c, 400, "%s", _("service_request_id is required"));
	else
		o311_ticket(c, "service_request_id", ref, ticket,
		    sizeof ticket);
	if (form_get(c->form, "update_id") == NULL)
		kw_error(c, 400, "%s", _("update_id is required"));
	params[5] = o311_datetime(c, "updated_datetime", updated,
	    sizeof updated);
	if (c->nerr > 0)
		return;
	params[0] = form_get(c->form, "api_key");
	params[1] = ticket;
	params[2] = form_get(c->form, "update_id");
	params[3] = form_get(c->form, "status");
	params[4] = form_get(c->form, "description");
	params[6] = form_get(c->form, "first_name");
	params[7] = form_get(c->form, "last_name");
	params[8] = form_get(c->form, "email");
	params[9] = form_get(c->form, "phone");
	params[10] = form_get(c->form, "media_url");
	if ((res = kw_run(c, &o311_stmt_update_post, params)) == NULL)
		return;
	out_init(&o, c->fmt);
	out_open(&o, "service_request_updates", OUT_ARRAY);
	for (i = 0; i < PQntuples(res); i++) {
		out_open(&o, "request_update", OUT_OBJECT);
		out_str(&o, "update_id", o311_val(res, i, "update_id"));
		out_close(&o);
	}
	out_close(&o);
	PQclear(res);
	kw_reply(c, &o);
	out_release(&o);
}
