/*
 * keys.c: the one key table of the console
 *
 * Screens never test for a key: they ask keys_lookup() for the action of a
 * key in their scopes.  The help screen and "kota --dump-keys" (the KEYS
 * section of kota(1)) are printed from this same table.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keys.h"

#define FN(k)	(KEYS_FN | (k))

const struct key_binding keys_table[] = {
	{ KS_ANY, KEYS_CTRL('l'), KA_REDRAW, N_("redraw the screen") },

	{ KS_GLOBAL, '?', KA_HELP, N_("show this help") },
	{ KS_GLOBAL, 'n', KA_NEW, N_("new request (or back to the unsaved one)") },
	{ KS_GLOBAL, 'd', KA_DASHBOARD, N_("dashboard: queues, ageing, SLA and workload (supervisors; clerks: open requests per department)") },

	{ KS_LIST, 'k', KA_UP, N_("move up") },
	{ KS_LIST, FN(KEY_UP), KA_UP, N_("move up") },
	{ KS_LIST, 'j', KA_DOWN, N_("move down") },
	{ KS_LIST, FN(KEY_DOWN), KA_DOWN, N_("move down") },
	{ KS_LIST, FN(KEY_PPAGE), KA_PGUP, N_("previous page") },
	{ KS_LIST, KEYS_CTRL('b'), KA_PGUP, N_("previous page") },
	{ KS_LIST, FN(KEY_NPAGE), KA_PGDN, N_("next page") },
	{ KS_LIST, KEYS_CTRL('f'), KA_PGDN, N_("next page") },
	{ KS_LIST, ' ', KA_PGDN, N_("next page") },
	{ KS_LIST, FN(KEY_HOME), KA_HOME, N_("first line (the queue: its first page)") },
	{ KS_LIST, 'g', KA_HOME, N_("first line (the queue: its first page)") },
	{ KS_LIST, FN(KEY_END), KA_END, N_("last line (the queue: the last row of this page, then the next page)") },
	{ KS_LIST, 'G', KA_END, N_("last line (the queue: the last row of this page, then the next page)") },

	{ KS_QUEUE, '\r', KA_OPEN, N_("open the request") },
	{ KS_QUEUE, '\n', KA_OPEN, N_("open the request") },
	{ KS_QUEUE, FN(KEY_ENTER), KA_OPEN, N_("open the request") },
	{ KS_QUEUE, '/', KA_SEARCH, N_("search ticket, phone, description and address (empty: no search)") },
	{ KS_QUEUE, 'o', KA_SORT, N_("sort by priority, age or last update (cycles)") },
	{ KS_QUEUE, 'D', KA_FILTER_DEPT, N_("only my department (again: all departments)") },
	{ KS_QUEUE, 'm', KA_FILTER_MINE, N_("only requests assigned to me (again: everyone's)") },
	{ KS_QUEUE, 'S', KA_FILTER_STATUS, N_("filter by status: open, closed, all or one status") },
	{ KS_QUEUE, 'F', KA_FILTER_SERVICE, N_("filter by service") },
	{ KS_QUEUE, 'C', KA_FILTER_CLEAR, N_("clear every filter and the search") },
	{ KS_QUEUE, 'R', KA_RELOAD, N_("reload now") },
	{ KS_QUEUE, 'q', KA_QUIT, N_("quit (asks first if a new request is not saved)") },
	{ KS_QUEUE, KEYS_CTRL('c'), KA_QUIT, N_("quit (asks first if a new request is not saved)") },

	{ KS_REQUEST, 's', KA_STATUS, N_("change the status (only the allowed moves)") },
	{ KS_REQUEST, 'a', KA_ASSIGN, N_("assign to a department and/or an agent") },
	{ KS_REQUEST, 'r', KA_ROUTE, N_("route: re-run the routing rules, or choose a department") },
	{ KS_REQUEST, 'c', KA_COMMENT, N_("public comment (the citizen is told)") },
	{ KS_REQUEST, 'i', KA_NOTE, N_("internal note (staff only)") },
	{ KS_REQUEST, 'u', KA_DUPLICATE, N_("mark as a duplicate of another ticket") },
	{ KS_REQUEST, 'R', KA_RELOAD, N_("reload now") },
	{ KS_REQUEST, 'q', KA_BACK, N_("back to the queue") },
	{ KS_REQUEST, KEYS_ESC, KA_BACK, N_("back to the queue") },

	{ KS_FORM, '\t', KA_NEXT_FIELD, N_("next field") },
	{ KS_FORM, FN(KEY_DOWN), KA_NEXT_FIELD, N_("next field") },
	{ KS_FORM, '\r', KA_NEXT_FIELD, N_("next field (on Service: pick one)") },
	{ KS_FORM, '\n', KA_NEXT_FIELD, N_("next field (on Service: pick one)") },
	{ KS_FORM, FN(KEY_BTAB), KA_PREV_FIELD, N_("previous field") },
	{ KS_FORM, FN(KEY_UP), KA_PREV_FIELD, N_("previous field") },
	{ KS_FORM, FN(KEY_F(2)), KA_SAVE, N_("save the request (again after a failure)") },
	{ KS_FORM, KEYS_CTRL('s'), KA_SAVE, N_("save the request (again after a failure)") },
	{ KS_FORM, FN(KEY_F(3)), KA_ATTACH, N_("add the caller to a possible duplicate instead") },
	{ KS_FORM, FN(KEY_F(4)), KA_HIDE, N_("back to the queue, keeping the form (n returns)") },
	{ KS_FORM, KEYS_ESC, KA_CANCEL, N_("cancel (asks first if anything was typed)") },
	{ KS_FORM, FN(KEY_F(1)), KA_HELP, N_("help (every key)") },
	{ KS_FORM, '+', KA_PRIO_UP, N_("on Priority: more urgent (1 is urgent, 4 low)") },
	{ KS_FORM, '-', KA_PRIO_DOWN, N_("on Priority: less urgent; a digit 1-4 sets it, 0 the default") },

	{ KS_EDIT, FN(KEY_LEFT), KA_LEFT, N_("cursor left") },
	{ KS_EDIT, FN(KEY_RIGHT), KA_RIGHT, N_("cursor right") },
	{ KS_EDIT, FN(KEY_HOME), KA_BOL, N_("start of the text") },
	{ KS_EDIT, KEYS_CTRL('a'), KA_BOL, N_("start of the text") },
	{ KS_EDIT, FN(KEY_END), KA_EOL, N_("end of the text") },
	{ KS_EDIT, KEYS_CTRL('e'), KA_EOL, N_("end of the text") },
	{ KS_EDIT, FN(KEY_BACKSPACE), KA_BACKSPACE, N_("delete the character before the cursor") },
	{ KS_EDIT, 0x7f, KA_BACKSPACE, N_("delete the character before the cursor") },
	{ KS_EDIT, KEYS_CTRL('h'), KA_BACKSPACE, N_("delete the character before the cursor") },
	{ KS_EDIT, FN(KEY_DC), KA_DELETE, N_("delete the character under the cursor") },
	{ KS_EDIT, KEYS_CTRL('d'), KA_DELETE, N_("delete the character under the cursor") },
	{ KS_EDIT, KEYS_CTRL('k'), KA_KILL_EOL, N_("delete to the end") },
	{ KS_EDIT, KEYS_CTRL('u'), KA_KILL_BOL, N_("delete to the start") },
	{ KS_EDIT, KEYS_CTRL('w'), KA_KILL_WORD, N_("delete the word before the cursor") },

	{ KS_PICKER, FN(KEY_UP), KA_UP, N_("previous choice") },
	{ KS_PICKER, KEYS_CTRL('p'), KA_UP, N_("previous choice") },
	{ KS_PICKER, FN(KEY_DOWN), KA_DOWN, N_("next choice") },
	{ KS_PICKER, KEYS_CTRL('n'), KA_DOWN, N_("next choice") },
	{ KS_PICKER, FN(KEY_PPAGE), KA_PGUP, N_("previous page of choices") },
	{ KS_PICKER, FN(KEY_NPAGE), KA_PGDN, N_("next page of choices") },
	{ KS_PICKER, '\r', KA_SELECT, N_("take the choice (typing narrows the list)") },
	{ KS_PICKER, '\n', KA_SELECT, N_("take the choice (typing narrows the list)") },
	{ KS_PICKER, FN(KEY_ENTER), KA_SELECT, N_("take the choice (typing narrows the list)") },
	{ KS_PICKER, KEYS_ESC, KA_CANCEL, N_("close without choosing") },

	{ KS_PROMPT, '\r', KA_SELECT, N_("accept the text") },
	{ KS_PROMPT, '\n', KA_SELECT, N_("accept the text") },
	{ KS_PROMPT, FN(KEY_ENTER), KA_SELECT, N_("accept the text") },
	{ KS_PROMPT, KEYS_ESC, KA_CANCEL, N_("cancel (the text is kept for the next try)") },
	{ KS_PROMPT, 'y', KA_YES, N_("yes, in a question") },
	{ KS_PROMPT, 'n', KA_NO, N_("no, in a question") },

	{ KS_HELP, 'q', KA_BACK, N_("close the help") },
	{ KS_HELP, KEYS_ESC, KA_BACK, N_("close the help") },

	{ KS_DASH, 'h', KA_LEFT, N_("the number to the left") },
	{ KS_DASH, FN(KEY_LEFT), KA_LEFT, N_("the number to the left") },
	{ KS_DASH, 'l', KA_RIGHT, N_("the number to the right") },
	{ KS_DASH, FN(KEY_RIGHT), KA_RIGHT, N_("the number to the right") },
	{ KS_DASH, '\r', KA_OPEN, N_("the queue list of the requests behind the number (clerks: of the department)") },
	{ KS_DASH, '\n', KA_OPEN, N_("the queue list of the requests behind the number (clerks: of the department)") },
	{ KS_DASH, FN(KEY_ENTER), KA_OPEN, N_("the queue list of the requests behind the number (clerks: of the department)") },
	{ KS_DASH, 'w', KA_WORKLOAD, N_("departments or agents' workload (toggles)") },
	{ KS_DASH, 'R', KA_RELOAD, N_("reload now") },
	{ KS_DASH, 'q', KA_BACK, N_("back to the queue") },
	{ KS_DASH, KEYS_ESC, KA_BACK, N_("back to the queue") },

	{ 0, 0, KA_NONE, NULL },
};

/* Sections of the help and of kota(1), in this order. */
static const struct {
	unsigned	 scope;
	const char	*title;
} keys_scopes[] = {
	{ KS_ANY, N_("Everywhere") },
	{ KS_GLOBAL, N_("Queue, request view, dashboard and help") },
	{ KS_LIST, N_("Moving in lists and the request view") },
	{ KS_QUEUE, N_("Queue list") },
	{ KS_REQUEST, N_("Request view") },
	{ KS_FORM, N_("New-request form") },
	{ KS_EDIT, N_("Text fields (form, prompts, pick lists)") },
	{ KS_PICKER, N_("Pick lists") },
	{ KS_PROMPT, N_("Prompt line") },
	{ KS_HELP, N_("Help screen") },
	{ KS_DASH, N_("Dashboard") },
	{ 0, NULL },
};

