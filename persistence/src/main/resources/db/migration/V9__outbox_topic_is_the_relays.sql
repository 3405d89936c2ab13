-- Which Kafka topic an event goes to is the relay's business (messaging owns the topic names), not
-- the writer's: new rows leave the column empty. Expand-then-contract: an instance of the previous
-- version, still running during a rolling upgrade, keeps writing it, so the column stays until a
-- later migration drops it once no such instance can exist.
ALTER TABLE outbox ALTER COLUMN topic DROP NOT NULL;
