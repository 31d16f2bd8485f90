/*
 * bench_intake: how many requests a second Kota takes in through libkota
 *
 *	bench_intake -d CONNINFO [-c CLIENTS] [-t SECONDS] [-s SERVICE]
 *	    [-p SOUTH,WEST,NORTH,EAST]
 *
 * Each client is a thread with its own connection, calling request_create()
 * (kota.request_create, prepared) in a loop with varied text and callers,
 * as clerks would.  With -p each request also has a point, uniformly
 * spread over that box (degrees of latitude and longitude), as an app's
 * reports have: the database gives it its areas, and the rules may route
 * by them.  Prints one line: clients, requests, rate, p50 and p99
 * latency in ms, and the CPU time the server's backends spent per request
 * (from /proc/PID/stat, when the server runs on this machine; else 0),
 * which the neighbours' load on a shared machine disturbs less than the
 * rate:
 *
 *	clients= requests= errors= seconds= rate= p50_ms= p99_ms= server_cpu_us=
 */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "route_load.h"

#define MAX_CLIENTS	64
#define MAX_SAMPLES	(1 << 20)

struct client {
	pthread_t	 thread;
	int		 no;
	const char	*conninfo;
	const char	*service;
	double		 seconds;
	const double	*box;		/* south, west, north, east; or NULL */
	long		 done;
	long		 errors;
	double		*lat;		/* ms per call */
	long		 nlat;
	double		 cpu;		/* the backend's CPU seconds, -1: unknown */
};

