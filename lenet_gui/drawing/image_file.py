"""Read an image file as a grey array for the classifier, safely.

:func:`read_image` turns any image Qt can read (PNG, JPEG, BMP, GIF, WebP,
TIFF, PNM, SVG, ... see :func:`image_formats`) into a 2-D float32 array in
[0, 1] that :meth:`lenet_gui.network.classifier.Classifier.predict` accepts
as is. Every file it cannot use raises :class:`ImageFileError`, whose message
is one line naming the file and the reason.

How pixels become grey levels:

* An image whose alpha channel has real transparency (opacity varies across
  the image, or nothing is visible at all) is read by its opacity, whatever
  its colours: opaque is ink (1), transparent is background (0). A digit
  drawn on a transparent layer is visible to a person only through its
  opacity; its colour may be black or white depending on the theme it was
  drawn for. A constant opacity carries no shape, so such images are read
  like opaque ones.
* Otherwise the level is the luma (Rec. 601 weights) of the colour: 0 black,
  1 white. Dark ink on light paper stays that way; ``predict`` detects the
  polarity itself.
* 8- and 16-bit greyscale are read from their own values, so 16-bit files
  keep their precision (Qt's conversion of Grayscale16 to RGBA64 rounds to 8
  bits). Palette, CMYK and every other format go through Qt's RGBA64
  conversion. EXIF orientation is applied. Of an animation or a multi-page
  file, the first frame is read.

Safeguards:

* Files over :data:`MAX_FILE_BYTES` are refused before they are read, and
  only a regular file is read (never a named pipe or a device), once,
  through :func:`~lenet_gui.files.safe_read.read_regular_file`; Qt decodes
  those bytes from memory, so what was checked is what is decoded (Qt never
  reopens the file by name, where something else may sit by then).
* The size an image's header claims is checked before anything is decoded:
  over :data:`MAX_PIXELS` the file is refused (a small file can claim a
  gigantic image, a "decompression bomb"). Formats whose header gives no
  size (ICNS) are bounded by Qt's allocation limit alone.
* Qt's own per-image allocation limit (256 MB by default) is raised,
  process-wide, just enough for every image under :data:`MAX_PIXELS` at 8
  bytes per pixel (never lowered, and left off if it is off), so an image
  that passes the check is not then rejected by Qt with no reason given.
* Images whose longer side exceeds :data:`MAX_SIDE` are decoded scaled down
  to it (JPEG and SVG decode at the smaller size directly), so a 24-megapixel
  photo costs a fraction of a second, not a freeze.
* Truncated files are errors, never half a digit. Qt already fails on
  truncated PNG, TIFF, WebP and PNM, but decodes a truncated JPEG, BMP or GIF
  and fills the missing part with grey or paper; those three are therefore
  checked for completeness first (a JPEG must reach its end-of-image marker,
  a BMP must hold all its rows, a GIF its whole first frame). A JPEG whose
  encoder left out the end-of-image marker is refused too.
* An SVG is checked before Qt parses it (:mod:`lenet_gui.files.svg_budget`): no
  XML entities, no references to other files, and a bound on the elements
  drawn once every ``<use>`` is followed, so a small file cannot keep Qt
  drawing for hours.

Only QtCore and QtGui's image classes are used, no widgets. The image
format plugins load without a ``QGuiApplication``, but Qt's SVG renderer
needs one for fonts (it aborts without): reading an SVG with no Qt
application yet starts an offscreen one, for the rest of the process.
"""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader

from lenet_gui.files.jpeg_budget import JpegRefused, check_jpeg
from lenet_gui.files.safe_read import RefusedFile, read_regular_file
from lenet_gui.files.svg_budget import SvgRefused, check_svg
from lenet_gui.files.truncated_images import is_truncated
from lenet_gui.imaging.photo import extract_ink

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "MAX_SIDE",
    "ImageFileError",
    "image_formats",
    "read_image",
    "read_ink",
]

