-- Lookups written by `outputlookup` (a kvstore baseline, or a CSV lookup rewritten): per lookup
-- its field names and its rows, each row a JSON array of values in field order (text, a list
-- of text for a multivalue field, or null). One row per lookup: `outputlookup` replaces or
-- appends to the whole table in one transaction, and the rows are read whole when a search
-- that reads the lookup is planned. What is stored here takes the place of a CSV file's rows.

CREATE TABLE lookups (
  name       text        PRIMARY KEY,
  fields     jsonb       NOT NULL,
  rows       jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT lookups_fields_array CHECK (jsonb_typeof(fields) = 'array'),
  CONSTRAINT lookups_rows_array CHECK (jsonb_typeof(rows) = 'array')
);
