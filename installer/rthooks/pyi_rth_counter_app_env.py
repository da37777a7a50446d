"""Runtime hook (Linux): give child processes the user's own library path.

The PyInstaller bootloader puts the bundle's folder on LD_LIBRARY_PATH so that the
program finds its bundled libraries; every program it starts would inherit that and load
our libglib, libstdc++, libcrypto ... instead of the system's: xdg-open -> the PDF viewer
for receipts (QDesktopServices.openUrl), fc-list for the font search. The dynamic loader
of this process has read the variable already at start-up, so undoing it here only
affects child processes. See PyInstaller's "LD_LIBRARY_PATH / LIBPATH considerations".
"""

import os
import sys

if sys.platform.startswith("linux") and getattr(sys, "frozen", False):
    _orig = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if _orig is not None:
        os.environ["LD_LIBRARY_PATH"] = _orig
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)
