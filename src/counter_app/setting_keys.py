"""Keys of the ``settings`` table that code outside the ORM reads too (plain sqlite3
checks of a file, e.g. backup._integrity), kept free of imports."""

LOCAL_COUNTER = "local_counter_id"  # the id of the counter this file belongs to
