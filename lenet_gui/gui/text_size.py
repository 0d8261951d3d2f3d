"""Larger and smaller text for a projector: every font of the window, remembered.

View › Larger Text, Smaller Text and Actual Size step through
:data:`TEXT_SCALES`. The application's font is scaled, and so are the fonts
some widgets set for themselves (the large digit read) and the point sizes
of the views' titles and axes, so everything the window writes grows
together.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from lenet_gui.gui.settings import WindowSettings

__all__ = ["TEXT_SCALES", "TextSize"]

#: The sizes text can take, times the system's size; 1.0 is actual size.
TEXT_SCALES = (0.85, 1.0, 1.15, 1.3, 1.5)

_KEY = "view/text_scale"
_BASE = "lenetBasePointSize"  # a widget's own font size at actual size
_DRAWN = "lenetTextScale"  # the scale an axis's ticks were last laid out at
_POINTS = re.compile(r"^\s*([0-9.]+)\s*pt\s*$")


class TextSize(QObject):
    """The window's text size, one of :data:`TEXT_SCALES`.

    Parameters
    ----------
    window : QWidget
        The window whose text is scaled (its dialogs too).
    settings : WindowSettings
        Where the size is remembered.
    """

    scaleChanged = Signal(float)
    """The text size changed: the new scale."""

    def __init__(self, window: QWidget, settings: WindowSettings) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        app = QApplication.instance()
        assert isinstance(app, QApplication), "a QApplication must exist"
        self._app_font = QFont(app.font())
        remembered = settings.number(_KEY)
        self._scale = 1.0
        self._scaled = False
        # The scale the application font had when the widgets not yet seen were
        # made: their own fonts, derived from it then, are divided by it.
        self._made_at = 1.0
        if remembered is not None:
            self._scale = _nearest_step(remembered)

    def scale(self) -> float:
        """Return the text scale in use (1.0: actual size)."""
        return self._scale

    @Slot()
    def larger(self) -> None:
        """Make the text one step larger (no larger than the last step)."""
        self._step(+1)

    @Slot()
    def smaller(self) -> None:
        """Make the text one step smaller (no smaller than the first step)."""
        self._step(-1)

    @Slot()
    def actual_size(self) -> None:
        """Give the text its actual size."""
        self.set_scale(1.0)

    def set_scale(self, scale: float) -> None:
        """Use the step of :data:`TEXT_SCALES` nearest `scale`, and remember it."""
        self._scale = _nearest_step(scale)
        self._settings.remember_number(_KEY, self._scale)
        self.apply()
        self.scaleChanged.emit(self._scale)

    def _step(self, by: int) -> None:
        index = TEXT_SCALES.index(self._scale) + by
        self.set_scale(TEXT_SCALES[max(0, min(index, len(TEXT_SCALES) - 1))])

    @Slot()
    @Slot(object)
    def apply(self, *_: object) -> None:
        """Give every text of the window the scale in use (views built since too)."""
        scale = self._scale
        if scale == 1.0 and not self._scaled:
            return  # nothing was ever scaled: nothing to do
        self._scaled = True
        app_font = QFont(self._app_font)
        app_font.setPointSizeF(self._app_font.pointSizeF() * scale)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        if app.font() != app_font:
            app.setFont(app_font)
            # Qt tells the widgets in no set order, so a child may have taken
            # its parent's font before the parent took the new one; told
            # again parents first, each takes the font its parent has now.
            for widget in [self._window, *self._window.findChildren(QWidget)]:
                QApplication.sendEvent(
                    widget, QEvent(QEvent.Type.ApplicationFontChange)
                )
        made_at, self._made_at = self._made_at, scale
        for widget in [self._window, *self._window.findChildren(QWidget)]:
            if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                _scale_own_font(widget, scale, made_at)
            if isinstance(widget, QGraphicsView) and widget.scene() is not None:
                _scale_scene(widget, scale, made_at)


def _nearest_step(scale: float) -> float:
    """Return the step of :data:`TEXT_SCALES` nearest `scale`, bounded by the steps."""
    bounded = min(max(scale, TEXT_SCALES[0]), TEXT_SCALES[-1])
    return min(TEXT_SCALES, key=lambda step: abs(step - bounded))


def _scale_own_font(widget: QWidget, scale: float, made_at: float) -> None:
    """Scale a font a widget set for itself; first seen, its size at `made_at`."""
    base = widget.property(_BASE)
    if not isinstance(base, float):
        base = widget.font().pointSizeF() / made_at
        if base <= 0:
            return
        widget.setProperty(_BASE, float(base))
    font = QFont(widget.font())
    if abs(font.pointSizeF() - base * scale) > 0.01:
        font.setPointSizeF(base * scale)
        widget.setFont(font)


def _scale_scene(view: QGraphicsView, scale: float, made_at: float) -> None:
    """Scale the titles and axes of a pyqtgraph view."""
    for item in view.scene().items():
        if isinstance(item, pg.LabelItem):
            base = getattr(item, _BASE, None)
            if base is None:
                found = _POINTS.match(str(item.opts.get("size", "")))
                if found is None:
                    continue
                base = float(found.group(1))
                setattr(item, _BASE, base)
            size = f"{base * scale:.1f}pt"
            if item.opts.get("size") != size:
                item.setText(item.text, size=size)
        elif isinstance(item, pg.AxisItem) and getattr(item, _DRAWN, 1.0) != scale:
            setattr(item, _DRAWN, scale)
            _scale_axis_title(item, scale, made_at)
            item.picture = None  # ticks are laid out again in the new font
            item.update()


def _scale_axis_title(axis: pg.AxisItem, scale: float, made_at: float) -> None:
    """Give an axis's title ("digit", "Rotate (°)") the scaled size, and room for it."""
    title = axis.label
    if title is None:
        return
    base = getattr(axis, _BASE, None)
    if base is None:
        base = title.font().pointSizeF() / made_at
        if base <= 0:
            return
        setattr(axis, _BASE, base)
    font = QFont(title.font())
    font.setPointSizeF(base * scale)
    title.setFont(font)
    update = getattr(axis, "_updateLabel", None)  # pyqtgraph's own re-layout
    if callable(update):
        update()