enum key_action
keys_lookup(unsigned scopes, int key)
{
	const struct key_binding	*b;

	scopes |= KS_ANY;
	for (b = keys_table; b->help != NULL; b++)
		if ((b->scope & scopes) != 0 && b->key == key)
			return b->action;
	return KA_NONE;
}

const char *
keys_scope_title(unsigned scope)
{
	int	i;

	for (i = 0; keys_scopes[i].title != NULL; i++)
		if (keys_scopes[i].scope == scope)
			return keys_scopes[i].title;
	return "";
}

static const struct {
	int		 key;
	const char	*name;
} keys_names[] = {
	{ '\t', "Tab" }, { '\r', "Enter" }, { '\n', "C-j" }, { ' ', "Space" },
	{ KEYS_ESC, "Esc" }, { 0x7f, "Backspace" },
	{ FN(KEY_ENTER), "KP-Enter" }, { FN(KEY_BTAB), "S-Tab" },
	{ FN(KEY_UP), "Up" }, { FN(KEY_DOWN), "Down" },
	{ FN(KEY_LEFT), "Left" }, { FN(KEY_RIGHT), "Right" },
	{ FN(KEY_PPAGE), "PgUp" }, { FN(KEY_NPAGE), "PgDn" },
	{ FN(KEY_HOME), "Home" }, { FN(KEY_END), "End" },
	{ FN(KEY_BACKSPACE), "Backspace" }, { FN(KEY_DC), "Delete" },
	{ 0, NULL },
};

