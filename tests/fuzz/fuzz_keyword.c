/*
 * fuzz_keyword.c: libFuzzer target for the keyword parser of citizens'
 * messages (keyword_parse())
 *
 * The input is a message body, any bytes.  Invariants: the kind and its
 * keyword agree; text, when set, lies inside the input (so nothing is
 * read or pointed beyond it) and has no blank at either end; a ticket is
 * empty or canonical (KT-, at least six digits, '-', the check digit) and
 * parses back to itself; ticket_bad only for STATUS, with an empty
 * ticket; the language is NULL, "id" or "en"; the same input with blanks
 * around it parses the same.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keyword.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_names[] = {
	"text", "status", "stop", "start", "help", "report",
};

static int
fuzz_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static void
fuzz_check(const char *s, size_t n, const struct kw_parsed *p)
{
	char	again[16];
	size_t	i;

	if ((unsigned)p->kind > KWK_REPORT || p->keyword == NULL ||
	    strcmp(p->keyword, fuzz_names[p->kind]) != 0)
		abort();
	if (p->lang != NULL && strcmp(p->lang, "id") != 0 &&
	    strcmp(p->lang, "en") != 0)
		abort();
	if (p->text != NULL) {
		if (p->text < s || p->text + p->textlen > s + n)
			abort();
		if (p->textlen > 0 && (fuzz_blank(p->text[0]) ||
		    fuzz_blank(p->text[p->textlen - 1])))
			abort();
	} else if (p->textlen != 0)
		abort();
	if (memchr(p->ticket, '\0', sizeof p->ticket) == NULL)
		abort();
	if (p->ticket[0] != '\0') {
		if (p->kind != KWK_STATUS || p->ticket_bad ||
		    strncmp(p->ticket, "KT-", 3) != 0)
			abort();
		for (i = 3; p->ticket[i] >= '0' && p->ticket[i] <= '9'; i++)
			continue;
		if (i < 9 || p->ticket[i] != '-' || p->ticket[i + 2] != '\0')
			abort();
		if (keyword_ticket(p->ticket, strlen(p->ticket), again) != 0 ||
		    strcmp(again, p->ticket) != 0)
			abort();
	}
	if (p->ticket_bad && (p->kind != KWK_STATUS || p->ticket[0] != '\0'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kw_parsed	 p, q;
	char			*padded;

	keyword_parse((const char *)data, size, &p);
	fuzz_check((const char *)data, size, &p);

	/* blanks around change nothing but where the text is */
	if ((padded = malloc(size + 4)) == NULL)
		return 0;
	memcpy(padded, " \n", 2);
	memcpy(padded + 2, data, size);
	memcpy(padded + 2 + size, "\t ", 2);
	keyword_parse(padded, size + 4, &q);
	fuzz_check(padded, size + 4, &q);
	if (p.kind != q.kind || p.lang != q.lang || p.ticket_bad !=
	    q.ticket_bad || strcmp(p.ticket, q.ticket) != 0 ||
	    p.textlen != q.textlen || (p.textlen > 0 &&
	    memcmp(p.text, q.text, p.textlen) != 0))
		abort();
	free(padded);
	return 0;
}
