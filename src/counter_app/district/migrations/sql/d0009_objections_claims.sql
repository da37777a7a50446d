-- d0009 (issue 10, earning governance): objections to the monthly notice as a register,
-- awards.review_counter, and the claim a counter makes before reviewing an award that is
-- left to any counter (claim_award_reviews): one award, one reviewing counter.

ALTER TABLE awards ADD COLUMN review_counter text REFERENCES counters(id);

CREATE TABLE objections (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    award_id uuid NOT NULL REFERENCES awards(id),
    raised_by text NOT NULL,
    reason text NOT NULL,
    raised_at timestamp NOT NULL,
    counter_id text NOT NULL REFERENCES counters(id),
    recorded_by uuid,
    outcome text CHECK (outcome IN ('upheld', 'dismissed')),
    note text,
    decided_by uuid,
    decided_at timestamp,
    decided_counter text REFERENCES counters(id),
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ix_objections_award ON objections (award_id);

CREATE TRIGGER touch BEFORE INSERT OR UPDATE ON objections
    FOR EACH ROW EXECUTE FUNCTION touch_register();
CREATE TRIGGER feed AFTER INSERT OR UPDATE ON objections
    FOR EACH ROW EXECUTE FUNCTION feed_register_changes();

-- Who reviews an award left to any counter (review_counter NULL): the first to claim it.
-- Not a register: written only by claim_award_reviews, never pulled.
CREATE TABLE award_review_claims (
    award_id uuid PRIMARY KEY REFERENCES awards(id),
    counter_id text NOT NULL REFERENCES counters(id),
    claimed_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION register_order() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['compounds', 'buildings', 'units', 'households', 'members', 'member_cards',
                 'merchants', 'items', 'item_barcodes', 'item_prices', 'point_categories',
                 'point_items', 'operators', 'community_settings', 'receipts', 'vouchers',
                 'voucher_uses',  -- d0003 (stock)
                 'point_item_values', 'activities', 'wishes', 'awards',  -- d0004 (earning)
                 'day_closes',  -- d0006 (day)
                 'objections']  -- d0009 (earning governance)
$$;
REVOKE EXECUTE ON FUNCTION register_order() FROM PUBLIC;

-- All or nothing: {"ok": true} once every award is the caller's to review (claimed now, or
-- by the caller before: a repeated call is harmless); else {"ok": false, "refused": [...]}
-- and nothing is claimed. Rows locked in id order: two counters claiming at once queue,
-- and the second finds the first's claim.
CREATE FUNCTION claim_award_reviews(p_awards jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    a record;
    v_ids uuid[];
    v_refused jsonb := '[]'::jsonb;
    v_holder text;
BEGIN
    SELECT * INTO me FROM caller_counter();
    IF jsonb_typeof(p_awards) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'awards must be a JSON array' USING ERRCODE = 'CA004';
    END IF;
    SELECT array_agg(DISTINCT x::uuid ORDER BY x::uuid) INTO v_ids
      FROM jsonb_array_elements_text(p_awards) AS x;
    IF v_ids IS NULL THEN
        RETURN jsonb_build_object('ok', true, 'refused', '[]'::jsonb);
    END IF;
    PERFORM 1 FROM awards WHERE id = ANY (v_ids) ORDER BY id FOR UPDATE;
    FOR a IN
        SELECT i.id AS want, w.id, w.community_id, w.status, w.deleted, w.review_counter
          FROM unnest(v_ids) AS i(id)
          LEFT JOIN awards w ON w.id = i.id
         ORDER BY i.id
    LOOP
        SELECT counter_id INTO v_holder FROM award_review_claims WHERE award_id = a.want;
        IF a.id IS NULL OR a.deleted OR a.community_id <> me.community_id THEN
            v_refused := v_refused || jsonb_build_object('id', a.want, 'reason', 'unknown');
        ELSIF v_holder = me.counter_id THEN
            CONTINUE;
        ELSIF v_holder IS NOT NULL THEN
            v_refused := v_refused || jsonb_build_object('id', a.want, 'reason', 'claimed',
                                                         'counter', v_holder);
        ELSIF a.review_counter IS NOT NULL THEN
            v_refused := v_refused || jsonb_build_object('id', a.want, 'reason', 'designated',
                                                         'counter', a.review_counter);
        ELSIF a.status <> 'pending' THEN
            v_refused := v_refused || jsonb_build_object('id', a.want, 'reason', 'decided',
                                                         'status', a.status);
        END IF;
    END LOOP;
    IF jsonb_array_length(v_refused) > 0 THEN
        RETURN jsonb_build_object('ok', false, 'refused', v_refused);
    END IF;
    INSERT INTO award_review_claims (award_id, counter_id)
    SELECT i, me.counter_id FROM unnest(v_ids) AS i
    ON CONFLICT (award_id) DO NOTHING;
    RETURN jsonb_build_object('ok', true, 'refused', '[]'::jsonb);
END $$;
REVOKE EXECUTE ON FUNCTION claim_award_reviews(jsonb) FROM PUBLIC;

-- Counter groups made before this revision get the function too (roles.py grants it to
-- groups made later).
DO $$
DECLARE
    g text := left(regexp_replace(lower(current_database()), '[^a-z0-9_]', '_', 'g'), 40)
              || '_counters';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION claim_award_reviews(jsonb) TO %I', g);
    END IF;
END $$;