const char *
keys_name(int key, char *buf, size_t size)
{
	int	i;

	for (i = 0; keys_names[i].name != NULL; i++)
		if (keys_names[i].key == key) {
			snprintf(buf, size, "%s", keys_names[i].name);
			return buf;
		}
	if ((key & KEYS_FN) && (key & ~KEYS_FN) >= KEY_F(1) &&
	    (key & ~KEYS_FN) <= KEY_F(12))
		snprintf(buf, size, "F%d", (key & ~KEYS_FN) - KEY_F0);
	else if (key & KEYS_FN)
		snprintf(buf, size, "key%d", key & ~KEYS_FN);
	else if (key > 0 && key < 0x20)
		snprintf(buf, size, "C-%c", key + 'a' - 1);
	else
		snprintf(buf, size, "%lc", (wint_t)key);
	return buf;
}

const char *
keys_hint(unsigned scopes, enum key_action action, char *buf, size_t size)
{
	const struct key_binding	*b;

	for (b = keys_table; b->help != NULL; b++)
		if ((b->scope & scopes) != 0 && b->action == action)
			return keys_name(b->key, buf, size);
	snprintf(buf, size, "?");
	return buf;
}

/* Is this binding the first of its scope with this action and help? */
static int
keys_first_of_action(const struct key_binding *b, unsigned scope)
{
	const struct key_binding	*o;

	for (o = keys_table; o != b; o++)
		if ((o->scope & scope) && o->action == b->action &&
		    strcmp(o->help, b->help) == 0)
			return 0;
	return 1;
}

