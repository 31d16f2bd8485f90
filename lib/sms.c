/*
 * sms.c: how long an SMS is, and making one fit
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sms.h"
#include "xmalloc.h"

#define SMS_GSM7_SINGLE		160
#define SMS_GSM7_MULTI		153
#define SMS_UCS2_SINGLE		70
#define SMS_UCS2_MULTI		67
#define SMS_REPLACEMENT		0xfffd
#define SMS_ELLIPSIS		"..."
#define SMS_TRIM_BEFORE_ELLIPSIS " \n,;:.-"

/* The default alphabet's characters outside printable ASCII. */
static const uint16_t sms_gsm_basic[] = {
	0x000a, 0x000d, 0x00a1, 0x00a3, 0x00a4, 0x00a5, 0x00a7, 0x00bf,
	0x00c4, 0x00c5, 0x00c6, 0x00c7, 0x00c9, 0x00d1, 0x00d6, 0x00d8,
	0x00dc, 0x00df, 0x00e0, 0x00e4, 0x00e5, 0x00e6, 0x00e8, 0x00e9,
	0x00ec, 0x00f1, 0x00f2, 0x00f6, 0x00f8, 0x00f9, 0x00fc, 0x0393,
	0x0394, 0x0398, 0x039b, 0x039e, 0x03a0, 0x03a3, 0x03a6, 0x03a8,
	0x03a9,
};

/* The extension table: an escape septet plus one. */
static const uint16_t sms_gsm_ext[] = {
	0x000c, '[', '\\', ']', '^', '{', '|', '}', '~', 0x20ac,
};

/* Decode one code point at s (n > 0 bytes); *used gets its length. */
static uint32_t
sms_decode(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t	cp, min;
	size_t		len, i;

	*used = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2; cp = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3; cp = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4; cp = s[0] & 0x07; min = 0x10000;
	} else
		return SMS_REPLACEMENT;
	if (len > n)
		return SMS_REPLACEMENT;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return SMS_REPLACEMENT;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return SMS_REPLACEMENT;
	*used = len;
	return cp;
}

static int
sms_in(const uint16_t *set, size_t n, uint32_t cp)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (set[i] == cp)
			return 1;
	return 0;
}

/* Septets of cp in GSM-7, or 0 when it has none. */
static int
sms_gsm_septets(uint32_t cp)
{
	if (sms_in(sms_gsm_ext, sizeof sms_gsm_ext / sizeof sms_gsm_ext[0], cp))
		return 2;
	if (cp >= 0x20 && cp < 0x7f && cp != '`')
		return 1;
	if (sms_in(sms_gsm_basic,
	    sizeof sms_gsm_basic / sizeof sms_gsm_basic[0], cp))
		return 1;
	return 0;
}

static int
sms_units(uint32_t cp, enum sms_encoding enc)
{
	if (enc == SMS_GSM7)
		return sms_gsm_septets(cp);
	return cp > 0xffff ? 2 : 1;
}

/* Segments of cap units each that hold the text without splitting a
 * character. */
static int
sms_pack(const unsigned char *s, size_t len, enum sms_encoding enc,
    size_t cap)
{
	size_t	off = 0, used, fill = 0;
	int	segments = 1, u;

	while (off < len) {
		u = sms_units(sms_decode(s + off, len - off, &used), enc);
		off += used;
		if (fill + (size_t)u > cap) {
			segments++;
			fill = 0;
		}
		fill += (size_t)u;
	}
	return segments;
}

void
sms_count(const char *text, size_t len, struct sms_count *out)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 off = 0, used, septets = 0, utf16 = 0;
	uint32_t		 cp;
	int			 gsm = 1, g;

	memset(out, 0, sizeof *out);
	while (off < len) {
		cp = sms_decode(s + off, len - off, &used);
		off += used;
		out->chars++;
		g = sms_gsm_septets(cp);
		if (g == 0)
			gsm = 0;
		septets += (size_t)g;
		utf16 += cp > 0xffff ? 2 : 1;
	}
	out->encoding = gsm ? SMS_GSM7 : SMS_UCS2;
	out->units = gsm ? septets : utf16;
	if (out->units <= (gsm ? SMS_GSM7_SINGLE : SMS_UCS2_SINGLE))
		out->segments = 1;
	else
		out->segments = sms_pack(s, len, out->encoding,
		    gsm ? SMS_GSM7_MULTI : SMS_UCS2_MULTI);
}

