-- wrk script: every request is a first view. Each adds a query-string value never asked for before, so nothing
-- kept per address can answer it. Given a file of addresses (wrk … URL -- FILE [backwards]), it walks them in
-- turn instead of the URL's own, from the first (or, for the warm-up, backwards from the last, so the
-- measurement's addresses come fresh).
math.randomseed(os.time())
local paths, step, index = {}, 1, 0
local count = math.random(1, 1000000000)

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do paths[#paths + 1] = line end
  end
  if args[2] == "backwards" then step, index = -1, 1 end
end

request = function()
  count = count + 1
  local path = wrk.path
  if #paths > 0 then
    index = (index + step - 1) % #paths + 1
    path = paths[index]
  end
  return wrk.format(nil, path .. (path:find("?", 1, true) and "&" or "?") .. "view=" .. count)
end
