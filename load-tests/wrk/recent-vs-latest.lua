-- wrk: the latest 20 entries of an account, from Redis or from PostgreSQL, over HTTP.
--
--   wrk -t2 -c32 -d30s --latency -s load-tests/wrk/recent-vs-latest.lua http://localhost:8080 \
--       -- <accounts.tsv> recent|latest
--
-- accounts.tsv: one "<access token><TAB><account id>" line per account (an account with 20 or
-- more entries shows the difference best). "recent" reads /transactions/recent (Redis when warm);
-- "latest" reads /transactions?limit=20 (always PostgreSQL): the same 20 entries, newest first,
-- through the same authentication and ownership check. wrk reports answers other than 2xx/3xx as
-- "Non-2xx or 3xx responses"; the first three of each thread are printed.

local accounts = {}
local path_of

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  local file = assert(io.open(args[1], "r"), "accounts file " .. tostring(args[1]))
  for line in file:lines() do
    local token, account = line:match("^(%S+)\t(%S+)$")
    if token then
      accounts[#accounts + 1] = { token = token, account = account }
    end
  end
  file:close()
  assert(#accounts > 0, "no accounts in " .. args[1])
  if args[2] == "latest" then
    path_of = function(account) return "/api/v1/accounts/" .. account .. "/transactions?limit=20" end
  elseif args[2] == "recent" then
    path_of = function(account) return "/api/v1/accounts/" .. account .. "/transactions/recent" end
  else
    error("second argument: recent or latest")
  end
  math.randomseed(os.time() + (id or 0))
  failed = 0
end

function request()
  local pick = accounts[math.random(#accounts)]
  return wrk.format("GET", path_of(pick.account), { ["Authorization"] = "Bearer " .. pick.token })
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
    if failed <= 3 then print("HTTP " .. status .. ": " .. body) end
  end
end
