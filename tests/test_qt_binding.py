"""The Qt binding must survive many signal emissions (PySide6 6.12.0 did not)."""

import subprocess
import sys

SCRIPT = """
import threading
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
app = QCoreApplication([])
class Box(QObject):
    sent = Signal(int, object, object)
box = Box()
got = []
box.sent.connect(lambda t, r, e: got.append(t), Qt.ConnectionType.QueuedConnection)
worker = threading.Thread(target=lambda: [box.sent.emit(i, None, None) for i in range(20000)])
worker.start()
worker.join()
while len(got) < 20000:
    app.processEvents()
print("ok", len(got))
"""


def test_queued_object_signals_do_not_corrupt_refcounts():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok 20000"
