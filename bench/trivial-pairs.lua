-- wrk script: the HTTP ceiling, two calls to a trivial authenticated endpoint counted as one pair. Env: TOKEN.
local token = os.getenv("TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.path = "/api/v1/hardware-profiles/backblaze-pod-6.0"

function done(summary, latency, requests)
  io.write(string.format("wrk trivial: %.0f pairs/s (%.0f requests/s), errors %d, request p50 %.1f ms, p99 %.1f ms\n",
    summary.requests / 2 / (summary.duration / 1e6), summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
