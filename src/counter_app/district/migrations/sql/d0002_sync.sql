-- District schema, revision d0002 (counter sync): what a joining counter needs to know about
-- its district, and which of its own entries a pull cursor already covers.

-- The caller's district, community, counter and every community of the district (a member
-- of another community still needs its community at the counter).
CREATE FUNCTION district_info() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER STABLE SET search_path = public, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM caller_counter();
    RETURN jsonb_build_object(
        'district_id', me.district_id,
        'district', (SELECT name FROM districts WHERE id = me.district_id),
        'counter_id', me.counter_id,
        'counter_name', (SELECT name FROM counters WHERE id = me.counter_id),
        'community_id', me.community_id,
        'communities', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                'id', c.id, 'code', c.code, 'name', c.name,
                                'street_id', s.id, 'street', s.name) ORDER BY c.code), '[]')
                          FROM communities c JOIN streets s ON s.id = c.street_id
                         WHERE c.district_id = me.district_id));
END $$;

-- The highest sequence of the caller's own chain whose entries were all stored by
-- transactions below p_cursor (a cursor pull() returned): the own entries that the
-- balances served below that cursor include.
CREATE FUNCTION own_seq_below(p_journal text, p_cursor text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER STABLE SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    v_cursor xid8 := coalesce(nullif(p_cursor, '')::xid8, '0'::xid8);
    v_first bigint;
    v_head bigint;
BEGIN
    SELECT * INTO me FROM caller_counter();
    IF p_journal NOT IN ('points', 'stock') THEN
        RAISE EXCEPTION 'unknown journal %', p_journal USING ERRCODE = 'CA004';
    END IF;
    SELECT last_seq INTO v_head FROM counter_heads
     WHERE counter_id = me.counter_id AND journal = p_journal;
    IF p_journal = 'points' THEN
        SELECT min(seq) INTO v_first FROM points_journal
         WHERE counter_id = me.counter_id AND xid8 >= v_cursor;
    ELSE
        SELECT min(seq) INTO v_first FROM stock_journal
         WHERE counter_id = me.counter_id AND xid8 >= v_cursor;
    END IF;
    RETURN coalesce(v_first - 1, v_head, 0);
END $$;

REVOKE EXECUTE ON FUNCTION district_info() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION own_seq_below(text, text) FROM PUBLIC;

-- Counter groups made before this revision get the new functions too (roles.py grants
-- them to groups made later).
DO $$
DECLARE
    g text := left(regexp_replace(lower(current_database()), '[^a-z0-9_]', '_', 'g'), 40)
              || '_counters';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION district_info() TO %I', g);
        EXECUTE format('GRANT EXECUTE ON FUNCTION own_seq_below(text, text) TO %I', g);
    END IF;
END $$;