#: Largest image, in pixels, whose header is accepted (50 megapixels).
MAX_PIXELS = 50_000_000
#: Longer side, in pixels, that larger images are scaled down to while decoded.
MAX_SIDE = 1024
#: Largest file read (256 MiB): more than any digit image needs, less than
#: would strain memory when held as bytes.
MAX_FILE_BYTES = 256 * 2**20

# Qt's allocation limit in MiB: an image of MAX_PIXELS in the deepest format
# Qt's common decoders produce (RGBA64, 16-bit PNG and TIFF) must fit.
_ALLOCATION_LIMIT_MB = math.ceil(MAX_PIXELS * 8 / 2**20)
# Formats under their other names, as a file's suffix may name them.
_FORMAT_NAMES = {"JPG": "JPEG", "JFIF": "JPEG", "TIF": "TIFF"}
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
# The application made for the SVG renderer's fonts, kept alive.
_FONT_APPLICATION: list[QGuiApplication] = []


class ImageFileError(Exception):
    """An image file that cannot be used, with the reason in one line.

    Parameters
    ----------
    path : str or path-like
        The file, as the caller named it.
    reason : str
        Why it cannot be used, in plain words.

    Attributes
    ----------
    path : str
        The file, as the caller named it.
    reason : str
        Why it cannot be used (the message without the file name).
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{_printable(self.path)}: {reason}")


def image_formats() -> list[str]:
    """Return the file suffixes Qt can read here, lower case, without dots.

    Returns
    -------
    list of str
        Sorted suffixes such as ``"bmp"``, ``"jpg"``, ``"png"``, for an Open
        dialog's filter (``"*.bmp *.jpg *.png"``).
    """
    formats = QImageReader.supportedImageFormats()
    return sorted({bytes(name.data()).decode("ascii").lower() for name in formats})


def read_image(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an image file as grey levels for ``Classifier.predict``.

    Parameters
    ----------
    path : str or path-like
        The image file. Its content decides the format (a PNG named
        ``.jpg`` is read as PNG); the suffix only helps formats without a
        signature, such as TGA.

    Returns
    -------
    np.ndarray
        2-D float32 array, C-contiguous, values in [0, 1]: luminance (1 is
        white) or, for an image with real transparency, opacity (1 is
        opaque). At most :data:`MAX_SIDE` pixels on its longer side.

    Raises
    ------
    ImageFileError
        The file is missing, a directory, unreadable, empty, too large, not
        an image, in an unsupported format, damaged or truncated, claims
        more than :data:`MAX_PIXELS` pixels, or is an SVG beyond the limits
        of :func:`lenet_gui.files.svg_budget.check_svg`. The message names the
        file and says why.
    """
    data = _read_bytes(path)
    # Decoded from the bytes just read, never by name: Qt reopening the file
    # would read whatever sits there by then (a named pipe swapped in blocks
    # the decoder for ever), not what was checked.
    buffer = QBuffer()
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = _reader_for(buffer, path)
    try:
        return _grey_levels(_decode(path, data, reader))
    finally:
        _release(reader)
        buffer.close()


def _reader_for(buffer: QBuffer, path: str | os.PathLike[str]) -> QImageReader:
    """Return a reader of `buffer`, choosing its format as Qt does for a file.

    The format the name's suffix names is tried first, if that format's
    reader accepts the content (TGA has no signature; a TGA's first bytes
    pass for an icon's); otherwise the content decides (a PNG named
    ``.jpg`` is read as a PNG).
    """
    suffix = Path(os.fspath(path)).suffix[1:].lower()
    if suffix and suffix in image_formats():
        by_suffix = QImageReader(buffer, QByteArray(suffix.encode("ascii")))
        if by_suffix.canRead():
            return by_suffix
        _release(by_suffix)
        buffer.seek(0)
    return QImageReader(buffer)


