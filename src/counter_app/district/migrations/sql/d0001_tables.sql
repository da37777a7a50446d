-- District schema, revision d0001: tables, indexes and the row triggers.
-- docs/district-schema.md documents every table and column; keep both in step.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Every row the pull serves carries the id of the transaction that last wrote it.
CREATE FUNCTION set_xid8() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid8 := pg_current_xact_id();
    RETURN NEW;
END $$;

CREATE FUNCTION touch_register() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid8 := pg_current_xact_id();
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'CA010';
END $$;

-- --- geography and counters ----------------------------------------------------------

CREATE TABLE districts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE streets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id uuid NOT NULL REFERENCES districts(id),
    name text NOT NULL,
    CONSTRAINT uq_streets_district_name UNIQUE (district_id, name)
);

CREATE TABLE communities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id uuid NOT NULL REFERENCES districts(id),
    street_id uuid NOT NULL REFERENCES streets(id),
    code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{2,4}$'),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE counters (
    id text PRIMARY KEY CHECK (id ~ '^[A-Z0-9]{2,16}$'),
    community_id uuid NOT NULL REFERENCES communities(id),
    name text NOT NULL,
    role_name text NOT NULL UNIQUE,
    registered_at timestamptz NOT NULL DEFAULT now()
);

-- --- registers: mutable rows with a version, fed to register_changes --------------------
-- Common columns: id, community_id, version, deleted, updated_by, updated_at, xid8.

