/*
 * colour.c: the console's colour scheme, as a table
 *
 * Each element has a colour pair and attributes for colour terminals and
 * attributes alone for monochrome ones, so urgency and SLA breaches stay
 * visible without colour: bold, underline and reverse carry the meaning.
 * NO_COLOR (https://no-color.org) turns colours off like a monochrome
 * terminal.
 */
#include "config.h"

#include <stdlib.h>

#include "colour.h"

struct colour_entry {
	enum colour_elem	elem;
	short			fg, bg;		/* -1: the terminal's default */
	attr_t			attr;		/* with colours */
	attr_t			mono;		/* without */
};

static const struct colour_entry colour_table[] = {
	{ CE_NORMAL,		-1,		-1,		A_NORMAL, A_NORMAL },
	{ CE_TITLE,		COLOR_WHITE,	COLOR_BLUE,	A_BOLD,	A_REVERSE },
	{ CE_STATUS,		COLOR_BLACK,	COLOR_CYAN,	A_NORMAL, A_REVERSE },
	{ CE_STATUS_BAD,	COLOR_WHITE,	COLOR_RED,	A_BOLD,	A_REVERSE | A_BOLD },
	{ CE_HEADER,		-1,		-1,		A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
	{ CE_CURSOR,		COLOR_BLACK,	COLOR_WHITE,	A_NORMAL, A_REVERSE },
	{ CE_PRIO1,		COLOR_RED,	-1,		A_BOLD,	A_BOLD | A_UNDERLINE },
	{ CE_PRIO2,		COLOR_YELLOW,	-1,		A_BOLD,	A_BOLD },
	{ CE_PRIO3,		-1,		-1,		A_NORMAL, A_NORMAL },
	{ CE_PRIO4,		COLOR_BLUE,	-1,		A_NORMAL, A_DIM },
	{ CE_SLA_OK,		COLOR_GREEN,	-1,		A_NORMAL, A_NORMAL },
	{ CE_SLA_RISK,		COLOR_YELLOW,	-1,		A_BOLD,	A_UNDERLINE },
	{ CE_SLA_BREACHED,	COLOR_WHITE,	COLOR_RED,	A_BOLD,	A_BOLD | A_REVERSE },
	{ CE_MSG_INFO,		-1,		-1,		A_NORMAL, A_NORMAL },
	{ CE_MSG_ERROR,		COLOR_RED,	-1,		A_BOLD,	A_BOLD },
	{ CE_LABEL,		COLOR_CYAN,	-1,		A_NORMAL, A_BOLD },
	{ CE_FIELD,		-1,		-1,		A_UNDERLINE, A_UNDERLINE },
	{ CE_FIELD_FOCUS,	COLOR_BLACK,	COLOR_CYAN,	A_NORMAL, A_REVERSE },
	{ CE_FIELD_ERROR,	COLOR_RED,	-1,		A_BOLD,	A_BOLD },
	{ CE_HINT,		COLOR_GREEN,	-1,		A_NORMAL, A_NORMAL },
	{ CE_BANNER,		COLOR_BLACK,	COLOR_YELLOW,	A_BOLD,	A_REVERSE | A_BOLD },
	{ CE_PUBLIC,		COLOR_GREEN,	-1,		A_BOLD,	A_BOLD },
	{ CE_INTERNAL,		COLOR_MAGENTA,	-1,		A_NORMAL, A_DIM },
	{ CE_BORDER,		COLOR_CYAN,	-1,		A_NORMAL, A_NORMAL },
	{ CE_WARNING,		COLOR_YELLOW,	-1,		A_BOLD,	A_BOLD },
};

_Static_assert(sizeof colour_table / sizeof colour_table[0] == CE_COUNT,
    "colour_table has one row per enum colour_elem, in order");

static bool	colour_on;

void
colour_init(void)
{
	const char	*nc = getenv("NO_COLOR");
	size_t		 i;

	colour_on = false;
	if ((nc != NULL && *nc != '\0') || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	for (i = 0; i < sizeof colour_table / sizeof colour_table[0]; i++)
		init_pair((short)(i + 1), colour_table[i].fg, colour_table[i].bg);
	colour_on = true;
}

bool
colour_enabled(void)
{
	return colour_on;
}

attr_t
colour_attr(enum colour_elem elem)
{
	size_t	i = (size_t)elem;

	if (i >= sizeof colour_table / sizeof colour_table[0])
		return A_NORMAL;
	if (!colour_on)
		return colour_table[i].mono;
	return colour_table[i].attr | COLOR_PAIR((int)(i + 1));
}

attr_t
colour_priority(int priority)
{
	switch (priority) {
	case 1: return colour_attr(CE_PRIO1);
	case 2: return colour_attr(CE_PRIO2);
	case 4: return colour_attr(CE_PRIO4);
	default: return colour_attr(CE_PRIO3);
	}
}
