#!/bin/sh
# simulate.sh: the load of a national Kota, one cluster for every
# kabupaten/kota, sharded by jurisdiction (doc/SCALE.md, "The plan past one
# city"), against the rates Kota measures on one machine.
#
#   sh contrib/scale/simulate.sh [--list] [NAME=VALUE ...]
#
# --list prints every jurisdiction the model holds instead (name, people;
# the filled-in ones named "other NNN"), for shard planning and checks.
#
# The model's numbers are in load.conf beside this script, the largest
# jurisdictions in jurisdictions.tsv; NAME=VALUE overrides one of
# load.conf's (e.g. bench_intake=900 after a make bench, node_cores=32).
# The unlisted kabupaten/kota are filled in up to the national count and
# population with a log-logistic spread (the long tail of small regencies),
# none larger than rest_max (the list holds the larger ones).  It prints, for three
# rates of requests per citizen per year: the yearly volume, the mean and
# peak-hour rates nationally and for the largest jurisdiction in a flood,
# the writes, notifications, inbound messages and reads per second at that
# peak, and the nodes they need; then the storage, and the largest
# jurisdiction's share (a shard's floor).  POSIX sh and awk only.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
conf=${KOTA_SCALE_CONF:-$here/load.conf}
data=${KOTA_SCALE_DATA:-$here/jurisdictions.tsv}
list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
for a in "$@"; do
	case $a in
	[a-z]*=*) ;;
	*) echo "usage: simulate.sh [--list] [NAME=VALUE ...]" >&2; exit 2 ;;
	esac
	grep -q "^${a%%=*}=" "$conf" || {
		echo "simulate.sh: no setting ${a%%=*} in $conf" >&2
		exit 2
	}
done

