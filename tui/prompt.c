/*
 * prompt.c: the prompt line, for a line of text or a yes/no question
 *
 * The prompt takes the message line at the bottom, like mutt's.  A text
 * prompt scrolls sideways, so a long comment fits; it edits by character.
 */
#include "config.h"

#include <stdlib.h>

#include "colour.h"
#include "edit.h"
#include "i18n.h"
#include "prompt.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

#define PROMPT_MAX	4000	/* characters, as the API's longest text */

struct prompt {
	struct modal		 modal;
	char			*label;
	struct edit		 edit;
	bool			 confirm;	/* a yes/no question */
	bool			 ok;
	prompt_fn		 fn;
	prompt_confirm_fn	 confirm_fn;
	void			*arg;
};

static const struct modal_ops prompt_text_ops;
static const struct modal_ops prompt_confirm_ops;

static struct prompt *
prompt_new(struct tui *t, const char *label, void *arg)
{
	struct prompt	*p = xcalloc(1, sizeof *p);

	p->modal.tui = t;
	p->label = xstrdup(label);
	p->arg = arg;
	edit_init(&p->edit, PROMPT_MAX);
	return p;
}

void
prompt_text(struct tui *t, const char *label, const char *initial,
    prompt_fn fn, void *arg)
{
	struct prompt	*p = prompt_new(t, label, arg);

	p->modal.ops = &prompt_text_ops;
	p->fn = fn;
	edit_set(&p->edit, initial);
	tui_modal_push(t, &p->modal);
}

void
prompt_confirm(struct tui *t, const char *question, prompt_confirm_fn fn,
    void *arg)
{
	struct prompt	*p = prompt_new(t, question, arg);

	p->modal.ops = &prompt_confirm_ops;
	p->confirm = true;
	p->confirm_fn = fn;
	tui_modal_push(t, &p->modal);
}

static void
prompt_draw(struct modal *m, WINDOW *w, int lines, int cols)
{
	struct prompt	*p = (struct prompt *)m;
	int		 used, cx;

	text_fill(w, lines - 1, 0, cols, A_NORMAL);
	used = text_put(w, lines - 1, 0, cols / 2, p->label,
	    colour_attr(CE_LABEL) | A_BOLD);
	if (p->confirm) {
		used += text_put(w, lines - 1, used, cols - used, _(" (y/n) "),
		    A_BOLD);
		tui_cursor(m->tui, lines - 1, used);
		return;
	}
	used += 1;
	cx = edit_draw(&p->edit, w, lines - 1, used, cols - used - 1,
	    colour_attr(CE_FIELD_FOCUS));
	tui_cursor(m->tui, lines - 1, cx);
}

static int
prompt_text_key(struct modal *m, enum key_action action, int key)
{
	struct prompt	*p = (struct prompt *)m;

	switch (action) {
	case KA_SELECT:
		p->ok = true;
		return MODAL_DONE;
	case KA_CANCEL:
		p->ok = false;
		return MODAL_DONE;
	default:
		break;
	}
	/* y and n are text here */
	edit_key(&p->edit, keys_lookup(KS_EDIT, key), key);
	return MODAL_KEEP;
}

static int
prompt_confirm_key(struct modal *m, enum key_action action, int key)
{
	struct prompt	*p = (struct prompt *)m;

	switch (action) {
	case KA_YES:
		p->ok = true;
		return MODAL_DONE;
	case KA_NO:
	case KA_CANCEL:
		p->ok = false;
		return MODAL_DONE;
	default:
		/* Y and N too; anything else is not an answer */
		if (key == 'Y' || key == 'N') {
			p->ok = key == 'Y';
			return MODAL_DONE;
		}
		beep();
		return MODAL_KEEP;
	}
}

static void
prompt_text_finish(struct modal *m)
{
	struct prompt	*p = (struct prompt *)m;
	char		*text = edit_text(&p->edit);

	p->fn(p->arg, text, p->ok);
	free(text);
}

static void
prompt_confirm_finish(struct modal *m)
{
	struct prompt	*p = (struct prompt *)m;

	p->confirm_fn(p->arg, p->ok);
}

static void
prompt_free(struct modal *m)
{
	struct prompt	*p = (struct prompt *)m;

	edit_release(&p->edit);
	free(p->label);
	free(p);
}

static const struct modal_ops prompt_text_ops = {
	.scopes = KS_PROMPT,
	.draw = prompt_draw,
	.key = prompt_text_key,
	.finish = prompt_text_finish,
	.free = prompt_free,
};

static const struct modal_ops prompt_confirm_ops = {
	.scopes = KS_PROMPT,
	.draw = prompt_draw,
	.key = prompt_confirm_key,
	.finish = prompt_confirm_finish,
	.free = prompt_free,
};
