"""The background-operation helper: results on the GUI thread, errors handed over,
callbacks dropped for closed windows, a busy dialog for long work."""

import threading
import time

import pytest

from PySide6.QtWidgets import QProgressDialog, QWidget

from counter_app.errors import InvalidInput
from counter_app.ui.common.ops import Op, on_worker_thread, wait_idle


def test_result_arrives_on_gui_thread_from_the_worker(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    seen = {}

    def work(x):
        seen["worker"] = on_worker_thread()
        return x * 2

    Op(widget, work, 21).success(lambda r: seen.update(result=r,
                                                      gui=threading.current_thread()
                                                      is threading.main_thread())).run()
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen == {"worker": True, "result": 42, "gui": True}


def test_failure_is_handed_over(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    errors = []

    def boom():
        raise InvalidInput(detail="坏输入")

    Op(widget, boom).failure(errors.append).run()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], InvalidInput) and "坏输入" in str(errors[0])


def test_callbacks_of_a_closed_window_are_dropped(qtbot):
    widget = QWidget()
    called = []
    release = threading.Event()
    Op(widget, release.wait, 5).success(called.append).run()
    widget.deleteLater()
    qtbot.wait(50)
    release.set()
    wait_idle()  # the work has run and its answer is queued …
    qtbot.wait(100)  # … and the queue has been processed
    assert called == []
    # the same op for a live widget is delivered, so the check above can fail
    alive = QWidget()
    qtbot.addWidget(alive)
    Op(alive, lambda: 1).success(called.append).run()
    qtbot.waitUntil(lambda: called == [1], timeout=5000)


def test_long_work_shows_a_busy_dialog_then_closes_it(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    done = []
    Op(widget, time.sleep, 0.6).progress("正在导出…", after_ms=100).success(done.append).run()
    qtbot.waitUntil(lambda: widget.findChild(QProgressDialog, "busy_dialog") is not None,
                    timeout=2000)
    assert widget.findChild(QProgressDialog, "busy_dialog").labelText() == "正在导出…"
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    qtbot.waitUntil(lambda: widget.findChild(QProgressDialog, "busy_dialog") is None
                    or not widget.findChild(QProgressDialog, "busy_dialog").isVisible(),
                    timeout=2000)


def test_database_work_on_the_gui_thread_fails(counter):
    """C3: what the UI runs against the database asserts it is on the worker."""
    from counter_app import sign_in
    from counter_app.ui.common.ops import NotOnWorker, call_on_worker, db_work

    with pytest.raises(NotOnWorker):
        db_work(sign_in.sign_in_screen)(counter.db)
    screen = call_on_worker(sign_in.sign_in_screen, counter.db)
    assert [name for _id, name, _role in screen.operators][0] == "管理员"


def test_log_in_dialog_reads_on_the_worker(qtbot, counter, monkeypatch):
    """The dialog builds at once with no names; they come from the worker."""
    import threading

    from counter_app import sign_in
    from counter_app.ui.shell.login_dialog import LoginDialog

    threads = []
    real = sign_in.sign_in_screen
    monkeypatch.setattr(sign_in, "sign_in_screen",
                        lambda db: threads.append(threading.current_thread()) or real(db))
    dialog = LoginDialog(counter.db, counter.info)
    qtbot.addWidget(dialog)
    assert not dialog.operator_buttons.buttons()
    dialog.select_operator(counter.volunteer.operator_id)  # chosen before the names arrived
    qtbot.waitUntil(lambda: dialog.loaded, timeout=5000)
    assert threads and threads[0] is not threading.main_thread()
    assert dialog.operator_buttons.checkedId() == counter.volunteer.operator_id
    assert "从未同步" in dialog.sync.text() or "never" in dialog.sync.text()
