/*
 * list.c: a list that stops at its limit says so
 *
 * A list command with a default limit (request list: 50) fetches one row
 * more than it shows; when that row comes, more rows follow the page, and
 * it counts them and says so here, on stderr, where a script that pipes
 * the rows still sees it and a person is not led to take a page for the
 * whole:
 *
 *	kotactl: 50 of 52 shown; use --limit or --offset for the others
 *	kotactl: 21 to 30 of 52 shown; use --offset 30 for the next ones
 *
 * It speaks even under -q: what -q leaves out is chatter, not a warning
 * that the answer is incomplete.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "kotactl.h"

void
ctl_list_more(long offset, long shown, long total)
{
	fflush(stdout);
	fputs("kotactl: ", stderr);
	if (offset == 0)
		fprintf(stderr, _("%ld of %ld shown; use --limit or --offset for the others"),
		    shown, total);
	else
		fprintf(stderr, _("%ld to %ld of %ld shown; use --offset %ld for the next ones"),
		    offset + 1, offset + shown, total, offset + shown);
	fputc('\n', stderr);
}
