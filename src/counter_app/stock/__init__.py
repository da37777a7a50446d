"""Stock of exchange goods: the journal (journal.py), goods in and out (receive.py),
count sessions (stocktake.py), service capacity (capacity.py).

The names callers used when this was one module stay importable from here.
"""

from counter_app.stock.journal import (  # noqa: F401
    append, append_many, level, levels, reverse_in, tracked_item,
)
from counter_app.stock.receive import (  # noqa: F401
    adjust, count_to, receive, receive_goods, write_off,
)
