-- PostgreSQL only (migrations/pg/026): its per-unit camera counts are kept per statement instead of per row. SQLite
-- keeps its row triggers (a catalogue import suspends them, camera-bulk-write.ts). Nothing to do here; the file keeps
-- both dialects on one numbered list (test/db/migrations-parity.test.ts).
SELECT 1;
