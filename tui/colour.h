/*
 * colour.h: the console's colour scheme, as a table, with a monochrome
 * fallback for terminals without colours and for NO_COLOR
 */
#ifndef KOTA_TUI_COLOUR_H
#define KOTA_TUI_COLOUR_H

#include <curses.h>

enum colour_elem {
	CE_NORMAL,
	CE_TITLE,		/* top line: screen title and hints */
	CE_STATUS,		/* status line: who, connection, counts */
	CE_STATUS_BAD,		/* the connection state when lost */
	CE_HEADER,		/* column headers */
	CE_CURSOR,		/* the selected row */
	CE_PRIO1, CE_PRIO2, CE_PRIO3, CE_PRIO4,
	CE_SLA_OK, CE_SLA_RISK, CE_SLA_BREACHED,
	CE_MSG_INFO, CE_MSG_ERROR,
	CE_LABEL,		/* form labels, field names in the request view */
	CE_FIELD,		/* an input field */
	CE_FIELD_FOCUS,		/* the field being typed in */
	CE_FIELD_ERROR,		/* an inline error next to a field */
	CE_HINT,		/* hints: E.164 form, route suggestion */
	CE_BANNER,		/* the big ticket number */
	CE_PUBLIC,		/* a public history entry */
	CE_INTERNAL,		/* an internal history entry */
	CE_BORDER,		/* boxes of pickers and banners */
	CE_WARNING,		/* something to check: a point off its district */
	CE_COUNT
};

/* Start colours (unless NO_COLOR is set or the terminal has none). */
void	colour_init(void);
bool	colour_enabled(void);
attr_t	colour_attr(enum colour_elem elem);
attr_t	colour_priority(int priority);

#endif
