"""The demo community: a realistic, deterministic register with six months of history."""

from counter_app.demo.build import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
