"""A receipt printed again from the command line is marked as a reprint."""

from __future__ import annotations

from datetime import datetime

from counter_app import clock
from counter_app.documents.print_jobs import receipt_job

from documents_fixtures import build_world, parse_escpos, pdftotext


def test_command_line_receipt_is_a_reprint_with_its_time(tmp_path):
    world = build_world(tmp_path)
    with clock.frozen(datetime(2026, 3, 4, 5, 6)):
        number, pdf = receipt_job(world.db, world.receipt_no, 58, None, escpos=False)
        _, job = receipt_job(world.db, world.receipt_no, 58, None, escpos=True)
    out = tmp_path / "r.pdf"
    out.write_bytes(pdf)
    flat = pdftotext(out).replace(" ", "")
    assert number == world.receipt_no and "补打" in flat
    text = "\n".join(t for t, _ in parse_escpos(job).lines)
    assert "补打" in text and "2026-03-04" in text
