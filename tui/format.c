/*
 * format.c: ages, times and SLA states as the console shows them
 */
#include "config.h"

#include <stdio.h>

#include "format.h"
#include "i18n.h"

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