{
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$conf"
	for a in "$@"; do echo "$a"; done
	echo "--data--"
	grep -v '^#' "$data"
} | awk -F'\t' -v list="$list" '
function ceil(x) { return (x == int(x)) ? x : int(x) + 1 }
function fmt(x) {	# thousands separators, no decimals
	x = sprintf("%.0f", x)
	while (x ~ /[0-9][0-9][0-9][0-9]/)
		sub(/[0-9][0-9][0-9]($|,)/, ",&", x)
	sub(/^,/, "", x)
	gsub(/,,/, ",", x)
	return x
}
!data && $0 == "--data--" { data = 1; next }
!data {
	split($0, kv, "=")
	if (!(kv[1] in seen) && kv[1] != "")
		order[++nk] = kv[1]
	seen[kv[1]] = 1
	v[kv[1]] = kv[2] + 0
	s[kv[1]] = kv[2]
	next
}
NF >= 3 {
	n++
	name[n] = $1; pop[n] = $3 + 0; region[n] = $4
	listed += pop[n]
}
END {
	nrest = v["jurisdictions"] - n
	prest = v["population"] - listed
	if (nrest < 0 || prest < 0) {
		print "simulate.sh: the listed jurisdictions exceed the country" > "/dev/stderr"
		exit 1
	}
	# the long tail: log-logistic quantiles, scaled to the rest of the
	# population, none above the smallest large listed one
	cap = v["rest_max"]
	for (i = 1; i <= nrest; i++) {
		p = (i - 0.5) / nrest
		q[i] = exp(v["rest_shape"] * log(p / (1 - p)))
		fixed[i] = 0
	}
	for (round = 0; round < 50; round++) {
		free = 0; held = 0
		for (i = 1; i <= nrest; i++)
			if (fixed[i]) held += cap; else free += q[i]
		k = (prest - held) / free
		more = 0
		for (i = 1; i <= nrest; i++)
			if (!fixed[i] && q[i] * k > cap) { fixed[i] = 1; more = 1 }
		if (!more) break
	}
	for (i = 1; i <= nrest; i++)
		x[i] = fixed[i] ? cap : q[i] * k
	rmin = x[1]; rmax = x[nrest]; rmed = x[int((nrest + 1) / 2)]
	if (list) {
		for (i = 1; i <= n; i++)
			printf "%s\t%d\n", name[i], pop[i] * 1000
		for (i = 1; i <= nrest; i++)
			printf "other %03d\t%d\n", i, x[i] * 1000 + 0.5
		exit 0
	}

	total = (listed + prest) * 1000
	big = 0; flood = 0
	for (i = 1; i <= n; i++) {
		if (pop[i] > pop[big]) big = i
		if (region[i] == s["flood_region"]) flood += pop[i] * 1000
	}
	bigpop = pop[big] * 1000

	printf "Kota, a national deployment: %d kabupaten/kota, %s people\n", \
	    v["jurisdictions"], fmt(total)
	printf "  listed %d (%s people); the other %d filled in: %s to %s people, median %s\n", \
	    n, fmt(listed * 1000), nrest, fmt(rmin * 1000), fmt(rmax * 1000), fmt(rmed * 1000)
	printf "  flood region %s: %s people (%.1f%%); largest: %s, %s (%.2f%%)\n\n", \
	    s["flood_region"], fmt(flood), 100 * flood / total, name[big], fmt(bigpop), 100 * bigpop / total

	scale = v["node_cores"] / v["bench_cores"] * v["scale_efficiency"] * v["utilisation"]
	cap_w = v["bench_intake"] * scale
	cap_g = v["bench_get"] * scale
	cap_d = v["bench_dispatch"] * scale
	cap_i = v["bench_inbound"] * scale
	printf "One node (%d cores, %.0f%% of linear scaling from the %d-core bench, at most %.0f%% busy):\n", \
	    v["node_cores"], 100 * v["scale_efficiency"], v["bench_cores"], 100 * v["utilisation"]
	printf "  %s intakes/s, %s GETs/s, %s deliveries/s, %s inbound messages/s\n\n", \
	    fmt(cap_w), fmt(cap_g), fmt(cap_d), fmt(cap_i)

	printf "%-34s %14s %14s %14s\n", "requests per citizen per year", \
	    v["rate_low"], v["rate_mid"], v["rate_high"]
	split("rate_low rate_mid rate_high", rk, " ")
	for (c = 1; c <= 3; c++) {
		r = v[rk[c]]
		year[c] = total * r
		mean[c] = year[c] / (365 * 86400)
		# the busiest hour of a working day in a rainy month
		peak[c] = year[c] / 365 * v["wet_month"] * v["weekday"] * v["peak_hour"] / 3600
		# the same hour with the flood region flooded
		fpeak[c] = peak[c] * (1 + (v["flood_day"] - 1) * flood / total)
		bpeak[c] = peak[c] * bigpop / total * v["flood_day"]
		wr[c] = fpeak[c] * v["writes_per_request"]
		nt[c] = fpeak[c] * v["notices_per_request"]
		ib[c] = fpeak[c] * v["inbound_per_request"]
		gt[c] = fpeak[c] * v["gets_per_request"]
		load[c] = wr[c] / cap_w + nt[c] / cap_d + ib[c] / cap_i
		tb[c] = year[c] * v["bytes_per_request"] * v["years_kept"] / 1e12
		w_cpu[c] = ceil(load[c])
		w_sto[c] = ceil(tb[c] / v["node_storage_tb"])
		w[c] = w_cpu[c] > w_sto[c] ? w_cpu[c] : w_sto[c]
		rd[c] = ceil(gt[c] / cap_g)
	}
	row("requests a year", year, 0)
	row("mean requests/s", mean, 1)
	row("peak hour, rainy working day /s", peak, 1)
	row("the same, flood region flooded /s", fpeak, 1)
	row("largest jurisdiction, flooded /s", bpeak, 1)
	row("writes (intake-equivalents)/s", wr, 1)
	row("notifications sent/s", nt, 1)
	row("inbound messages/s", ib, 1)
	row("Open311 GETs/s", gt, 1)
	row("worker CPU at peak (nodes)", load, 2)
	row("data kept (TB)", tb, 1)
	row("workers for CPU", w_cpu, 0)
	row("workers for storage", w_sto, 0)
	row("WORKERS (+ a standby each)", w, 0)
	row("read standbys for the GETs", rd, 0)
	printf "\nA jurisdiction is never split across shards: the largest is %.2f%% of the\n", 100 * bigpop / total
	printf "country, so up to %d equal workers stay balanced by population.\n", int(total / bigpop)
}
function row(label, a, d,    c) {
	printf "%-34s", label
	for (c = 1; c <= 3; c++)
		if (d == 0) printf " %14s", fmt(a[c]); else printf " %14.*f", d, a[c]
	printf "\n"
}
'
