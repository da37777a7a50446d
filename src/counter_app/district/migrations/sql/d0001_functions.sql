-- District schema, revision d0001: the functions a counter role may call (SECURITY DEFINER,
-- search_path pinned) and their internal helpers. Counter roles get EXECUTE on the API
-- functions only (counter_app.district.roles.API_FUNCTIONS); PUBLIC gets nothing.

-- --- the format-2 entry hash (spec in docs/district-schema.md; Python twin: district/chain.py)

-- PL/pgSQL, not SQL: a SQL function that names a parameter several times is not inlined,
-- and the SQL-function executor made each hash cost ~1 ms instead of ~0.05 ms.
CREATE FUNCTION entry_hash_fmt(fmt smallint, prev_hash text, id uuid, counter_id text,
                               seq bigint, subject uuid, delta bigint, kind text,
                               reverses_id uuid, ref text, operator_id uuid,
                               created_at timestamp, note text, detail_digest text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    s text;
    -- Formats 2 and 3 share the payload; 3 (the counter's district-wide keys) hashes the
    -- member/item and operator uids, which is what the district stores for both.
    payload text := 'counter_app/' || fmt::text || E'\n';
BEGIN
    FOREACH s IN ARRAY ARRAY[prev_hash, id::text, counter_id, seq::text, subject::text,
                             delta::text, kind, reverses_id::text, ref, operator_id::text,
                             to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US'), note,
                             detail_digest] LOOP
        IF s IS NULL THEN
            payload := payload || E'-\n';
        ELSE
            payload := payload || octet_length(convert_to(s, 'UTF8')) || ':' || s || E'\n';
        END IF;
    END LOOP;
    RETURN encode(sha256(convert_to(payload, 'UTF8')), 'hex');
END $$;

CREATE FUNCTION entry_hash_v2(prev_hash text, id uuid, counter_id text, seq bigint,
                              subject uuid, delta bigint, kind text, reverses_id uuid,
                              ref text, operator_id uuid, created_at timestamp, note text,
                              detail_digest text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT entry_hash_fmt(2::smallint, prev_hash, id, counter_id, seq, subject, delta, kind,
                          reverses_id, ref, operator_id, created_at, note, detail_digest)
$$;

-- An entry as a counter sends it (JSON keys = these names).
CREATE TYPE entry_in AS (
    id uuid, counter_id text, seq bigint, subject uuid, delta bigint, kind text,
    reverses_id uuid, ref text, operator_id uuid, created_at timestamp, note text,
    detail_digest text, hash_format smallint, prev_hash text, hash text
);

-- --- who is calling ---------------------------------------------------------------------------

-- The counter behind the login role. Never taken from a payload.
CREATE FUNCTION caller_counter(OUT counter_id text, OUT community_id uuid, OUT district_id uuid)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    SELECT c.id, c.community_id, m.district_id INTO counter_id, community_id, district_id
      FROM counters c JOIN communities m ON m.id = c.community_id
     WHERE c.role_name = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role % is not a counter of this district', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$;

CREATE FUNCTION xid8_next(x xid8) RETURNS xid8
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT ((x::text)::numeric + 1)::text::xid8
$$;

CREATE FUNCTION entry_json(e anyelement, p_journal text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = public, pg_catalog AS $$
    SELECT jsonb_build_object(
        'journal', p_journal, 'id', (e).id, 'counter_id', (e).counter_id, 'seq', (e).seq,
        'subject', (e).subject, 'delta', (e).delta, 'kind', (e).kind, 'reverses_id', (e).reverses_id,
        'ref', (e).ref, 'operator_id', (e).operator_id,
        'created_at', to_char((e).created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        'note', (e).note, 'detail_digest', (e).detail_digest, 'hash_format', (e).hash_format,
        'prev_hash', (e).prev_hash, 'hash', (e).hash, 'xid8', (e).xid8::text)
$$;

CREATE FUNCTION record_dead_letter(p_counter text, p_journal text, p_entry uuid, p_seq bigint,
                                   p_received jsonb, p_existing_hash text, p_reason text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_received_hash text := encode(sha256(convert_to(p_received::text, 'UTF8')), 'hex');
BEGIN
    -- A replayed batch reports its dead letters again but stores each only once.
    INSERT INTO dead_letters (counter_id, journal, entry_id, seq, received, received_hash,
                              existing_hash, reason)
    VALUES (p_counter, p_journal, p_entry, p_seq, p_received, v_received_hash,
            p_existing_hash, p_reason)
    ON CONFLICT ON CONSTRAINT uq_dead_letters_once DO NOTHING;
    RETURN jsonb_build_object('journal', p_journal, 'id', p_entry, 'seq', p_seq,
                              'reason', p_reason, 'existing_hash', p_existing_hash,
                              'received_hash', v_received_hash);
END $$;

-- --- derived state, in key order (the lock order after the counter's head row) ---------------

CREATE FUNCTION apply_points(p_counter text, p_district uuid, p_from bigint, p_to bigint)
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
    SELECT s.subject, p_counter, s.last_spend, b.balance
      FROM (SELECT subject, (array_agg(id ORDER BY seq DESC))[1] AS last_spend
              FROM points_journal
             WHERE counter_id = p_counter AND seq > p_from AND seq <= p_to AND delta < 0
             GROUP BY subject) s
      JOIN balances b ON b.member_id = s.subject
     WHERE b.balance < 0
    ON CONFLICT (entry_id) DO NOTHING;
END $$;

CREATE FUNCTION apply_stock(p_counter text, p_from bigint, p_to bigint)
RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO stock_levels AS s (counter_id, item_id, qty)
    SELECT p_counter, subject, sum(delta) FROM stock_journal
     WHERE counter_id = p_counter AND seq > p_from AND seq <= p_to
     GROUP BY subject ORDER BY subject
    ON CONFLICT (counter_id, item_id) DO UPDATE SET qty = s.qty + EXCLUDED.qty,
                                                    updated_at = now();
END $$;

-- --- push_entries ------------------------------------------------------------------------------

CREATE FUNCTION push_entries(p_journal text, p_entries jsonb) RETURNS jsonb
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
    v_batch entry_in[];
    v_n int;
    v_fast boolean;
    v_rows_done bigint;
    v_received int;
BEGIN
    SELECT * INTO me FROM caller_counter();
    IF p_journal IS NULL OR p_journal NOT IN ('points', 'stock') THEN
        RAISE EXCEPTION 'unknown journal %', p_journal USING ERRCODE = 'CA004';
    END IF;
    IF jsonb_typeof(p_entries) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'entries must be a JSON array' USING ERRCODE = 'CA004';
    END IF;
    v_received := jsonb_array_length(p_entries);

    -- Lock order: this counter's head row first. Two pushes of one counter serialise here.
    SELECT last_seq, last_hash INTO v_head_seq, v_head_hash FROM counter_heads
     WHERE counter_id = me.counter_id AND journal = p_journal FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'counter % has no % head', me.counter_id, p_journal
            USING ERRCODE = 'CA004';
    END IF;
    v_start_seq := v_head_seq;

    -- Fast path, the usual batch: all new, all the caller's, contiguous from head + 1,
    -- linked and (format 2) hashing right. Checked and inserted set-wise; any doubt and
    -- the entry-by-entry path below decides (and names the error or the dead letters).
    v_batch := ARRAY(SELECT r FROM jsonb_array_elements(p_entries) AS x(value)
                    CROSS JOIN LATERAL jsonb_populate_record(NULL::entry_in, x.value) AS r);
    v_n := cardinality(v_batch);
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
            p_entries := '[]'::jsonb;  -- nothing left for the loop
        END IF;
    END IF;

    FOR e IN
        SELECT r.*, x.value AS raw
          FROM jsonb_array_elements(p_entries) WITH ORDINALITY AS x(value, ord)
         CROSS JOIN LATERAL jsonb_populate_record(NULL::entry_in, x.value) AS r
         ORDER BY r.seq, x.ord
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

        -- e.seq = head + 1: it must link to the district's head and (format 2) hash right.
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
            IF p_journal = 'points' THEN
                INSERT INTO points_journal (id, counter_id, seq, subject, delta, kind,
                    reverses_id, ref, operator_id, created_at, note, detail_digest,
                    hash_format, prev_hash, hash)
                VALUES (e.id, e.counter_id, e.seq, e.subject, e.delta, e.kind, e.reverses_id,
                    e.ref, e.operator_id, e.created_at, e.note, e.detail_digest,
                    e.hash_format, e.prev_hash, e.hash)
                ON CONFLICT (id) DO NOTHING;
            ELSE
                INSERT INTO stock_journal (id, counter_id, seq, subject, delta, kind,
                    reverses_id, ref, operator_id, created_at, note, detail_digest,
                    hash_format, prev_hash, hash)
                VALUES (e.id, e.counter_id, e.seq, e.subject, e.delta, e.kind, e.reverses_id,
                    e.ref, e.operator_id, e.created_at, e.note, e.detail_digest,
                    e.hash_format, e.prev_hash, e.hash)
                ON CONFLICT (id) DO NOTHING;
            END IF;
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
    VALUES (me.counter_id, 'push_entries', p_journal, v_received,
            v_accepted, v_duplicates, jsonb_array_length(v_dead), v_head_seq);
    RETURN jsonb_build_object('journal', p_journal, 'head_seq', v_head_seq,
                              'head_hash', v_head_hash, 'accepted', v_accepted,
                              'duplicates', v_duplicates, 'dead_letters', v_dead,
                              'stopped', v_stopped, 'ignored', v_ignored);
END $$;

-- --- push_registers ----------------------------------------------------------------------------

-- Parents before children, so one batch may carry a member and its card.
CREATE FUNCTION register_order() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['compounds', 'buildings', 'units', 'households', 'members', 'member_cards',
                 'items', 'item_barcodes', 'point_categories', 'point_items', 'operators',
                 'community_settings', 'receipts']
$$;

CREATE FUNCTION push_registers(p_changes jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    c record;
    old record;
    v_found boolean;
    v_data jsonb;
    v_content jsonb;
    v_cols text;
    v_excluded text;
    v_reason text;
    k_managed constant text[] := ARRAY['version', 'deleted', 'updated_by', 'updated_at', 'xid8'];
    v_dead jsonb := '[]'::jsonb;
    v_applied int := 0;
    v_duplicates int := 0;
    v_stale int := 0;
    v_fast boolean;
    v_register text;
    v_received int;
BEGIN
    SELECT * INTO me FROM caller_counter();
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'changes must be a JSON array' USING ERRCODE = 'CA004';
    END IF;
    v_received := jsonb_array_length(p_changes);

    -- Fast path (a counter's first push of its registers): only new rows of the caller's
    -- community, no tombstones, no receipts. Inserted one statement per register, parents
    -- first, inside a subtransaction; on any constraint error it is undone and the
    -- row-by-row path below decides, row by row.
    SELECT v_received > 0 AND bool_and(
               array_position(register_order(), x.value->>'register') IS NOT NULL
               AND x.value->>'register' <> 'receipts'
               AND (x.value->>'id') IS NOT NULL AND (x.value->>'version')::integer >= 1
               AND NOT coalesce((x.value->>'deleted')::boolean, false)
               AND jsonb_typeof(x.value->'data') = 'object'
               AND x.value->'data'->>'community_id' = me.community_id::text)
           AND count(DISTINCT (x.value->>'register', x.value->>'id')) = v_received
           AND NOT EXISTS (SELECT 1 FROM register_changes rc
                            JOIN jsonb_array_elements(p_changes) AS y(value)
                              ON rc.register = y.value->>'register'
                             AND rc.row_id = (y.value->>'id')::uuid)
      INTO v_fast FROM jsonb_array_elements(p_changes) AS x(value);
    IF v_fast THEN
        BEGIN
            FOREACH v_register IN ARRAY register_order() LOOP
                EXECUTE format(
                    'INSERT INTO %1$I SELECT * FROM jsonb_populate_recordset(NULL::%1$I, $1)',
                    v_register)
                USING (SELECT jsonb_agg(x.value->'data' || jsonb_build_object(
                                 'id', x.value->'id', 'version', x.value->'version',
                                 'deleted', false, 'updated_by', me.counter_id)
                             ORDER BY (x.value->>'id')::uuid)
                         FROM jsonb_array_elements(p_changes) AS x(value)
                        WHERE x.value->>'register' = v_register);
            END LOOP;
            v_applied := v_received;
            p_changes := '[]'::jsonb;  -- nothing left for the loop
        EXCEPTION WHEN integrity_constraint_violation OR data_exception THEN
            v_applied := 0;
        END;
    END IF;

    FOR c IN
        SELECT x.value->>'register' AS register, (x.value->>'id')::uuid AS id,
               (x.value->>'version')::integer AS version,
               coalesce((x.value->>'deleted')::boolean, false) AS deleted,
               x.value->'data' AS data, x.value AS raw
          FROM jsonb_array_elements(p_changes) WITH ORDINALITY AS x(value, ord)
         -- register order, then id: parents first, and one lock order for every caller
         ORDER BY array_position(register_order(), x.value->>'register'),
                  (x.value->>'id')::uuid, x.ord
    LOOP
        IF c.register IS NULL OR array_position(register_order(), c.register) IS NULL THEN
            RAISE EXCEPTION 'unknown register %', c.register USING ERRCODE = 'CA004';
        END IF;
        IF c.id IS NULL OR c.version IS NULL OR c.version < 1 THEN
            RAISE EXCEPTION 'register change without id or version' USING ERRCODE = 'CA004';
        END IF;
        SELECT * INTO old FROM register_changes
         WHERE register = c.register AND row_id = c.id FOR UPDATE;
        v_found := FOUND;

        IF c.deleted THEN
            IF NOT v_found THEN
                v_stale := v_stale + 1;  -- a tombstone for a row the district never had
                CONTINUE;
            END IF;
            v_data := old.content;
        ELSIF jsonb_typeof(c.data) IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION 'register change % has no data', c.id USING ERRCODE = 'CA004';
        ELSE
            v_data := c.data || jsonb_build_object('id', c.id);
        END IF;

        v_reason := NULL;
        IF v_found AND old.community_id <> me.community_id THEN
            v_reason := 'foreign_community';
        ELSIF (v_data->>'community_id') IS DISTINCT FROM me.community_id::text THEN
            v_reason := 'foreign_community';
        ELSIF c.register = 'receipts' AND (v_data->>'counter_id') IS DISTINCT FROM me.counter_id THEN
            v_reason := 'foreign_counter';
        END IF;
        IF v_reason IS NOT NULL THEN
            v_dead := v_dead || record_dead_letter(me.counter_id, c.register, c.id, c.version,
                                                   c.raw, NULL, v_reason);
            CONTINUE;
        END IF;

        IF v_found THEN
            IF c.version < old.version THEN
                v_stale := v_stale + 1;  -- the district already has a newer version
                CONTINUE;
            END IF;
            IF c.version = old.version THEN
                EXECUTE format('SELECT to_jsonb(r) - $2 FROM jsonb_populate_record(NULL::%I, $1) r',
                               c.register) INTO v_content USING v_data, k_managed;
                IF v_content = old.content AND c.deleted = old.deleted THEN
                    v_duplicates := v_duplicates + 1;
                ELSE
                    v_dead := v_dead || record_dead_letter(
                        me.counter_id, c.register, c.id, c.version, c.raw,
                        encode(sha256(convert_to(old.content::text, 'UTF8')), 'hex'),
                        'version_conflict');
                END IF;
                CONTINUE;
            END IF;
        END IF;

        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
               string_agg('EXCLUDED.' || quote_ident(attname), ', ' ORDER BY attnum)
          INTO v_cols, v_excluded
          FROM pg_attribute
         WHERE attrelid = ('public.' || quote_ident(c.register))::regclass
           AND attnum > 0 AND NOT attisdropped AND attname <> 'id';
        v_data := v_data || jsonb_build_object('version', c.version, 'deleted', c.deleted,
                                               'updated_by', me.counter_id);
        BEGIN
            EXECUTE format('INSERT INTO %1$I SELECT * FROM jsonb_populate_record(NULL::%1$I, $1) '
                           'ON CONFLICT (id) DO UPDATE SET (%2$s) = ROW(%3$s)',
                           c.register, v_cols, v_excluded) USING v_data;
            IF c.register = 'receipts' AND NOT c.deleted AND jsonb_typeof(c.data->'lines') = 'array' THEN
                DELETE FROM receipt_lines WHERE receipt_id = c.id;
                INSERT INTO receipt_lines (receipt_id, line_no, item_id, item_name, qty,
                                           unit_points, stock_entry_id)
                SELECT c.id, l.line_no, l.item_id, l.item_name, l.qty, l.unit_points,
                       l.stock_entry_id
                  FROM jsonb_to_recordset(c.data->'lines') AS l(
                       line_no integer, item_id uuid, item_name text, qty integer,
                       unit_points integer, stock_entry_id uuid);
            END IF;
            v_applied := v_applied + 1;
        EXCEPTION WHEN integrity_constraint_violation OR data_exception THEN
            -- e.g. a card code another card holds, a missing parent: kept aside, not blocking
            v_dead := v_dead || record_dead_letter(me.counter_id, c.register, c.id, c.version,
                                                   c.raw, NULL, 'invalid: ' || SQLERRM);
        END;
    END LOOP;
    INSERT INTO sync_log (counter_id, action, received, accepted, duplicates, dead)
    VALUES (me.counter_id, 'push_registers', v_received, v_applied,
            v_duplicates, jsonb_array_length(v_dead));
    RETURN jsonb_build_object('applied', v_applied, 'duplicates', v_duplicates,
                              'stale', v_stale, 'dead_letters', v_dead);
END $$;

-- --- pull --------------------------------------------------------------------------------------

-- What a counter may see, with the xid8 of the transaction that wrote it, in [p_from, p_below).
-- No SET clause on these two: they must be inlined into pull's queries, so that an ORDER BY
-- xid8 LIMIT walks the (district_id, xid8) indexes instead of sorting everything since the
-- cursor (called only from pull, whose search_path is pinned).
CREATE FUNCTION pull_rows(p_district uuid, p_community uuid, p_counter text, p_from xid8,
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
    SELECT pj.xid8, CASE WHEN p_body THEN
               entry_json(pj, 'points') || jsonb_build_object('source', 'entry') END
      FROM points_journal pj
      JOIN counters ct ON ct.id = pj.counter_id
      JOIN communities cm ON cm.id = ct.community_id
     WHERE cm.district_id = p_district AND pj.counter_id <> p_counter
       AND pj.xid8 >= p_from AND pj.xid8 < p_below
       AND pj.created_at >= (now() AT TIME ZONE 'UTC') - interval '400 days'
$$;

CREATE FUNCTION pull(p_since text, p_limit integer) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    v_xmin xid8;
    v_since xid8;
    v_cut xid8;
    v_upto xid8;
    v_more boolean;
    v_rows jsonb;
    v_limit integer := least(greatest(coalesce(p_limit, 5000), 1), 50000);
BEGIN
    SELECT * INTO me FROM caller_counter();
    -- Every transaction below xmin has ended: nothing can still commit under the cursor.
    v_xmin := pg_snapshot_xmin(pg_current_snapshot());
    v_since := coalesce(nullif(p_since, '')::xid8, '0'::xid8);
    SELECT p.xid8 INTO v_cut FROM pull_rows(me.district_id, me.community_id, me.counter_id,
                                            v_since, v_xmin, false) p
     ORDER BY p.xid8 OFFSET v_limit LIMIT 1;
    IF v_cut IS NULL THEN
        v_upto := v_xmin;
        v_more := false;
    ELSIF EXISTS (SELECT 1 FROM pull_rows(me.district_id, me.community_id, me.counter_id,
                                          v_since, v_cut, false)) THEN
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

-- --- head and recovery -------------------------------------------------------------------------

CREATE FUNCTION head(p_journal text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER STABLE SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    h record;
BEGIN
    SELECT * INTO me FROM caller_counter();
    SELECT last_seq, last_hash INTO h FROM counter_heads
     WHERE counter_id = me.counter_id AND journal = p_journal;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown journal %', p_journal USING ERRCODE = 'CA004';
    END IF;
    RETURN jsonb_build_object('journal', p_journal, 'counter_id', me.counter_id,
                              'seq', h.last_seq, 'hash', h.last_hash);
END $$;

CREATE FUNCTION fetch_own_entries(p_journal text, p_from_seq bigint, p_limit integer)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER STABLE SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    v_rows jsonb;
    v_limit integer := least(greatest(coalesce(p_limit, 1000), 1), 50000);
BEGIN
    SELECT * INTO me FROM caller_counter();
    IF p_journal = 'points' THEN
        SELECT coalesce(jsonb_agg(x.body ORDER BY x.seq), '[]'::jsonb) INTO v_rows
          FROM (SELECT j.seq, entry_json(j, 'points') AS body FROM points_journal j
                 WHERE j.counter_id = me.counter_id AND j.seq >= coalesce(p_from_seq, 1)
                 ORDER BY j.seq LIMIT v_limit) x;
    ELSIF p_journal = 'stock' THEN
        SELECT coalesce(jsonb_agg(x.body ORDER BY x.seq), '[]'::jsonb) INTO v_rows
          FROM (SELECT j.seq, entry_json(j, 'stock') AS body FROM stock_journal j
                 WHERE j.counter_id = me.counter_id AND j.seq >= coalesce(p_from_seq, 1)
                 ORDER BY j.seq LIMIT v_limit) x;
    ELSE
        RAISE EXCEPTION 'unknown journal %', p_journal USING ERRCODE = 'CA004';
    END IF;
    RETURN v_rows;
END $$;

-- Nothing is callable by PUBLIC; counter roles are granted the API one by one.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
