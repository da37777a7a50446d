"""The sync page (同步) and the sync runner: the district sync off the GUI thread."""
