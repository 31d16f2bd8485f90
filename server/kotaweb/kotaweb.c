/*
 * kotaweb: the public HTTP face of Kota: Open311 and the status page
 *
 *	kotaweb -c FILE [-f]
 *	kotaweb -c FILE -t
 *
 * Its own process, apart from kotad, so that the public surface never
 * shares memory with the gateways' secrets; its own database role
 * (kota_web), which may call only the citizen-facing kota.web_*
 * functions.  Without -f it detaches and logs to syslog; with -f it stays
 * in the foreground and logs to stderr (systemd).  -t checks the
 * configuration and exits.  SIGTERM and SIGINT stop it after the calls in
 * flight are answered; SIGHUP is logged and changes nothing (the
 * configuration is read at start only).  See kotaweb(8).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <microhttpd.h>

#include "daemon.h"
#include "exitcode.h"
#include "i18n.h"
#include "kotaweb.h"
#include "log.h"

static void
kw_usage(FILE *fp)
{
	fprintf(fp, "%s", _("usage: kotaweb -c FILE [-f | -t]\n"
	    "  -c FILE  the configuration, see kotaweb.conf(5)\n"
	    "  -f       stay in the foreground and log to stderr\n"
	    "  -t       check the configuration and exit\n"
	    "  -V       print the version and exit\n"));
}

/*
 * Serve until TERM or INT.  The signals are blocked before MHD starts its
 * threads, which inherit the mask, and taken here with sigwait(): no
 * handler runs anywhere.
 */
static int
kw_serve(void)
{
	struct MHD_Daemon	*d;
	struct sigaction	 sa;
	sigset_t		 set;
	int			 sig;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	kw_db_init();
	if ((d = kw_http_start()) == NULL) {
		log_error(_("cannot listen on %s: %s"), kw_cf.s.http_listen,
		    strerror(errno));
		return EXIT_REFUSED;
	}
	daemon_notify("READY=1");
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			log_info("%s", _("SIGHUP: kotaweb reads its configuration at start only; restart it to apply a change"));
			continue;
		}
		break;
	}
	log_info("%s", _("stopping: answering the calls in flight"));
	daemon_notify("STOPPING=1");
	kw_http_stop(d);
	kw_db_fini();
	log_info("%s", _("stopped"));
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	enum log_level	 lvl;
	char		 err[CONF_ERRMAX];
	const char	*path = NULL;
	bool		 foreground = false, check = false;
	int		 ch, rc;

	i18n_init(NULL);
	log_init("kotaweb", LOG_LEVEL_INFO, 1);
	while ((ch = getopt(argc, argv, "c:fhtV")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 't':
			check = true;
			break;
		case 'h':
			kw_usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("kotaweb (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EXIT_OK;
		default:
			kw_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (path == NULL || optind != argc || (check && foreground)) {
		kw_usage(stderr);
		return EXIT_USAGE;
	}
	if (check)
		log_init("kotaweb", LOG_LEVEL_INFO, 0);
	if (kw_conf_load(path, &kw_cf, err, sizeof err) != 0) {
		log_error("%s", err);
		kw_conf_release(&kw_cf);
		return EXIT_REFUSED;
	}
	if (check) {
		printf(_("%s: the configuration is good\n"), path);
		kw_conf_release(&kw_cf);
		return EXIT_OK;
	}
	if (log_parse_level(kw_cf.s.log_level, &lvl) == 0)
		log_set_level(lvl);
	/* the answers' messages speak the language of the names */
	i18n_set_lang(kw_langs[kw_cf.s.o311_lang]);
	if (!foreground && daemon_detach("kotaweb") != 0) {
		log_error(_("cannot become a daemon: %s"), strerror(errno));
		kw_conf_release(&kw_cf);
		return EXIT_REFUSED;
	}
	rc = kw_serve();
	kw_conf_release(&kw_cf);
	return rc;
}
