"""counter_app — the counter of a community points supermarket (积分超市).

The package root is a plain Python library; only :mod:`counter_app.ui` imports Qt.
"""

__version__ = "0.1.0"