def _release(reader: QImageReader) -> None:
    """End `reader`'s format handler now, while its device is still alive.

    A handler may use the device while it is destroyed (TIFF's does), and the
    reader may outlive this call (a traceback holds it), so it is ended here.
    """
    reader.setDevice(None)  # type: ignore[arg-type]  # Qt's nullptr; stubs omit it


def _decode(path: str | os.PathLike[str], data: bytes, reader: QImageReader) -> QImage:
    """Return the image `reader` decodes from `data`, within every safeguard."""
    if not reader.canRead():
        raise ImageFileError(path, _unreadable_reason(path, reader))
    name = bytes(reader.format().data()).decode("ascii", "replace").upper()
    name = _FORMAT_NAMES.get(name, name)  # as named by a suffix: "jpg", "tif"
    if name in ("SVG", "SVGZ"):
        # Before reader.size(): Qt parses the whole document to tell it.
        _check_svg(path, data)

    size = reader.size()
    if size.isValid():
        width, height = size.width(), size.height()
        if width * height > MAX_PIXELS:
            raise ImageFileError(
                path,
                f"the {name} header claims {width} x {height} pixels "
                f"({width * height / 1e6:.0f} megapixels); images over "
                f"{MAX_PIXELS / 1e6:.0f} megapixels are refused as a safeguard "
                f"against decompression bombs",
            )
        if max(width, height) > MAX_SIDE:
            reader.setScaledSize(_fit(width, height))
    if name == "JPEG" and size.isValid():
        try:
            check_jpeg(data, size.width() * size.height())
        except JpegRefused as error:
            raise ImageFileError(path, str(error)) from None
    if is_truncated(data):
        raise ImageFileError(
            path, f"the {name} file is truncated (it ends before the image data)"
        )

    if 0 < QImageReader.allocationLimit() < _ALLOCATION_LIMIT_MB:
        QImageReader.setAllocationLimit(_ALLOCATION_LIMIT_MB)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise ImageFileError(
            path,
            f"the {name} data is damaged or truncated "
            f"(Qt: {reader.errorString().rstrip('.')})",
        )
    if max(image.width(), image.height()) > MAX_SIDE:
        # The header did not tell the size (ICNS here; some third-party plugins),
        # so Qt could not scale while decoding.
        fitted = _fit(image.width(), image.height())
        image = image.scaled(
            fitted,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image
    return _grey_levels(image)


def read_ink(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an image file as the ink the app places on its canvas and reads.

    The one way a loaded file becomes ink, for File > Open, drag and drop
    and ``--predict`` alike: :func:`read_image`, then
    :func:`lenet_gui.imaging.photo.extract_ink`, which reads a clean image
    exactly as :func:`~lenet_gui.imaging.ink_levels.to_ink` does and cleans
    a photo or a scan (uneven light divided out, ink told from paper,
    printed lines and specks removed, the digit cropped with a margin).

    Parameters
    ----------
    path : str or path-like
        The image file, as for :func:`read_image`.

    Returns
    -------
    np.ndarray
        2-D float32 ink in [0, 1], 0 paper and 1 full ink; all zeros when
        the image holds no ink.

    Raises
    ------
    ImageFileError
        The file cannot be used (see :func:`read_image`).
    """
    return extract_ink(read_image(path))


def _printable(text: str) -> str:
    """Return `text` with control characters escaped, to keep messages one line."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied (the file cannot be read)"
    if isinstance(error, NotADirectoryError):
        return "no such file (a folder in the path is a file)"
    return f"cannot be read ({error.strerror or error})"


def _read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Return the file's bytes once it proves a regular, non-empty, sane file.

    Read by :func:`~lenet_gui.files.safe_read.read_regular_file`, as weights
    are: a FIFO or a device is never opened (it could block or never end).
    """
    if not os.fspath(path):
        raise ImageFileError(path, "no file name given")
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except RefusedFile as refused:
        raise ImageFileError(path, _refusal_reason(refused)) from refused
    if not data:
        raise ImageFileError(path, "the file is empty (0 bytes)")
    return data


def _refusal_reason(refused: RefusedFile) -> str:
    """Word a refused image file as this module words file problems."""
    if refused.kind == "folder":
        return "is a directory, not an image file"
    if refused.kind == "special":
        return "not a regular file"
    if refused.kind == "too large":
        return f"the file is larger than the {MAX_FILE_BYTES // 2**20} MiB limit"
    if isinstance(refused.__cause__, OSError):  # missing or unreadable
        return _os_reason(refused.__cause__)
    return refused.reason


def _check_svg(path: str | os.PathLike[str], data: bytes) -> None:
    """Refuse an SVG that is costly to draw or that Qt cannot draw here."""
    try:
        summary = check_svg(data)
    except SvgRefused as error:
        raise ImageFileError(path, str(error)) from None
    if not _gui_application() and summary.uses_fonts:
        raise ImageFileError(
            path,
            "the SVG has text, which Qt draws only in a GUI application, and "
            "none can be started here (another thread or a QCoreApplication)",
        )


def _gui_application() -> bool:
    """Whether Qt can draw text; starts an offscreen application if none.

    Qt's font database needs a ``QGuiApplication``, and Qt aborts the whole
    process when an SVG with text is drawn without one. Offscreen, because
    reading a file needs no display; a ``QApplication``, so that widgets made
    later in the process still work; only the main thread may start it.
    """
    application = QCoreApplication.instance()
    if application is not None:
        return isinstance(application, QGuiApplication)
    if threading.current_thread() is not threading.main_thread():
        return False
    from PySide6.QtWidgets import QApplication

    _FONT_APPLICATION.append(QApplication(["lenet-gui", "-platform", "offscreen"]))
    return True


def _unreadable_reason(path: str | os.PathLike[str], reader: QImageReader) -> str:
    """Return why Qt finds no image in a file that Python could read."""
    if reader.error() == QImageReader.ImageReaderError.UnsupportedFormatError:
        suffix = Path(path).suffix[1:].lower()
        named = f" (despite its .{suffix} name)" if suffix in image_formats() else ""
        return f"not an image in any format this app can read{named}"
    return f"Qt cannot read it ({reader.errorString().rstrip('.')})"


def _fit(width: int, height: int) -> QSize:
    """Return the size of the same aspect ratio whose longer side is MAX_SIDE."""
    factor = MAX_SIDE / max(width, height)
    return QSize(max(1, round(width * factor)), max(1, round(height * factor)))


def _grey_levels(image: QImage) -> np.ndarray:
    """Grey levels (or opacity, for real transparency) of `image` in [0, 1]."""
    if image.format() == QImage.Format.Format_Grayscale8:
        return _channels(image, np.uint8, 1)[:, :, 0] * np.float32(1 / 255)
    if image.format() == QImage.Format.Format_Grayscale16:
        return _channels(image, np.uint16, 1)[:, :, 0] * np.float32(1 / 65535)
    rgba64 = image.convertToFormat(QImage.Format.Format_RGBA64)
    rgba = _channels(rgba64, np.uint16, 4) * np.float32(1 / 65535)
    alpha = rgba[:, :, 3]
    if alpha.min() < alpha.max() or alpha.max() == 0:
        return np.ascontiguousarray(alpha)
    return rgba[:, :, :3] @ _LUMA


def _channels(image: QImage, dtype: type[np.generic], count: int) -> np.ndarray:
    """Return a (height, width, count) view of `image`'s pixels, without padding.

    The view shares `image`'s memory; callers turn it into float at once,
    while `image` is still alive.
    """
    itemsize = np.dtype(dtype).itemsize
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), dtype=dtype).reshape(
        height, image.bytesPerLine() // itemsize
    )
    return rows[:, : width * count].reshape(height, width, count)
