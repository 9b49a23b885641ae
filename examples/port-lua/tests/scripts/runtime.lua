-- a runtime error (port-lua bad-input test)
local t = nil
print(t.field)
