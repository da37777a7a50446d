-- District schema, revision d0008: the push takes typed rows (issue 8 benchmark,
-- bench/bench_sync.py). Measured at 20,000 entries (pg_stat_user_functions): of 1.25 s in
-- push_entries, ~0.5 s were its own work, mostly taking the JSON apart
-- (jsonb_array_elements + jsonb_populate_record, twice), against 0.26 s for a raw COPY of
-- the same rows. The counter now COPYs a batch into a temporary table of type entry_in in
-- the transaction of the call and passes it as one entry_in[] (its own query reads its own
-- temporary table; this function never does): no JSON on either side.
--
-- push_entry_rows(journal, entry_in[]) is push_entries' body unchanged in what it checks
-- and writes (fast path set-wise, any doubt entry by entry), with the received content of
-- a dead letter as to_jsonb of the row. push_entries(journal, jsonb) stays, as a wrapper.

CREATE OR REPLACE FUNCTION push_entry_rows(p_journal text, p_batch entry_in[]) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    e record;
    old record;
    v_found boolean;
    v_head_seq bigint;
    v_head_hash text;
    v_start_seq bigint;
    v_reason text;
    v_rows int;
    v_dead jsonb := '[]'::jsonb;
    v_accepted int := 0;
    v_duplicates int := 0;
    v_ignored int := 0;
    v_stopped boolean := false;
    v_batch entry_in[] := coalesce(p_batch, '{}');
    v_loop entry_in[];
    v_n int;
    v_fast boolean;
    v_rows_done bigint;
