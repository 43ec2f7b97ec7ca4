"""A generated bank case file: realistic Chinese headers, valid ID numbers and phones."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "卡号",
    "姓名",
    "证件号码",
    "手机号",
    "本金",
    "利息",
    "违约金",
    "滞纳金",
    "欠款总额",
    "首次逾期日",
    "家庭地址",
    "单位名称",
]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


def resident_id(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40))
    body = f"110101{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def rows(count: int, seed: int = 7) -> Iterator[list[str]]:
    rng = random.Random(seed)
    for n in range(count):
        principal = rng.randrange(1_000_00, 200_000_00)
        interest, penalty, fees = principal // 20, principal // 50, rng.randrange(0, 100_00)
        total = principal + interest + penalty + fees
        yield [
            f"6222{n:012d}",
            rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN),
            resident_id(rng),
            f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            *(f"{c // 100}.{c % 100:02d}" for c in (principal, interest, penalty, fees, total)),
            (date(2026, 1, 1) + timedelta(days=rng.randrange(300))).isoformat(),
            f"北京市东城区某某路{rng.randrange(1, 999)}号",
            f"某某有限公司{rng.randrange(1, 9999)}",
        ]


def write_case_file(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        for row in rows(count):
            out.write(",".join(row) + "\n")
    return path
