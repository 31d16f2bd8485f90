/*
 * picker.c: a pick list with incremental search, as a modal widget
 *
 * Every key ranks the whole list again (a few hundred choices at most, in
 * memory): each choice is matched against the words typed, marked where
 * they match, and the shown ones sorted by tier, similarity, use and
 * their own order (picker.h says which comes first).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "colour.h"
#include "edit.h"
#include "i18n.h"
#include "picker.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

#define PICKER_TRGM_THRESHOLD	0.3f	/* pg_trgm's similarity_threshold */

enum picker_tier {
	PT_WORD,		/* every word typed is a whole word of the choice */
	PT_START,		/* ... or at least starts one */
	PT_INSIDE,		/* ... or at least is inside one */
	PT_SIMILAR,		/* no: but the trigrams are alike (a typo) */
	PT_NONE,
};

struct picker_item {
	char		*value, *label, *detail;
	/*
	 * What a search looks in: the label, the detail and the value in
	 * lower case, a space between them, as wide characters; nlabel and
	 * ndetail say where the shown parts are, so a match can be marked.
	 */
	wchar_t		*hay;
	size_t		 nhay, nlabel, ndetail;
	wchar_t		*wlabel, *wdetail;	/* as shown */
	unsigned char	*mark;			/* per character of hay */
	long		 uses;
	enum picker_tier tier;			/* for the search typed */
	float		 similarity;
};

struct picker {
	struct modal		 modal;
	char			*title;
	picker_fn		 fn;
	void			*arg;
	struct picker_item	*items;
	size_t			 n, cap;
	size_t			*shown;		/* best match first */
	size_t			 nshown;
	size_t			 sel, top;	/* in shown[] */
	struct edit		 search;
	bool			 chosen;
	int			 page;		/* rows of the last draw */
};

static const struct modal_ops picker_ops;

struct picker *
picker_new(struct tui *t, const char *title, picker_fn fn, void *arg)
{
	struct picker	*p = xcalloc(1, sizeof *p);

	p->modal.ops = &picker_ops;
	p->modal.tui = t;
	p->title = xstrdup(title);
	p->fn = fn;
	p->arg = arg;
	edit_init(&p->search, 100);
	p->page = 10;
	return p;
}

void
picker_add(struct picker *p, const char *value, const char *label,
    const char *detail)
{
	struct picker_item	*it;
	wchar_t			*wv;
	size_t			 nv, i;

	if (p->n == p->cap) {
		p->cap = p->cap != 0 ? p->cap * 2 : 16;
		p->items = xreallocarray(p->items, p->cap, sizeof *p->items);
	}
	it = &p->items[p->n++];
	memset(it, 0, sizeof *it);
	it->value = xstrdup(value);
	it->label = xstrdup(label);
	it->detail = xstrdup(detail != NULL ? detail : "");
	it->wlabel = text_decode(it->label, &it->nlabel);
	it->wdetail = text_decode(it->detail, &it->ndetail);
	wv = text_decode(it->value, &nv);
	it->nhay = it->nlabel + 1 + it->ndetail + 1 + nv;
	it->hay = xreallocarray(NULL, it->nhay + 1, sizeof *it->hay);
	wmemcpy(it->hay, it->wlabel, it->nlabel);
	it->hay[it->nlabel] = L' ';
	wmemcpy(it->hay + it->nlabel + 1, it->wdetail, it->ndetail);
	it->hay[it->nlabel + 1 + it->ndetail] = L' ';
	wmemcpy(it->hay + it->nlabel + 2 + it->ndetail, wv, nv);
	it->hay[it->nhay] = L'\0';
	for (i = 0; i < it->nhay; i++)
		it->hay[i] = (wchar_t)towlower((wint_t)it->hay[i]);
	it->mark = xcalloc(it->nhay + 1, 1);
	free(wv);
}

void
picker_uses(struct picker *p, long uses)
{
	if (p->n > 0)
		p->items[p->n - 1].uses = uses;
}

