"""The members page: search, profile, edits, history, exports."""
