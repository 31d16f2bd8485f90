/*
 * prompt.c: the prompt line, for a line of text or a yes/no question
 *
 * The prompt takes the message line at the bottom, like mutt's, and the
 * lines above it when it needs them: a question is wrapped at words so
 * that all of it and its keys show at 80 columns; a text prompt wraps what
 * is typed at words over up to four lines, then scrolls, so a long comment
 * can be read back before Enter.  It edits by character.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "edit.h"
#include "i18n.h"
#include "prompt.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

#define PROMPT_MAX	4000	/* characters, as the API's longest text */
#define PROMPT_ROWS	4	/* lines a prompt may take at the bottom */
#define PROMPT_MIN_TEXT	20	/* columns for the text beside its label */

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

/* The width of the last line of a wrapped text. */
struct prompt_last {
	int	width;
};

static void
prompt_last_line(void *arg, const wchar_t *line, size_t n)
{
	struct prompt_last	*pl = arg;
	size_t			 i;

	pl->width = 0;
	for (i = 0; i < n; i++)
		pl->width += text_wcwidth(line[i]);
}

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

/*
 * A question with its keys at the end, wrapped at words over as many
 * lines as it needs, so the whole of it and "(y/n)" always show.
 */
static void
prompt_draw_confirm(struct prompt *p, WINDOW *w, int lines, int cols)
{
	struct prompt_last	 pl = { 0 };
	char			*q;
	int			 rows, i;
	size_t			 len;

	len = strlen(p->label) + strlen(_("(y/n)")) + 2;
	q = xmalloc(len);
	snprintf(q, len, "%s %s", p->label, _("(y/n)"));
	rows = text_wrap_lines(q, cols);
	if (rows > PROMPT_ROWS)
		rows = PROMPT_ROWS;
	for (i = 0; i < rows; i++)
		text_fill(w, lines - rows + i, 0, cols, A_NORMAL);
	text_put_wrapped(w, lines - rows, 0, cols, rows, q,
	    colour_attr(CE_LABEL) | A_BOLD);
	/* the cursor after the question */
	text_wrap(q, cols, prompt_last_line, &pl);
	tui_cursor(p->modal.tui, lines - 1, pl.width + 1 < cols ?
	    pl.width + 1 : cols - 1);
	free(q);
}

/*
 * The label, then the text wrapped at words, growing upwards from the last
 * line up to PROMPT_ROWS lines (then it scrolls).  A label too long to
 * leave room beside it takes lines of its own above the text.
 */
static void
prompt_draw_text(struct prompt *p, WINDOW *w, int lines, int cols)
{
	int	lw, x, width, rows, lrows = 0, i, cy, cx;

	lw = text_width(p->label);
	if (lw + 1 + PROMPT_MIN_TEXT <= cols) {
		x = lw + 1;
	} else {
		lrows = text_wrap_lines(p->label, cols);
		if (lrows > PROMPT_ROWS - 1)
			lrows = PROMPT_ROWS - 1;
		x = 0;
	}
	width = cols - x - 1;
	rows = edit_wrapped_rows(&p->edit, width);
	if (rows > PROMPT_ROWS - lrows)
		rows = PROMPT_ROWS - lrows;
	for (i = 0; i < rows + lrows; i++)
		text_fill(w, lines - rows - lrows + i, 0, cols, A_NORMAL);
	if (lrows > 0)
		text_put_wrapped(w, lines - rows - lrows, 0, cols, lrows,
		    p->label, colour_attr(CE_LABEL) | A_BOLD);
	else
		text_put(w, lines - rows, 0, lw, p->label,
		    colour_attr(CE_LABEL) | A_BOLD);
	edit_draw_wrapped(&p->edit, w, lines - rows, x, width, rows,
	    colour_attr(CE_FIELD_FOCUS), &cy, &cx);
	tui_cursor(p->modal.tui, cy, cx);
}

static void
prompt_draw(struct modal *m, WINDOW *w, int lines, int cols)
{
	struct prompt	*p = (struct prompt *)m;

	if (p->confirm)
		prompt_draw_confirm(p, w, lines, cols);
	else
		prompt_draw_text(p, w, lines, cols);
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
