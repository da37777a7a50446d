-- d0011: the journals' counter_id is checked once per batch, not by a foreign key per row.
--
-- Every journal row is written by push_entries / push_entry_rows, which refuse (42501) an
-- entry whose counter_id is not the calling counter's — a row of counters by construction
-- (caller_counter()). The foreign key checked the same again for each inserted row: a
-- third of the insert's time, ~0.46 s of a 100,000-entry push (bench/bench_sync.py: the
-- push went from 3.2 to 2.8 s; a raw COPY of the same rows takes 0.7–0.8 s). What the key
-- also gave — no counter deleted while its journals name it — a trigger now gives for
-- every counter: counters are never deleted (retire one by revoking its role), and
-- `district check` lists journal rows of a counter it does not know.

ALTER TABLE points_journal DROP CONSTRAINT points_journal_counter_id_fkey;
ALTER TABLE stock_journal DROP CONSTRAINT stock_journal_counter_id_fkey;

CREATE FUNCTION refuse_counter_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'counter % is never deleted: its journals name it (revoke its role '
                    'to retire it)', OLD.id USING ERRCODE = 'CA010';
END $$;

CREATE TRIGGER counters_kept BEFORE DELETE ON counters
    FOR EACH ROW EXECUTE FUNCTION refuse_counter_delete();
