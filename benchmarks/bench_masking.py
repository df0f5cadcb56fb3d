"""Masking of typed credentials on the blind set `benchmarks/eval/secrets.jsonl` (see its README).

    .venv/bin/python benchmarks/bench_masking.py [FILE] [--misses]

Prints recall (secret values gone after masking), damage (listed innocent substrings altered), negatives
altered (texts with no secret that changed at all), by field, and with --misses each miss and each damage.
Pure: `mask_secrets` needs no database.
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fankui.tickets.secrets import mask_secrets  # noqa: E402

DEFAULT = Path(__file__).resolve().parent / "eval" / "secrets.jsonl"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--misses" in sys.argv
    rows = [json.loads(line) for line in (Path(args[0]) if args else DEFAULT).read_text(encoding="utf-8").splitlines() if line.strip()]
    secrets = found = keeps = damaged = negatives = negatives_altered = 0
    by_field: Counter[str] = Counter()
    missed_by_field: Counter[str] = Counter()
    started = time.perf_counter()
    for row in rows:
        masked = mask_secrets(row["text"]).text
        for secret in row["secrets"]:
            secrets += 1
            by_field[row["field"]] += 1
            if secret in masked:
                missed_by_field[row["field"]] += 1
                if show:
                    print(f"MISS   {row['id']} {secret!r}: {row['text'][:90]!r}")
            else:
                found += 1
        for keep in row["keep"]:
            keeps += 1
            if keep not in masked:
                damaged += 1
                if show:
                    print(f"DAMAGE {row['id']} {keep!r}: {masked[:90]!r}")
        if not row["secrets"]:
            negatives += 1
            negatives_altered += masked != row["text"]
    elapsed = time.perf_counter() - started
    print(f"items {len(rows)}  secrets {secrets}  keep substrings {keeps}  negatives {negatives}")
    print(f"recall            {found}/{secrets} = {found / secrets:.3f}")
    print(f"damage            {damaged}/{keeps} = {damaged / keeps:.3f}")
    print(f"negatives altered {negatives_altered}/{negatives} = {negatives_altered / negatives:.3f}")
    print("recall by field   " + "  ".join(f"{f} {by_field[f] - missed_by_field[f]}/{by_field[f]}" for f in sorted(by_field)))
    print(f"speed             {elapsed / len(rows) * 1e6:.0f} µs per text")


if __name__ == "__main__":
    main()
