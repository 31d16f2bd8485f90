/*
 * suggest.c: "did you mean", as git says it
 *
 * A word kotactl does not know (a command, a status, a service or a
 * department) is compared with each word it would have taken, by the
 * weighted Damerau-Levenshtein distance git's help.c uses for its
 * commands: swapping two neighbours costs 0, a substitution 2, an
 * insertion 1 and a deletion 3, so a word typed short or with two letters
 * swapped ("requets", "acknowleged") stays close and a different word
 * does not.  A candidate that begins with the word scores best of all.
 * The best are suggested, all of them when they tie, as long as they are
 * similar enough (git's SIMILARITY_FLOOR: a score under 7); when the word
 * begins every candidate it says nothing, which is too ambiguous.
 *
 * A candidate may be compared under several spellings (a service's code
 * and its two names): it scores its best, and is suggested as its own
 * word, with a note beside it ("sampah (Sampah tidak diangkut)").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "xmalloc.h"

#define SUGGEST_FLOOR	7	/* git's SIMILARITY_FLOOR */

/* git's weights: levenshtein(cmd, candidate, 0, 2, 1, 3) */
#define SUGGEST_SWAP	0
#define SUGGEST_SUBST	2
#define SUGGEST_INSERT	1
#define SUGGEST_DELETE	3

struct suggest_item {
	char	*word;		/* what is suggested */
	char	*note;		/* shown beside it, or NULL */
	int	 score;		/* 0: the typed word begins it */
};

static char
suggest_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * The cost of turning a into b, case aside.  Three rows of the matrix
 * suffice: the one before the last is what a swap looks back to.
 */
int
suggest_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	int	*prev2, *prev, *cur, *tmp, d;

	prev2 = xcalloc(lb + 1, sizeof *prev2);
	prev = xcalloc(lb + 1, sizeof *prev);
	cur = xcalloc(lb + 1, sizeof *cur);
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j * SUGGEST_INSERT;
	for (i = 0; i < la; i++) {
		cur[0] = (int)(i + 1) * SUGGEST_DELETE;
		for (j = 0; j < lb; j++) {
			d = prev[j] + (suggest_lower(a[i]) ==
			    suggest_lower(b[j]) ? 0 : SUGGEST_SUBST);
			if (i > 0 && j > 0 &&
			    suggest_lower(a[i - 1]) == suggest_lower(b[j]) &&
			    suggest_lower(a[i]) == suggest_lower(b[j - 1]) &&
			    d > prev2[j - 1] + SUGGEST_SWAP)
				d = prev2[j - 1] + SUGGEST_SWAP;
			if (d > prev[j + 1] + SUGGEST_DELETE)
				d = prev[j + 1] + SUGGEST_DELETE;
			if (d > cur[j] + SUGGEST_INSERT)
				d = cur[j] + SUGGEST_INSERT;
			cur[j + 1] = d;
		}
		tmp = prev2;
		prev2 = prev;
		prev = cur;
		cur = tmp;
	}
	d = prev[lb];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

static int
suggest_begins(const char *word, const char *candidate)
{
	for (; *word != '\0'; word++, candidate++)
		if (suggest_lower(*word) != suggest_lower(*candidate))
			return 0;
	return 1;
}

struct suggest *
suggest_new(const char *word)
{
	struct suggest	*s;

	s = xcalloc(1, sizeof *s);
	s->word = xstrdup(word);
	return s;
}

void
suggest_free(struct suggest **sp)
{
	struct suggest	*s = *sp;
	size_t		 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->items[i].word);
		free(s->items[i].note);
	}
	free(s->items);
	free(s->word);
	free(s);
	*sp = NULL;
}

/*
 * Compare the word with text, a spelling of the candidate word (NULL:
 * word itself), which is suggested with note beside it (NULL: none).
 */
void
suggest_add(struct suggest *s, const char *text, const char *word,
    const char *note)
{
	struct suggest_item	*it;
	size_t			 i;
	int			 score;

	if (text == NULL || *text == '\0')
		return;
	if (word == NULL)
		word = text;
	if (*s->word != '\0' && suggest_begins(s->word, text))
		score = 0;
	else
		score = suggest_distance(s->word, text) + 1;
	for (i = 0; i < s->n; i++) {
		if (strcmp(s->items[i].word, word) == 0) {
			if (score < s->items[i].score)
				s->items[i].score = score;
			return;
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap != 0 ? s->cap * 2 : 16;
		s->items = xreallocarray(s->items, s->cap, sizeof *s->items);
	}
	it = &s->items[s->n++];
	it->word = xstrdup(word);
	it->note = note != NULL && *note != '\0' ? xstrdup(note) : NULL;
	it->score = score;
}

/* The best score when it is worth suggesting, else -1. */
static int
suggest_best(const struct suggest *s)
{
	size_t	i, prefixed = 0;
	int	best = -1;

	for (i = 0; i < s->n; i++) {
		if (s->items[i].score == 0)
			prefixed++;
		if (best < 0 || s->items[i].score < best)
			best = s->items[i].score;
	}
	if (s->n > 1 && prefixed == s->n)
		return -1;	/* it begins every word: too ambiguous */
	return best >= 0 && best < SUGGEST_FLOOR ? best : -1;
}

/* How many words are worth suggesting: the best, all of them if tied. */
int
suggest_count(const struct suggest *s)
{
	size_t	i;
	int	best = suggest_best(s), n = 0;

	if (best < 0)
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->items[i].score == best)
			n++;
	return n;
}

/* 'word', or 'word' (note) */
static char *
suggest_format(const struct suggest_item *it)
{
	char	*out;

	if (it->note != NULL)
		xasprintf(&out, "'%s' (%s)", it->word, it->note);
	else
		xasprintf(&out, "'%s'", it->word);
	return out;
}

/*
 * On stderr, after the message that refused the word:
 *
 *	kotactl: did you mean 'request'?
 *
 * or, when several tie, each on a line of its own as git lists them.
 * Returns how many it suggested.
 */
int
suggest_print(const struct suggest *s)
{
	size_t	 i;
	char	*w;
	int	 best = suggest_best(s), n = suggest_count(s);

	if (n == 0)
		return 0;
	if (n > 1)
		fprintf(stderr, "kotactl: %s\n", _("did you mean one of these?"));
	for (i = 0; i < s->n; i++) {
		if (s->items[i].score != best)
			continue;
		w = suggest_format(&s->items[i]);
		if (n == 1) {
			fputs("kotactl: ", stderr);
			fprintf(stderr, _("did you mean %s?"), w);
			fputc('\n', stderr);
		} else
			fprintf(stderr, "\t%s\n", w);
		free(w);
	}
	return n;
}
