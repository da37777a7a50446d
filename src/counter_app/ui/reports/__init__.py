"""Staff pages of the governance papers and the roster import."""
