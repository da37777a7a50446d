-- d0003: the district side of the stock issue — merchants, item price history, vouchers and
-- their uses; new item columns (merchant, service capacity, low-stock threshold, voucher days).

CREATE TABLE merchants (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    name text NOT NULL,
    address text,
    contact text,
    member_id uuid REFERENCES members(id),
    active boolean NOT NULL,
    created_at timestamp NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);

ALTER TABLE items ADD COLUMN merchant_id uuid REFERENCES merchants(id);
ALTER TABLE items ADD COLUMN capacity_qty integer;
ALTER TABLE items ADD COLUMN capacity_period text;
ALTER TABLE items ADD COLUMN low_stock integer;
ALTER TABLE items ADD COLUMN voucher_days integer;

CREATE TABLE item_prices (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    item_id uuid NOT NULL REFERENCES items(id),
    points integer NOT NULL CHECK (points > 0),
    changed_at timestamp NOT NULL,
    operator_id uuid,
    note text,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ix_item_prices_item ON item_prices (item_id);

CREATE TABLE vouchers (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    code text NOT NULL,
    item_id uuid NOT NULL REFERENCES items(id),
    merchant_id uuid REFERENCES merchants(id),
    member_id uuid NOT NULL REFERENCES members(id),
    counter_id text NOT NULL REFERENCES counters(id),
    receipt_no text NOT NULL,
    points integer NOT NULL,
    issued_at timestamp NOT NULL,
    valid_until timestamp NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT uq_vouchers_code UNIQUE (code)
);
CREATE INDEX ix_vouchers_merchant_issued ON vouchers (merchant_id, issued_at);

-- One end per voucher, district-wide: a second counter's use of the same voucher collides
-- on voucher_id and is dead-lettered by push_registers (the first use stands).
CREATE TABLE voucher_uses (
    id uuid PRIMARY KEY,
    community_id uuid NOT NULL REFERENCES communities(id),
    voucher_id uuid NOT NULL REFERENCES vouchers(id),
    kind text NOT NULL CHECK (kind IN ('used', 'cancelled')),
    counter_id text NOT NULL REFERENCES counters(id),
    operator_id uuid,
    at timestamp NOT NULL,
    note text,
    version integer NOT NULL CHECK (version >= 1),
    deleted boolean NOT NULL DEFAULT false,
    updated_by text REFERENCES counters(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    xid8 xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT uq_voucher_uses_voucher UNIQUE (voucher_id)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['merchants', 'item_prices', 'vouchers', 'voucher_uses'] LOOP
        EXECUTE format('CREATE TRIGGER touch BEFORE INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION touch_register()', t);
        EXECUTE format('CREATE TRIGGER feed AFTER INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION feed_register_changes()', t);
    END LOOP;
END $$;

-- Parents before children: merchants before the items that name them, vouchers after
-- items, members and merchants, their uses after them.
CREATE OR REPLACE FUNCTION register_order() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['compounds', 'buildings', 'units', 'households', 'members', 'member_cards',
                 'merchants', 'items', 'item_barcodes', 'item_prices', 'point_categories',
                 'point_items', 'operators', 'community_settings', 'receipts', 'vouchers',
                 'voucher_uses']
$$;
REVOKE EXECUTE ON FUNCTION register_order() FROM PUBLIC;
