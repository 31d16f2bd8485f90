/*
 * kotad_wa.c: WhatsApp: plain text inside the 24-hour window, approved
 * templates outside it, through Twilio or the Cloud API
 *
 * WhatsApp lets a business write freely only within 24 hours of the
 * citizen's last message; outside that window only a template approved
 * by Meta may go.  Whether the window is open is decided by the claim
 * (its wa_window column, from kota.wa_window_open(), the one place of the
 * rule), never here: kotad only follows it.  Inside the window, and for
 * replies (the citizen has just written), the citizen's message goes as
 * text, rendered as an SMS is but without the segment limit.  Outside, the
 * template mapped to the event and language (kota.wa_template: its name,
 * language and the Kota variables of its parameters, in order) goes with
 * those values; with no template mapped nothing can go, and the row is
 * suppressed with the reason.
 *
 * Twilio: the Messages API of SMS, To and From as whatsapp:+62...,
 * [sms]'s account and token; Body for text, ContentSid (the template's
 * HX... id) and ContentVariables {"1": ..., "2": ...} for a template.
 * Error 63016 is the window closed: dead, with that reason.
 *
 * Cloud API: a JSON POST with the Bearer token, "to" in digits; the answer's
 * messages[0].id (wamid...) is the message id.  Errors 131047 (window
 * closed) and 131026 (undeliverable) are dead with their reason.
 *
 * The payload stored for the conversation is the text, fixed at the first
 * attempt as an SMS's is, or for a template, once it is sent, "template
 * NAME (LANGUAGE): value | value", readable.  A template that failed
 * leaves nothing stored: its values are taken again at the next attempt,
 * which may find the window open and send text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "kotad.h"
#include "strbuf.h"
#include "xmalloc.h"

#define KD_WA_SEGMENTS		1000	/* no segments on WhatsApp */
#define KD_WA_PARAMS_MAX	16
#define KD_WA_VALUE_MAX		512	/* bytes of one template value */

#define KD_TWILIO_WA_WINDOW	63016
#define KD_CLOUD_WINDOW		131047
#define KD_CLOUD_UNDELIVERABLE	131026

struct kd_wa_params {
	int	 n;
	char	 value[KD_WA_PARAMS_MAX][KD_WA_VALUE_MAX];
};

/*
 * A template value as WhatsApp takes it: one line (no newline or tab, no
 * run of spaces), never empty (Meta refuses an empty parameter: "-").
 */
static void
kd_wa_value(char *out, size_t outsz, const char *in)
{
	char	*r, *w;

	kd_excerpt(out, outsz, in, strlen(in));
	for (r = w = out; *r != '\0'; r++)
		if (*r != ' ' || (w > out && w[-1] != ' '))
			*w++ = *r;
	while (w > out && w[-1] == ' ')
		w--;
	*w = '\0';
	if (out[0] == '\0')
		snprintf(out, outsz, "-");
}

/*
 * The values of the template's parameters: wa_params is a JSON array of
 * Kota variable names (["ticket","status"]).  0, or -1 with the job dead.
 */
static int
kd_wa_params(struct kd_job *job, struct kd_wa_params *p)
{
	struct template_var	 vars[KD_MESSAGE_VARS];
	struct strbuf		 link = STRBUF_INIT;
	const char		*s = kd_col(job, KC_WA_PARAMS), *e;
	char			 name[TEMPLATE_NAME_MAX + 1];
	size_t			 len, i;
	int			 rc = -1;

	kd_message_vars(job->conf, kd_col(job, KC_TICKET),
	    kd_col(job, KC_STATUS_LABEL), kd_col(job, KC_SERVICE_NAME),
	    kd_col(job, KC_NOTE), kd_col(job, KC_ORIGINAL), &link, vars);
	p->n = 0;
	s += strspn(s, " \t\r\n");
	if (*s++ != '[')
		goto bad;
	for (;;) {
		s += strspn(s, " \t\r\n,");
		if (*s == ']')
			break;
		if (*s != '"' || (e = strchr(s + 1, '"')) == NULL)
			goto bad;
		len = (size_t)(e - s - 1);
		if (len >= sizeof name)
			goto bad;
		memcpy(name, s + 1, len);
		name[len] = '\0';
		s = e + 1;
		for (i = 0; i < KD_MESSAGE_VARS; i++)
			if (strcmp(vars[i].name, name) == 0)
				break;
		if (i == KD_MESSAGE_VARS) {
			kd_job_fail(job, KD_DEAD,
			    "WhatsApp template %s: unknown variable '%s'",
			    kd_col(job, KC_WA_TEMPLATE), name);
			goto out;
		}
		if (p->n == KD_WA_PARAMS_MAX) {
			kd_job_fail(job, KD_DEAD,
			    "WhatsApp template %s: more than %d parameters",
			    kd_col(job, KC_WA_TEMPLATE), KD_WA_PARAMS_MAX);
			goto out;
		}
		kd_wa_value(p->value[p->n++], KD_WA_VALUE_MAX, vars[i].value);
	}
	rc = 0;
	goto out;
bad:
	kd_job_fail(job, KD_DEAD, "WhatsApp template %s: parameters '%s' are "
	    "not a JSON array of names", kd_col(job, KC_WA_TEMPLATE),
	    kd_col(job, KC_WA_PARAMS));
out:
	strbuf_release(&link);
	return rc;
}

