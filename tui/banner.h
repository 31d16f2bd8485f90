/*
 * banner.h: the ticket number, large, to read out to the caller
 */
#ifndef KOTA_TUI_BANNER_H
#define KOTA_TUI_BANNER_H

#include "tui.h"

/*
 * Show ticket in a five-line block font, with a title above and a line of
 * detail below (the department...).  Any key closes it and calls fn.
 */
void	banner_show(struct tui *t, const char *title, const char *ticket,
	    const char *detail, void (*fn)(void *arg), void *arg);

#endif
