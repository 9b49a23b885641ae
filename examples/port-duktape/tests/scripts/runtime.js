// a runtime error (port-duktape bad-input test)
var t;
print(t.field);
