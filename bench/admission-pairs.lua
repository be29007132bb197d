-- wrk script: acquire + release pairs. Each thread keeps the leases it was granted and ends one (as COMPLETED)
-- before asking for another, so every connection alternates POST /api/v1/uploads and DELETE /api/v1/uploads/{id}.
-- Env: TOKEN (a DISPATCHER token). Prints completed pairs per second and refusals at the end.
local token = os.getenv("TOKEN")
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  pending = {}
  pairs_done = 0
  refused = 0
  errors = 0
end

function request()
  local id = table.remove(pending)
  if id then
    return wrk.format("DELETE", "/api/v1/uploads/" .. id, headers, '{"outcome":"COMPLETED","bytes":1048576,"files":1}')
  end
  return wrk.format("POST", "/api/v1/uploads", headers, '{"clientId":"wrk","sizeHint":1048576}')
end

function response(status, hdrs, body)
  if status == 201 then
    table.insert(pending, body:match('"leaseId":"([^"]+)"'))
  elseif status == 200 then
    pairs_done = pairs_done + 1
  elseif status == 503 then
    refused = refused + 1
  else
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local p, r, e, open = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    p = p + t:get("pairs_done")
    r = r + t:get("refused")
    e = e + t:get("errors")
  end
  io.write(string.format("wrk pairs: %.0f pairs/s, refused %d, errors %d, request p50 %.1f ms, p99 %.1f ms\n",
    p / (summary.duration / 1e6), r, e, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
