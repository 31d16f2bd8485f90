/*
 * kotad: deliver Kota's notifications by SMS and webhook
 *
 *	kotad -c FILE [-f]
 *	kotad -c FILE -t
 *
 * Without -f kotad detaches (fork, setsid, fork) and logs to syslog; with
 * -f it stays in the foreground and logs to stderr, which is how systemd
 * runs it (Type=notify: "READY=1" goes to $NOTIFY_SOCKET when the loop
 * starts; no libsystemd needed, the protocol is one datagram).  With -t
 * it checks the citizens' SMS templates of the database against one
 * segment (kotad_tpl.c), prints them and exits.  See kotad(8).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "exitcode.h"
#include "i18n.h"
#include "kotad.h"
#include "log.h"

volatile sig_atomic_t kd_sig_reload;
volatile sig_atomic_t kd_sig_stop;

static void
kd_on_hup(int sig)
{
	(void)sig;
	kd_sig_reload = 1;
}

static void
kd_on_term(int sig)
{
	(void)sig;
	kd_sig_stop++;
}

static void
kd_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = kd_on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = kd_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* host:pid:random, unique to this process in kota.notification.claimed_by */
static void
kd_worker_id(char *out, size_t outsz)
{
	char		host[64];
	struct timespec	ts;

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	clock_gettime(CLOCK_REALTIME, &ts);
	srandom((unsigned)(ts.tv_nsec ^ ts.tv_sec ^ getpid()));
	snprintf(out, outsz, "%s:%ld:%04lx", host, (long)getpid(),
	    random() & 0xffff);
}

static void
kd_usage(FILE *fp)
{
	fprintf(fp, "%s", _("usage: kotad -c FILE [-f | -t]\n"
	    "  -c FILE  the configuration, see kotad.conf(5)\n"
	    "  -f       stay in the foreground and log to stderr\n"
	    "  -t       check the SMS templates against one segment and exit\n"));
}

/* kotad -t: 0 when every SMS template fits one segment, 1 when one does
 * not, 3 when the database cannot be read. */
static int
kd_check_templates(struct kd *kd)
{
	struct db_error	err;
	int		bad;

	kd->db = db_new(kd->conf->s.db_conninfo, "kotad");
	if (db_ensure(kd->db, &err) != 0) {
		log_error(_("cannot reach the database: %s"), err.message);
		db_free(&kd->db);
		return EXIT_UNREACHABLE;
	}
	bad = kd_tpl_check(kd, stdout);
	db_free(&kd->db);
	if (bad < 0)
		return EXIT_UNREACHABLE;
	if (bad > 0)
		log_error(_("SMS templates over one segment: %d"), bad);
	return bad > 0 ? EXIT_REFUSED : EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct kd	 kd;
	enum log_level	 lvl;
	char		 err[CONF_ERRMAX], *abspath = NULL;
	const char	*path = NULL;
	bool		 foreground = false, check = false;
	int		 ch, rc;

	i18n_init(NULL);
	log_init("kotad", LOG_LEVEL_INFO, 1);
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
			kd_usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("kotad (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EXIT_OK;
		default:
			kd_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (path == NULL || optind != argc || (check && foreground)) {
		kd_usage(stderr);
		return EXIT_USAGE;
	}

	/* -t answers at a terminal, as kotactl config check does: the same
	 * lines, without a daemon's timestamps */
	if (check)
		log_init("kotad", LOG_LEVEL_INFO, 0);
	memset(&kd, 0, sizeof kd);
	route_cache_init(&kd.routes);
	/* detached, kotad works in /: SIGHUP must find the file again */
	if ((abspath = realpath(path, NULL)) != NULL)
		path = abspath;
	kd.conf_path = path;
	if (kd_conf_load(path, &kd.conf, err, sizeof err) != 0) {
		log_error("%s", err);
		free(abspath);
		return EXIT_REFUSED;
	}
	if (log_parse_level(kd.conf->s.log_level, &lvl) == 0)
		log_set_level(lvl);
	if (check) {
		rc = kd_check_templates(&kd);
		kd_conf_unref(&kd.conf);
		free(abspath);
		return rc;
	}
	if (!foreground && daemon_detach("kotad") != 0) {
		log_error(_("cannot become a daemon: %s"), strerror(errno));
		kd_conf_unref(&kd.conf);
		free(abspath);
		return EXIT_REFUSED;
	}
	kd_signals();
	kd_worker_id(kd.worker, sizeof kd.worker);
	/* libcurl fails to start only for want of memory */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    kd_send_init(&kd) != 0) {
		log_error("%s", _("out of memory"));
		kd_conf_unref(&kd.conf);
		free(abspath);
		return EXIT_REFUSED;
	}
	kd.db = db_new(kd.conf->s.db_conninfo, "kotad");
	kd.dba = dba_new(kd.db, kd.conf->s.db_conninfo, "kotad");
	log_info(_("started as %s (pid %ld)"), kd.worker, (long)getpid());
	rc = kd_run(&kd);
	/* what is still on the wire ends here: outcomes kept, jobs given up */
	kd.db_up = false;
	dba_lost(kd.dba, NULL);
	kd_send_fini(&kd);
	kd_results_free(&kd);
	free(kd.results);
	route_cache_release(&kd.routes);
	dba_free(&kd.dba);
	db_free(&kd.db);
	kd_conf_unref(&kd.conf);
	curl_global_cleanup();
	free(abspath);
	return rc;
}
