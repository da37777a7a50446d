-- d0007: the receipts (redemptions, their lines, their voids) reach the district.
--
-- * push_receipts(): each receipt / void inserted ON CONFLICT DO NOTHING on its id; a
--   resend with the same content (content_hash) is a duplicate, other content a dead
--   letter (journal 'receipts' / 'receipt_voids'), never merged. A receipt of another
--   counter is refused with insufficient_privilege, like a foreign journal entry.
-- * fetch_own_receipts(): a rejoined / restored counter takes its own receipts back.
-- * pull_receipts(): other counters of the caller's community send their recent receipts
--   down (the per-item limits count them); cursor as pull()'s (xid8 below xmin).
-- * day_closes: a row naming another counter than the caller's is refused
--   (insufficient_privilege), and pull_rows() no longer serves day closes at all.

ALTER TABLE receipts ADD COLUMN content_hash text;
ALTER TABLE receipt_lines ADD COLUMN digest_item_no bigint;
CREATE INDEX ix_receipts_xid8 ON receipts (xid8);
CREATE INDEX ix_receipts_member ON receipts (member_id, created_at);

CREATE TABLE receipt_voids (
    id uuid PRIMARY KEY,
    receipt_id uuid NOT NULL UNIQUE REFERENCES receipts(id),
    counter_id text NOT NULL REFERENCES counters(id),
    receipt_no text NOT NULL,
    points_entry_id uuid NOT NULL UNIQUE,
    operator_id uuid,
    requested_by text,
    reason text NOT NULL,
    created_at timestamp NOT NULL,
    content_hash text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ix_receipt_voids_xid8 ON receipt_voids (xid8);
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON receipt_voids
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON receipt_voids
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The content a receipt or void is compared by: its JSON as received, without the kind
-- (jsonb text is canonical: key order and spacing do not change it).
CREATE FUNCTION receipt_content_hash(p jsonb) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = public, pg_catalog AS $$
    SELECT encode(sha256(convert_to((p - 'kind' - 'seq')::text, 'UTF8')), 'hex')
$$;

CREATE FUNCTION push_receipts(p_receipts jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    r record;
    v_hash text;
    v_old text;
    v_rows int;
    v_owner text;
    v_dead jsonb := '[]'::jsonb;
    v_accepted int := 0;
    v_duplicates int := 0;
    v_left jsonb;
BEGIN
    SELECT * INTO me FROM caller_counter();
    IF jsonb_typeof(p_receipts) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'receipts must be a JSON array' USING ERRCODE = 'CA004';
    END IF;
    v_left := p_receipts;
    -- Fast path, the usual batch: all the caller's, all new, every void's receipt the
    -- caller's (in the district or in this batch). Inserted set-wise in one subtransaction;
    -- on any constraint error it is undone and the row-by-row loop below decides.
    IF jsonb_array_length(p_receipts) > 0 AND NOT EXISTS (
           SELECT 1 FROM jsonb_array_elements(p_receipts) x(value)
            WHERE (x.value->>'counter_id') IS DISTINCT FROM me.counter_id
               OR (x.value->>'kind') IS DISTINCT FROM 'receipt'
                  AND (x.value->>'kind') IS DISTINCT FROM 'void'
               OR (x.value->>'id') IS NULL
               OR EXISTS (SELECT 1 FROM receipts e WHERE e.id = (x.value->>'id')::uuid)
               OR EXISTS (SELECT 1 FROM receipt_voids v WHERE v.id = (x.value->>'id')::uuid)
               OR x.value->>'kind' = 'void' AND NOT EXISTS (
                      SELECT 1 FROM receipts e WHERE e.id = (x.value->>'receipt_id')::uuid
                         AND e.counter_id = me.counter_id)
                  AND NOT EXISTS (
                      SELECT 1 FROM jsonb_array_elements(p_receipts) y(value)
                       WHERE y.value->>'kind' = 'receipt'
                         AND y.value->>'id' = x.value->>'receipt_id'))
       AND (SELECT count(DISTINCT x.value->>'id') = jsonb_array_length(p_receipts)
              FROM jsonb_array_elements(p_receipts) x(value)) THEN
        BEGIN
            INSERT INTO receipts (id, community_id, counter_id, receipt_no, member_id,
                                  operator_id, created_at, total_points, balance_before,
                                  points_entry_id, status, version, updated_by, content_hash)
            SELECT (x.value->>'id')::uuid, me.community_id, me.counter_id,
                   x.value->>'receipt_no', (x.value->>'member_id')::uuid,
                   (x.value->>'operator_id')::uuid, (x.value->>'created_at')::timestamp,
                   (x.value->>'total_points')::integer, (x.value->>'balance_before')::integer,
                   (x.value->>'points_entry_id')::uuid, 'issued', 1, me.counter_id,
                   receipt_content_hash(x.value)
              FROM jsonb_array_elements(p_receipts) x(value)
             WHERE x.value->>'kind' = 'receipt' ORDER BY (x.value->>'id')::uuid;
            INSERT INTO receipt_lines (receipt_id, line_no, item_id, item_name, qty,
                                       unit_points, stock_entry_id, digest_item_no)
            SELECT (x.value->>'id')::uuid, l.line_no, l.item_id, l.item_name, l.qty,
                   l.unit_points, l.stock_entry_id, l.digest_item_no
              FROM jsonb_array_elements(p_receipts) x(value)
             CROSS JOIN LATERAL jsonb_to_recordset(coalesce(x.value->'lines', '[]')) AS l(
                   line_no integer, item_id uuid, item_name text, qty integer,
                   unit_points integer, stock_entry_id uuid, digest_item_no bigint)
             WHERE x.value->>'kind' = 'receipt';
            INSERT INTO receipt_voids (id, receipt_id, counter_id, receipt_no, points_entry_id,
                                       operator_id, requested_by, reason, created_at,
                                       content_hash)
            SELECT (x.value->>'id')::uuid, (x.value->>'receipt_id')::uuid, me.counter_id,
                   x.value->>'receipt_no', (x.value->>'points_entry_id')::uuid,
                   (x.value->>'operator_id')::uuid, x.value->>'requested_by',
                   x.value->>'reason', (x.value->>'created_at')::timestamp,
                   receipt_content_hash(x.value)
              FROM jsonb_array_elements(p_receipts) x(value)
             WHERE x.value->>'kind' = 'void' ORDER BY (x.value->>'id')::uuid;
            UPDATE receipts SET status = 'voided', version = version + 1
             WHERE id IN (SELECT (x.value->>'receipt_id')::uuid
                            FROM jsonb_array_elements(p_receipts) x(value)
                           WHERE x.value->>'kind' = 'void');
            v_accepted := jsonb_array_length(p_receipts);
            v_left := '[]'::jsonb;  -- nothing left for the loop
        EXCEPTION WHEN integrity_constraint_violation OR data_exception THEN
            v_accepted := 0;
        END;
    END IF;

    FOR r IN
        SELECT x.value AS raw, x.value->>'kind' AS kind, (x.value->>'id')::uuid AS id
          FROM jsonb_array_elements(v_left) WITH ORDINALITY AS x(value, ord)
         -- receipts before voids (a void's receipt may ride in the same batch), then by id
         ORDER BY x.value->>'kind' = 'void', (x.value->>'id')::uuid, x.ord
    LOOP
        IF r.kind IS NULL OR r.kind NOT IN ('receipt', 'void') OR r.id IS NULL THEN
            RAISE EXCEPTION 'a receipt without kind or id' USING ERRCODE = 'CA004';
        END IF;
        IF (r.raw->>'counter_id') IS DISTINCT FROM me.counter_id THEN
            RAISE EXCEPTION '% % is of counter %, the caller is counter %', r.kind, r.id,
                r.raw->>'counter_id', me.counter_id USING ERRCODE = 'insufficient_privilege';
        END IF;
        v_hash := receipt_content_hash(r.raw);
        BEGIN
            IF r.kind = 'receipt' THEN
                INSERT INTO receipts (id, community_id, counter_id, receipt_no, member_id,
                                      operator_id, created_at, total_points, balance_before,
                                      points_entry_id, status, version, updated_by,
                                      content_hash)
                VALUES (r.id, me.community_id, me.counter_id, r.raw->>'receipt_no',
                        (r.raw->>'member_id')::uuid, (r.raw->>'operator_id')::uuid,
                        (r.raw->>'created_at')::timestamp, (r.raw->>'total_points')::integer,
                        (r.raw->>'balance_before')::integer,
                        (r.raw->>'points_entry_id')::uuid, 'issued', 1, me.counter_id, v_hash)
                ON CONFLICT (id) DO NOTHING;
                GET DIAGNOSTICS v_rows = ROW_COUNT;
                IF v_rows = 1 THEN
                    INSERT INTO receipt_lines (receipt_id, line_no, item_id, item_name, qty,
                                               unit_points, stock_entry_id, digest_item_no)
                    SELECT r.id, l.line_no, l.item_id, l.item_name, l.qty, l.unit_points,
                           l.stock_entry_id, l.digest_item_no
                      FROM jsonb_to_recordset(coalesce(r.raw->'lines', '[]')) AS l(
                           line_no integer, item_id uuid, item_name text, qty integer,
                           unit_points integer, stock_entry_id uuid, digest_item_no bigint);
                ELSE
                    SELECT content_hash INTO v_old FROM receipts WHERE id = r.id;
                END IF;
            ELSE
                SELECT counter_id INTO v_owner FROM receipts
                 WHERE id = (r.raw->>'receipt_id')::uuid;
                IF v_owner IS DISTINCT FROM me.counter_id THEN
                    v_dead := v_dead || record_dead_letter(
                        me.counter_id, 'receipt_voids', r.id, NULL, r.raw, NULL,
                        CASE WHEN v_owner IS NULL THEN 'invalid: the receipt is not at the district'
                             ELSE 'foreign_counter' END);
                    CONTINUE;
                END IF;
                INSERT INTO receipt_voids (id, receipt_id, counter_id, receipt_no,
                                           points_entry_id, operator_id, requested_by, reason,
                                           created_at, content_hash)
                VALUES (r.id, (r.raw->>'receipt_id')::uuid, me.counter_id,
                        r.raw->>'receipt_no', (r.raw->>'points_entry_id')::uuid,
                        (r.raw->>'operator_id')::uuid, r.raw->>'requested_by',
                        r.raw->>'reason', (r.raw->>'created_at')::timestamp, v_hash)
                ON CONFLICT (id) DO NOTHING;
                GET DIAGNOSTICS v_rows = ROW_COUNT;
                IF v_rows = 1 THEN
                    UPDATE receipts SET status = 'voided', version = version + 1
                     WHERE id = (r.raw->>'receipt_id')::uuid;
                ELSE
                    SELECT content_hash INTO v_old FROM receipt_voids WHERE id = r.id;
                END IF;
            END IF;
            IF v_rows = 1 THEN
                v_accepted := v_accepted + 1;
            ELSIF v_old = v_hash THEN
                v_duplicates := v_duplicates + 1;  -- a resend: harmless
            ELSE
                v_dead := v_dead || record_dead_letter(
                    me.counter_id, CASE r.kind WHEN 'void' THEN 'receipt_voids' ELSE 'receipts' END,
                    r.id, NULL, r.raw, v_old, 'content_differs');
            END IF;
        EXCEPTION WHEN integrity_constraint_violation OR data_exception THEN
            -- e.g. a receipt number another receipt of the counter holds, a missing member
            v_dead := v_dead || record_dead_letter(
                me.counter_id, CASE r.kind WHEN 'void' THEN 'receipt_voids' ELSE 'receipts' END,
                r.id, NULL, r.raw, NULL, 'invalid: ' || SQLERRM);
        END;
    END LOOP;
    INSERT INTO sync_log (counter_id, action, received, accepted, duplicates, dead)
    VALUES (me.counter_id, 'push_receipts', jsonb_array_length(p_receipts), v_accepted,
            v_duplicates, jsonb_array_length(v_dead));
    RETURN jsonb_build_object('accepted', v_accepted, 'duplicates', v_duplicates,
                              'dead_letters', v_dead);
END $$;

-- A receipt as push_receipts takes it (and fetch_own_receipts gives it back).
CREATE FUNCTION receipt_json(r receipts) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = public, pg_catalog AS $$
    SELECT jsonb_build_object(
        'kind', 'receipt', 'id', r.id, 'counter_id', r.counter_id, 'receipt_no', r.receipt_no,
        'member_id', r.member_id, 'operator_id', r.operator_id,
        'created_at', to_char(r.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        'total_points', r.total_points, 'balance_before', r.balance_before,
        'points_entry_id', r.points_entry_id, 'voided', r.status = 'voided',
        'lines', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                      'line_no', l.line_no, 'item_id', l.item_id, 'item_name', l.item_name,
                      'qty', l.qty, 'unit_points', l.unit_points,
                      'stock_entry_id', l.stock_entry_id, 'digest_item_no', l.digest_item_no)
                      ORDER BY l.line_no), '[]'::jsonb)
                    FROM receipt_lines l WHERE l.receipt_id = r.id))
