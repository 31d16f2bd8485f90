/*
 * statusline.h: the title line, the status line and the message line
 */
#ifndef KOTA_TUI_STATUSLINE_H
#define KOTA_TUI_STATUSLINE_H

#include <curses.h>

#include "tui.h"

struct screen;

/* Line 0: "Kota" and the screen's title, hints on the right. */
void	statusline_title(struct tui *t, struct screen *s, WINDOW *w, int y,
	    int cols);
/* Who, department, connection state and live counts. */
void	statusline_draw(struct tui *t, WINDOW *w, int y, int cols);
/* The last message, an error in the error colour, from line y. */
void	statusline_message(struct tui *t, WINDOW *w, int y, int cols);
/* How many lines the message takes now (a long new one is wrapped). */
int	statusline_message_rows(struct tui *t, int cols);

#endif
