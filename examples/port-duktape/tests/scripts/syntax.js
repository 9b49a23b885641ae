// a syntax error (port-duktape bad-input test)
var x = 1;
if (x) { print("no closing brace");
