-- Series (issue 17): the tables made one from another share the id of the
-- first, so that the organiser's tracker finds them all. A table made
-- before this is a series of its own.

ALTER TABLE tables ADD COLUMN series text COLLATE "C" NOT NULL DEFAULT '';
UPDATE tables SET series = id;
CREATE INDEX tables_by_series ON tables (series);
