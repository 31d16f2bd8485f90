/*
 * keyword.h: what a citizen's text message asks for (pure, fuzzed)
 *
 * A message is a keyword only when it is the whole message: case does not
 * matter, blanks around it do not, nor one '.' or '!' at its end; "STOP
 * please" is text.  The words, Indonesian and English:
 *
 *	status	STATUS, CEK (id), either followed by a ticket; a
 *		ticket alone
 *	stop	STOP STOPALL UNSUBSCRIBE CANCEL END QUIT REVOKE OPTOUT
 *		(en), BERHENTI UNREG (id)
 *	start	START YES UNSTOP (en), MULAI (id)
 *	help	HELP INFO (en), BANTUAN (id)
 *	report	LAPOR <text> (id), REPORT <text> (en): the word, blanks
 *		(a newline too), then the text, kept as written
 *	text	anything else
 *
 * A ticket is read by lib's request_parse_ref() rules: "KT-000123-4",
 * "kt000123-4", "000123-4", "KT-000123" (the check digit is then
 * computed); a wrong check digit, or anything else after STATUS or CEK,
 * is a reference that is not a ticket (ticket_bad).  Nothing is
 * allocated: text points into the body.
 */
#ifndef KOTAWEB_KEYWORD_H
#define KOTAWEB_KEYWORD_H

#include <stdbool.h>
#include <stddef.h>

enum kw_kind {
	KWK_TEXT,
	KWK_STATUS,
	KWK_STOP,
	KWK_START,
	KWK_HELP,
	KWK_REPORT,
};

struct kw_parsed {
	enum kw_kind	 kind;
	const char	*lang;		/* "id", "en" or NULL: the word says */
	char		 ticket[16];	/* canonical "KT-000123-4", or "" */
	bool		 ticket_bad;	/* a reference was given but is not a ticket */
	const char	*text;		/* into the body: trimmed rest / whole */
	size_t		 textlen;
	const char	*keyword;	/* "stop", ... for kota.web_inbound */
};

void	keyword_parse(const char *body, size_t len, struct kw_parsed *out);

/*
 * A ticket as people write it (n bytes of s, nothing around it) into its
 * canonical form in out (16 bytes): 0, or -1 when it is not a ticket or
 * its check digit is wrong.  Digits alone, without "KT" and without a
 * check digit, are no ticket: a bare number is too easily something else.
 */
int	keyword_ticket(const char *s, size_t n, char out[16]);

#endif
