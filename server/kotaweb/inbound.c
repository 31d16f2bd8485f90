/*
 * inbound.c: citizens' messages, from three kinds of gateway
 *
 *	POST /inbound/twilio	Twilio's SMS and WhatsApp webhook (a form,
 *				X-Twilio-Signature); answers TwiML
 *	POST /inbound/http	a generic gateway's form, its field names in
 *				[inbound_http], a hex HMAC-SHA256 header;
 *				answers JSON, or the reply as text
 *	GET  /inbound/whatsapp	the Cloud API's check of the webhook
 *	POST /inbound/whatsapp	its JSON messages, X-Hub-Signature-256
 *
 * A path whose secret is not configured is closed (404).  A signature is
 * checked before anything else is looked at, so a forged post is a 403
 * that reads nothing and stores nothing.  Then each message goes through
 * the keyword parser (keyword.c) and kota.web_inbound(), which stores
 * it, acts once per gateway message id (a retry gets the same answer),
 * and says what to reply.  Twilio waits for its answer, so its reply is
 * the TwiML; the others' go out through kotad (the outbox), unless the
 * generic gateway is told to take it as its answer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "json.h"
#include "keyword.h"
#include "kotaweb.h"
#include "log.h"
#include "phone.h"
#include "sig.h"
#include "xmalloc.h"

static const struct db_stmt in_stmt_inbound = {
	"in_inbound",
	"SELECT inbound_id, replayed, action, reply, ticket"
	" FROM kota.web_inbound($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
	" $12::int, $13::int, $14::boolean)", 14, DB_WRITE,
};
static const struct db_stmt in_stmt_wa = {
	"in_wa_messages",
	"SELECT gateway_id, sender, recipient, body, kind"
	" FROM kota.web_wa_messages($1)", 1, DB_READ,
};

#define IN_TWIML_HEAD	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

/* One message, as the gateway gave it. */
struct in_msg {
	const char	*gateway;	/* "twilio", "http", "cloud" */
	const char	*gateway_id;
	const char	*channel;	/* "sms", "whatsapp" */
	const char	*from;		/* E.164 */
	const char	*to;		/* as given, NULL */
	const char	*body;
	bool		 reply_outbox;
};

/* What kota.web_inbound() did. */
struct in_result {
	bool	 replayed;
	char	*action;
	char	*reply;		/* NULL: nothing to say */
};

static void
in_result_release(struct in_result *r)
{
	free(r->action);
	free(r->reply);
	memset(r, 0, sizeof *r);
}

bool
inbound_open(const char *name)
{
	if (strcmp(name, "twilio") == 0)
		return kw_cf.twilio_token != NULL;
	if (strcmp(name, "http") == 0)
		return kw_cf.http_secret != NULL;
	if (strcmp(name, "whatsapp") == 0)
		return kw_cf.wa_app_secret != NULL;
	return false;
}

bool
inbound_raw(const char *name)
{
	return strcmp(name, "whatsapp") == 0;
}

