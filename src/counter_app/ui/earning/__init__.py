"""Staff pages of earning: point items, record awards, the weekly review, wishes."""
