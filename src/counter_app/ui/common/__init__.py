"""What every page shares: the background Op helper, row table models, widgets, error dialogs."""
