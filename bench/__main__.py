"""`python -m bench [--quick]`: the platform's figures, printed one line each."""

from __future__ import annotations

import argparse

from bench import intake


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100,000 rows only")
    args = parser.parse_args()
    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    for rows in sizes:
        print(intake.report(intake.measure(rows)), flush=True)


if __name__ == "__main__":
    main()