/* A process's user and system CPU time in seconds, or -1. */
static double
proc_cpu(int pid)
{
	char	 path[64], buf[1024], *p;
	FILE	*f;
	unsigned long long utime, stime;
	size_t	 n;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after the command name in parentheses: fields 3 to 15 */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2,
	    "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	    &utime, &stime) != 2)
		return -1;
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char *const places[] = {
	"Jl. Merdeka", "Jl. Asia Afrika", "Jl. Braga", "Jl. Dago",
	"Jl. Otto Iskandardinata", "Jl. Pasteur", "Jl. Cihampelas",
	"Jl. Sudirman",
};
static const char *const what[] = {
	"Jalan berlubang besar, membahayakan pengendara motor",
	"Lampu jalan mati sejak tiga hari",
	"Sampah menumpuk belum diangkut seminggu",
	"Saluran air tersumbat, air meluap ke jalan",
	"Pothole near the market entrance, cars swerve around it",
};

static void *
client_run(void *arg)
{
	struct client		*c = arg;
	struct db		*db;
	struct route_cache	 routes;	/* each thread its own engine */
	struct db_error		 err;
	struct request_input	 in;
	struct request_created	 out;
	char			 desc[256], addr[96], phone[24];
	double			 start, t0, t1, cpu0;
	unsigned		 seed = 12345u + (unsigned)c->no * 7919u;
	int			 pid;

	db = db_new(c->conninfo, "bench_intake");
	if (db == NULL || db_connect(db, NULL, &err) != 0) {
		fprintf(stderr, "bench_intake: client %d: %s\n", c->no,
		    db != NULL ? err.message : "out of memory");
		c->errors++;
		db_free(&db);
		return NULL;
	}
	route_cache_init(&routes);
	memset(&in, 0, sizeof in);
	in.service = c->service;
	in.district = "Coblong";
	pid = PQbackendPID(db_conn(db));
	cpu0 = proc_cpu(pid);
	start = now_ms();
	for (;;) {
		unsigned r = (unsigned)rand_r(&seed);

		snprintf(desc, sizeof desc, "%s (laporan %u-%ld)",
		    what[r % 5], (unsigned)c->no, c->done);
		snprintf(addr, sizeof addr, "%s No. %u", places[(r >> 4) % 8],
		    1 + (r >> 8) % 200);
		/* a fifth of callers have called before */
		snprintf(phone, sizeof phone, "08%02u%08u", 11 + (r >> 3) % 9,
		    (r % 5 == 0) ? (r >> 12) % 1000 : (r >> 6) % 100000000);
		in.description = desc;
		in.address = addr;
		in.phone = phone;
		if (c->box != NULL) {
			in.has_location = true;
			in.lat = c->box[0] + (c->box[2] - c->box[0]) *
			    (double)rand_r(&seed) / RAND_MAX;
			in.lon = c->box[1] + (c->box[3] - c->box[1]) *
			    (double)rand_r(&seed) / RAND_MAX;
		}
		t0 = now_ms();
		if (request_create(db, &routes, &in, &out, &err) != 0) {
			if (c->errors++ < 3)
				fprintf(stderr, "bench_intake: %s\n", err.message);
		} else {
			c->done++;
		}
		t1 = now_ms();
		if (c->nlat < MAX_SAMPLES)
			c->lat[c->nlat++] = t1 - t0;
		if (t1 - start >= c->seconds * 1e3)
			break;
	}
	c->cpu = cpu0 >= 0 && proc_cpu(pid) >= 0 ? proc_cpu(pid) - cpu0 : -1;
	route_cache_release(&routes);
	db_free(&db);
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct client	 clients[MAX_CLIENTS];
	const char	*conninfo = NULL, *service = "jalan_berlubang";
	double		 seconds = 10, t0, elapsed, *all, cpu = 0, box[4];
	bool		 has_box = false;
	long		 total = 0, errors = 0, n = 0;
	int		 nclients = 1, ch, i;

	log_init("bench_intake", LOG_LEVEL_WARNING, 0);
	while ((ch = getopt(argc, argv, "d:c:t:s:p:")) != -1) {
		switch (ch) {
		case 'd': conninfo = optarg; break;
		case 'c': nclients = atoi(optarg); break;
		case 't': seconds = atof(optarg); break;
		case 's': service = optarg; break;
		case 'p':
			if (sscanf(optarg, "%lf,%lf,%lf,%lf", &box[0], &box[1],
			    &box[2], &box[3]) != 4 || box[0] < -90 ||
			    box[2] > 90 || box[0] > box[2] || box[1] < -180 ||
			    box[3] > 180 || box[1] > box[3]) {
				fprintf(stderr, "bench_intake: -p SOUTH,WEST,NORTH,EAST in degrees\n");
				return 2;
			}
			has_box = true;
			break;
		default:
			fprintf(stderr, "usage: bench_intake -d CONNINFO [-c CLIENTS] [-t SECONDS] [-s SERVICE]\n"
			    "                    [-p SOUTH,WEST,NORTH,EAST]\n");
			return 2;
		}
	}
	if (nclients < 1 || nclients > MAX_CLIENTS || seconds <= 0) {
		fprintf(stderr, "bench_intake: 1 to %d clients, seconds > 0\n",
		    MAX_CLIENTS);
		return 2;
	}
	memset(clients, 0, sizeof clients);
	t0 = now_ms();
	for (i = 0; i < nclients; i++) {
		clients[i].no = i;
		clients[i].conninfo = conninfo;
		clients[i].service = service;
		clients[i].seconds = seconds;
		clients[i].box = has_box ? box : NULL;
		clients[i].lat = malloc(MAX_SAMPLES * sizeof(double));
		if (clients[i].lat == NULL) {
			fprintf(stderr, "bench_intake: out of memory\n");
			return 1;
		}
		pthread_create(&clients[i].thread, NULL, client_run, &clients[i]);
	}
	for (i = 0; i < nclients; i++) {
		pthread_join(clients[i].thread, NULL);
		total += clients[i].done;
		errors += clients[i].errors;
		n += clients[i].nlat;
		if (clients[i].cpu < 0 || cpu < 0)
			cpu = -1;
		else
			cpu += clients[i].cpu;
	}
	elapsed = (now_ms() - t0) / 1e3;
	all = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
	if (all == NULL)
		return 1;
	for (n = 0, i = 0; i < nclients; i++) {
		memcpy(all + n, clients[i].lat, (size_t)clients[i].nlat * sizeof(double));
		n += clients[i].nlat;
		free(clients[i].lat);
	}
	qsort(all, (size_t)n, sizeof(double), cmp_double);
	printf("clients=%d requests=%ld errors=%ld seconds=%.1f rate=%.0f p50_ms=%.2f p99_ms=%.2f server_cpu_us=%.0f\n",
	    nclients, total, errors, elapsed, total / elapsed,
	    n > 0 ? all[n / 2] : 0.0, n > 0 ? all[(n * 99) / 100] : 0.0,
	    cpu > 0 && total > 0 ? cpu * 1e6 / (double)total : 0.0);
	free(all);
	return errors > 0 && total == 0 ? 1 : 0;
}