BEGIN
    SELECT * INTO me FROM caller_counter();
    IF p_journal IS NULL OR p_journal NOT IN ('points', 'stock') THEN
        RAISE EXCEPTION 'unknown journal %', p_journal USING ERRCODE = 'CA004';
    END IF;
    v_n := coalesce(cardinality(v_batch), 0);
    v_loop := v_batch;

    -- Lock order: this counter's head row first. Two pushes of one counter serialise here.
    SELECT last_seq, last_hash INTO v_head_seq, v_head_hash FROM counter_heads
     WHERE counter_id = me.counter_id AND journal = p_journal FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'counter % has no % head', me.counter_id, p_journal
            USING ERRCODE = 'CA004';
    END IF;
    v_start_seq := v_head_seq;

    -- Fast path, the usual batch: all new, all the caller's, contiguous from head + 1,
    -- linked and (format 2, 3) hashing right. Checked and inserted set-wise; any doubt and
    -- the entry-by-entry path below decides (and names the error or the dead letters).
    IF v_n > 0 THEN
        SELECT count(*) = v_n AND min(z.seq) = v_head_seq + 1 AND max(z.seq) = v_head_seq + v_n
               AND bool_and(z.counter_id = me.counter_id AND z.id IS NOT NULL
                            AND z.subject IS NOT NULL AND z.delta IS NOT NULL
                            AND z.kind IS NOT NULL AND z.created_at IS NOT NULL
                            AND z.prev_hash = coalesce(z.prev_link, v_head_hash)
                            AND (z.hash_format = 1 OR (z.hash_format IN (2, 3) AND z.hash =
                                 entry_hash_fmt(z.hash_format, z.prev_hash, z.id,
                                               z.counter_id, z.seq,
                                               z.subject, z.delta, z.kind, z.reverses_id,
                                               z.ref, z.operator_id, z.created_at, z.note,
                                               z.detail_digest))))
          INTO v_fast
          FROM (SELECT u.*, lag(u.hash) OVER (ORDER BY u.seq) AS prev_link
                  FROM unnest(v_batch) AS u) AS z;
        IF v_fast THEN
            EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I j JOIN unnest($1) u '
                           'ON j.id = u.id)', p_journal || '_journal')
               INTO v_fast USING v_batch;
        END IF;
        IF v_fast THEN
            EXECUTE format(
                'INSERT INTO %I (id, counter_id, seq, subject, delta, kind, reverses_id, ref, '
                'operator_id, created_at, note, detail_digest, hash_format, prev_hash, hash) '
                'SELECT u.id, u.counter_id, u.seq, u.subject, u.delta, u.kind, u.reverses_id, '
                'u.ref, u.operator_id, u.created_at, u.note, u.detail_digest, u.hash_format, '
                'u.prev_hash, u.hash FROM unnest($1) u ORDER BY u.seq '
                'ON CONFLICT (id) DO NOTHING', p_journal || '_journal') USING v_batch;
            GET DIAGNOSTICS v_rows_done = ROW_COUNT;
            IF v_rows_done <> v_n THEN
                -- another counter committed one of these ids meanwhile: let the client retry,
                -- the entry-by-entry path will then name it
                RAISE EXCEPTION 'an entry id of the batch was taken meanwhile'
                    USING ERRCODE = 'serialization_failure';
            END IF;
            v_accepted := v_n;
            v_head_seq := v_head_seq + v_n;
            SELECT u.hash INTO v_head_hash FROM unnest(v_batch) u WHERE u.seq = v_head_seq;
            v_loop := '{}';  -- nothing left for the loop
        END IF;
    END IF;

    FOR e IN
        SELECT u.id, u.counter_id, u.seq, u.subject, u.delta, u.kind, u.reverses_id, u.ref,
               u.operator_id, u.created_at, u.note, u.detail_digest, u.hash_format,
               u.prev_hash, u.hash,
               to_jsonb(ROW(u.id, u.counter_id, u.seq, u.subject, u.delta, u.kind,
                            u.reverses_id, u.ref, u.operator_id, u.created_at, u.note,
                            u.detail_digest, u.hash_format, u.prev_hash, u.hash)::entry_in)
                   AS raw
          FROM unnest(v_loop) WITH ORDINALITY AS u
         ORDER BY u.seq, u.ordinality
    LOOP
        IF e.counter_id IS DISTINCT FROM me.counter_id THEN
            RAISE EXCEPTION 'entry % is of counter %, the caller is counter %',
                e.id, e.counter_id, me.counter_id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF e.id IS NULL OR e.seq IS NULL OR e.subject IS NULL OR e.delta IS NULL
           OR e.kind IS NULL OR e.created_at IS NULL OR e.hash_format IS NULL
           OR e.prev_hash IS NULL OR e.hash IS NULL THEN
            RAISE EXCEPTION 'entry % lacks a required field', coalesce(e.id::text, '?')
                USING ERRCODE = 'CA004';
        END IF;
        IF v_stopped THEN
            v_ignored := v_ignored + 1;
            CONTINUE;
        END IF;

        IF p_journal = 'points' THEN
            SELECT * INTO old FROM points_journal WHERE id = e.id;
        ELSE
            SELECT * INTO old FROM stock_journal WHERE id = e.id;
        END IF;
        v_found := FOUND;
        IF v_found THEN
            IF (old.counter_id, old.seq, old.subject, old.delta, old.kind, old.reverses_id,
                old.ref, old.operator_id, old.created_at, old.note, old.detail_digest,
                old.hash_format, old.prev_hash, old.hash)
               IS NOT DISTINCT FROM
               (e.counter_id, e.seq, e.subject, e.delta, e.kind, e.reverses_id, e.ref,
                e.operator_id, e.created_at, e.note, e.detail_digest, e.hash_format,
                e.prev_hash, e.hash) THEN
                v_duplicates := v_duplicates + 1;  -- a resend: harmless
                CONTINUE;
            END IF;
            -- The same id with other content: reported, never merged.
            v_dead := v_dead || record_dead_letter(
                me.counter_id, p_journal, e.id, e.seq, e.raw, old.hash,
                CASE WHEN old.counter_id <> me.counter_id THEN 'id_taken'
                     ELSE 'content_differs' END);
            IF e.seq = v_head_seq + 1 THEN
                v_stopped := true;  -- this place in the chain cannot be filled by it
            END IF;
            CONTINUE;
        END IF;

        IF e.seq <= v_head_seq THEN
            -- Another entry already holds this place: the counter's chain forked.
            IF p_journal = 'points' THEN
                SELECT * INTO old FROM points_journal
                 WHERE counter_id = me.counter_id AND seq = e.seq;
            ELSE
                SELECT * INTO old FROM stock_journal
                 WHERE counter_id = me.counter_id AND seq = e.seq;
            END IF;
            v_dead := v_dead || record_dead_letter(me.counter_id, p_journal, e.id, e.seq,
                                                   e.raw, old.hash, 'seq_taken');
            CONTINUE;
        END IF;
        IF e.seq > v_head_seq + 1 THEN
            RAISE EXCEPTION 'gap in the % journal of counter %: the district holds up to % and the batch continues at %',
                p_journal, me.counter_id, v_head_seq, e.seq
                USING ERRCODE = 'CA001',
                      DETAIL = jsonb_build_object('head_seq', v_head_seq,
                                                  'head_hash', v_head_hash)::text,
                      HINT = 'resend from head_seq + 1';
        END IF;

        -- e.seq = head + 1: it must link to the district's head and (format 2, 3) hash right.
        v_reason := NULL;
        IF e.prev_hash <> v_head_hash THEN
            v_reason := 'chain_break';
        ELSIF e.hash_format IN (2, 3) THEN
            IF entry_hash_fmt(e.hash_format, e.prev_hash, e.id, e.counter_id, e.seq,
                              e.subject, e.delta,
                             e.kind, e.reverses_id, e.ref, e.operator_id, e.created_at,
                             e.note, e.detail_digest) <> e.hash THEN
                v_reason := 'hash_mismatch';
            END IF;
        ELSIF e.hash_format <> 1 THEN
            v_reason := 'unknown_hash_format';  -- format 1 (legacy): linkage only
        END IF;
        IF v_reason IS NULL THEN
            EXECUTE format(
                'INSERT INTO %I (id, counter_id, seq, subject, delta, kind, reverses_id, ref, '
                'operator_id, created_at, note, detail_digest, hash_format, prev_hash, hash) '
                'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) '
                'ON CONFLICT (id) DO NOTHING', p_journal || '_journal')
            USING e.id, e.counter_id, e.seq, e.subject, e.delta, e.kind, e.reverses_id,
                  e.ref, e.operator_id, e.created_at, e.note, e.detail_digest,
                  e.hash_format, e.prev_hash, e.hash;
            GET DIAGNOSTICS v_rows = ROW_COUNT;
            IF v_rows = 0 THEN
                v_reason := 'id_taken';  -- another counter committed this id meanwhile
            END IF;
        END IF;
        IF v_reason IS NOT NULL THEN
            v_dead := v_dead || record_dead_letter(me.counter_id, p_journal, e.id, e.seq,
                                                   e.raw, NULL, v_reason);
            v_stopped := true;  -- nothing after it can link
            CONTINUE;
        END IF;
        v_head_seq := e.seq;
        v_head_hash := e.hash;
        v_accepted := v_accepted + 1;
    END LOOP;

    IF v_head_seq > v_start_seq THEN
        UPDATE counter_heads SET last_seq = v_head_seq, last_hash = v_head_hash,
                                 updated_at = now()
         WHERE counter_id = me.counter_id AND journal = p_journal;
        IF p_journal = 'points' THEN
            PERFORM apply_points(me.counter_id, me.district_id, v_start_seq, v_head_seq);
        ELSE
            PERFORM apply_stock(me.counter_id, v_start_seq, v_head_seq);
        END IF;
    END IF;
    INSERT INTO sync_log (counter_id, action, journal, received, accepted, duplicates, dead,
                          head_seq)
    VALUES (me.counter_id, 'push_entries', p_journal, v_n,
            v_accepted, v_duplicates, jsonb_array_length(v_dead), v_head_seq);
    RETURN jsonb_build_object('journal', p_journal, 'head_seq', v_head_seq,
                              'head_hash', v_head_hash, 'accepted', v_accepted,
                              'duplicates', v_duplicates, 'dead_letters', v_dead,
                              'stopped', v_stopped, 'ignored', v_ignored);
