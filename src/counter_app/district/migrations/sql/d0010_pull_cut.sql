-- d0010: pull() finds where a page ends from the first rows of each source, not from all.
--
-- pull() cut a page at the (limit+1)-th smallest xid8 of everything the caller had not yet
-- pulled: `ORDER BY xid8 OFFSET limit LIMIT 1` over pull_rows(), which PostgreSQL ran as a
-- scan of every remaining row and a sort (the four sources are a UNION ALL: no one index
-- gives their order). A join of 100,000 members (329,089 rows, 68 pages) spent 9 of its
-- 21 s there. The (limit+1)-th smallest of a union is the (limit+1)-th smallest of the
-- first limit+1 of each source, and each source's first rows come in order from its xid8
-- index: pull_firsts() reads at most 4 × (limit+1) index entries a page (5–12 ms for the
-- first page above, 130–330 ms before). Same cut, same pages, same rows.
--
-- Its WHERE clauses are pull_rows()'s (as d0008 wrote it and d0007 patched it); a test
-- compares the two cuts on a district with rows of every source
-- (tests/district/test_district_pull.py). The index order is forced (bitmap scans and
-- sorts made unattractive) because right after a large push the statistics do not know
-- the rows yet (autovacuum has not analysed them): the planner then chose a bitmap scan of
-- the whole range, or the journal by counter, and a sort of it all, as before. JIT is off
-- for both functions: their queries are short, and the cost that enable_sort = off adds
-- made PostgreSQL spend ~180 ms compiling one.

CREATE FUNCTION pull_firsts(p_district uuid, p_community uuid, p_counter text,
                            p_from xid8, p_below xid8, p_k integer)
RETURNS TABLE (cut xid8, first xid8) LANGUAGE plpgsql STABLE
SET enable_bitmapscan = off SET enable_sort = off SET jit = off AS $f$
BEGIN
    -- EXECUTE: planned with this call's values (a cached generic plan guessed the range)
    RETURN QUERY EXECUTE $q$
    WITH firsts AS (
        (SELECT rc.xid8 AS x FROM register_changes rc
          WHERE rc.district_id = $1 AND rc.xid8 >= $4 AND rc.xid8 < $5
            AND rc.register NOT IN ('receipts', 'day_closes')
            AND (rc.register <> 'operators' OR rc.community_id = $2)
          ORDER BY rc.xid8 LIMIT $6 + 1)
        UNION ALL
        (SELECT b.xid8 FROM balances b
          WHERE b.district_id = $1 AND b.xid8 >= $4 AND b.xid8 < $5
          ORDER BY b.xid8 LIMIT $6 + 1)
        UNION ALL
        (SELECT h.xid8 FROM hotlist h
          WHERE h.district_id = $1 AND h.xid8 >= $4 AND h.xid8 < $5
          ORDER BY h.xid8 LIMIT $6 + 1)
        UNION ALL
        (SELECT pj.xid8 FROM points_journal pj
           JOIN counters ct ON ct.id = pj.counter_id
           JOIN communities cm ON cm.id = ct.community_id
          WHERE cm.district_id = $1 AND pj.counter_id <> $3
            AND pj.xid8 >= $4 AND pj.xid8 < $5
            AND pj.created_at >= (now() AT TIME ZONE 'UTC') - interval '400 days'
          ORDER BY pj.xid8 LIMIT $6 + 1)
    )
    SELECT (SELECT x FROM firsts ORDER BY x OFFSET $6 LIMIT 1), (SELECT min(x) FROM firsts)
    $q$ USING p_district, p_community, p_counter, p_from, p_below, p_k;
END $f$;

CREATE OR REPLACE FUNCTION pull(p_since text, p_limit integer) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET jit = off AS $$
DECLARE
    me record;
    v_xmin xid8;
    v_since xid8;
    v_cut xid8;
    v_first xid8;
    v_upto xid8;
    v_more boolean;
    v_rows jsonb;
    v_limit integer := least(greatest(coalesce(p_limit, 5000), 1), 50000);
BEGIN
    SELECT * INTO me FROM caller_counter();
    -- Every transaction below xmin has ended: nothing can still commit under the cursor.
    v_xmin := pg_snapshot_xmin(pg_current_snapshot());
    v_since := coalesce(nullif(p_since, '')::xid8, '0'::xid8);
    SELECT f.cut, f.first INTO v_cut, v_first
      FROM pull_firsts(me.district_id, me.community_id, me.counter_id, v_since, v_xmin,
                       v_limit) f;
    IF v_cut IS NULL THEN
        v_upto := v_xmin;
        v_more := false;
    ELSIF v_first < v_cut THEN
        v_upto := v_cut;  -- stop before the transaction that does not fit
        v_more := true;
    ELSE
        v_upto := xid8_next(v_cut);  -- one transaction larger than a page: never split it
        v_more := true;
    END IF;
    SELECT coalesce(jsonb_agg(p.body ORDER BY p.xid8), '[]'::jsonb) INTO v_rows
      FROM pull_rows(me.district_id, me.community_id, me.counter_id, v_since, v_upto,
                     true) p;
    RETURN jsonb_build_object('cursor', v_upto::text, 'more', v_more, 'rows', v_rows);
END $$;
