-- d0004 (issue 10, earning): dated point-item values, activities, awards, wishes, and the
-- eligibility/range columns of point_items. Registers like the others: the common columns,
-- the touch/feed triggers, and register_order() extended (parents before children).

ALTER TABLE point_items ADD COLUMN eligible text;
ALTER TABLE point_items ADD COLUMN min_points integer;
ALTER TABLE point_items ADD COLUMN max_points integer;

CREATE TABLE point_item_values (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    item_id uuid NOT NULL REFERENCES point_items(id),
    points integer NOT NULL CHECK (points > 0),
    effective_from date NOT NULL,
    set_by uuid,
    set_at timestamp NOT NULL,
    note text,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT uq_point_item_values_day UNIQUE (item_id, effective_from)
);

CREATE TABLE activities (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    item_id uuid NOT NULL REFERENCES point_items(id),
    activity_date date NOT NULL,
    title text,
    place text,
    organiser text,
    team text,
    counter_id text NOT NULL REFERENCES counters(id),
    created_by uuid,
    created_at timestamp NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE wishes (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    title text NOT NULL,
    wisher_name text NOT NULL,
    wisher_member_id uuid REFERENCES members(id),
    due_date date,
    item_id uuid REFERENCES point_items(id),
    status text NOT NULL CHECK (status IN ('posted', 'claimed', 'completed', 'cancelled')),
    claimant_member_id uuid REFERENCES members(id),
    claimant_team text,
    posted_by uuid,
    posted_at timestamp NOT NULL,
    claimed_at timestamp,
    completed_at timestamp,
    note text,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE awards (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    member_id uuid NOT NULL REFERENCES members(id),
    item_id uuid NOT NULL REFERENCES point_items(id),
    activity_id uuid REFERENCES activities(id),
    wish_id uuid REFERENCES wishes(id),
    activity_date date NOT NULL,
    points integer NOT NULL CHECK (points > 0),
    status text NOT NULL
        CHECK (status IN ('pending', 'approved', 'rejected', 'removed', 'revoked')),
    note text,
    work_unit text,
    counter_id text NOT NULL REFERENCES counters(id),
    recorded_by uuid,
    recorded_at timestamp NOT NULL,
    reviewed_by uuid,
    reviewed_at timestamp,
    reason text,
    ledger_entry_id uuid UNIQUE,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT ck_awards_ledger
        CHECK ((status IN ('approved', 'revoked')) = (ledger_entry_id IS NOT NULL))
);
CREATE INDEX ix_awards_member ON awards (member_id);
CREATE INDEX ix_awards_status_date ON awards (community_id, status, activity_date);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['point_item_values', 'activities', 'wishes', 'awards'] LOOP
        EXECUTE format('CREATE TRIGGER touch BEFORE INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION touch_register()', t);
        EXECUTE format('CREATE TRIGGER feed AFTER INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION feed_register_changes()', t);
    END LOOP;
END $$;

-- Parents before children, so one batch may carry an activity and its awards.
CREATE OR REPLACE FUNCTION register_order() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['compounds', 'buildings', 'units', 'households', 'members', 'member_cards',
                 'items', 'item_barcodes', 'point_categories', 'point_items', 'operators',
                 'community_settings', 'receipts',
                 'point_item_values', 'activities', 'wishes', 'awards']
$$;
