-- Metadata (issue 23): a client's own labels on transfers, deposits and withdrawals, a JSON object
-- of string keys and string values (domain/Metadata.java has the limits; the edge checks them, the
-- database keeps the shape). '{}' when none: adding a column with a constant default rewrites no
-- row, so this is instant on a large table.
ALTER TABLE transfer ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'
    CONSTRAINT transfer_metadata_is_an_object CHECK (jsonb_typeof(metadata) = 'object');
ALTER TABLE deposit ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'
    CONSTRAINT deposit_metadata_is_an_object CHECK (jsonb_typeof(metadata) = 'object');
ALTER TABLE withdrawal ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'
    CONSTRAINT withdrawal_metadata_is_an_object CHECK (jsonb_typeof(metadata) = 'object');

-- Search by one key and value (metadata @> '{"key": "value"}'), in history and the ops search.
-- Partial: a movement without labels adds nothing to the index, so the money path pays for
-- metadata only when a client sends some. Queries repeat the predicate so the index applies.
CREATE INDEX transfer_metadata_idx ON transfer USING gin (metadata jsonb_path_ops)
    WHERE metadata <> '{}';
CREATE INDEX deposit_metadata_idx ON deposit USING gin (metadata jsonb_path_ops)
    WHERE metadata <> '{}';
CREATE INDEX withdrawal_metadata_idx ON withdrawal USING gin (metadata jsonb_path_ops)
    WHERE metadata <> '{}';
