/*
 * conf.h: INI configuration files, read against a declared table of keys
 *
 * A program declares what it accepts as a table of struct conf_key, each
 * naming a section, a key, a type, a default and where the value goes in the
 * program's own settings struct (offsetof).  conf_load() fills the struct
 * with defaults, reads the file and refuses anything the table does not
 * declare, so a typo in kotad.conf is an error with a file and line, never
 * a silently ignored setting.
 *
 * Syntax: "[section]" lines, "key = value" lines, comments starting with
 * '#' or ';' at the start of a line (after blanks).  Blanks around keys and
 * values are trimmed.  A value may be double-quoted to keep leading or
 * trailing blanks or a '#'; inside quotes \" \\ \n \t are escapes.  Section
 * and key names are case-insensitive ASCII.  A key given twice in one file
 * is an error, except for CONF_LIST keys, which collect every occurrence.
 */
#ifndef KOTA_CONF_H
#define KOTA_CONF_H

#include <stdbool.h>
#include <stddef.h>

enum conf_type {
	CONF_STRING,	/* char *, heap copy; NULL when unset and no default */
	CONF_INT,	/* int, checked against min and max */
	CONF_BOOL,	/* bool: true/false, yes/no, on/off, 1/0 */
	CONF_ENUM,	/* int, the index of the value in choices[] */
	CONF_DURATION,	/* int milliseconds: "250ms", "5s", "2m", "1h", "3" (=s) */
	CONF_TIMERANGE,	/* struct conf_timerange: "21:00-07:00" */
	CONF_LIST,	/* struct conf_list: every occurrence of the key, in order */
};

struct conf_timerange {
	bool	set;
	int	start;		/* minutes after midnight, 0..1439 */
	int	end;		/* minutes after midnight, 0..1439 */
};

struct conf_list {
	int	n;
	char  **items;		/* heap copies */
};

struct conf_key {
	const char	*section;
	const char	*name;
	enum conf_type	 type;
	const char	*def;		/* default as text, parsed like a value; may be NULL */
	size_t		 offset;	/* offsetof() into the settings struct */
	long		 min, max;	/* CONF_INT and CONF_DURATION bounds; 0,0 = none */
	const char *const *choices;	/* CONF_ENUM: NULL-terminated */
	bool		 reloadable;	/* may change on SIGHUP */
	const char	*help;
};

#define CONF_ERRMAX	512

/*
 * Fill settings from the table's defaults, then from the file at path.
 * Returns 0, or -1 with a message in err such as
 * "kotad.conf:12: unknown key 'timout_ms' in section [dispatch]".
 * On failure the settings hold defaults and whatever was read before the
 * error; free them with conf_free() either way.
 */
int	conf_load(const struct conf_key *table, void *settings,
	    const char *path, char *err, size_t errsz);

/* The same, from a string already in memory; name is used in messages. */
int	conf_load_string(const struct conf_key *table, void *settings,
	    const char *name, const char *text, size_t len, char *err,
	    size_t errsz);

/* Set defaults only. */
int	conf_defaults(const struct conf_key *table, void *settings, char *err,
	    size_t errsz);

/* Free the heap parts (CONF_STRING and CONF_LIST) and reset them. */
void	conf_free(const struct conf_key *table, void *settings);

/* Look a key up in the table, case-insensitively; NULL if absent. */
const struct conf_key *conf_find(const struct conf_key *table,
	    const char *section, const char *name);

#endif
