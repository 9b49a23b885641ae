// port-duktape's boot test: the language and its built-ins inside the image.
// Every check is counted; a failed one is printed and the script throws.
var passed = 0, failed = 0;
function check(name, cond, detail) {
    if (cond) { passed++; } else { failed++; print('FAILED: ' + name + (detail !== undefined ? ' (' + detail + ')' : '')); }
}
function eq(name, got, want) { check(name, got === want, 'got ' + JSON.stringify(got) + ', want ' + JSON.stringify(want)); }

// closures and prototypes
function counter() { var n = 0; return function () { return ++n; }; }
var c1 = counter(), c2 = counter(); c1(); c1();
eq('closure', c1(), 3); eq('closure separate', c2(), 1);
function Point(x, y) { this.x = x; this.y = y; }
Point.prototype.len2 = function () { return this.x * this.x + this.y * this.y; };
eq('prototype', new Point(3, 4).len2(), 25);
var o = Object.create({ inherited: 1 }); o.own = 2;
eq('Object.keys', Object.keys(o).join(','), 'own');

// strings, regular expressions, JSON
eq('string methods', ' Duktape '.trim().toUpperCase().split('').reverse().join(''), 'EPATKUD');
eq('replace regexp', 'a1b22c333'.replace(/\d+/g, function (d) { return '<' + d.length + '>'; }), 'a<1>b<2>c<3>');
var m = /^(\w+)@(\w+)\.org$/.exec('user@example.org');
eq('regexp captures', m[1] + ' ' + m[2], 'user example');
eq('regexp flags', /ab+c/i.test('xxABBBCxx'), true);
var js = JSON.stringify({ a: [1, 2, { b: null }], s: 'q"\n' });
eq('JSON.stringify', js, '{"a":[1,2,{"b":null}],"s":"q\\"\\n"}');
eq('JSON.parse', JSON.parse(js).a[2].b, null);
var bad = false; try { JSON.parse('{x:1}'); } catch (e) { bad = e instanceof SyntaxError; }
eq('JSON.parse error', bad, true);

// numbers and Math
eq('toFixed', (Math.PI).toFixed(5), '3.14159');
eq('parseInt', parseInt('ff', 16) + parseInt('077', 8) + Number('1e3'), 1318);
eq('Math', Math.max(3, 9, 2) + Math.floor(-1.5) + Math.abs(-4), 11);
eq('integer precision', 9007199254740991 + 0, 9007199254740991);

// arrays
var arr = [5, 3, 9, 1, 7].sort(function (a, b) { return a - b; });
eq('sort', arr.join(' '), '1 3 5 7 9');
eq('map/filter/reduce', arr.map(function (x) { return x * 2; }).filter(function (x) { return x > 5; })
    .reduce(function (a, b) { return a + b; }, 0), 48);
eq('indexOf/slice', arr.slice(1, 3).concat([arr.indexOf(9)]).join(','), '3,5,4');

// errors and exceptions
var caught = null;
try { null.field; } catch (e) { caught = e; }
check('TypeError', caught instanceof TypeError, caught);
try { throw new RangeError('custom'); } catch (e) { caught = e; }
eq('custom error', caught.name + ': ' + caught.message, 'RangeError: custom');
var fin = []; (function () { try { fin.push('try'); return; } finally { fin.push('finally'); } })();
eq('finally', fin.join(','), 'try,finally');
var deep = 0; try { (function r() { deep++; r(); })(); } catch (e) { caught = e; }
check('recursion limit is an error', caught instanceof RangeError && deep > 100, caught + ' at ' + deep);
eq('eval', eval('1 + 2 * 3'), 7);
var evalbad = null; try { eval('var = 1'); } catch (e) { evalbad = e; }
check('eval SyntaxError', evalbad instanceof SyntaxError, evalbad);

// dates and time
var d = new Date(Date.UTC(2000, 0, 1, 12, 30, 0));
eq('Date.UTC', d.getTime(), 946729800000);
eq('toISOString', d.toISOString(), '2000-01-01T12:30:00.000Z');
check('Date.now after 2020', Date.now() > 1577836800000, Date.now());
var t0 = Date.now(), s = 0; for (var i = 0; i < 200000; i++) { s += i; }
check('Date.now does not go back', Date.now() >= t0);

// Duktape specifics: buffers, CBOR-free encodings
eq('Duktape.enc hex', Duktape.enc('hex', 'AB'), '4142');
eq('Duktape.enc base64', Duktape.enc('base64', 'Duktape'), 'RHVrdGFwZQ==');
// (Duktape's typed arrays have no join of their own: ES2015's
// %TypedArray%.prototype.join is not in Duktape 2.7; the generic one works)
eq('Uint8Array', Array.prototype.join.call(new Uint8Array([1, 2, 300]), ','), '1,2,44');

print('suite: ' + passed + ' checks passed, ' + failed + ' failed');
if (failed) { throw new Error(failed + ' checks failed'); }
