"""Write the small stroke file the test suite uses, from the full pendigits file.

    python tests/data/make_strokes_subset.py /path/to/pendigits-train.json

Keeps, for each of four writers, the first digit of every class and the
second 1, 4, 7 and 9 (the classes whose styles vary most), in the file's
order, unchanged: 56 digits.
"""

import json
import sys
from pathlib import Path

WRITERS = ("train_w01", "train_w02", "train_w03", "train_w04")
SECOND = {1, 4, 7, 9}
OUT = Path(__file__).parent / "strokes" / "pendigits-sample.json"


def main(source: str) -> None:
    digits = json.loads(Path(source).read_text())
    seen: dict[tuple[str, int], int] = {}
    kept = []
    for digit in digits:
        key = (digit["writer"], digit["label"])
        if digit["writer"] not in WRITERS:
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1 or (seen[key] == 2 and digit["label"] in SECOND):
            kept.append(digit)
    lines = ",\n".join(json.dumps(d, separators=(",", ":")) for d in kept)
    OUT.write_text(f"[\n{lines}\n]\n")
    print(f"wrote {len(kept)} digits to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
