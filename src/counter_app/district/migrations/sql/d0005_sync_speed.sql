-- District schema, revision d0005: a faster push (issue 8 benchmark, bench/bench_sync.py).
--
-- Measured (pg_stat_user_functions, 10 batches of 1,000 entries): of 2.2 s in push_entries,
-- 1.16 s were apply_points, and 0.47 s of those the row trigger hotlist_balance(), fired for
-- every balance written (9,035 calls) although it only has work when a balance is or was
-- below zero. The trigger now fires only then; hotlist_balance() itself is unchanged.
-- Equivalent: an 'overdrawn' hotlist row is written by this trigger alone and is active
-- exactly while the balance is below zero, and balances rows are never deleted, so a new
-- balance >= 0 has no active row to clear and an update between two balances >= 0 neither.
--
-- apply_points(): the overdraft query first keeps the batch's members now below zero,
-- then takes each one's last spend (DISTINCT ON), instead of aggregating the spends of
-- every member of the batch and joining the balances afterwards. Same rows inserted.
--
-- entry_hash_fmt() (11,691 calls, 0.7 s of a 10,235-entry push): see below.

DROP TRIGGER hotlist ON balances;
CREATE TRIGGER hotlist_insert AFTER INSERT ON balances
    FOR EACH ROW WHEN (NEW.balance < 0) EXECUTE FUNCTION hotlist_balance();
CREATE TRIGGER hotlist_update AFTER UPDATE OF balance ON balances
    FOR EACH ROW WHEN (NEW.balance < 0 OR OLD.balance < 0) EXECUTE FUNCTION hotlist_balance();

CREATE OR REPLACE FUNCTION apply_points(p_counter text, p_district uuid, p_from bigint,
                                        p_to bigint)
RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    -- Rows are locked in member order (the ORDER BY feeds the upsert in that order).
    INSERT INTO balances AS b (member_id, district_id, balance)
    SELECT subject, p_district, sum(delta) FROM points_journal
     WHERE counter_id = p_counter AND seq > p_from AND seq <= p_to
     GROUP BY subject ORDER BY subject
    ON CONFLICT (member_id) DO UPDATE SET balance = b.balance + EXCLUDED.balance,
                                          updated_at = now();
    -- Offline redemptions beyond the balance are kept (the goods are gone) and flagged,
    -- against the last redemption of the member in this batch.
    INSERT INTO overdrafts (member_id, counter_id, entry_id, balance_after)
    SELECT DISTINCT ON (j.subject) j.subject, p_counter, j.id, b.balance
      FROM points_journal j
      JOIN balances b ON b.member_id = j.subject AND b.balance < 0
     WHERE j.counter_id = p_counter AND j.seq > p_from AND j.seq <= p_to AND j.delta < 0
     ORDER BY j.subject, j.seq DESC
    ON CONFLICT (entry_id) DO NOTHING;
END $$;

-- entry_hash_fmt(): the same payload as d0001's (docs/district-schema.md, district/chain.py),
-- built in one expression instead of a loop over an array with a convert_to() per field.
-- octet_length(text) counts bytes in the database encoding, which init_district requires
-- to be UTF8, so it equals octet_length(convert_to(s, 'UTF8')).
CREATE OR REPLACE FUNCTION entry_hash_fmt(fmt smallint, prev_hash text, id uuid,
                                          counter_id text, seq bigint, subject uuid,
                                          delta bigint, kind text, reverses_id uuid, ref text,
                                          operator_id uuid, created_at timestamp, note text,
                                          detail_digest text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN encode(sha256(convert_to(
        'counter_app/' || fmt::text || E'\n'
        || CASE WHEN prev_hash IS NULL THEN E'-\n'
                ELSE octet_length(prev_hash) || ':' || prev_hash || E'\n' END
        || CASE WHEN id::text IS NULL THEN E'-\n'
                ELSE octet_length(id::text) || ':' || id::text || E'\n' END
        || CASE WHEN counter_id IS NULL THEN E'-\n'
                ELSE octet_length(counter_id) || ':' || counter_id || E'\n' END
        || CASE WHEN seq::text IS NULL THEN E'-\n'
                ELSE octet_length(seq::text) || ':' || seq::text || E'\n' END
        || CASE WHEN subject::text IS NULL THEN E'-\n'
                ELSE octet_length(subject::text) || ':' || subject::text || E'\n' END
        || CASE WHEN delta::text IS NULL THEN E'-\n'
                ELSE octet_length(delta::text) || ':' || delta::text || E'\n' END
        || CASE WHEN kind IS NULL THEN E'-\n'
                ELSE octet_length(kind) || ':' || kind || E'\n' END
        || CASE WHEN reverses_id::text IS NULL THEN E'-\n'
                ELSE octet_length(reverses_id::text) || ':' || reverses_id::text || E'\n' END
        || CASE WHEN ref IS NULL THEN E'-\n'
                ELSE octet_length(ref) || ':' || ref || E'\n' END
        || CASE WHEN operator_id::text IS NULL THEN E'-\n'
                ELSE octet_length(operator_id::text) || ':' || operator_id::text || E'\n' END
        || CASE WHEN to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') IS NULL THEN E'-\n'
                ELSE octet_length(to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US')) || ':' || to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') || E'\n' END
        || CASE WHEN note IS NULL THEN E'-\n'
                ELSE octet_length(note) || ':' || note || E'\n' END
        || CASE WHEN detail_digest IS NULL THEN E'-\n'
                ELSE octet_length(detail_digest) || ':' || detail_digest || E'\n' END, 'UTF8')), 'hex');
END $$;
