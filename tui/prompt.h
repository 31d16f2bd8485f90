/*
 * prompt.h: the prompt line, for a line of text or a yes/no question
 */
#ifndef KOTA_TUI_PROMPT_H
#define KOTA_TUI_PROMPT_H

#include <stdbool.h>

#include "tui.h"

/*
 * Ask for a line of text, starting with initial (may be NULL).  fn gets
 * the text and ok: true for Enter, false for Esc, so a caller can keep
 * what was typed for the next try.
 */
typedef void (*prompt_fn)(void *arg, const char *text, bool ok);
void	prompt_text(struct tui *t, const char *label, const char *initial,
	    prompt_fn fn, void *arg);

/* Ask a yes/no question; Esc is no. */
typedef void (*prompt_confirm_fn)(void *arg, bool yes);
void	prompt_confirm(struct tui *t, const char *question,
	    prompt_confirm_fn fn, void *arg);

#endif
