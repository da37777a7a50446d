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
