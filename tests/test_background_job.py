"""LatestJob: work off the GUI thread, the newest request winning."""

import threading

from lenet_gui.gui.state.jobs import LatestJob


def test_the_newest_job_wins_and_its_result_arrives_on_the_gui_thread(qtbot):
    job = LatestJob()
    release = threading.Event()
    results, threads = [], []
    job.done.connect(lambda result, error: results.append((result, error)))
    job.done.connect(lambda *_: threads.append(threading.current_thread()))
    started = threading.Event()

    def first():
        started.set()
        return release.wait(5) and "first"

    job.submit(first)
    # Until the worker has taken the first job, a newer one would replace it.
    assert started.wait(5)
    job.submit(lambda: "second")  # waits behind the first
    job.submit(lambda: "third")  # replaces the second
    assert job.busy
    release.set()
    qtbot.waitUntil(lambda: not job.busy, timeout=5000)
    # The first finished while a newer job waited: its result was dropped.
    assert results == [("third", None)]
    assert threads == [threading.main_thread()]


def test_an_error_is_handed_on_and_nothing_runs_after_shutdown(qtbot):
    job = LatestJob()
    results = []
    job.done.connect(lambda result, error: results.append((result, error)))

    def fail():
        raise ValueError("bad input")

    job.submit(fail)
    qtbot.waitUntil(lambda: not job.busy, timeout=5000)
    assert results[0][0] is None and isinstance(results[0][1], ValueError)
    job.shutdown()
    job.submit(lambda: "late")
    assert not job.busy and len(results) == 1