CREATE TABLE compounds (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    name text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE buildings (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    compound_id uuid NOT NULL REFERENCES compounds(id),
    name text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE units (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    building_id uuid NOT NULL REFERENCES buildings(id),
    name text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE households (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    unit_id uuid REFERENCES units(id),
    room text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE members (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    kind text NOT NULL,
    category text NOT NULL,
    name text NOT NULL,
    phone text,
    id_number text,
    birth_date date,
    household_id uuid REFERENCES households(id),
    compound_id uuid REFERENCES compounds(id),
    work_unit text,
    address text,
    status text NOT NULL,
    created_at timestamp NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ix_members_community ON members (community_id);

CREATE TABLE member_cards (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    code text NOT NULL UNIQUE,
    member_id uuid NOT NULL REFERENCES members(id),
    status text NOT NULL,
    issued_at timestamp NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ix_member_cards_member ON member_cards (member_id);

CREATE TABLE items (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    kind text NOT NULL,
    category text NOT NULL,
    name text NOT NULL,
    unit text NOT NULL,
    points integer NOT NULL,
    tracks_stock boolean NOT NULL,
    merchant text,
    limit_qty integer,
    limit_period text,
    min_age integer,
    active boolean NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE item_barcodes (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    code text NOT NULL,
    item_id uuid NOT NULL REFERENCES items(id),
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT uq_item_barcodes_community_code UNIQUE (community_id, code)
);

CREATE TABLE point_categories (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    scheme text NOT NULL,
    name text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE point_items (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    category_id uuid NOT NULL REFERENCES point_categories(id),
    name text NOT NULL,
    points integer NOT NULL,
    active boolean NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE operators (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    name text NOT NULL,
    role text NOT NULL,
    pin_hash text NOT NULL,
    active boolean NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE community_settings (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    key text NOT NULL,
    value jsonb,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT uq_community_settings_key UNIQUE (community_id, key)
);

CREATE TABLE receipts (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    counter_id text NOT NULL REFERENCES counters(id),
    receipt_no text NOT NULL,
    member_id uuid NOT NULL REFERENCES members(id),
    operator_id uuid,
    created_at timestamp NOT NULL,
    total_points integer NOT NULL,
    balance_before integer,
    points_entry_id uuid,
    status text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT uq_receipts_counter_no UNIQUE (counter_id, receipt_no)
);

CREATE TABLE receipt_lines (
    receipt_id uuid NOT NULL REFERENCES receipts(id) ON DELETE CASCADE,
    line_no integer NOT NULL,
    item_id uuid NOT NULL,
    item_name text NOT NULL,
    qty integer NOT NULL,
    unit_points integer NOT NULL,
    stock_entry_id uuid,
    PRIMARY KEY (receipt_id, line_no)
);

-- The latest state of every register row, as the pull serves it (tombstone: deleted).
CREATE TABLE register_changes (
    register text NOT NULL,
    row_id uuid NOT NULL,
    district_id uuid NOT NULL REFERENCES districts(id),
    community_id uuid NOT NULL REFERENCES communities(id),
    version integer NOT NULL,
    deleted boolean NOT NULL,
    content jsonb NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (register, row_id)
);
CREATE INDEX ix_register_changes_district_xid8 ON register_changes (district_id, xid8);

CREATE FUNCTION feed_register_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO register_changes AS rc
        (register, row_id, district_id, community_id, version, deleted, content)
    SELECT TG_TABLE_NAME, NEW.id, c.district_id, NEW.community_id, NEW.version, NEW.deleted,
           to_jsonb(NEW) - ARRAY['version', 'deleted', 'updated_by', 'updated_at', 'xid8']
      FROM communities c WHERE c.id = NEW.community_id
    ON CONFLICT (register, row_id) DO UPDATE
       SET district_id = EXCLUDED.district_id, community_id = EXCLUDED.community_id,
           version = EXCLUDED.version, deleted = EXCLUDED.deleted,
           content = EXCLUDED.content, changed_at = now();
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['compounds', 'buildings', 'units', 'households', 'members',
                             'member_cards', 'items', 'item_barcodes', 'point_categories',
                             'point_items', 'operators', 'community_settings', 'receipts']
    LOOP
        EXECUTE format('CREATE TRIGGER touch BEFORE INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION touch_register()', t);
        EXECUTE format('CREATE TRIGGER feed AFTER INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION feed_register_changes()', t);
    END LOOP;
END $$;

CREATE TRIGGER set_xid8 BEFORE INSERT OR UPDATE ON register_changes
    FOR EACH ROW EXECUTE FUNCTION set_xid8();

-- --- journals: append-only, one chain per counter and journal -----------------------------

-- The two journals have one shape; subject is a member (points) or an item (stock).
-- Their rows are only ever inserted (by push_entries, which never names xid8), so the
-- column default sets xid8; a row trigger would cost a third of each insert.
DO $$
DECLARE
    j text;
BEGIN
    FOREACH j IN ARRAY ARRAY['points', 'stock'] LOOP
        EXECUTE format($ddl$
            CREATE TABLE %1$I (
                id uuid PRIMARY KEY,
                counter_id text NOT NULL REFERENCES counters(id),
                seq bigint NOT NULL CHECK (seq >= 1),
                subject uuid NOT NULL,
                delta bigint NOT NULL CHECK (delta <> 0),
                kind text NOT NULL,
                reverses_id uuid,
                ref text,
                operator_id uuid,
                created_at timestamp NOT NULL,
                note text,
                detail_digest text,
                hash_format smallint NOT NULL CHECK (hash_format IN (1, 2, 3)),
                prev_hash text NOT NULL,
                hash text NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now(),
                xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
                CONSTRAINT %2$I UNIQUE (counter_id, seq)
            );
            CREATE INDEX %3$I ON %1$I (subject, created_at);
            CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON %1$I
                FOR EACH ROW EXECUTE FUNCTION refuse_change();
            CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON %1$I
                FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
        $ddl$, j || '_journal', 'uq_' || j || '_counter_seq', 'ix_' || j || '_journal_subject');
    END LOOP;
END $$;
-- Only other counters' points entries are pulled.
CREATE INDEX ix_points_journal_xid8 ON points_journal (xid8);

-- Per counter and journal: the last sequence the district holds and its hash.
CREATE TABLE counter_heads (
    counter_id text NOT NULL REFERENCES counters(id),
    journal text NOT NULL CHECK (journal IN ('points', 'stock')),
    last_seq bigint NOT NULL DEFAULT 0,
    last_hash text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (counter_id, journal)
);

-- --- derived state: balances, stock, overdrafts, hotlist -------------------------------------

CREATE TABLE balances (
    member_id uuid PRIMARY KEY,
    district_id uuid NOT NULL REFERENCES districts(id),
    opening bigint NOT NULL DEFAULT 0,
    balance bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ix_balances_district_xid8 ON balances (district_id, xid8);

CREATE TABLE stock_levels (
    counter_id text NOT NULL REFERENCES counters(id),
    item_id uuid NOT NULL,
    qty bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (counter_id, item_id)
);

CREATE TABLE overdrafts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    member_id uuid NOT NULL,
    counter_id text NOT NULL REFERENCES counters(id),
    entry_id uuid NOT NULL UNIQUE REFERENCES points_journal(id),
    balance_after bigint NOT NULL,
    detected_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX ix_overdrafts_member ON overdrafts (member_id);

CREATE TABLE hotlist (
    kind text NOT NULL CHECK (kind IN ('card', 'overdrawn')),
    ref_id uuid NOT NULL,
    district_id uuid NOT NULL REFERENCES districts(id),
    member_id uuid NOT NULL,
    code text,
    reason text NOT NULL,
    balance bigint,
    active boolean NOT NULL,
    since timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (kind, ref_id)
);
CREATE INDEX ix_hotlist_district_xid8 ON hotlist (district_id, xid8);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['balances', 'stock_levels', 'hotlist'] LOOP
        EXECUTE format('CREATE TRIGGER set_xid8 BEFORE INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION set_xid8()', t);
    END LOOP;
END $$;

-- An overdrawn member is on the hotlist until the balance is back at zero or above.
CREATE FUNCTION hotlist_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.balance < 0 THEN
        INSERT INTO hotlist AS h (kind, ref_id, district_id, member_id, reason, balance, active)
        VALUES ('overdrawn', NEW.member_id, NEW.district_id, NEW.member_id, 'overdrawn',
                NEW.balance, true)
        ON CONFLICT (kind, ref_id) DO UPDATE
           SET balance = EXCLUDED.balance, active = true,
               since = CASE WHEN h.active THEN h.since ELSE now() END
         WHERE h.balance IS DISTINCT FROM EXCLUDED.balance OR NOT h.active;
    ELSE
        UPDATE hotlist SET active = false, balance = NEW.balance, since = now()
         WHERE kind = 'overdrawn' AND ref_id = NEW.member_id AND active;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER hotlist AFTER INSERT OR UPDATE OF balance ON balances
    FOR EACH ROW EXECUTE FUNCTION hotlist_balance();

-- A card that is not active (blocked, lost, replaced) or deleted is on the hotlist.
CREATE FUNCTION hotlist_card() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_listed boolean := NEW.status <> 'active' OR NEW.deleted;
BEGIN
    IF v_listed THEN
        INSERT INTO hotlist AS h (kind, ref_id, district_id, member_id, code, reason, active)
        SELECT 'card', NEW.id, c.district_id, NEW.member_id, NEW.code,
               CASE WHEN NEW.deleted THEN 'deleted' ELSE NEW.status END, true
          FROM communities c WHERE c.id = NEW.community_id
        ON CONFLICT (kind, ref_id) DO UPDATE
           SET reason = EXCLUDED.reason, code = EXCLUDED.code, active = true
         WHERE h.reason IS DISTINCT FROM EXCLUDED.reason OR NOT h.active;
    ELSE
        UPDATE hotlist SET active = false, reason = 'active', since = now()
         WHERE kind = 'card' AND ref_id = NEW.id AND active;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER hotlist AFTER INSERT OR UPDATE ON member_cards
    FOR EACH ROW EXECUTE FUNCTION hotlist_card();

-- --- what went wrong, and what happened ---------------------------------------------------

CREATE TABLE dead_letters (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    counter_id text NOT NULL REFERENCES counters(id),
    journal text NOT NULL,
    entry_id uuid,
    seq bigint,
    received jsonb NOT NULL,
    received_hash text NOT NULL,
    existing_hash text,
    reason text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_dead_letters_once UNIQUE (counter_id, journal, entry_id, received_hash)
);

CREATE TABLE sync_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    counter_id text NOT NULL REFERENCES counters(id),
    action text NOT NULL,
    journal text,
    received integer NOT NULL DEFAULT 0,
    accepted integer NOT NULL DEFAULT 0,
    duplicates integer NOT NULL DEFAULT 0,
    dead integer NOT NULL DEFAULT 0,
    head_seq bigint,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_sync_log_counter_at ON sync_log (counter_id, at);