/* What a template message says, for the stored payload. */
static void
kd_wa_describe(struct kd_job *job, const struct kd_wa_params *p,
    struct strbuf *out)
{
	int	i;

	strbuf_addf(out, "template %s (%s):", kd_col(job, KC_WA_TEMPLATE),
	    kd_col(job, KC_WA_LANGUAGE));
	for (i = 0; i < p->n; i++)
		strbuf_addf(out, "%s%s", i > 0 ? " | " : " ", p->value[i]);
}

/* whatsapp:+62...: Twilio's address of a number. */
static void
kd_wa_address(char *out, size_t outsz, const char *number)
{
	if (strncmp(number, "whatsapp:", 9) == 0)
		snprintf(out, outsz, "%s", number);
	else
		snprintf(out, outsz, "whatsapp:%s", number);
}

static void
kd_wa_twilio(struct kd_job *job, const char *to,
    const struct kd_wa_params *tpl)
{
	const struct kd_conf	*c = job->conf;
	struct strbuf		 vars = STRBUF_INIT;
	char			 addr[64];
	int			 i;

	job->url = xstrdup(c->wa_url);
	kd_wa_address(addr, sizeof addr, to);
	kd_form_add(&job->body, "To", addr);
	kd_wa_address(addr, sizeof addr, c->s.wa_from);
	kd_form_add(&job->body, "From", addr);
	if (tpl == NULL)
		kd_form_add(&job->body, "Body", strbuf_str(&job->text));
	else {
		kd_form_add(&job->body, "ContentSid",
		    kd_col(job, KC_WA_TEMPLATE));
		strbuf_adds(&vars, "{");
		for (i = 0; i < tpl->n; i++) {
			strbuf_addf(&vars, "%s\"%d\":", i > 0 ? "," : "", i + 1);
			json_str(&vars, tpl->value[i]);
		}
		strbuf_adds(&vars, "}");
		kd_form_add(&job->body, "ContentVariables", strbuf_str(&vars));
		strbuf_release(&vars);
	}
	job->user = c->s.sms_account_sid;
	job->password = c->wa_token;
}

static void
kd_wa_cloud(struct kd_job *job, const char *to,
    const struct kd_wa_params *tpl)
{
	const struct kd_conf	*c = job->conf;
	struct strbuf		*b = &job->body;
	struct strbuf		 auth = STRBUF_INIT;
	int			 i;

	job->url = xstrdup(c->wa_url);
	strbuf_adds(b, "{\"messaging_product\":\"whatsapp\",\"to\":");
	json_str(b, to[0] == '+' ? to + 1 : to);
	if (tpl == NULL) {
		strbuf_adds(b, ",\"type\":\"text\",\"text\":{\"body\":");
		json_str(b, strbuf_str(&job->text));
		strbuf_adds(b, "}}");
	} else {
		strbuf_adds(b, ",\"type\":\"template\",\"template\":{\"name\":");
		json_str(b, kd_col(job, KC_WA_TEMPLATE));
		strbuf_adds(b, ",\"language\":{\"code\":");
		json_str(b, kd_col(job, KC_WA_LANGUAGE));
		strbuf_adds(b, "}");
		if (tpl->n > 0) {
			strbuf_adds(b, ",\"components\":[{\"type\":\"body\","
			    "\"parameters\":[");
			for (i = 0; i < tpl->n; i++) {
				strbuf_adds(b, i > 0 ? ",{" : "{");
				strbuf_adds(b, "\"type\":\"text\",\"text\":");
				json_str(b, tpl->value[i]);
				strbuf_adds(b, "}");
			}
			strbuf_adds(b, "]}]");
		}
		strbuf_adds(b, "}}");
	}
	job->headers = kd_slist_append(job->headers,
	    "Content-Type: application/json");
	strbuf_adds(&auth, "Authorization: Bearer ");
	strbuf_adds(&auth, c->wa_token);
	job->headers = kd_slist_append(job->headers, strbuf_str(&auth));
	explicit_bzero(auth.buf, auth.cap);
	strbuf_release(&auth);
}