/* The keys of b's action in scope, joined: "j, Down". */
static void
keys_join(const struct key_binding *b, unsigned scope, char *out, size_t size,
    const char *sep)
{
	const struct key_binding	*o, *p;
	char				 name[32], prev[32];
	size_t				 len = 0;

	out[0] = '\0';
	for (o = b; o->help != NULL; o++) {
		if (!(o->scope & scope) || o->action != b->action ||
		    strcmp(o->help, b->help) != 0)
			continue;
		keys_name(o->key, name, sizeof name);
		if (strcmp(name, "C-j") == 0 || strcmp(name, "KP-Enter") == 0)
			continue;	/* the same key as Enter, for the user */
		/*
		 * Two codes of one key (the terminal's Backspace is DEL or
		 * KEY_BACKSPACE): the reader sees one key, named once.
		 */
		for (p = b; p != o; p++)
			if ((p->scope & scope) && p->action == b->action &&
			    strcmp(p->help, b->help) == 0 &&
			    strcmp(keys_name(p->key, prev, sizeof prev),
			    name) == 0)
				break;
		if (p != o)
			continue;
		len += (size_t)snprintf(out + len, len < size ? size - len : 0,
		    "%s%s", len > 0 ? sep : "", name);
	}
}

/* roff needs a backslash before "-" and a leading "." or "'". */
static void
keys_roff(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '-' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
}

void
keys_dump_man(FILE *fp)
{
	const struct key_binding	*b;
	char				 keys[128];
	int				 i;

	for (i = 0; keys_scopes[i].title != NULL; i++) {
		fprintf(fp, ".SS %s\n", keys_scopes[i].title);
		for (b = keys_table; b->help != NULL; b++) {
			if (!(b->scope & keys_scopes[i].scope) ||
			    !keys_first_of_action(b, keys_scopes[i].scope))
				continue;
			keys_join(b, keys_scopes[i].scope, keys, sizeof keys,
			    ", ");
			fputs(".TP\n.B ", fp);
			keys_roff(fp, keys);
			fputc('\n', fp);
			keys_roff(fp, b->help);
			fputc('\n', fp);
		}
	}
}

int
keys_help_line(int scope_index, int n, unsigned *scope, char *keys,
    size_t size, const char **help)
{
	const struct key_binding	*b;

	if (keys_scopes[scope_index].title == NULL)
		return -1;
	*scope = keys_scopes[scope_index].scope;
	for (b = keys_table; b->help != NULL; b++) {
		if (!(b->scope & *scope) || !keys_first_of_action(b, *scope))
			continue;
		if (n-- > 0)
			continue;
		keys_join(b, *scope, keys, size, ", ");
		*help = _(b->help);
		return 1;
	}
	return 0;
}
