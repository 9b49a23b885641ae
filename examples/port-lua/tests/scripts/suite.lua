-- port-lua's boot test: the language and the standard libraries inside the
-- image (closures, coroutines, the string library, os.time/os.clock/os.date,
-- io on files of the ramfs). Every check is counted; a failed one is printed
-- and the script ends with status 1.
local passed, failed = 0, 0
local function check(name, cond, detail)
  if cond then passed = passed + 1
  else failed = failed + 1; print("FAILED: " .. name .. (detail and (" (" .. tostring(detail) .. ")") or "")) end
end
local function eq(name, got, want) check(name, got == want, ("got %q, want %q"):format(tostring(got), tostring(want))) end

-- closures: each counter has its own upvalue; closures made in one scope share theirs
local function counter() local n = 0; return function() n = n + 1; return n end end
local c1, c2 = counter(), counter()
c1(); c1()
eq("closure counter", c1(), 3); eq("closure separate", c2(), 1)
local get, set
do local v = 10; get = function() return v end; set = function(x) v = x end end
set(42); eq("shared upvalue", get(), 42)
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
eq("fresh loop variable", fns[1]() + fns[2]() + fns[3](), 6)

-- coroutines: generators, passing values both ways, status, errors, wrap
local gen = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
local ok, v = coroutine.resume(gen, 1, 2); eq("resume 1", v, 3)
ok, v = coroutine.resume(gen, 10); eq("resume 2", v, 20)
ok, v = coroutine.resume(gen, 3, 4); eq("resume 3", v, 7)
eq("dead", coroutine.status(gen), "dead")
ok, v = coroutine.resume(gen); check("resume dead", not ok and v:find("dead"), v)
local bad = coroutine.create(function() error("boom") end)
ok, v = coroutine.resume(bad); check("error in coroutine", not ok and v:find("boom"), v)
local fib = coroutine.wrap(function() local a, b = 0, 1; while true do coroutine.yield(a); a, b = b, a + b end end)
local t = {}; for _ = 1, 10 do t[#t + 1] = fib() end
eq("wrap fibonacci", table.concat(t, ","), "0,1,1,2,3,5,8,13,21,34")
eq("yield across pcall", coroutine.wrap(function() return pcall(coroutine.yield, "y") end)(), "y")
eq("isyieldable", coroutine.isyieldable(), false)

-- strings
eq("format", string.format("%5.2f|%-4d|%x|%s|%q", 3.14159, 7, 255, "s", "a\nb"), ' 3.14|7   |ff|s|"a\\\nb"')
eq("format int", string.format("%d", 2^53), "9007199254740992")
eq("gsub pattern", ("hello world"):gsub("o", "0"), "hell0 w0rld")
eq("gsub function", ("a1b22c333"):gsub("%d+", function(d) return "<" .. #d .. ">" end), "a<1>b<2>c<3>")
eq("gsub table", ("$x and $y"):gsub("%$(%w+)", {x = "1", y = "2"}), "1 and 2")
local k, val = ("key = value"):match("^(%w+)%s*=%s*(%w+)$"); eq("match captures", k .. ":" .. val, "key:value")
eq("find plain", ("a.b.c"):find(".", 1, true), 2)
eq("find anchored", ("abc"):find("^b"), nil)
local words = {}; for w in ("the quick  brown fox"):gmatch("%a+") do words[#words + 1] = w end
eq("gmatch", table.concat(words, "|"), "the|quick|brown|fox")
eq("balanced", ("f(a(b)c)d"):match("%b()"), "(a(b)c)")
eq("frontier", select(2, ("THE (quick) fox"):gsub("%f[%a]%a+", "W")), 3)
eq("rep", ("ab"):rep(3, "-"), "ab-ab-ab")
eq("byte/char", string.char(("ABC"):byte(1, -1)), "ABC")
eq("upper/lower/reverse", ("Lua"):upper() .. ("Lua"):lower() .. ("Lua"):reverse(), "LUAluaauL")
local packed = string.pack("<i4 d z", -2, 0.5, "zs"); local a1, a2, a3 = string.unpack("<i4 d z", packed)
eq("pack/unpack", a1 .. " " .. a2 .. " " .. a3, "-2 0.5 zs"); eq("packsize", string.packsize("<i4 d"), 12)
eq("utf8", utf8.len("h\u{e9}llo\u{1F600}") .. " " .. utf8.char(72, 228), "6 H\u{e4}")
eq("tostring/tonumber", tonumber("0x10") + tonumber("1e2") + tonumber(" 7 "), 123.0)
eq("integer division", 7 // 2 .. " " .. 7.0 // 2 .. " " .. 7 % -3 .. " " .. math.type(3) .. " " .. math.type(3.0), "3 3.0 -2 integer float")
eq("string coercion", "10" + 5, 15)

-- tables, metatables, goto, to-be-closed variables, errors
local list = {5, 3, 9, 1, 7}; table.sort(list, function(x, y) return x > y end)
eq("sort", table.concat(list, " "), "9 7 5 3 1")
eq("move/unpack", select("#", table.unpack(table.move({1, 2, 3}, 1, 3, 2, {}), 1, 4)), 4)
local V = {}; V.__index = V; V.__add = function(p, q) return setmetatable({x = p.x + q.x}, V) end
function V.new(x) return setmetatable({x = x}, V) end
function V:double() return self.x * 2 end
eq("metatables", (V.new(2) + V.new(3)):double(), 10)
local n = 0
::again:: n = n + 1; if n < 5 then goto again end
eq("goto", n, 5)
local closed = {}
do local _ <close> = setmetatable({}, {__close = function() closed[#closed + 1] = "closed" end}) end
eq("<close>", closed[1], "closed")
local okk, err = pcall(error, {code = 7}); eq("error object", not okk and err.code, 7)
okk, err = pcall(function() local x = nil; return x.field end)
check("runtime error message", not okk and err:find("attempt to index a nil value"), err)
local tb = select(2, xpcall(function() error("deep") end, debug.traceback))
check("traceback", tb:find("deep") and tb:find("stack traceback"), tb)
-- Lua's stack limit (1,000,000 slots) needs more memory than a small guest
-- has: then the same recursion ends in Lua's memory error instead, also an
-- error the script catches
okk, err = pcall(function() local function r() return 1 + r() end return r() end)
check("Lua stack overflow is an error", not okk and (err:find("stack overflow") or err == "not enough memory"), err)
okk, err = pcall(function() local function c(d) return select(2, pcall(c, d + 1)) or d end return c(0) end)
check("C stack overflow is an error", okk and type(err) == "string" and err:find("stack overflow"), err)
okk, err = load("return 1 +"); check("load syntax error", okk == nil and err:find("unexpected symbol near <eof>"), err)
local big = {}; for i = 1, 100000 do big[i] = {i} end; big = nil
collectgarbage(); check("gc", collectgarbage("count") < 10000, collectgarbage("count"))

-- os: time, date, clock
local epoch2000 = os.time({year = 2000, month = 1, day = 1, hour = 0, min = 0, sec = 0})
eq("os.time of a date", epoch2000, 946684800)
eq("os.date utc", os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365), "1971-01-01 00:00:00")
local now = os.time(); check("os.time now after 2020", now > 1577836800, now)
eq("os.date table", os.date("!*t", 0).year, 1970)
eq("os.difftime", os.difftime(now + 60, now), 60.0)
local c0 = os.clock(); local s = 0; for i = 1, 2000000 do s = s + i end
local c1t = os.clock(); check("os.clock advances", c1t > c0, c1t - c0)
check("os.getenv", os.getenv("UNIKIT_NO_SUCH_VARIABLE") == nil)

-- io on ramfs files (in the initrd's /tmp)
local dir = "/tmp"
local f = assert(io.open(dir .. "/lua-io.txt", "w"))
f:write("line one\n", 2, "\n", 3.5, "\nlast")
f:close()
local lines = {}; for l in io.lines(dir .. "/lua-io.txt") do lines[#lines + 1] = l end
eq("io.lines", #lines .. ":" .. lines[1] .. ":" .. lines[4], "4:line one:last")
f = assert(io.open(dir .. "/lua-io.txt", "r"))
eq("read line", f:read("l"), "line one"); eq("read number", f:read("n"), 2); eq("read number 2", f:read("n"), 3.5)
eq("seek", f:seek("set", 5), 5); eq("read count", f:read(3), "one")
eq("seek end", f:seek("end"), 19); eq("read at eof", f:read("a"), ""); f:close()
f = assert(io.open(dir .. "/lua-io.txt", "a")); f:write("\nappended"); f:close()
f = assert(io.open(dir .. "/lua-io.txt", "rb")); local all = f:read("a"); f:close()
check("append", all:sub(-9) == "\nappended" and #all == 28, #all)
check("rename", os.rename(dir .. "/lua-io.txt", dir .. "/lua-io2.txt"))
local none, msg = io.open(dir .. "/lua-io.txt"); check("open missing", none == nil and msg:find("No such file or directory"), msg)
check("remove", os.remove(dir .. "/lua-io2.txt")); check("removed", io.open(dir .. "/lua-io2.txt") == nil)
local tf = io.tmpfile(); tf:write("tmp"); tf:seek("set"); eq("tmpfile", tf:read("a"), "tmp"); tf:close()
io.write("io.write to stdout works\n")

print(("suite: %d checks passed, %d failed"):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
