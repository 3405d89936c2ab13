-- wrk script: POST /api/v1/transfers as fast as the connections allow, or paced.
--
--   wrk -t2 -c32 -d30s --latency -s transfers.lua http://host:port -- DATA VARIANT RUN_ID [RATE THREADS]
--
-- DATA     lines "hot <account id>" (once) and "user <access token> <account id>" (one per user)
-- VARIANT  uniform: a random user pays a random other user; hot: a random user pays the hot account
-- RUN_ID   makes the Idempotency-Keys unique across runs: <run>-<variant>-<thread>-<counter>
-- RATE     optional, requests per second over all THREADS (wrk's -t): pace with delay() (0 = flat out)
--
-- Every answer other than 202 is counted per status; done() prints one line for the caller:
--   non202 <count> <status>=<count> ...

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

local users, hot, variant, run_id
local counter = 0
non202 = 0
statuses = {}

local interval_ms = 0 -- per thread, between two sends; 0 = no pacing
local next_send_ms
local now_ms

function init(args)
  local data, rate, thread_count
  data, variant, run_id = args[1], args[2], args[3]
  rate, thread_count = tonumber(args[4] or "0"), tonumber(args[5] or "1")
  assert(variant == "uniform" or variant == "hot", "variant must be uniform or hot")
  users = {}
  for line in io.lines(data) do
    local kind, a, b = line:match("^(%S+)%s+(%S+)%s*(%S*)$")
    if kind == "hot" then hot = a
    elseif kind == "user" then table.insert(users, { token = a, account = b }) end
  end
  assert(#users >= 2 and hot, "data file needs a hot line and at least two user lines")
  math.randomseed(os.time() * 100 + thread_id)
  if rate > 0 then
    -- wrk has no wall clock in Lua; LuaJIT's FFI reaches clock_gettime(CLOCK_MONOTONIC).
    local ffi = require("ffi")
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clock_id, bench_timespec *tp);
    ]]
    local ts = ffi.new("bench_timespec")
    now_ms = function()
      ffi.C.clock_gettime(1, ts)
      return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
    end
    interval_ms = 1000 * thread_count / rate
  end
end

function delay()
  if interval_ms == 0 then return 0 end
  -- A schedule per thread: each send takes the next slot, never earlier than now (no bursts to
  -- catch up), so the thread sends at its share of RATE while latency stays below the slack.
  local now = now_ms()
  local slot = math.max(next_send_ms or now, now)
  next_send_ms = slot + interval_ms
  return math.floor(slot - now)
end

function request()
  counter = counter + 1
  local payer = math.random(#users)
  local to
  if variant == "hot" then
    to = hot
  else
    local other = math.random(#users - 1)
    if other >= payer then other = other + 1 end
    to = users[other].account
  end
  local body = string.format(
    '{"fromAccountId":"%s","toAccountId":"%s","amount":1,"currency":"EUR"}',
    users[payer].account, to)
  return wrk.format("POST", "/api/v1/transfers", {
    ["Authorization"] = "Bearer " .. users[payer].token,
    ["Idempotency-Key"] = string.format("%s-%s-%d-%d", run_id, variant, thread_id, counter),
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status ~= 202 then
    non202 = non202 + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total, by_status = 0, {}
  for _, thread in ipairs(threads) do
    total = total + thread:get("non202")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local line = "non202 " .. total
  for status, count in pairs(by_status) do line = line .. " " .. status .. "=" .. count end
  io.write(line .. "\n")
end
