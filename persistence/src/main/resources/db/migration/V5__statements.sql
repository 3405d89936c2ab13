-- Rendered monthly statements (PDF and CSV), kept so that a download is served as stored and
-- never re-rendered. A month that has closed is rendered once and is final: the database refuses
-- to change or delete a final row, whatever the code tries. The current month is rendered on
-- request and its row is overwritten by the next rendering until the month closes.
CREATE TABLE statement (
    account_id  uuid        NOT NULL REFERENCES account (id),
    -- the first day of the month the statement covers
    month       date        NOT NULL CHECK (extract(day FROM month) = 1),
    format      text        NOT NULL CHECK (format IN ('PDF', 'CSV')),
    content     bytea       NOT NULL,
    sha256      bytea       NOT NULL CHECK (length(sha256) = 32),
    rendered_at timestamptz NOT NULL,
    final       boolean     NOT NULL,
    PRIMARY KEY (account_id, month, format)
);
-- The monthly job looks for the accounts of one month that still lack a final statement.
CREATE INDEX statement_month_final_idx ON statement (month, account_id) WHERE final;

CREATE FUNCTION statement_final_is_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.final THEN
        RAISE EXCEPTION 'statement % % % is final: % refused',
            OLD.account_id, OLD.month, OLD.format, TG_OP;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER statement_final_is_immutable
    BEFORE UPDATE OR DELETE ON statement FOR EACH ROW EXECUTE FUNCTION statement_final_is_immutable();
