-- One page under load: wrk runs this in every thread.
-- BENCH_PATHS: a file of request paths, taken in turn (a POST path is used once).
-- BENCH_COOKIES: a file of Cookie headers, one signed-in person each, picked at random.
-- BENCH_METHOD / BENCH_BODY: "POST" and its form body for a step.
-- BENCH_EXPECT: the status a good answer has (200, or 302 after a step).
local function lines(name)
  local found = {}
  local file = os.getenv(name)
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then found[#found + 1] = line end
    end
  end
  return found
end

local paths = lines("BENCH_PATHS")
local cookies = lines("BENCH_COOKIES")
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local threads = {}
local serial = 0

function setup(thread)
  serial = serial + 1
  thread:set("offset", serial - 1)
  thread:set("stride", tonumber(os.getenv("BENCH_THREADS") or "1"))
  threads[#threads + 1] = thread
end

function init(args)
  next_index = offset
  good, bad = 0, 0
  first_bad = nil
  math.randomseed(os.time() + offset)
end

function request()
  local path = paths[(next_index % #paths) + 1]
  next_index = next_index + stride
  local headers = {}
  if #cookies > 0 then headers["Cookie"] = cookies[math.random(#cookies)] end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, response_body)
  if status == expect then
    good = good + 1
  else
    bad = bad + 1
    if first_bad == nil then first_bad = status .. " " .. (headers["Location"] or "") end
  end
end

function done(summary, latency, requests)
  local good_total, bad_total, sample = 0, 0, ""
  for _, thread in ipairs(threads) do
    good_total = good_total + thread:get("good")
    bad_total = bad_total + thread:get("bad")
    sample = thread:get("first_bad") or sample
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "good": %d, "bad": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "first_bad": "%s"}\n',
    summary.requests, summary.duration, good_total, bad_total,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), sample
  ))
end
