-- wrk script for bench/broadcast.sh: single text sends of another org at a steady, modest rate (each connection
-- waits BENCH_DELAY_MS between its requests), so that the sends alone and the sends beside a broadcast are the
-- same load. POSTs BENCH_BODY with the header BENCH_HEADER ("Name: value"); prints one JSON line at the end:
--   BENCH_RESULT {"requests": ..., "seconds": ..., "status": {"200": ...}, "socketErrors": ..., "latencyMs": {...}}
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
local header = os.getenv("BENCH_HEADER")
if header and header ~= "" then
  local name, value = header:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function delay()
  return pause
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "seconds": %.3f, "status": {%s}, "socketErrors": %d, ' ..
    '"latencyMs": {"p50": %.3f, "p99": %.3f, "p999": %.3f, "max": %.3f, "mean": %.3f}}\n',
    summary.requests, summary.duration / 1e6, table.concat(parts, ", "),
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, latency.mean / 1000))
end