static const char *
in_val(const PGresult *res, int row, const char *name)
{
	int	col = PQfnumber(res, name);

	if (col < 0 || PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

static char *
in_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Without Twilio's "whatsapp:" addressing; *wa says whether it was. */
static const char *
in_unaddress(const char *s, bool *wa)
{
	*wa = strncasecmp(s, "whatsapp:", 9) == 0;
	return *wa ? s + 9 : s;
}

/* The sender's number as E.164 into out; -1 and a 400 in c. */
static int
in_phone(struct kw_call *c, const char *name, const char *raw, char *out,
    size_t outsz)
{
	enum phone_status	st;

	if ((st = phone_normalise(raw, out, outsz)) != PHONE_OK) {
		kw_error(c, 400, _("%s '%.40s' is not a phone number: %s"),
		    name, raw, phone_strerror(st));
		return -1;
	}
	return 0;
}

/* Our number: E.164 when it reads as one, else as given. */
static const char *
in_recipient(const char *raw, char *buf, size_t bufsz)
{
	bool	wa;

	if (raw == NULL)
		return NULL;
	raw = in_unaddress(raw, &wa);
	if (phone_normalise(raw, buf, bufsz) == PHONE_OK)
		return buf;
	return raw;
}

/*
 * Whether the form body has a parameter name, even with an empty value
 * (form.c keeps only values that are there: an SMS of nothing but a
 * picture has "Body=").
 */
static bool
in_form_has(const char *raw, size_t len, const char *name)
{
	const char	*s = raw, *end = raw + len, *amp, *eq;
	struct strbuf	 k = STRBUF_INIT;
	bool		 found = false;

	while (s < end && !found) {
		if ((amp = memchr(s, '&', (size_t)(end - s))) == NULL)
			amp = end;
		if ((eq = memchr(s, '=', (size_t)(amp - s))) == NULL)
			eq = amp;
		strbuf_reset(&k);
		if (form_decode(s, (size_t)(eq - s), true, &k) == 0 &&
		    strcmp(strbuf_str(&k), name) == 0 &&
		    strlen(name) == k.len)
			found = true;
		s = amp + 1;
	}
	strbuf_release(&k);
	return found;
}

/* Store one message through kota.web_inbound(): 0, or -1 with the error
 * (kw_run's status) in c. */
static int
in_store(struct kw_call *c, const struct in_msg *m, struct in_result *out)
{
	const struct kw_settings	*s = &kw_cf.s;
	struct kw_parsed		 kp;
	const char			*params[14], *keyword;
	char				*text = NULL, hour[16], day[16];
	PGresult			*res;

	memset(out, 0, sizeof *out);
	keyword_parse(m->body, strlen(m->body), &kp);
	keyword = kp.keyword;
	if (kp.kind == KWK_TEXT || kp.kind == KWK_REPORT ||
	    (kp.kind == KWK_STATUS && kp.ticket_bad))
		text = xstrndup(kp.text, kp.textlen);
	if (kp.kind == KWK_REPORT && s->in_report_service == NULL) {
		/* no service to report into: say how to use the number */
		keyword = "help";
		free(text);
		text = NULL;
	}
	snprintf(hour, sizeof hour, "%d", s->in_per_hour);
	snprintf(day, sizeof day, "%d", s->in_per_day);
	params[0] = m->gateway;
	params[1] = m->gateway_id;
	params[2] = m->channel;
	params[3] = m->from;
	params[4] = m->to;
	params[5] = m->body;
	params[6] = keyword;
	params[7] = kp.ticket[0] != '\0' ? kp.ticket : NULL;
	params[8] = text;
	params[9] = kp.lang;
	params[10] = s->in_report_service;
	params[11] = hour;
	params[12] = day;
	params[13] = m->reply_outbox ? "true" : "false";
	res = kw_run(c, &in_stmt_inbound, params);
	free(text);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		log_error("%s: %d rows", in_stmt_inbound.name,
		    PQntuples(res));
		PQclear(res);
		kw_error(c, 500, "%s", _("internal error; it has been logged"));
		return -1;
	}
	out->replayed = strcmp(in_val(res, 0, "replayed") != NULL ?
	    in_val(res, 0, "replayed") : "f", "t") == 0;
	out->action = in_dup(in_val(res, 0, "action"));
	out->reply = in_dup(in_val(res, 0, "reply"));
	if (out->reply != NULL && out->reply[0] == '\0') {
		free(out->reply);
		out->reply = NULL;
	}
	PQclear(res);
	return 0;
}

/* Before anything is read: a body over the limit is answered as it is
 * (the signature cannot be checked on what was not kept). */
static bool
in_too_big(struct kw_call *c)
{
	return c->nerr > 0 && c->err_status == 413;
}

static void
in_forbidden(struct kw_call *c, const char *what)
{
	kw_errors_clear(c);
	kw_error(c, 403, _("the %s is missing or wrong"), what);
}

/* Twilio ------------------------------------------------------------ */

static void
in_twiml(struct kw_call *c, const char *reply)
{
	strbuf_reset(&c->body);
	strbuf_adds(&c->body, IN_TWIML_HEAD);
	if (reply == NULL)
		strbuf_adds(&c->body, "<Response/>");
	else {
		strbuf_adds(&c->body, "<Response><Message>");
		out_xml_escape(&c->body, reply, strlen(reply));
		strbuf_adds(&c->body, "</Message></Response>");
	}
	c->status = 200;
	c->ctype = "text/xml; charset=utf-8";
}

static void
in_twilio(struct kw_call *c)
{
	const struct kw_settings	*s = &kw_cf.s;
	struct in_msg			 m;
	struct in_result		 r;
	const char			*from, *sid, *body, *acct;
	char				 e164[PHONE_E164_MAX], to[64];
	bool				 wa;

	if (!sig_twilio_check(kw_cf.twilio_token, s->in_twilio_url, c->raw,
	    c->rawlen, kw_header(c, "X-Twilio-Signature"))) {
		in_forbidden(c, "X-Twilio-Signature");
		return;
	}
	if (c->nerr > 0)
		return;
	acct = form_get(c->form, "AccountSid");
	if (s->in_twilio_account_sid != NULL && (acct == NULL ||
	    !sig_equal(acct, s->in_twilio_account_sid))) {
		kw_error(c, 403, "%s", _("AccountSid is not this city's"));
		return;
	}
	sid = form_get(c->form, "MessageSid");
	from = form_get(c->form, "From");
	body = form_get(c->form, "Body");
	if (sid == NULL)
		kw_error(c, 400, "%s", _("MessageSid is required"));
	if (from == NULL)
		kw_error(c, 400, "%s", _("From is required"));
	if (body == NULL && !in_form_has(c->raw, c->rawlen, "Body"))
		kw_error(c, 400, "%s", _("Body is required"));
	if (c->nerr > 0)
		return;
	from = in_unaddress(from, &wa);
	if (in_phone(c, "From", from, e164, sizeof e164) != 0)
		return;
	memset(&m, 0, sizeof m);
	m.gateway = "twilio";
	m.gateway_id = sid;
	m.channel = wa ? "whatsapp" : "sms";
	m.from = e164;
	m.to = in_recipient(form_get(c->form, "To"), to, sizeof to);
	m.body = body != NULL ? body : "";
	m.reply_outbox = false;
	if (in_store(c, &m, &r) != 0)
		return;
	in_twiml(c, r.reply);
	in_result_release(&r);
}

/* The generic gateway ----------------------------------------------- */

static void
in_http(struct kw_call *c)
{
	const struct kw_settings	*s = &kw_cf.s;
	struct in_msg			 m;
	struct in_result		 r;
	const char			*from, *id, *body;
	char				 e164[PHONE_E164_MAX], to[64];
	bool				 wa;

	if (!sig_hmac256_check(kw_cf.http_secret, c->raw, c->rawlen,
	    kw_header(c, s->ih_signature_header))) {
		in_forbidden(c, s->ih_signature_header);
		return;
	}
	if (c->nerr > 0)
		return;
	id = form_get(c->form, s->ih_id_field);
	from = form_get(c->form, s->ih_from_field);
	body = form_get(c->form, s->ih_body_field);
	if (id == NULL)
		kw_error(c, 400, _("%s is required"), s->ih_id_field);
	if (from == NULL)
		kw_error(c, 400, _("%s is required"), s->ih_from_field);
	if (body == NULL && !in_form_has(c->raw, c->rawlen, s->ih_body_field))
		kw_error(c, 400, _("%s is required"), s->ih_body_field);
	if (c->nerr > 0)
		return;
	from = in_unaddress(from, &wa);
	if (in_phone(c, s->ih_from_field, from, e164, sizeof e164) != 0)
		return;
	memset(&m, 0, sizeof m);
	m.gateway = "http";
	m.gateway_id = id;
	m.channel = wa ? "whatsapp" : "sms";
	m.from = e164;
	m.to = in_recipient(form_get(c->form, s->ih_to_field), to, sizeof to);
	m.body = body != NULL ? body : "";
	m.reply_outbox = s->ih_reply == KW_REPLY_OUTBOX;
	if (in_store(c, &m, &r) != 0)
		return;
	strbuf_reset(&c->body);
	c->status = 200;
	if (s->ih_reply == KW_REPLY_ANSWER) {
		if (r.reply != NULL)
			strbuf_adds(&c->body, r.reply);
		c->ctype = "text/plain; charset=utf-8";
	} else {
		strbuf_adds(&c->body, "{\"stored\":true,\"action\":");
		json_str(&c->body, r.action != NULL ? r.action : "");
		strbuf_addf(&c->body, ",\"replayed\":%s}\n",
		    r.replayed ? "true" : "false");
		c->ctype = "application/json; charset=utf-8";
	}
	in_result_release(&r);
}

/* The WhatsApp Business Cloud API ----------------------------------- */

static void
in_wa_verify(struct kw_call *c)
{
	const char	*mode, *token, *challenge;

	mode = form_get(c->form, "hub.mode");
	token = form_get(c->form, "hub.verify_token");
	challenge = form_get(c->form, "hub.challenge");
	kw_errors_clear(c);
	if (mode == NULL || strcmp(mode, "subscribe") != 0 || token == NULL ||
	    kw_cf.wa_verify_token == NULL ||
	    !sig_equal(token, kw_cf.wa_verify_token)) {
		kw_error(c, 403, "%s",
		    _("hub.verify_token is missing or wrong"));
		return;
	}
	if (challenge == NULL) {
		kw_error(c, 400, "%s", _("hub.challenge is required"));
		return;
	}
	strbuf_reset(&c->body);
	strbuf_adds(&c->body, challenge);
	c->status = 200;
	c->ctype = "text/plain; charset=utf-8";
}

/* One message of a webhook: 0 stored, 1 skipped (what is wrong with it
 * is logged: Meta would only send it again), -1 a failure to retry. */
static int
in_wa_one(struct kw_call *c, const PGresult *res, int row)
{
	struct in_msg		 m;
	struct in_result	 r;
	const char		*id, *sender, *body;
	char			 e164[PHONE_E164_MAX], to[64], media[64];
	int			 rc;

	id = in_val(res, row, "gateway_id");
	sender = in_val(res, row, "sender");
	body = in_val(res, row, "body");
	if (id == NULL || sender == NULL ||
	    phone_normalise(sender, e164, sizeof e164) != PHONE_OK) {
		log_warn("/inbound/whatsapp: a message without an id or a "
		    "sender's number is skipped");
		return 1;
	}
	if (body == NULL) {
		/* a picture, a location...: stored as what it is */
		snprintf(media, sizeof media, "[%.40s]",
		    in_val(res, row, "kind") != NULL ?
		    in_val(res, row, "kind") : "?");
		body = media;
	}
	memset(&m, 0, sizeof m);
	m.gateway = "cloud";
	m.gateway_id = id;
	m.channel = "whatsapp";
	m.from = e164;
	m.to = in_recipient(in_val(res, row, "recipient"), to, sizeof to);
	m.body = body;
	m.reply_outbox = true;
	if (in_store(c, &m, &r) == 0) {
		in_result_release(&r);
		return 0;
	}
	rc = c->err_status >= 500 ? -1 : 1;
	if (rc == 1) {
		log_warn("/inbound/whatsapp: message %.80s skipped: %s", id,
		    c->errs[0]);
		kw_errors_clear(c);
	}
	return rc;
}

static void
in_whatsapp(struct kw_call *c)
{
	PGresult	*res;
	const char	*params[1];
	int		 i, n = 0, rc;

	if (strcmp(c->method, "POST") != 0) {
		in_wa_verify(c);
		return;
	}
	if (!sig_hmac256_check(kw_cf.wa_app_secret, c->raw, c->rawlen,
	    kw_header(c, "X-Hub-Signature-256"))) {
		in_forbidden(c, "X-Hub-Signature-256");
		return;
	}
	if (c->nerr > 0)
		return;
	if (c->rawlen == 0 || memchr(c->raw, '\0', c->rawlen) != NULL ||
	    !form_utf8_valid(c->raw, c->rawlen)) {
		kw_error(c, 400, "%s", _("the body must be JSON in UTF-8"));
		return;
	}
	params[0] = c->raw;
	if ((res = kw_run(c, &in_stmt_wa, params)) == NULL)
		return;
	for (i = 0; i < PQntuples(res); i++) {
		if ((rc = in_wa_one(c, res, i)) < 0) {
			PQclear(res);
			return;
		}
		if (rc == 0)
			n++;
	}
	PQclear(res);
	strbuf_reset(&c->body);
	strbuf_addf(&c->body, "{\"received\":%d}\n", n);
	c->status = 200;
	c->ctype = "application/json; charset=utf-8";
}

void
inbound_handle(struct kw_call *c, const char *name)
{
	if (in_too_big(c))
		return;
	if (strcmp(name, "twilio") == 0)
		in_twilio(c);
	else if (strcmp(name, "http") == 0)
		in_http(c);
	else
		in_whatsapp(c);
}
