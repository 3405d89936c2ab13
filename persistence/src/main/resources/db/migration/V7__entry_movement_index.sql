-- The recent-entries updater reads, for every money event, the entries its movement wrote
-- (SequencedEntries.ofMovement: WHERE movement_id = ?). Without an index on movement_id that
-- read visited every entry of every customer account, so its cost grew with the ledger: at 11,000
-- entries it took 7 ms of database CPU per event and the updater fell minutes behind a 30 s load.
-- Entries are append-only and never updated, so the index costs one insert per entry and nothing
-- else.
CREATE INDEX entry_movement_idx ON entry (movement_id);
