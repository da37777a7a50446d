"""other counters' redemption lines by item: the service capacity counts them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

* ``ix_district_redemption_lines_item`` (item_uid, created_at): stock/capacity.py now
  counts the other counters' lines of a service in the period (a capacity is the
  community's); the counter page asks for every service with a capacity at each member
  it shows, so this must not read 400 days of the community's lines.
"""

from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_district_redemption_lines_item", "district_redemption_lines",
                    ["item_uid", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_district_redemption_lines_item", table_name="district_redemption_lines")
