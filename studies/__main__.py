"""``python -m studies``: list the studies; ``--self-test`` checks their workings."""

import argparse
import sys

import studies

parser = argparse.ArgumentParser(
    prog="python -m studies",
    description=studies.__doc__.splitlines()[0],
)
parser.add_argument(
    "--self-test",
    action="store_true",
    help="run the studies' own checks on the pen digits shipped for the tests",
)
if parser.parse_args().self_test:
    from studies.self_test import run

    sys.exit(run())
print(studies.__doc__)
