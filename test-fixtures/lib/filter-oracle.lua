-- Evaluates many display filters in one tshark pass: one Lua tap listener per filter (a tap's
-- filter is compiled and run by the same dfilter engine as -Y). Reads the filters, one per line,
-- from the file named by REEF_FILTERS; prints, per filter, "<index>\t<frame,frame,...>" or
-- "<index>\tERR\t<message>" for filters tshark rejects.
local filters = {}
for line in io.lines(os.getenv("REEF_FILTERS")) do filters[#filters + 1] = line end

local hits, errors = {}, {}
for i, f in ipairs(filters) do
  local ok, l = pcall(Listener.new, nil, f)
  if ok then
    local list = {}
    hits[i] = list
    l.packet = function(pinfo) list[#list + 1] = pinfo.number end
  else
    errors[i] = tostring(l):gsub("[\r\n]+", " ")
  end
end

local done = Listener.new(nil, nil)
function done.draw()
  for i = 1, #filters do
    if hits[i] then
      io.write(i, "\t", table.concat(hits[i], ","), "\n")
    else
      io.write(i, "\tERR\t", errors[i] or "", "\n")
    end
  end
end
