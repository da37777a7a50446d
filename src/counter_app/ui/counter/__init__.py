"""The counter page: scan box, member panel, item tiles, cart, checkout, void."""
