-- wrk script: full 60-drive agent reports. Env REPORTS: a file of "hostId<TAB>credential<TAB>body" lines, each body
-- a report the simulator made for that host with "@ID@" and "@AT@" in place of its report id and time. Every request
-- sends its host's report with a new report id and the current time, so the server stores each one in full, as it
-- does the Java client's; wrk only leaves more of the two cores to the server. Each wrk thread takes its own share of
-- the hosts (env THREADS: wrk's -t) and goes round them, so with fewer connections than hosts no two reports of one
-- host are in flight at once, as with real agents.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  local count = tonumber(os.getenv("THREADS") or "1")
  mine = {}
  local i = 0
  for line in io.lines(os.getenv("REPORTS")) do
    local host, credential, body = line:match("^(%S+)\t(%S+)\t(.+)$")
    if host then
      if i % count == id - 1 then
        local a = body:find("@ID@", 1, true)
        local b = body:find("@AT@", 1, true)
        if not a or not b or b < a then
          error("a report's body needs @ID@ before @AT@")
        end
        table.insert(mine, { credential = credential, head = body:sub(1, a - 1), middle = body:sub(a + 4, b - 1),
                             tail = body:sub(b + 4) })
      end
      i = i + 1
    end
  end
  math.randomseed(os.time() * 100 + id)
  run = math.random(0, 0x7fffffff)
  n = 0
  sent = 0
end

function request()
  n = n % #mine + 1
  sent = sent + 1
  local h = mine[n]
  local reportId = string.format("%08x-%04x-4000-8000-%012x", run, id, sent)
  local body = h.head .. reportId .. h.middle .. os.date("!%Y-%m-%dT%H:%M:%SZ") .. h.tail
  return wrk.format("POST", "/api/v1/agent/reports",
    { ["Authorization"] = "Bearer " .. h.credential, ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  io.write(string.format("wrk reports: %.1f/s, %d sent, non-2xx %d, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests / (summary.duration / 1e6), summary.requests, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
