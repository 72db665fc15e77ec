-- wrk script: every request adds a query-string value never asked for before, so no kept list can answer
-- it and each request draws the page afresh, as the first person to ask for a list would see it.
math.randomseed(os.time())
local base = wrk.path .. (wrk.path:find("?", 1, true) and "&" or "?") .. "view="
local count = math.random(1, 1000000000)

request = function()
  count = count + 1
  return wrk.format(nil, base .. count)
end
