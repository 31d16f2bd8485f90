/*
 * keys.h: the one key table of the console
 *
 * Every binding is a row of keys_table[] in keys.c: the key, where it
 * applies, the action and its help text.  Screens dispatch on actions, the
 * help screen lists the table, and "kota --dump-keys" prints it for the KEYS
 * section of kota(1), so none of them can drift from the others.
 */
#ifndef KOTA_TUI_KEYS_H
#define KOTA_TUI_KEYS_H

#include <stdio.h>

/*
 * A key: a character (its code point), or a curses function key with
 * KEYS_FN set.  Code points end at 0x10ffff, so the two cannot collide.
 */
#define KEYS_FN		0x1000000
#define KEYS_CTRL(c)	((c) & 0x1f)
#define KEYS_ESC	0x1b

/* Where a binding applies; a screen looks keys up in its own scopes. */
enum keys_scope {
	KS_ANY = 1 << 10,	/* everywhere, forms and prompts included */
	KS_GLOBAL = 1 << 0,	/* the browsing screens: queue, request, help */
	KS_LIST = 1 << 1,	/* moving in lists and pagers */
	KS_QUEUE = 1 << 2,	/* the queue list */
	KS_REQUEST = 1 << 3,	/* the request view */
	KS_FORM = 1 << 4,	/* the new-request form */
	KS_EDIT = 1 << 5,	/* any text field: form, prompt, picker search */
	KS_PICKER = 1 << 6,	/* a pick list */
	KS_PROMPT = 1 << 7,	/* the prompt line */
	KS_HELP = 1 << 8,	/* the help screen */
	KS_DASH = 1 << 9,	/* the dashboard */
};

enum key_action {
	KA_NONE = 0,
	/* global */
	KA_QUIT, KA_HELP, KA_NEW, KA_REDRAW, KA_DASHBOARD,
	/* lists and pagers */
	KA_UP, KA_DOWN, KA_PGUP, KA_PGDN, KA_HOME, KA_END,
	/* queue */
	KA_OPEN, KA_SEARCH, KA_SORT, KA_FILTER_DEPT, KA_FILTER_MINE,
	KA_FILTER_STATUS, KA_FILTER_SERVICE, KA_FILTER_CLEAR, KA_RELOAD,
	/* request */
	KA_BACK, KA_STATUS, KA_ASSIGN, KA_ROUTE, KA_COMMENT, KA_NOTE,
	KA_DUPLICATE,
	/* form */
	KA_NEXT_FIELD, KA_PREV_FIELD, KA_SAVE, KA_CANCEL, KA_ATTACH, KA_HIDE,
	KA_PRIO_UP, KA_PRIO_DOWN,
	/* text editing */
	KA_LEFT, KA_RIGHT, KA_BOL, KA_EOL, KA_BACKSPACE, KA_DELETE,
	KA_KILL_EOL, KA_KILL_BOL, KA_KILL_WORD,
	/* pickers and prompts */
	KA_SELECT, KA_YES, KA_NO,
	/* dashboard */
	KA_WORKLOAD,
	KA_COUNT
};

struct key_binding {
	unsigned	 scope;		/* enum keys_scope bits */
	int		 key;
	enum key_action	 action;
	const char	*help;		/* N_(): translated when shown */
};

extern const struct key_binding	keys_table[];

/* The action of key in the first of scopes that binds it, or KA_NONE. */
enum key_action	 keys_lookup(unsigned scopes, int key);
/* A key's name as the help and the man page write it: "C-s", "PgDn". */
const char	*keys_name(int key, char *buf, size_t size);
const char	*keys_scope_title(unsigned scope);
/* The first key bound to action in scopes, by name, for hints. */
const char	*keys_hint(unsigned scopes, enum key_action action, char *buf,
		    size_t size);
/*
 * For the help screen: the n-th distinct binding of the scope_index-th
 * section, its keys joined ("j, Down") and its translated help.  Returns 1,
 * 0 past the section's end, -1 past the last section.
 */
int		 keys_help_line(int scope_index, int n, unsigned *scope,
		    char *keys, size_t size, const char **help);
/* Print the table as roff for the KEYS section of kota(1). */
void		 keys_dump_man(FILE *fp);

#endif
