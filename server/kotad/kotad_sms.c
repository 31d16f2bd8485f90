/*
 * kotad_sms.c: SMS: the text, Twilio and generic HTTP gateways
 *
 * The text is rendered from the citizen's template at the first attempt
 * and fitted in [sms] max_segments (lib/sms.c shortens the note at a word
 * boundary, never inside a character); later attempts send the stored
 * text again.  kotad_tpl.c checks the templates with the same rendering.
 *
 * Twilio (and the many gateways that copy its Messages API): a form POST
 * of To, From and Body with basic auth; the answer's "sid" is the message
 * id, and error code 21610 means the number has opted out (STOP).
 *
 * A generic HTTP gateway: method, URL, body and headers are templates of
 * {to_e164} {to_digits} {to_national} {text} {secret}, percent-encoded in
 * the URL, escaped for the body's content type, stripped of control
 * characters in headers.  Success is 2xx and, when set, success_regex
 * matching the body; its first group is the message id.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotad.h"
#include "sms.h"
#include "template.h"
#include "xmalloc.h"

#define KD_TWILIO_OPTED_OUT	21610

/* {link}: [dispatch] link with the ticket. */
static void
kd_link(const struct kd_conf *c, const char *ticket, struct strbuf *out)
{
	struct template_var	v = { "ticket", ticket };

	if (c->s.dispatch_link != NULL)
		template_render(out, c->s.dispatch_link, &v, 1, TEMPLATE_URL);
}

void
kd_message_vars(const struct kd_conf *c, const char *ticket,
    const char *status, const char *service, const char *note,
    const char *original, struct strbuf *link,
    struct template_var vars[KD_MESSAGE_VARS])
{
	strbuf_reset(link);
	kd_link(c, ticket, link);
	vars[0] = (struct template_var){ "ticket", ticket };
	vars[1] = (struct template_var){ "status", status };
	vars[2] = (struct template_var){ "service", service };
	vars[3] = (struct template_var){ "note", note };
	vars[4] = (struct template_var){ "link", strbuf_str(link) };
	vars[5] = (struct template_var){ "original", original };
}

/* The citizen's message from the template of the claim, fitted in
 * max_segments; used for webhooks to citizens too.  0, or -1 with the
 * job failed. */
int
kd_render_message(struct kd_job *job, int max_segments, struct strbuf *out)
{
	struct template_var	 vars[KD_MESSAGE_VARS];
	struct strbuf		 link = STRBUF_INIT;

	if (kd_col_null(job, KC_TEMPLATE)) {
		kd_job_fail(job, KD_DEAD, "no template for event %s, channel %s",
		    kd_col(job, KC_EVENT), kd_col(job, KC_CHANNEL));
		return -1;
	}
	kd_message_vars(job->conf, kd_col(job, KC_TICKET),
	    kd_col(job, KC_STATUS_LABEL), kd_col(job, KC_SERVICE_NAME),
	    kd_col(job, KC_NOTE), kd_col(job, KC_ORIGINAL), &link, vars);
	sms_render(out, kd_col(job, KC_TEMPLATE), vars, KD_MESSAGE_VARS,
	    max_segments, NULL);
	strbuf_release(&link);
	return 0;
}

void
kd_form_add(struct strbuf *sb, const char *name, const char *value)
{
	if (sb->len > 0)
		strbuf_adds(sb, "&");
	strbuf_adds(sb, name);
	strbuf_adds(sb, "=");
	template_escape(sb, value, strlen(value), TEMPLATE_URL);
}

static void
kd_twilio_prepare(struct kd_job *job, const char *to)
{
	const struct kd_conf	*c = job->conf;

	job->url = xstrdup(c->s.sms_url);
	kd_form_add(&job->body, "To", to);
	kd_form_add(&job->body, "From", c->s.sms_from);
	kd_form_add(&job->body, "Body", strbuf_str(&job->text));
	job->user = c->s.sms_account_sid;
	job->password = c->sms_token;
}

/* +6281234567890: digits 6281234567890, national 081234567890. */
static void
kd_numbers(const char *e164, char *digits, size_t dsz, char *national,
    size_t nsz)
{
	const char	*d = e164[0] == '+' ? e164 + 1 : e164;

	snprintf(digits, dsz, "%s", d);
	if (strncmp(d, "62", 2) == 0)
		snprintf(national, nsz, "0%s", d + 2);
	else
		snprintf(national, nsz, "%s", d);
}