/*
 * The text inside the window: a reply's payload, the text stored by an
 * earlier attempt, or the message rendered now (and stored).  0, or -1
 * with the job failed.
 */
static int
kd_wa_text(struct kd_job *job)
{
	const char	*payload = kd_col(job, KC_PAYLOAD);

	if (payload[0] != '\0') {
		strbuf_adds(&job->text, payload);
		return 0;
	}
	if (strcmp(kd_col(job, KC_TARGET), "reply") == 0) {
		kd_job_fail(job, KD_DEAD, "a reply without text");
		return -1;
	}
	if (kd_render_message(job, KD_WA_SEGMENTS, &job->text) != 0)
		return -1;
	job->store_payload = true;
	return 0;
}

int
kd_wa_prepare(struct kd *kd, struct kd_job *job)
{
	const struct kd_conf	*c = job->conf;
	const char		*to = kd_col(job, KC_RECIPIENT);
	struct kd_wa_params	*tpl = NULL;
	int			 rc = -1;

	(void)kd;
	if (kd_col_null(job, KC_RECIPIENT) || to[0] != '+') {
		kd_job_fail(job, KD_SUPPRESSED, "no phone number");
		return -1;
	}
	if (strcmp(kd_col(job, KC_WA_WINDOW), "t") == 0 ||
	    strcmp(kd_col(job, KC_TARGET), "reply") == 0) {
		if (kd_wa_text(job) != 0)
			return -1;
	} else if (kd_col_null(job, KC_WA_TEMPLATE) ||
	    kd_col_null(job, KC_WA_PARAMS)) {
		kd_job_fail(job, KD_SUPPRESSED, "outside WhatsApp's 24-hour "
		    "window and no approved template for event %s",
		    kd_col(job, KC_EVENT));
		return -1;
	} else {
		tpl = xcalloc(1, sizeof *tpl);
		if (kd_wa_params(job, tpl) != 0)
			goto out;
		kd_wa_describe(job, tpl, &job->text);
		job->wa_template = true;
		job->store_payload = kd_col(job, KC_PAYLOAD)[0] == '\0';
	}
	if (c->s.wa_gateway == WA_GATEWAY_TWILIO)
		kd_wa_twilio(job, to, tpl);
	else
		kd_wa_cloud(job, to, tpl);
	rc = 0;
out:
	free(tpl);
	return rc;
}

/* The answer of the WhatsApp gateway, past its HTTP status. */
void
kd_wa_answer(struct kd_job *job)
{
	struct kd_conf	*c = job->conf;
	const char	*body = strbuf_str(&job->response);
	size_t		 len = job->response.len;
	char		 code[16];
	int		 n;

	if (job->outcome == KD_SENT) {
		kd_conf_match(c, c->s.wa_gateway == WA_GATEWAY_TWILIO ?
		    c->twilio_sid : c->cloud_id, body, len, job->message_id,
		    sizeof job->message_id);
		return;
	}
	if (kd_conf_match(c, c->twilio_code, body, len, code,
	    sizeof code) != 1)
		return;
	n = atoi(code);
	if (c->s.wa_gateway == WA_GATEWAY_TWILIO && n == KD_TWILIO_WA_WINDOW)
		kd_job_fail(job, KD_DEAD, "Twilio error %d: outside WhatsApp's "
		    "24-hour window, only a template may be sent", n);
	else if (c->s.wa_gateway == WA_GATEWAY_CLOUD && n == KD_CLOUD_WINDOW)
		kd_job_fail(job, KD_DEAD, "WhatsApp error %d: more than 24 "
		    "hours since the citizen's last message, only a template "
		    "may be sent", n);
	else if (c->s.wa_gateway == WA_GATEWAY_CLOUD &&
	    n == KD_CLOUD_UNDELIVERABLE)
		kd_job_fail(job, KD_DEAD, "WhatsApp error %d: the message "
		    "could not be delivered (not a WhatsApp number?)", n);
}