/* Trigrams --------------------------------------------------------------
 *
 * pg_trgm's similarity(), in C, so a typo still finds its choice without
 * a round trip per key: each word (a run of letters and digits, in lower
 * case) padded with two spaces in front and one behind gives its
 * three-character windows; the similarity of two texts is the number of
 * trigrams they share over the number in either (a set, each counted
 * once).
 */

struct trgm {
	wchar_t	c[3];
};

static int
trgm_cmp(const void *a, const void *b)
{
	const wchar_t	*x = ((const struct trgm *)a)->c;
	const wchar_t	*y = ((const struct trgm *)b)->c;
	int		 i;

	for (i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* The sorted set of trigrams of s[0..n) (xmalloc; free() it). */
static struct trgm *
trgm_set(const wchar_t *s, size_t n, size_t *count)
{
	struct trgm	*t = xreallocarray(NULL, 3 * n + 1, sizeof *t);
	wchar_t		 w[3];
	size_t		 i = 0, k = 0, j, u;

	while (i < n) {
		while (i < n && !iswalnum((wint_t)s[i]))
			i++;
		if (i == n)
			break;
		w[0] = w[1] = L' ';
		for (; i < n && iswalnum((wint_t)s[i]); i++) {
			w[2] = (wchar_t)towlower((wint_t)s[i]);
			wmemcpy(t[k++].c, w, 3);
			w[0] = w[1];
			w[1] = w[2];
		}
		w[2] = L' ';
		wmemcpy(t[k++].c, w, 3);
	}
	qsort(t, k, sizeof *t, trgm_cmp);
	for (j = u = 0; j < k; j++)
		if (u == 0 || trgm_cmp(&t[u - 1], &t[j]) != 0)
			t[u++] = t[j];
	*count = u;
	return t;
}

static float
trgm_similarity(const struct trgm *a, size_t na, const struct trgm *b,
    size_t nb)
{
	size_t	i = 0, j = 0, common = 0;
	int	c;

	if (na == 0 || nb == 0)
		return 0;
	while (i < na && j < nb) {
		c = trgm_cmp(&a[i], &b[j]);
		if (c == 0)
			common++, i++, j++;
		else if (c < 0)
			i++;
		else
			j++;
	}
	return (float)common / (float)(na + nb - common);
}

static float
trgm_text_similarity(const struct trgm *q, size_t nq, const wchar_t *s,
    size_t n)
{
	struct trgm	*t;
	size_t		 nt;
	float		 sim;

	t = trgm_set(s, n, &nt);
	sim = trgm_similarity(q, nq, t, nt);
	free(t);
	return sim;
}

/* Matching --------------------------------------------------------------- */

/* One word of the search is in hay[0..n) at i: at a word's start, end? */
static enum picker_tier
picker_place(const wchar_t *hay, size_t n, size_t i, size_t len)
{
	bool	start = i == 0 || !iswalnum((wint_t)hay[i - 1]);
	bool	end = i + len == n || !iswalnum((wint_t)hay[i + len]);

	return start && end ? PT_WORD : start ? PT_START : PT_INSIDE;
}

/* The best place of a search word in the item, marking every place. */
static enum picker_tier
picker_word(struct picker_item *it, const wchar_t *w, size_t len)
{
	enum picker_tier	best = PT_NONE, t;
	size_t			i, k;

	for (i = 0; i + len <= it->nhay; i++) {
		for (k = 0; k < len && it->hay[i + k] == w[k]; k++)
			continue;
		if (k < len)
			continue;
		t = picker_place(it->hay, it->nhay, i, len);
		if (t < best)
			best = t;
		memset(it->mark + i, 1, len);
	}
	return best;
}

/*
 * Alike by trigrams: the whole search against the label, the detail and
 * the value, and each word of the search against each word of the item
 * (marking the words alike), so one misspelt word finds a long name.
 */
static float
picker_similar(struct picker_item *it, const wchar_t *q, size_t nq,
    const wchar_t *const *words, const size_t *lens, size_t nwords)
{
	struct trgm	*tq, *tw;
	size_t		 ntq, ntw, i, k, end;
	float		 best, sim;

	tq = trgm_set(q, nq, &ntq);
	best = trgm_text_similarity(tq, ntq, it->hay, it->nlabel);
	sim = trgm_text_similarity(tq, ntq, it->hay + it->nlabel + 1,
	    it->ndetail);
	best = sim > best ? sim : best;
	sim = trgm_text_similarity(tq, ntq, it->hay + it->nlabel + it->ndetail +
	    2, it->nhay - it->nlabel - it->ndetail - 2);
	best = sim > best ? sim : best;
	free(tq);
	for (k = 0; k < nwords; k++) {
		tw = trgm_set(words[k], lens[k], &ntw);
		for (i = 0; i < it->nhay; i = end) {
			while (i < it->nhay && !iswalnum((wint_t)it->hay[i]))
				i++;
			for (end = i; end < it->nhay &&
			    iswalnum((wint_t)it->hay[end]); end++)
				continue;
			if (end == i)
				break;
			sim = trgm_text_similarity(tw, ntw, it->hay + i, end - i);
			if (sim >= PICKER_TRGM_THRESHOLD)
				memset(it->mark + i, 1, end - i);
			best = sim > best ? sim : best;
		}
		free(tw);
	}
	return best;
}

#define PICKER_MAX_WORDS	16

/*
 * How well the item matches the search: every word typed as a whole word
 * of it, then as the start of a word, then anywhere inside; the weakest
 * word decides.  Failing that, trigram similarity.
 */
static void
picker_match(struct picker_item *it, const wchar_t *q, size_t nq,
    const wchar_t *const *words, const size_t *lens, size_t nwords)
{
	enum picker_tier	t, worst = PT_WORD;
	size_t			k;

	memset(it->mark, 0, it->nhay);
	it->similarity = 0;
	for (k = 0; k < nwords; k++) {
		t = picker_word(it, words[k], lens[k]);
		if (t > worst)
			worst = t;
	}
	if (worst != PT_NONE) {
		it->tier = worst;
		return;
	}
	memset(it->mark, 0, it->nhay);
	it->similarity = picker_similar(it, q, nq, words, lens, nwords);
	it->tier = it->similarity >= PICKER_TRGM_THRESHOLD ? PT_SIMILAR :
	    PT_NONE;
}

/* A shown choice with its sort keys. */
struct picker_rank {
	enum picker_tier	 tier;
	float			 similarity;
	long			 uses;
	size_t			 index;
};

static int
picker_rank_cmp(const void *a, const void *b)
{
	const struct picker_rank	*x = a, *y = b;

	if (x->tier != y->tier)
		return x->tier < y->tier ? -1 : 1;
	if (x->tier == PT_SIMILAR && x->similarity != y->similarity)
		return x->similarity > y->similarity ? -1 : 1;
	if (x->uses != y->uses)
		return x->uses > y->uses ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void
picker_rank(struct picker *p)
{
	struct picker_rank	*r;
	size_t			 i;

	r = xreallocarray(NULL, p->nshown + 1, sizeof *r);
	for (i = 0; i < p->nshown; i++) {
		const struct picker_item *it = &p->items[p->shown[i]];

		r[i].tier = it->tier;
		r[i].similarity = it->similarity;
		r[i].uses = it->uses;
		r[i].index = p->shown[i];
	}
	qsort(r, p->nshown, sizeof *r, picker_rank_cmp);
	for (i = 0; i < p->nshown; i++)
		p->shown[i] = r[i].index;
	free(r);
}

/*
 * The choices the search finds, best first: by how they match, ties by
 * how often each is used, then in the order they were added (which is
 * the whole list's order while nothing is typed).
 */
static void
picker_refilter(struct picker *p)
{
	const wchar_t	*words[PICKER_MAX_WORDS];
	size_t		 lens[PICKER_MAX_WORDS], nwords = 0, i, start, nq;
	wchar_t		*q;

	nq = p->search.len;
	q = xreallocarray(NULL, nq + 1, sizeof *q);
	for (i = 0; i < nq; i++)
		q[i] = (wchar_t)towlower((wint_t)p->search.buf[i]);
	q[nq] = L'\0';
	for (i = 0; i < nq && nwords < PICKER_MAX_WORDS;) {
		while (i < nq && iswspace((wint_t)q[i]))
			i++;
		start = i;
		while (i < nq && !iswspace((wint_t)q[i]))
			i++;
		if (i > start) {
			words[nwords] = q + start;
			lens[nwords++] = i - start;
		}
	}
	p->shown = xreallocarray(p->shown, p->n + 1, sizeof *p->shown);
	p->nshown = 0;
	for (i = 0; i < p->n; i++) {
		if (nwords == 0) {
			memset(p->items[i].mark, 0, p->items[i].nhay);
			p->items[i].tier = PT_WORD;
		} else
			picker_match(&p->items[i], q, nq, words, lens, nwords);
		if (p->items[i].tier != PT_NONE)
			p->shown[p->nshown++] = i;
	}
	if (nwords > 0)
		picker_rank(p);
	free(q);
	p->sel = 0;
	p->top = 0;
}

void
picker_set_search(struct picker *p, const char *utf8)
{
	edit_set(&p->search, utf8);
	picker_refilter(p);
}

void
picker_select(struct picker *p, const char *value)
{
	size_t	i;

	if (p->shown == NULL)
		picker_refilter(p);
	for (i = 0; value != NULL && i < p->nshown; i++)
		if (strcmp(p->items[p->shown[i]].value, value) == 0) {
			p->sel = i;
			return;
		}
}

void
picker_open(struct picker *p)
{
	if (p->shown == NULL)
		picker_refilter(p);
	tui_modal_push(p->modal.tui, &p->modal);
}

static void
picker_draw(struct modal *m, WINDOW *w, int lines, int cols)
{
	struct picker	*p = (struct picker *)m;
	char		 count[64];
	int		 width, height, x0, y0, rows, i, cx, lw;
	attr_t		 border = colour_attr(CE_BORDER);

	width = cols - 8 < 76 ? cols - 8 : 76;
	rows = lines - 9;
	if (rows > (int)p->n)
		rows = (int)p->n > 3 ? (int)p->n : 3;
	height = rows + 4;
	x0 = (cols - width) / 2;
	y0 = (lines - 2 - height) / 2;
	if (y0 < 1)
		y0 = 1;
	p->page = rows;

	/* frame */
	for (i = 0; i < height; i++)
		text_fill(w, y0 + i, x0, width, A_NORMAL);
	text_attr(w, border);
	mvwhline(w, y0, x0, ACS_HLINE, width);
	mvwhline(w, y0 + height - 1, x0, ACS_HLINE, width);
	mvwvline(w, y0, x0, ACS_VLINE, height);
	mvwvline(w, y0, x0 + width - 1, ACS_VLINE, height);
	mvwaddch(w, y0, x0, ACS_ULCORNER);
	mvwaddch(w, y0, x0 + width - 1, ACS_URCORNER);
	mvwaddch(w, y0 + height - 1, x0, ACS_LLCORNER);
	mvwaddch(w, y0 + height - 1, x0 + width - 1, ACS_LRCORNER);
	text_attr(w, A_NORMAL);
	text_put(w, y0, x0 + 2, width - 4, p->title, colour_attr(CE_TITLE));
	snprintf(count, sizeof count, " %zu/%zu ", p->nshown, p->n);
	text_put(w, y0 + height - 1, x0 + width - 2 - (int)strlen(count),
	    (int)strlen(count), count, border);

	/* the search line */
	lw = text_put(w, y0 + 1, x0 + 2, width - 4, _("Search: "),
	    colour_attr(CE_LABEL));
	cx = edit_draw(&p->search, w, y0 + 1, x0 + 2 + lw, width - 4 - lw,
	    colour_attr(CE_FIELD_FOCUS));
	tui_cursor(m->tui, y0 + 1, cx);

	/* the choices */
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)rows)
		p->top = p->sel - (size_t)rows + 1;
	if (p->nshown == 0)
		text_put(w, y0 + 2, x0 + 2, width - 4, _("(nothing matches)"),
		    colour_attr(CE_HINT));
	for (i = 0; i < rows && p->top + (size_t)i < p->nshown; i++) {
		const struct picker_item *it =
		    &p->items[p->shown[p->top + (size_t)i]];
		attr_t	a = p->top + (size_t)i == p->sel ?
		    colour_attr(CE_CURSOR) : A_NORMAL;
		int	inner = width - 4;
		int	dw = it->detail[0] != '\0' ? inner * 2 / 5 : 0;

		attr_t	da = a != A_NORMAL ? a : colour_attr(CE_HINT);

		/* what the search matched, bold and underlined */
		text_fill(w, y0 + 3 + i, x0 + 1, width - 2, a);
		text_wput_marked(w, y0 + 3 + i, x0 + 2, inner - dw - (dw > 0),
		    it->wlabel, it->nlabel, it->mark, a,
		    a | A_BOLD | A_UNDERLINE);
		if (dw > 0)
			text_wput_marked(w, y0 + 3 + i, x0 + 2 + inner - dw,
			    dw, it->wdetail, it->ndetail,
			    it->mark + it->nlabel + 1, da,
			    da | A_BOLD | A_UNDERLINE);
	}
}

static int
picker_key(struct modal *m, enum key_action action, int key)
{
	struct picker	*p = (struct picker *)m;
	size_t		 page = p->page > 1 ? (size_t)p->page - 1 : 1;

	switch (action) {
	case KA_UP:
		if (p->sel > 0)
			p->sel--;
		return MODAL_KEEP;
	case KA_DOWN:
		if (p->sel + 1 < p->nshown)
			p->sel++;
		return MODAL_KEEP;
	case KA_PGUP:
		p->sel = p->sel > page ? p->sel - page : 0;
		return MODAL_KEEP;
	case KA_PGDN:
		p->sel = p->sel + page < p->nshown ? p->sel + page :
		    (p->nshown > 0 ? p->nshown - 1 : 0);
		return MODAL_KEEP;
	case KA_SELECT:
		if (p->nshown == 0) {
			beep();
			return MODAL_KEEP;
		}
		p->chosen = true;
		return MODAL_DONE;
	case KA_CANCEL:
		p->chosen = false;
		return MODAL_DONE;
	default:
		break;
	}
	if (edit_key(&p->search, keys_lookup(KS_EDIT, key), key) ==
	    EDIT_CHANGED)
		picker_refilter(p);
	return MODAL_KEEP;
}

static void
picker_finish(struct modal *m)
{
	struct picker	*p = (struct picker *)m;

	p->fn(p->arg, p->chosen ? p->items[p->shown[p->sel]].value : NULL);
}

static void
picker_free(struct modal *m)
{
	struct picker	*p = (struct picker *)m;
	size_t		 i;

	for (i = 0; i < p->n; i++) {
		free(p->items[i].value);
		free(p->items[i].label);
		free(p->items[i].detail);
		free(p->items[i].hay);
		free(p->items[i].wlabel);
		free(p->items[i].wdetail);
		free(p->items[i].mark);
	}
	free(p->items);
	free(p->shown);
	free(p->title);
	edit_release(&p->search);
	free(p);
}

static const struct modal_ops picker_ops = {
	.scopes = KS_PICKER,
	.draw = picker_draw,
	.key = picker_key,
	.finish = picker_finish,
	.free = picker_free,
};
