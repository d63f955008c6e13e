-- wrk script shared by every scenario.
--
--   wrk ... -s requests.lua -- REQUEST_FILE [DELAY_MS]
--
-- REQUEST_FILE: one request per line, "PATH<TAB>Header: value<TAB>Header: value...". Each connection
-- takes the next line in turn, so a file of 1 list + 30 small + 1 medium lines is that mix.
-- DELAY_MS: optional pause of each connection after each response (0: as fast as it can). wrk has no
-- constant-rate mode; with C connections this paces the load near C * 1000 / (DELAY_MS + latency)
-- requests/s, below saturation, which is what latency-focused runs need (see load-tests/README.md).
--
-- done() prints one line "@@result {json}" that the runner collects (and names): throughput, bytes,
-- errors and latency percentiles in microseconds.

local requests = {}
local next_index = 1

local function split(line, sep)
  local parts = {}
  for part in string.gmatch(line, "([^" .. sep .. "]+)") do
    parts[#parts + 1] = part
  end
  return parts
end

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot read request file " .. tostring(args[1]))
  for line in file:lines() do
    if line ~= "" then
      local parts = split(line, "\t")
      local headers = {}
      for i = 2, #parts do
        local name, value = string.match(parts[i], "^([^:]+):%s*(.*)$")
        headers[name] = value
      end
      -- formatted once here: request() then only hands out ready strings, so the script costs
      -- the load generator as little as possible
      requests[#requests + 1] = wrk.format("GET", parts[1], headers)
    end
  end
  file:close()
  assert(#requests > 0, "no requests in " .. args[1])
  local pause_ms = tonumber(args[2] or "0")
  if pause_ms > 0 then
    -- defined only when pacing: wrk routes every request through its timer when delay() exists
    delay = function()
      return pause_ms
    end
  end
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

-- The percentiles the report plots (0..99.999) and the ones the tables show.
local curve = { 0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999 }

function done(summary, latency, _)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local points = {}
  for _, p in ipairs(curve) do
    points[#points + 1] = string.format("[%g,%d]", p, latency:percentile(p))
  end
  io.write(string.format(
    '@@result {"requests":%d,"seconds":%.3f,"rps":%.1f,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f,"curve":[%s]}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, table.concat(points, ",")))
end