/* A header line built in sb, onto the job's list. */
static void
kd_header_add(struct kd_job *job, const struct strbuf *sb)
{
	job->headers = kd_slist_append(job->headers, strbuf_str(sb));
}

static void
kd_http_prepare(struct kd_job *job, const char *to)
{
	const struct kd_conf	*c = job->conf;
	const struct settings	*s = &c->s;
	struct template_var	 vars[5];
	struct strbuf		 sb = STRBUF_INIT;
	char			 digits[24], national[24];
	int			 i;

	kd_numbers(to, digits, sizeof digits, national, sizeof national);
	vars[0] = (struct template_var){ "to_e164", to };
	vars[1] = (struct template_var){ "to_digits", digits };
	vars[2] = (struct template_var){ "to_national", national };
	vars[3] = (struct template_var){ "text", strbuf_str(&job->text) };
	vars[4] = (struct template_var){ "secret", c->sms_secret };
	template_render(&sb, s->sms_url, vars, 5, TEMPLATE_URL);
	job->url = xstrdup(strbuf_str(&sb));
	job->method = s->sms_method;
	if (s->sms_body != NULL)
		template_render(&job->body, s->sms_body, vars, 5,
		    template_escape_for(s->sms_content_type));
	strbuf_reset(&sb);
	strbuf_adds(&sb, "Content-Type: ");
	template_escape(&sb, s->sms_content_type, strlen(s->sms_content_type),
	    TEMPLATE_HEADER);
	kd_header_add(job, &sb);
	for (i = 0; i < s->sms_header.n; i++) {
		strbuf_reset(&sb);
		template_render(&sb, s->sms_header.items[i], vars, 5,
		    TEMPLATE_HEADER);
		kd_header_add(job, &sb);
	}
	if (sb.buf != NULL)
		explicit_bzero(sb.buf, sb.cap);
	strbuf_release(&sb);
}

int
kd_sms_prepare(struct kd *kd, struct kd_job *job)
{
	const struct kd_conf	*c = job->conf;
	const char		*to = kd_col(job, KC_RECIPIENT);

	(void)kd;
	if (kd_col_null(job, KC_RECIPIENT) || to[0] != '+') {
		kd_job_fail(job, KD_SUPPRESSED, "no phone number");
		return -1;
	}
	if (kd_col(job, KC_PAYLOAD)[0] != '\0')
		strbuf_adds(&job->text, kd_col(job, KC_PAYLOAD));
	else {
		if (kd_render_message(job, c->s.sms_max_segments,
		    &job->text) != 0)
			return -1;
		job->store_payload = true;
	}
	if (c->s.sms_gateway == SMS_GATEWAY_TWILIO)
		kd_twilio_prepare(job, to);
	else
		kd_http_prepare(job, to);
	return 0;
}

/* The answer of an SMS gateway, past its HTTP status. */
void
kd_sms_answer(struct kd_job *job)
{
	struct kd_conf	*c = job->conf;
	const char	*body = strbuf_str(&job->response);
	size_t		 len = job->response.len;
	char		 code[16];
	int		 m;

	if (c->s.sms_gateway == SMS_GATEWAY_TWILIO) {
		if (job->outcome == KD_SENT) {
			kd_conf_match(c, c->twilio_sid, body, len,
			    job->message_id, sizeof job->message_id);
			return;
		}
		if (kd_conf_match(c, c->twilio_code, body, len, code,
		    sizeof code) == 1 && atoi(code) == KD_TWILIO_OPTED_OUT)
			kd_job_fail(job, KD_OPTED_OUT,
			    "Twilio error %d: the number has opted out (STOP)",
			    KD_TWILIO_OPTED_OUT);
		return;
	}
	if (job->outcome != KD_SENT || c->sms_success == NULL)
		return;
	m = kd_conf_match(c, c->sms_success, body, len, job->message_id,
	    sizeof job->message_id);
	if (m != 1) {
		char	excerpt[160];

		kd_excerpt(excerpt, sizeof excerpt, body, len);
		kd_job_fail(job, KD_RETRY,
		    "HTTP %ld, but the answer does not match success_regex: %s",
		    job->http, excerpt);
	}
}
