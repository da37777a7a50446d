-- d0006: day closes (issue 11) reach the district: the heads a counter's printed day report
-- anchors are then held outside the PC too. A register like the others (touch/feed
-- triggers, register_order()); written once at the counter (its triggers), so every push
-- of a day close is its first version. Pulled to no counter: the counters skip it.

CREATE TABLE day_closes (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    counter_id text NOT NULL REFERENCES counters(id),
    day date NOT NULL,
    closed_at timestamp NOT NULL,
    closed_by uuid,
    points_seq bigint NOT NULL,
    points_hash text NOT NULL,
    stock_seq bigint NOT NULL,
    stock_hash text NOT NULL,
    heads text NOT NULL,   -- JSON text as the counter stored it (every journal's head)
    report text NOT NULL,  -- JSON text: the report as printed
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT uq_day_closes_day UNIQUE (counter_id, day)
);

CREATE TRIGGER touch BEFORE INSERT OR UPDATE ON day_closes
    FOR EACH ROW EXECUTE FUNCTION touch_register();
CREATE TRIGGER feed AFTER INSERT OR UPDATE ON day_closes
    FOR EACH ROW EXECUTE FUNCTION feed_register_changes();

CREATE OR REPLACE FUNCTION register_order() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['compounds', 'buildings', 'units', 'households', 'members', 'member_cards',
                 'merchants', 'items', 'item_barcodes', 'item_prices', 'point_categories',
                 'point_items', 'operators', 'community_settings', 'receipts', 'vouchers',
                 'voucher_uses',  -- d0003 (stock)
                 'point_item_values', 'activities', 'wishes', 'awards',  -- d0004 (earning)
                 'day_closes']  -- d0006 (day)
$$;
REVOKE EXECUTE ON FUNCTION register_order() FROM PUBLIC;
