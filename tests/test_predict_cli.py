"""run_predict: the headless --predict command, in process and as a real process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtGui import QImage

from lenet_gui.files.idx import load_mnist
from lenet_gui.gui.predict_cli import NO_DIGIT, run_predict
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import BUNDLED_WEIGHTS, save_weights

REPO = Path(__file__).resolve().parents[1]
MNIST_DIR = REPO / "tests" / "data" / "mnist"
CLASSIFIED = {"file", "text", "digits", "digit", "probabilities", "not_digit"}
NO_DIGIT_KEYS = CLASSIFIED | {"error"}


@pytest.fixture(scope="module")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    return load_mnist(MNIST_DIR, "test")


@pytest.fixture(scope="module")
def random_weights(tmp_path_factory) -> Path:
    """Untrained LeNet-5 weights: the plumbing works whatever the weights say."""
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("weights") / "random.pt"
    save_weights(LeNet5(), path, {"note": "random, for tests"})
    return path


def save_grey(a: np.ndarray, path: Path, quality: int = 95) -> str:
    a = np.ascontiguousarray(a, dtype=np.uint8)
    height, width = a.shape
    image = QImage(a.tobytes(), width, height, width, QImage.Format.Format_Grayscale8)
    assert image.copy().save(str(path), None, quality)
    return str(path)


def predict(paths: list[str], weights: Path | str | None) -> tuple[int, list, str]:
    """Run in process; return the status, the parsed lines and stderr."""
    out, err = io.StringIO(), io.StringIO()
    status = run_predict(
        paths, weights=None if weights is None else str(weights), out=out, err=err
    )
    lines = out.getvalue().splitlines()
    return status, [json.loads(line) for line in lines], err.getvalue()


def check_classified(result: dict, path: str) -> None:
    assert set(result) == CLASSIFIED
    assert result["file"] == path
    if result["not_digit"] is not None:
        # Untrained weights may make anything look like no digit at all.
        assert result["text"] == "" and result["digits"] == []
        assert result["digit"] is None and result["probabilities"] is None
        return
    assert result["text"] == "".join(str(d["digit"]) for d in result["digits"])
    for digit in result["digits"]:
        probabilities = np.array(digit["probabilities"])
        assert probabilities.shape == (10,)
        assert (probabilities >= 0).all()
        assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)
        assert digit["digit"] == int(probabilities.argmax())
    if len(result["digits"]) == 1:
        assert result["digit"] == result["digits"][0]["digit"]
        assert result["probabilities"] == result["digits"][0]["probabilities"]
    else:
        assert result["digit"] is None and result["probabilities"] is None


def test_digits_are_classified(tmp_path, mnist, random_weights):
    images = mnist[0]
    paths = [
        save_grey(images[0], tmp_path / "light-on-dark.png"),
        save_grey(255 - images[1], tmp_path / "dark-on-light.jpg"),
        save_grey(np.kron(images[2], np.ones((5, 5))), tmp_path / "big.bmp"),
    ]
    status, results, err = predict(paths, random_weights)
    assert status == 0
    assert err == ""
    assert len(results) == 3
    for result, path in zip(results, paths, strict=True):
        check_classified(result, path)


@pytest.mark.parametrize(
    "level", [255, 0], ids=["blank paper", "all ink (nothing but ink)"]
)
def test_uniform_image_is_no_digit_and_fails(tmp_path, random_weights, level):
    path = save_grey(np.full((60, 60), level), tmp_path / "uniform.png")
    status, results, err = predict([path], random_weights)
    assert status == 1
    assert results == [
        {
            "file": path,
            "text": "",
            "digits": [],
            "digit": None,
            "probabilities": None,
            "not_digit": None,
            "error": NO_DIGIT,
        }
    ]
    assert err == ""


def test_noise_gives_one_valid_answer(tmp_path, random_weights):
    noise = np.random.default_rng(0).integers(0, 256, (64, 64))
    path = save_grey(noise, tmp_path / "noise.png")
    status, results, _ = predict([path], random_weights)
    (result,) = results
    # Noise may or may not look like ink; either way the answer is well formed.
    if "error" in result:
        assert set(result) == NO_DIGIT_KEYS and status == 1
    else:
        check_classified(result, path)
        assert status == 0


def test_bad_files_are_reported_and_the_rest_still_classified(
    tmp_path, mnist, random_weights
):
    good = save_grey(mnist[0][0], tmp_path / "good.png")
    (tmp_path / "notes.png").write_text("not a picture\n")
    (tmp_path / "empty.png").touch()
    (tmp_path / "folder").mkdir()
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(
        Path(save_grey(mnist[0][1], tmp_path / "w.jpg")).read_bytes()[:300]
    )
    bad = {
        str(tmp_path / "missing.png"): "no such file",
        str(tmp_path / "notes.png"): "not an image",
        str(tmp_path / "empty.png"): "empty",
        str(tmp_path / "folder"): "directory",
        str(truncated): "truncated",
        str(tmp_path / "ünïcødé ✓.png"): "no such file",
    }
    paths = [*list(bad)[:2], good, *list(bad)[2:]]
    status, results, err = predict(paths, random_weights)
    assert status == 1
    assert err == ""
    assert [r["file"] for r in results] == paths
    check_classified(results[2], good)
    for result in results[:2] + results[3:]:
        assert set(result) == {"file", "error"}
        assert bad[result["file"]] in result["error"]
        assert "\n" not in result["error"]


def test_no_files_is_success_with_no_output(random_weights):
    assert predict([], random_weights) == (0, [], "")


@pytest.mark.parametrize("kind", ["missing", "garbage"])
def test_unusable_weights_exit_2_with_one_line(tmp_path, mnist, kind):
    weights = tmp_path / "weights.pt"
    if kind == "garbage":
        weights.write_bytes(b"definitely not a torch file")
    path = save_grey(mnist[0][0], tmp_path / "d.png")
    status, results, err = predict([path], weights)
    assert status == 2
    assert results == []
    assert err.count("\n") == 1 and "weights.pt" in err
    assert "Traceback" not in err


def test_streams_default_to_the_current_stdout_and_stderr(
    tmp_path, mnist, random_weights, capsys
):
    path = save_grey(mnist[0][0], tmp_path / "d.png")
    assert run_predict([path], weights=str(random_weights)) == 0
    assert run_predict([path], weights=str(tmp_path / "none.pt")) == 2
    captured = capsys.readouterr()
    check_classified(json.loads(captured.out), path)
    assert "none.pt" in captured.err


PREDICT = (
    "import sys; from lenet_gui.gui.predict_cli import run_predict; "
    "sys.exit(run_predict(sys.argv[2:], weights=sys.argv[1] or None))"
)


def test_real_process_without_a_display(tmp_path, mnist, random_weights):
    good = save_grey(mnist[0][0], tmp_path / "sept é.jpg")
    (tmp_path / "bad.gif").write_bytes(b"GIF89a")
    # No display and no Qt platform: nothing may need a GUI.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PREDICT,
            str(random_weights),
            good,
            str(tmp_path / "bad.gif"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    check_classified(first, good)
    assert set(second) == {"file", "error"}

    missing = subprocess.run(
        [sys.executable, "-c", PREDICT, str(tmp_path / "no.pt"), good],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert "Traceback" not in missing.stderr and "no.pt" in missing.stderr


@pytest.mark.skipif(
    not BUNDLED_WEIGHTS.exists(), reason="the trained weights are not there yet"
)
def test_bundled_weights_read_mnist_digits_from_files(tmp_path, mnist):
    from lenet_gui.network.classifier import Classifier

    images, labels = mnist
    sources = [images[i] if i % 2 else 255 - images[i] for i in range(20)]
    # Both polarities; PNG is lossless, so its answers must be the array's own.
    pngs = [save_grey(s, tmp_path / f"{i}.png") for i, s in enumerate(sources)]
    jpegs = [save_grey(s, tmp_path / f"{i}.jpg") for i, s in enumerate(sources)]
    status, results, err = predict(pngs + jpegs, None)
    assert status == 0, err
    for result, path in zip(results, pngs + jpegs, strict=True):
        check_classified(result, path)
    classifier = Classifier.load()
    for source, result in zip(sources, results[:20], strict=True):
        expected = classifier.predict(source)
        assert result["digit"] == expected.digit
        np.testing.assert_allclose(
            result["probabilities"], expected.probabilities, atol=1e-5
        )
    for kind, answers in (("PNG", results[:20]), ("JPEG", results[20:])):
        correct = sum(
            r["digit"] == label for r, label in zip(answers, labels[:20], strict=True)
        )
        assert correct >= 18, f"{kind}: {correct}/20 right"
