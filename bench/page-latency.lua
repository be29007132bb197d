-- wrk script: GET one dashboard page with a signed-in session (env COOKIE = "JSESSIONID=..."), and print the
-- latency percentiles the dashboard's figures name (wrk --latency does not print p95).
function init(args)
  wrk.headers["Cookie"] = os.getenv("COOKIE")
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (status %d), p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
