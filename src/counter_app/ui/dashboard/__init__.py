"""The staff dashboard: figures, charts, low stock."""
