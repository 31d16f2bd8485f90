/*
 * format.h: ages, times, SLA states and names as the console shows them
 */
#ifndef KOTA_TUI_FORMAT_H
#define KOTA_TUI_FORMAT_H

#include <stddef.h>
#include <time.h>

#include "colour.h"

enum sla_state { SLA_NONE, SLA_OK, SLA_RISK, SLA_BREACHED };

/* "45s", "12m", "3h", "5d", "7w": how long ago, at most 4 characters. */
void		 format_age(time_t then, time_t now, char *buf, size_t size);
/*
 * "2025-03-04 14:05" in the city's time (data_session_setup() sets TZ to
 * the city's zone); "" for 0.
 */
void		 format_time(time_t t, char *buf, size_t size);
/*
 * Where a request stands against its due time: breached when past it,
 * at risk when less than 4 hours or a fifth of its time is left.
 */
enum sla_state	 format_sla(time_t created, time_t due, time_t now);
attr_t		 format_sla_attr(enum sla_state st);
/* A mark for monochrome eyes and tests: "!" breached, "~" at risk. */
const char	*format_sla_mark(enum sla_state st);
const char	*format_sla_name(enum sla_state st);
/* "✉" ("*" outside UTF-8): the citizen wrote, the assignee has not looked. */
const char	*format_said_mark(void);

struct tui;

/* Names for codes, translated; an unknown code as it is. */
const char	*format_status(struct tui *t, const char *code);
const char	*format_event_kind(const char *kind);
const char	*format_notice_event(struct tui *t, const char *event);
const char	*format_notice_state(const char *state);
const char	*format_channel(const char *channel);
const char	*format_lang(const char *lang);

#endif