static int
sms_fits(const char *text, size_t len, int max_segments)
{
	struct sms_count	c;

	sms_count(text, len, &c);
	return c.segments <= max_segments;
}

/* The start of the character that byte off is in (off itself on a lead
 * byte), never before floor. */
static size_t
sms_boundary(const char *s, size_t off, size_t floor)
{
	while (off > floor && ((unsigned char)s[off] & 0xc0) == 0x80)
		off--;
	return off;
}

/* The next character boundary after off. */
static size_t
sms_next(const char *s, size_t len, size_t off)
{
	size_t	used;

	if (off >= len)
		return len;
	sms_decode((const unsigned char *)s + off, len - off, &used);
	return off + used;
}

/* Largest boundary k in [lo, hi) with ok(k), given ok(lo) and !ok(hi). */
static size_t
sms_search(const char *s, size_t len, size_t lo, size_t hi,
    int (*ok)(void *, size_t), void *arg)
{
	size_t	mid;

	while (lo < hi) {
		mid = sms_boundary(s, lo + (hi - lo) / 2, lo);
		if (mid == lo)
			mid = sms_next(s, len, lo);
		if (mid >= hi)
			break;
		if (ok(arg, mid))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct sms_cut_arg {
	const char	*text;
	int		 max;
};

static int
sms_cut_ok(void *arg, size_t k)
{
	struct sms_cut_arg	*a = arg;

	return sms_fits(a->text, k, a->max);
}

size_t
sms_cut(const char *text, size_t len, int max_segments)
{
	struct sms_cut_arg	a = { text, max_segments };

	if (sms_fits(text, len, max_segments))
		return len;
	return sms_search(text, len, 0, len, sms_cut_ok, &a);
}

/*
 * Typographic characters a clerk's keyboard or a word processor slips in
 * (curly quotes, dashes, the ellipsis, exotic spaces) are not in GSM-7:
 * one of them would make the whole SMS UCS-2, 70 characters a segment
 * instead of 160.  They become their plain equivalents; "" drops one.
 */
static const struct {
	uint32_t	 cp;
	const char	*as;
} sms_folds[] = {
	{ 0x0009, " " },	/* tab */
	{ 0x00a0, " " },	/* no-break space */
	{ 0x00ab, "\"" },	/* guillemets */
	{ 0x00ad, "" },		/* soft hyphen */
	{ 0x00b4, "'" },	/* acute accent */
	{ 0x00bb, "\"" },
	{ 0x2002, " " }, { 0x2003, " " }, { 0x2009, " " }, { 0x200a, " " },
	{ 0x200b, "" },		/* zero width space */
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" },
	{ 0x2013, "-" }, { 0x2014, "-" }, { 0x2015, "-" },	/* dashes */
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201a, "'" }, { 0x201b, "'" },
	{ 0x201c, "\"" }, { 0x201d, "\"" }, { 0x201e, "\"" }, { 0x201f, "\"" },
	{ 0x2022, "-" },	/* bullet */
	{ 0x2026, "..." },	/* horizontal ellipsis */
	{ 0x202f, " " },	/* narrow no-break space */
	{ 0x2032, "'" }, { 0x2033, "\"" },	/* primes */
	{ 0x2212, "-" },	/* minus sign */
	{ 0xfeff, "" },		/* byte order mark */
};

static const char *
sms_fold_of(uint32_t cp)
{
	size_t	i;

	for (i = 0; i < sizeof sms_folds / sizeof sms_folds[0]; i++)
		if (sms_folds[i].cp == cp)
			return sms_folds[i].as;
	return NULL;
}

void
sms_fold(struct strbuf *sb)
{
	struct strbuf	 out = STRBUF_INIT;
	const char	*as;
	size_t		 off = 0, used, lit = 0;
	uint32_t	 cp;
	int		 folded = 0;

	while (off < sb->len) {
		cp = sms_decode((const unsigned char *)sb->buf + off,
		    sb->len - off, &used);
		if ((as = sms_fold_of(cp)) != NULL) {
			strbuf_add(&out, sb->buf + lit, off - lit);
			strbuf_adds(&out, as);
			lit = off + used;
			folded = 1;
		}
		off += used;
	}
	if (!folded)
		return;
	strbuf_add(&out, sb->buf + lit, sb->len - lit);
	strbuf_reset(sb);
	strbuf_add(sb, out.buf, out.len);
	strbuf_release(&out);
}

/* Collapse runs of spaces and trim blanks at both ends, in place. */
static void
sms_tidy(struct strbuf *sb)
{
	size_t	i, o = 0;
	char	c;

	for (i = 0; i < sb->len; i++) {
		c = sb->buf[i];
		if (c == ' ' && (o == 0 || sb->buf[o - 1] == ' '))
			continue;
		sb->buf[o++] = c;
	}
	while (o > 0 && (sb->buf[o - 1] == ' ' || sb->buf[o - 1] == '\n' ||
	    sb->buf[o - 1] == '\t' || sb->buf[o - 1] == '\r'))
		o--;
	sb->len = o;
	if (sb->buf != NULL)
		sb->buf[o] = '\0';
}

struct sms_note {
	struct strbuf		*out;
	const char		*tpl;
	struct template_var	*vars;
	size_t			 nvars, note;
	const char		*full;	/* the note as given */
	struct strbuf		 cut;	/* the note as tried */
	int			 max;
};

/* Render with the note cut to k bytes and "..." (the whole note without
 * it); does it fit?  Blanks and the punctuation that would stand before
 * the ellipsis go first. */
static int
sms_note_ok(void *arg, size_t k)
{
	struct sms_note	*n = arg;
	size_t		 end = k;
	bool		 whole = n->full[k] == '\0';

	while (!whole && end > 0 &&
	    strchr(SMS_TRIM_BEFORE_ELLIPSIS, n->full[end - 1]) != NULL)
		end--;
	strbuf_reset(&n->cut);
	strbuf_reset(n->out);
	strbuf_add(&n->cut, n->full, end);
	if (!whole)
		strbuf_adds(&n->cut, SMS_ELLIPSIS);
	n->vars[n->note].value = strbuf_str(&n->cut);
	template_render(n->out, n->tpl, n->vars, n->nvars, TEMPLATE_RAW);
	sms_fold(n->out);
	sms_tidy(n->out);
	return sms_fits(strbuf_str(n->out), n->out->len, n->max);
}

static void
sms_render_plain(struct strbuf *out, const char *tpl,
    const struct template_var *vars, size_t nvars)
{
	strbuf_reset(out);
	template_render(out, tpl, vars, nvars, TEMPLATE_RAW);
	sms_fold(out);
	sms_tidy(out);
}

/*
 * The end of the last whole word of full[0, k), or k when the cut falls
 * between words already or the last blank would throw away more than
 * half of what fits (one long word, a URL): then the cut stays inside
 * the word, on a character boundary.
 */
static size_t
sms_word_end(const char *full, size_t k)
{
	size_t	i;

	if (full[k] == '\0' || full[k] == ' ' || full[k] == '\n')
		return k;
	for (i = k; i > 0; i--)
		if (full[i - 1] == ' ' || full[i - 1] == '\n')
			break;
	if (i == 0 || i - 1 < k / 2)
		return k;
	return i - 1;
}

/* Code points in s[0, n). */
static size_t
sms_chars(const char *s, size_t n)
{
	size_t	off = 0, used, c = 0;

	while (off < n) {
		sms_decode((const unsigned char *)s + off, n - off, &used);
		off += used;
		c++;
	}
	return c;
}

/* Cut the note to fit, at a word boundary when one is near: the
 * characters of the note kept, or -1 when even "..." alone does not fit.
 * The text is left in n->out. */
static long
sms_fit_note(struct sms_note *n)
{
	size_t	len = strlen(n->full), k;

	if (sms_note_ok(n, len))
		return (long)sms_chars(n->full, len);
	if (!sms_note_ok(n, 0))
		return -1;
	k = sms_word_end(n->full, sms_search(n->full, len, 0, len,
	    sms_note_ok, n));
	sms_note_ok(n, k);
	return (long)sms_chars(n->full, k);
}

/* s without its characters outside GSM-7, into out; 0 when it has none. */
static int
sms_strip_non_gsm(const char *s, struct strbuf *out)
{
	size_t	off = 0, used, len = strlen(s);
	int	stripped = 0;

	strbuf_reset(out);
	while (off < len) {
		if (sms_gsm_septets(sms_decode((const unsigned char *)s + off,
		    len - off, &used)) == 0)
			stripped = 1;
		else
			strbuf_add(out, s + off, used);
		off += used;
	}
	return stripped;
}

/*
 * The text does not fit: shorten the note.  A note with a character
 * outside GSM-7 (an emoji, a check mark) makes the whole text UCS-2, 70
 * characters a segment instead of 160; when the note without those
 * characters keeps more of its words, that one is sent.  1 when the note
 * made it fit, 0 when the text is too long even without it.
 */
static int
sms_fit(struct sms_note *n, const char *note)
{
	struct strbuf	folded = STRBUF_INIT, gsm = STRBUF_INIT;
	long		kept, kept_gsm;
	int		fitted;

	strbuf_adds(&folded, note);
	sms_fold(&folded);
	n->full = strbuf_str(&folded);
	kept = sms_fit_note(n);
	if (sms_strip_non_gsm(n->full, &gsm)) {
		n->full = strbuf_str(&gsm);
		kept_gsm = sms_fit_note(n);
		if (kept_gsm <= kept) {
			n->full = strbuf_str(&folded);
			kept = sms_fit_note(n);
		} else
			kept = kept_gsm;
	}
	fitted = kept >= 0;
	strbuf_release(&folded);
	strbuf_release(&gsm);
	return fitted;
}

void
sms_render(struct strbuf *out, const char *tpl,
    const struct template_var *vars, size_t nvars, int max_segments,
    struct sms_count *count)
{
	struct sms_note	 n;
	size_t		 i;
	int		 fitted = 0;

	sms_render_plain(out, tpl, vars, nvars);
	if (sms_fits(strbuf_str(out), out->len, max_segments))
		goto done;

	memset(&n, 0, sizeof n);
	strbuf_init(&n.cut);
	n.vars = xcalloc(nvars, sizeof *n.vars);
	if (nvars > 0)
		memcpy(n.vars, vars, nvars * sizeof *vars);
	for (i = 0; i < nvars; i++)
		if (strcmp(vars[i].name, "note") == 0 &&
		    vars[i].value != NULL && vars[i].value[0] != '\0')
			break;
	if (i < nvars) {
		n.out = out;
		n.tpl = tpl;
		n.nvars = nvars;
		n.note = i;
		n.max = max_segments;
		if (!(fitted = sms_fit(&n, vars[i].value))) {
			n.vars[i].value = "";
			sms_render_plain(out, tpl, n.vars, nvars);
		}
	}
	if (!fitted) {
		out->len = sms_cut(strbuf_str(out), out->len, max_segments);
		if (out->buf != NULL)
			out->buf[out->len] = '\0';
	}
	free(n.vars);
	strbuf_release(&n.cut);
done:
	if (count != NULL)
		sms_count(strbuf_str(out), out->len, count);
}

const char *
sms_encoding_name(enum sms_encoding enc)
{
	return enc == SMS_GSM7 ? "GSM-7" : "UCS-2";
}
