"""How well LeNet-5 Explorer reads digits; run the studies from the repository root.

Each study is its own command and prints its accuracy with a 95 % interval:

- ``python -m studies.real_digits``: real pen digits by writers the network
  never trained on, drawn on the canvas and replayed on the real window
  (:mod:`~studies.real_readings`, :mod:`~studies.real_report`,
  :mod:`~studies.real_folds`);
- ``python -m studies.photo_digits``: photo-like pictures of digits on paper,
  read through ``--predict`` (:mod:`~studies.photo_ink`,
  :mod:`~studies.photo_scene`, :mod:`~studies.photo_trials`,
  :mod:`~studies.photo_report`);
- ``python -m studies.drawn_digits``: MNIST test digits redrawn from their
  skeletons with mouse events on the real window.
- ``python -m studies.adaptation``: writers the weights never saw, taught 2
  of each digit through ``python -m lenet_gui.adapt``, their other digits read
  before and after.
- ``python -m studies.numbers``: numbers composed of pen digits (apart,
  touching, replayed on the window) and drawn non-digits;
  ``python -m studies.segments``: whether each digit of a number is among the
  reader's candidate segments at all, with a contact sheet of the misreads;
  ``python -m studies.stroke_numbers``: numbers read with their strokes, as
  the canvas reads them, against the picture alone.

They share :mod:`~studies.accuracy` (intervals, samples, contact sheets) and
:mod:`~studies.window` (the real window, read after a mouse replay).
``python -m studies --self-test`` checks the studies' own workings on the
pen digits shipped for the tests, in seconds. How fast the app is,
rather than how well it reads, is measured by ``python -m benchmarks``.
"""
