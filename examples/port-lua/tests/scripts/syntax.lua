-- a syntax error on line 3 (port-lua bad-input test)
local x = 1
if x then print("no end")
