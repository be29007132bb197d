-- wrk script: agent heartbeats, rotating over the enrolled hosts of a file of "hostId credential" lines
-- (env HOSTS), each request with its own host's credential, as real agents send them.
local hosts = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  for line in io.lines(os.getenv("HOSTS")) do
    local id, credential = line:match("^(%S+)%s+(%S+)$")
    if id then
      table.insert(hosts, { id = id, credential = credential })
    end
  end
  n = id or 1
  sequence = 0
end

function request()
  n = n % #hosts + 1
  sequence = sequence + 1
  local h = hosts[n]
  local body = string.format('{"hostId":"%s","sequence":%d,"sentAt":"2026-11-30T12:00:00Z","uptimeSeconds":86400,'
    .. '"load1":1.0,"agentVersion":"wrk","spoolDepth":0,"spoolDropped":0}', h.id, sequence)
  return wrk.format("POST", "/api/v1/agent/heartbeat",
    { ["Authorization"] = "Bearer " .. h.credential, ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  io.write(string.format("wrk heartbeats: %.0f/s, non-2xx %d, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests / (summary.duration / 1e6), summary.errors.status, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
