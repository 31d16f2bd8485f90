/*
 * screen_request.h: the request view, shared by its two files
 *
 * screen_request.c shows a request (the pager); request_actions.c changes
 * it (status, assign, route, comment, note, duplicate).  An action keeps
 * the version the clerk saw when it started, so a change made by someone
 * else meanwhile is refused (KT004) instead of being overwritten, and the
 * text the clerk typed is kept in a draft for the next try.
 */
#ifndef KOTA_TUI_SCREEN_REQUEST_H
#define KOTA_TUI_SCREEN_REQUEST_H

#include <stdint.h>

#include "data.h"
#include "screen.h"

struct rv_line;

struct request_view {
	struct screen		 s;
	int64_t			 id;
	char			 ticket[24];
	struct data_rows	 detail, history, notes, allowed;
	struct data_rows	 talk;	/* request_conversation() */
	bool			 loaded;

	/* the rendered lines, for a width */
	struct rv_line		*lines;
	size_t			 nlines, caplines;
	int			 width;
	int			 scroll;

	/* the action under way, with the version it started from */
	int			 act_version;
	char			 act_status[24];
	char			 act_department[24];
	char			 act_rule_assignee[64];

	/* what the clerk typed, kept until it is saved */
	char			*draft_reason;
	char			*draft_comment;
	char			*draft_note;
	char			*draft_duplicate;
};

/* Reload the request from the database; keeps the old on failure. */
int	request_view_load(struct request_view *rv);
int	request_view_version(const struct request_view *rv);

/* The actions (request_actions.c). */
void	request_action_status(struct request_view *rv);
void	request_action_assign(struct request_view *rv);
void	request_action_route(struct request_view *rv);
void	request_action_comment(struct request_view *rv, bool public);
void	request_action_duplicate(struct request_view *rv);

#endif
