-- port-sqlite's boot test: the sqlite3 shell runs this script on a file of
-- the ramfs (and on an in-memory database); its output between the BEGIN
-- and END lines must be tests/script.expected exactly.
.bail on
.headers off
.mode list
.print BEGIN
PRAGMA foreign_keys = ON;
CREATE TABLE author(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE book(id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES author(id),
                  title TEXT NOT NULL, year INTEGER);
INSERT INTO author(name) VALUES ('Ada'), ('Brian'), ('Claude');
INSERT INTO book(author_id, title, year) VALUES
  (1, 'Notes on the Analytical Engine', 1843), (2, 'The C Programming Language', 1978),
  (2, 'The Unix Programming Environment', 1984), (3, 'A Mathematical Theory of Communication', 1948);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
  INSERT INTO book(author_id, title, year) SELECT 1 + i % 3, 'generated ' || i, 1900 + i % 120 FROM n;
SELECT count(*), sum(year), max(length(title)) FROM book;
-- join and aggregate
SELECT a.name, count(*), min(b.year), max(b.year) FROM author a JOIN book b ON b.author_id = a.id
  GROUP BY a.id ORDER BY a.name;
SELECT a.name || ': ' || b.title FROM book b LEFT JOIN author a ON a.id = b.author_id
  WHERE b.title NOT LIKE 'generated%' ORDER BY b.year;
-- an index, and the planner using it
CREATE INDEX book_year ON book(year);
EXPLAIN QUERY PLAN SELECT title FROM book WHERE year = 1978;
SELECT count(*) FROM book WHERE year BETWEEN 1950 AND 1960;
-- a transaction rolled back leaves nothing behind; a savepoint too
BEGIN;
DELETE FROM book WHERE author_id = 2;
UPDATE author SET name = 'nobody' WHERE id = 1;
SELECT count(*) FROM book;
ROLLBACK;
SELECT count(*), (SELECT name FROM author WHERE id = 1) FROM book;
SAVEPOINT s1;
INSERT INTO author(name) VALUES ('Dennis');
ROLLBACK TO s1;
RELEASE s1;
SELECT group_concat(name, ',') FROM author;
-- JSON, window functions, printf
SELECT json_object('n', count(*), 'years', json_array(min(year), max(year))) FROM book;
SELECT name, row_number() OVER (ORDER BY name DESC) FROM author;
SELECT printf('%08.3f|%-6s|%x', 3.14159, 'ab', 255);
PRAGMA integrity_check;
PRAGMA foreign_key_check;
.print END