END $$;

-- The JSON form of the same call (district tools, older counters).
CREATE OR REPLACE FUNCTION push_entries(p_journal text, p_entries jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM caller_counter();
    IF p_journal IS NULL OR p_journal NOT IN ('points', 'stock') THEN
        RAISE EXCEPTION 'unknown journal %', p_journal USING ERRCODE = 'CA004';
    END IF;
    IF jsonb_typeof(p_entries) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'entries must be a JSON array' USING ERRCODE = 'CA004';
    END IF;
    RETURN push_entry_rows(p_journal, ARRAY(
        SELECT r FROM jsonb_array_elements(p_entries) AS x(value)
         CROSS JOIN LATERAL jsonb_populate_record(NULL::entry_in, x.value) AS r));
END $$;

-- pull_rows(): as d0001's, but other counters' entries come down slim.
CREATE OR REPLACE FUNCTION pull_rows(p_district uuid, p_community uuid, p_counter text, p_from xid8,
                          p_below xid8, p_body boolean)
RETURNS TABLE (xid8 xid8, body jsonb) LANGUAGE sql STABLE AS $$
    SELECT rc.xid8, CASE WHEN p_body THEN jsonb_build_object(
               'source', 'register', 'register', rc.register, 'id', rc.row_id,
               'version', rc.version, 'deleted', rc.deleted,
               'data', CASE WHEN rc.deleted THEN NULL ELSE rc.content END,
               'xid8', rc.xid8::text) END
      FROM register_changes rc
     WHERE rc.district_id = p_district AND rc.xid8 >= p_from AND rc.xid8 < p_below
       AND rc.register <> 'receipts'
       AND (rc.register <> 'operators' OR rc.community_id = p_community)
    UNION ALL
    SELECT b.xid8, CASE WHEN p_body THEN jsonb_build_object(
               'source', 'balance', 'member_id', b.member_id, 'balance', b.balance,
               'xid8', b.xid8::text) END
      FROM balances b
     WHERE b.district_id = p_district AND b.xid8 >= p_from AND b.xid8 < p_below
    UNION ALL
    SELECT h.xid8, CASE WHEN p_body THEN jsonb_build_object(
               'source', 'hotlist', 'type', h.kind, 'ref_id', h.ref_id,
               'member_id', h.member_id, 'code', h.code, 'reason', h.reason,
               'balance', h.balance, 'active', h.active, 'xid8', h.xid8::text) END
      FROM hotlist h
     WHERE h.district_id = p_district AND h.xid8 >= p_from AND h.xid8 < p_below
    UNION ALL
    -- Other counters' points entries of the last 400 days: the member panel's history and
    -- the per-period limits (at most a year) see redemptions made elsewhere.
    -- Only what the counter keeps of them (district_entries) and the hash: no chain links,
    -- digests or operators (a third of each row, 14,700 rows a counter in the 50-counter run).
    SELECT pj.xid8, CASE WHEN p_body THEN jsonb_build_object(
               'source', 'entry', 'id', pj.id, 'counter_id', pj.counter_id, 'seq', pj.seq,
               'subject', pj.subject, 'delta', pj.delta, 'kind', pj.kind,
               'reverses_id', pj.reverses_id, 'ref', pj.ref, 'note', pj.note,
               'created_at', to_char(pj.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
               'hash', pj.hash, 'xid8', pj.xid8::text) END
      FROM points_journal pj
      JOIN counters ct ON ct.id = pj.counter_id
      JOIN communities cm ON cm.id = ct.community_id
     WHERE cm.district_id = p_district AND pj.counter_id <> p_counter
       AND pj.xid8 >= p_from AND pj.xid8 < p_below
       AND pj.created_at >= (now() AT TIME ZONE 'UTC') - interval '400 days'
$$;

REVOKE EXECUTE ON FUNCTION push_entry_rows(text, entry_in[]) FROM PUBLIC;

-- Counter groups made before this revision: the new function, and TEMPORARY for the
-- staging table of a batch (roles.py grants both to groups made later).
DO $$
DECLARE
    g text := left(regexp_replace(lower(current_database()), '[^a-z0-9_]', '_', 'g'), 40)
              || '_counters';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION push_entry_rows(text, entry_in[]) TO %I', g);
        EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), g);
    END IF;
END $$;
