/*
 * format.c: ages, times, SLA states and names as the console shows them
 *
 * No code reaches the screen: a status is its label in the agent's
 * language (kota.statuses), an event, a notification's state or a channel
 * the catalogue's word for it.  A code none of them knows is shown as it
 * is, rather than hidden.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "format.h"
#include "i18n.h"
#include "text.h"
#include "tui.h"

#define FORMAT_RISK_SECONDS	(4 * 3600)

void
format_age(time_t then, time_t now, char *buf, size_t size)
{
	long	s = (long)(now - then);

	if (then == 0) {
		snprintf(buf, size, "-");
		return;
	}
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, size, "%lds", s);
	else if (s < 3600)
		snprintf(buf, size, "%ldm", s / 60);
	else if (s < 86400)
		snprintf(buf, size, "%ldh", s / 3600);
	else if (s < 14 * 86400)
		snprintf(buf, size, "%ldd", s / 86400);
	else if (s < 999 * 7 * 86400L)
		snprintf(buf, size, "%ldw", s / (7 * 86400));
	else
		snprintf(buf, size, "old");
}

void
format_time(time_t t, char *buf, size_t size)
{
	struct tm	tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL) {
		if (size > 0)
			buf[0] = '\0';
		return;
	}
	strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

enum sla_state
format_sla(time_t created, time_t due, time_t now)
{
	time_t	left, span;

	if (due == 0)
		return SLA_NONE;
	left = due - now;
	if (left < 0)
		return SLA_BREACHED;
	span = due - created;
	if (left < FORMAT_RISK_SECONDS || (span > 0 && left * 5 < span))
		return SLA_RISK;
	return SLA_OK;
}

attr_t
format_sla_attr(enum sla_state st)
{
	switch (st) {
	case SLA_OK:
		return colour_attr(CE_SLA_OK);
	case SLA_RISK:
		return colour_attr(CE_SLA_RISK);
	case SLA_BREACHED:
		return colour_attr(CE_SLA_BREACHED);
	case SLA_NONE:
		break;
	}
	return A_NORMAL;
}

const char *
format_sla_mark(enum sla_state st)
{
	return st == SLA_BREACHED ? "!" : st == SLA_RISK ? "~" : " ";
}

/*
 * A request whose citizen wrote (SMS, WhatsApp) since its assignee last
 * opened it: an envelope, or "*" where the terminal was not started in a
 * UTF-8 locale and may not draw one.
 */
const char *
format_said_mark(void)
{
	static int	utf8 = -1;

	if (utf8 < 0)
		utf8 = text_locale_utf8();
	return utf8 ? "\xe2\x9c\x89" : "*";
}

const char *
format_sla_name(enum sla_state st)
{
	switch (st) {
	case SLA_OK:
		return _("on time");
	case SLA_RISK:
		return _("at risk");
	case SLA_BREACHED:
		return _("overdue");
	case SLA_NONE:
		break;
	}
	return _("no target");
}

struct format_name {
	const char	*code;
	const char	*name;
};

static const char *
format_lookup(const struct format_name *t, const char *code)
{
	for (; t->code != NULL; t++)
		if (strcmp(t->code, code) == 0)
			return _(t->name);
	return code;
}

const char *
format_status(struct tui *t, const char *code)
{
	const struct cat_status	*st;

	if (t->cat == NULL || (st = catalog_status(t->cat, code)) == NULL)
		return code;
	return tui_pick_lang(t, st->label_id, st->label_en);
}

/* kota.request_event's kinds (001_baseline.sql) */
static const struct format_name format_event_kinds[] = {
	{ "created", N_("created") },
	{ "status", N_("status") },
	{ "assigned", N_("assigned") },
	{ "routed", N_("routed") },
	{ "comment", N_("public comment") },
	{ "note", N_("internal note") },
	{ "duplicate", N_("marked as a duplicate") },
	{ "watcher", N_("caller added") },
	{ "priority", N_("priority") },
	{ "escalated", N_("escalated") },
	{ "notified", N_("notified") },
	{ "sla_warning", N_("target close") },
	/* a notification's only: the answer to a citizen's text */
	{ "reply", N_("automatic reply") },
	{ NULL, NULL },
};

const char *
format_event_kind(const char *kind)
{
	return format_lookup(format_event_kinds, kind);
}

/*
 * A notification's event: a template's key (outbox.sql), which is
 * "created", "comment" or the status a request moved to.
 */
const char *
format_notice_event(struct tui *t, const char *event)
{
	if (t->cat != NULL && catalog_status(t->cat, event) != NULL)
		return format_status(t, event);
	return format_lookup(format_event_kinds, event);
}

static const struct format_name format_notice_states[] = {
	{ "pending", N_("waiting") },
	{ "sending", N_("sending") },
	{ "sent", N_("sent") },
	{ "failed", N_("failed, will retry") },
	{ "dead", N_("failed for good") },
	{ "suppressed", N_("not sent") },
	{ NULL, NULL },
};

const char *
format_notice_state(const char *state)
{
	return format_lookup(format_notice_states, state);
}

/* Channels of intake (kota.request) and of notifications. */
static const struct format_name format_channels[] = {
	{ "phone", N_("phone") },
	{ "walk_in", N_("walk-in") },
	{ "web", N_("web") },
	{ "sms", N_("SMS") },
	{ "whatsapp", N_("WhatsApp") },
	{ "email", N_("e-mail") },
	{ "api", N_("API") },
	{ "webhook", N_("webhook") },
	{ "none", N_("none") },
	{ NULL, NULL },
};

const char *
format_channel(const char *channel)
{
	return format_lookup(format_channels, channel);
}

/* A citizen's language (kota.citizen.lang), as the agent reads it. */
static const struct format_name format_langs[] = {
	{ "id", N_("Indonesian") },
	{ "en", N_("English") },
	{ NULL, NULL },
};

const char *
format_lang(const char *lang)
{
	return format_lookup(format_langs, lang);
}
