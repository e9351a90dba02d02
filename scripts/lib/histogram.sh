# shellcheck shell=bash
# Pulse's timers as the benchmarks read them from /actuator/prometheus: Micrometer exports each as cumulative
# buckets since start (and no quantile gauges next to them), so a quantile is the upper bound of the first bucket
# holding its rank. Sourced, never executed.

# The buckets of histogram NAME (e.g. pulse_checkpoint_duration_seconds) in a Prometheus text dump on stdin, as
# "le count" lines in bound order, summed over the series that share a bound.
histogram_buckets() {
  awk -F'[{}]' -v name="$1_bucket" '$1 == name {
      match($2, /le="[^"]*"/); le = substr($2, RSTART + 4, RLENGTH - 5); split($3, v, " "); sum[le] += v[1]
    } END { for (le in sum) print le, sum[le] }' | sort -g
}

# For quantile Q of the samples counted between bucket files BEFORE and AFTER (BEFORE empty: since start), prints
# "bound lower total": the bound of the first bucket holding rank Q (+Inf when only the open bucket does), the bound
# of the bucket below it, and how many samples there are ("- - 0" when none).
histogram_quantile() {
  local q=$1 after=$2 before=${3:-}
  join -a 1 <(sort "$after") <(sort "${before:-/dev/null}") | sort -g | awk -v q="$q" '
    { le[NR] = $1; n[NR] = $2 - ($3 == "" ? 0 : $3) } END {
      total = n[NR]; if (total <= 0) { print "- - 0"; exit }
      for (i = 1; i <= NR; i++) if (n[i] >= q * total) { print le[i], (i > 1 ? le[i - 1] : 0), total; exit } }'
}
