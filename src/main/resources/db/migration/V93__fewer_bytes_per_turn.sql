-- Bytes per turn (bench/scale): the b-tree on ledger_entries.created_at with its included columns cost
-- ~120 bytes per settled turn. Entries are inserted in time order, so the BRIN index on created_at (V90) finds
-- a day's or a watermark's range for a few kilobytes; the books store every closed day once (books_days) and
-- read live only the entries after their watermark, the incremental reconciliation only those since its own.
drop index if exists ledger_entries_created_idx;