$$;

-- The caller's own receipts and voids whose points entry comes after p_after_seq, in the
-- order of those entries ('seq' is the entry's sequence).
CREATE FUNCTION fetch_own_receipts(p_after_seq bigint, p_limit integer) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER STABLE SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    v_rows jsonb;
    v_limit integer := least(greatest(coalesce(p_limit, 1000), 1), 50000);
BEGIN
    SELECT * INTO me FROM caller_counter();
    SELECT coalesce(jsonb_agg(x.body ORDER BY x.seq), '[]'::jsonb) INTO v_rows FROM (
        SELECT y.seq, y.body FROM (
            SELECT j.seq, receipt_json(r) - 'voided' || jsonb_build_object('seq', j.seq) AS body
              FROM receipts r JOIN points_journal j ON j.id = r.points_entry_id
             WHERE r.counter_id = me.counter_id AND j.seq > coalesce(p_after_seq, 0)
            UNION ALL
            SELECT j.seq, jsonb_build_object(
                       'kind', 'void', 'id', v.id, 'counter_id', v.counter_id,
                       'receipt_id', v.receipt_id, 'receipt_no', v.receipt_no,
                       'points_entry_id', v.points_entry_id, 'operator_id', v.operator_id,
                       'requested_by', v.requested_by, 'reason', v.reason,
                       'created_at', to_char(v.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                       'seq', j.seq)
              FROM receipt_voids v JOIN points_journal j ON j.id = v.points_entry_id
             WHERE v.counter_id = me.counter_id AND j.seq > coalesce(p_after_seq, 0)) y
         ORDER BY y.seq LIMIT v_limit) x;
    RETURN v_rows;
END $$;

-- Other counters' receipts of the caller's community (the catalogue, and so the limited
-- items, is the community's) of the last 400 days, in [p_from, p_below) by xid8; a void
-- moves its receipt's xid8 (status 'voided'), so it comes down again.
CREATE FUNCTION receipt_rows(p_community uuid, p_counter text, p_from xid8, p_below xid8)
RETURNS TABLE (xid8 xid8, id uuid) LANGUAGE sql STABLE AS $$
    SELECT r.xid8, r.id FROM receipts r
     WHERE r.community_id = p_community AND r.counter_id <> p_counter
       AND r.xid8 >= p_from AND r.xid8 < p_below
       AND r.created_at >= (now() AT TIME ZONE 'UTC') - interval '400 days'
$$;

CREATE FUNCTION pull_receipts(p_since text, p_limit integer) RETURNS jsonb
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
    v_xmin := pg_snapshot_xmin(pg_current_snapshot());  -- as pull(): nothing commits below
    v_since := coalesce(nullif(p_since, '')::xid8, '0'::xid8);
    SELECT p.xid8 INTO v_cut FROM receipt_rows(me.community_id, me.counter_id, v_since, v_xmin) p
     ORDER BY p.xid8 OFFSET v_limit LIMIT 1;
    IF v_cut IS NULL THEN
        v_upto := v_xmin;
        v_more := false;
    ELSIF EXISTS (SELECT 1 FROM receipt_rows(me.community_id, me.counter_id, v_since, v_cut)) THEN
        v_upto := v_cut;
        v_more := true;
    ELSE
        v_upto := xid8_next(v_cut);  -- one transaction larger than a page: never split it
        v_more := true;
    END IF;
    SELECT coalesce(jsonb_agg(receipt_json(r) - 'operator_id' - 'balance_before'
                              ORDER BY r.xid8, r.id), '[]'::jsonb) INTO v_rows
      FROM receipts r
     WHERE r.id IN (SELECT p.id FROM receipt_rows(me.community_id, me.counter_id, v_since,
                                                  v_upto) p);
    RETURN jsonb_build_object('cursor', v_upto::text, 'more', v_more, 'rows', v_rows);
END $$;

-- A day close names the counter whose heads it anchors: only that counter may push it
-- (the district's administrator, not a counter role, is not limited).
CREATE FUNCTION day_close_own_counter() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_caller text;
BEGIN
    SELECT id INTO v_caller FROM counters WHERE role_name = session_user;
    IF FOUND AND NEW.counter_id IS DISTINCT FROM v_caller THEN
        RAISE EXCEPTION 'day close % is of counter %, the caller is counter %',
            NEW.id, NEW.counter_id, v_caller USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER own_counter BEFORE INSERT OR UPDATE ON day_closes
    FOR EACH ROW EXECUTE FUNCTION day_close_own_counter();

REVOKE EXECUTE ON FUNCTION receipt_content_hash(jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION push_receipts(jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION receipt_json(receipts) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION fetch_own_receipts(bigint, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION receipt_rows(uuid, text, xid8, xid8) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pull_receipts(text, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION day_close_own_counter() FROM PUBLIC;

DO $$
DECLARE
    g text := left(regexp_replace(lower(current_database()), '[^a-z0-9_]', '_', 'g'), 40)
              || '_counters';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION push_receipts(jsonb) TO %I', g);
        EXECUTE format('GRANT EXECUTE ON FUNCTION fetch_own_receipts(bigint, integer) TO %I', g);
        EXECUTE format('GRANT EXECUTE ON FUNCTION pull_receipts(text, integer) TO %I', g);
    END IF;
END $$;

-- pull_rows() as it stands (d0001's, or a later revision's if this one is applied after it)
-- with one change: day closes are not served (another counter's are its own; the counters
-- skipped them anyway). Patched from its stored definition rather than copied, so no other
-- revision's body is overwritten.
DO $$
DECLARE
    v_def text := pg_get_functiondef(
        'pull_rows(uuid, uuid, text, xid8, xid8, boolean)'::regprocedure);
    v_new text := replace(v_def, 'rc.register <> ''receipts''',
                          'rc.register NOT IN (''receipts'', ''day_closes'')');
BEGIN
    IF v_new = v_def THEN
        RAISE EXCEPTION 'pull_rows() does not read as expected: day closes not excluded';
    END IF;
    EXECUTE v_new;
END $$;

-- entry_hash_fmt() of d0005 with one change: NULL for every format but 3. Formats 1 and 2
-- (counter files from before the district-wide keys) hash the member's and operator's rowids
-- of the counter's own file, which the district never sees: it cannot recompute them, and
-- refusing them (hash_mismatch) stopped such a counter's push at its first old entry. For
-- them push_entries checks the link only (a NULL hash compares as neither equal nor
-- unequal: the fast path's test is not true, the entry-by-entry path finds no mismatch);
-- the counter's own check verifies them, and the district holds their hashes (the anchor).
-- entry_hash_v2() (a spec wrapper, used by no function) is dropped.
DROP FUNCTION entry_hash_v2(text, uuid, text, bigint, uuid, bigint, text, uuid, text, uuid,
                            timestamp, text, text);
CREATE OR REPLACE FUNCTION entry_hash_fmt(fmt smallint, prev_hash text, id uuid,
                                          counter_id text, seq bigint, subject uuid,
                                          delta bigint, kind text, reverses_id uuid, ref text,
                                          operator_id uuid, created_at timestamp, note text,
                                          detail_digest text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF fmt IS DISTINCT FROM 3 THEN
        RETURN NULL;  -- d0007: formats 1 and 2 cover the counter file's own rowids
    END IF;
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
