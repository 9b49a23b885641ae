-- port-sqlite's bad-input test: constraint violations give SQLite's errors
-- and the session goes on.
.headers off
PRAGMA foreign_keys = ON;
CREATE TABLE author(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE book(id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES author(id), title TEXT);
INSERT INTO author(name) VALUES ('Ada');
INSERT INTO book(author_id, title) VALUES (99, 'orphan');
INSERT INTO author(name) VALUES ('Ada');
INSERT INTO author(name) VALUES (NULL);
SELECT * FROM no_such_table;
SELECT 1 +;
SELECT 'still here', count(*) FROM author;
