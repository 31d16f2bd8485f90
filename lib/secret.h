/*
 * secret.h: secrets kept in files of their own
 *
 * A password, an API token or a signing secret never comes from the
 * command line (ps shows it to everyone) nor from a config file others may
 * read: it comes from a regular file that only its owner may read or
 * write (chmod 600), holding the secret on one line.  Buffers that held
 * one are wiped before they are freed.
 */
#ifndef KOTA_SECRET_H
#define KOTA_SECRET_H

#include <stddef.h>

#define SECRET_MAX	4096	/* longer files are refused */

/*
 * Read the secret in path: trailing blanks and the newline are dropped.
 * what names the setting or option it came from in messages ("[webhook]
 * secret_file", "--file").  0 and a new string in *out, to be freed with
 * secret_free(); or -1 with a message in err.
 */
int	secret_read(const char *path, const char *what, char **out, char *err,
	    size_t errsz);

/* Wipe and free a secret from secret_read() and set the pointer to NULL. */
void	secret_free(char **sp);

#endif
