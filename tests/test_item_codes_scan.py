"""A shelf label's internal code finds its item when scanned (items without a barcode)."""

from __future__ import annotations

import pytest

from counter_app import catalogue
from counter_app.errors import UnknownItem
from counter_app.item_codes import internal_code


def test_internal_code_finds_the_service(counter):
    code = internal_code(counter.haircut)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    with counter.db.read() as s:
        assert catalogue.item_by_barcode(s, code).id == counter.haircut
        assert catalogue.item_by_barcode(s, code.lower()).id == counter.haircut
        with pytest.raises(UnknownItem):
            catalogue.item_by_barcode(s, wrong)  # a misread check digit finds nothing
        with pytest.raises(UnknownItem):
            catalogue.item_by_barcode(s, internal_code(99999))  # no such item


def test_scanning_a_label_code_at_the_counter_finds_the_item(counter):
    from counter_app import lookup

    hit = lookup.resolve(counter.db, internal_code(counter.haircut), "XF01")
    assert isinstance(hit, lookup.ItemHit) and hit.item.id == counter.haircut
