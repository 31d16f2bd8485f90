/*
 * words.c: the words kotactl shows people for the database's names
 *
 * The SQL API names its columns and kinds in English codes (open,
 * at_risk, median_resolve_hours, clerk); scripts read those in the CSV.
 * A person reading a table reads these, in the language of the messages.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"

static const struct {
	const char	*code;
	const char	*word;
} ctl_words[] = {
	/* TRANSLATORS: table headings of kotactl summary and report: short */
	{ "department", N_("department") },
	{ "status", N_("status") },
	{ "requests", N_("requests") },
	{ "open", N_("open") },
	{ "new", N_("new") },
	{ "ack", N_("ack") },
	{ "progress", N_("in prog") },
	{ "in_progress", N_("in prog") },
	{ "hold", N_("held") },
	{ "on_hold", N_("held") },
	{ "unassig", N_("no agent") },
	{ "unassigned", N_("no agent") },
	{ "overdue", N_("overdue") },
	{ "at_risk", N_("at risk") },
	/* TRANSLATORS: ages of open requests in city days: created today, ... */
	{ "<1d", N_("today") },
	{ "1-3d", N_("1-2 d") },
	{ "3-7d", N_("3-6 d") },
	{ ">7d", N_("7+ d") },
	{ "intake", N_("intake") },
	{ "closed", N_("closed") },
	{ "in_today", N_("in today") },
	{ "out_today", N_("out today") },
	{ "in_week", N_("in week") },
	{ "out_week", N_("out week") },
	{ "median_h", N_("median h") },
	{ "sla_pct", N_("SLA %") },
	{ "agent", N_("agent") },
	{ "display_name", N_("name") },
	{ "resolved", N_("resolved") },
	{ "week", N_("week") },
	{ "dimension", N_("by") },
	{ "key", N_("which") },
	{ "service", N_("service") },
	{ "district", N_("district") },
	/* TRANSLATORS: an agent's kind, as kotactl user list shows it */
	{ "clerk", N_("clerk") },
	{ "supervisor", N_("supervisor") },
	{ "admin", N_("admin") },
	{ "active", N_("active") },
	{ "inactive", N_("inactive") },
};

/* The word for a code, in the language of the messages; else the code. */
const char *
ctl_word(const char *code)
{
	size_t	i;

	for (i = 0; i < sizeof ctl_words / sizeof ctl_words[0]; i++)
		if (strcmp(ctl_words[i].code, code) == 0)
			return _(ctl_words[i].word);
	return code;
}
