/*
 * out.h: one writer for both of Open311's formats
 *
 * A handler describes its answer once, as nested containers and fields;
 * out.c writes it as XML or as JSON by the Spark convention, which the
 * spec's JSON follows: a container of one repeated child is an array (the
 * top-level <services>, <service_requests>, <errors>, <attributes>,
 * <values>), any other container an object (<discovery>,
 * <service_definition>, each <service>, <request>, <attribute>).
 *
 *	out_open(o, "services", OUT_ARRAY);	<services>	[
 *	out_open(o, "service", OUT_OBJECT);	<service>	{
 *	out_str(o, "service_code", "pju");	<service_code>pju</service_code>
 *						"service_code":"pju"
 *	out_close(o); out_close(o);		</service></services>	}]
 *
 * The XML starts with its declaration; text is escaped (& < > ") and the
 * characters XML 1.0 does not allow are dropped, malformed UTF-8 too.  A
 * NULL string is an empty element in XML and null in JSON; numbers and
 * booleans are bare in JSON.
 */
#ifndef KOTAWEB_OUT_H
#define KOTAWEB_OUT_H

#include <stdbool.h>

#include "strbuf.h"

enum out_format {
	OUT_XML,
	OUT_JSON,
};

enum out_container {
	OUT_OBJECT,
	OUT_ARRAY,
};

#define OUT_DEPTH	8

struct out {
	enum out_format	 fmt;
	struct strbuf	 sb;
	int		 depth;
	struct {
		const char		*name;
		enum out_container	 kind;
		int			 n;	/* members written */
	} stack[OUT_DEPTH];
};

void	out_init(struct out *o, enum out_format fmt);
void	out_release(struct out *o);

/* The exact Content-Type of a format. */
const char *out_content_type(enum out_format fmt);

void	out_open(struct out *o, const char *name, enum out_container kind);
void	out_close(struct out *o);

void	out_str(struct out *o, const char *name, const char *value);
/* A number as the database wrote it ("-6.2", "1e-05"); anything that is
 * not a JSON number is written as NULL is. */
void	out_num(struct out *o, const char *name, const char *value);
void	out_int(struct out *o, const char *name, long value);
void	out_bool(struct out *o, const char *name, bool value);

/* Append n bytes of s escaped as XML text (exposed for the unit test). */
void	out_xml_escape(struct strbuf *sb, const char *s, size_t n);

#endif
