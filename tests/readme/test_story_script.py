"""How the README becomes a script: which blocks run, on which ports, and which one failed."""

from __future__ import annotations

import subprocess

from deploy.run_local import DEFAULT_PORTS
from tests.readme.story import bash_blocks, finished, on_ports, outcome, script

MARKDOWN = """\
Intro.

```bash
A=1
```

```shell
make run   # shown only
```

```
layout, not run
```

```bash
echo "$A" http://127.0.0.1:8002/x http://127.0.0.1:80021/y
```
"""

PORTS = {name: 40000 + i for i, name in enumerate(DEFAULT_PORTS)}


def test_only_bash_blocks_run_in_document_order() -> None:
    blocks = bash_blocks(MARKDOWN)
    assert [(b.number, b.line, b.text) for b in blocks] == [
        (1, 4, "A=1"),
        (2, 16, 'echo "$A" http://127.0.0.1:8002/x http://127.0.0.1:80021/y'),
    ]


def test_default_ports_become_the_platforms_own() -> None:
    text = on_ports("curl http://127.0.0.1:8002/x http://127.0.0.1:80021/y", PORTS)
    assert text == f"curl http://127.0.0.1:{PORTS['assignment']}/x http://127.0.0.1:80021/y"


def test_the_failing_block_is_named_with_what_it_printed() -> None:
    markdown = "```bash\nX=1; echo one\n```\n```bash\necho two; false\necho never\n```\n"
    blocks = bash_blocks(markdown)
    ran = subprocess.run(
        ["bash", "-c", script(blocks, PORTS)], capture_output=True, text=True, check=False
    )
    assert ran.returncode != 0
    assert finished(ran.stdout) == {1}
    assert outcome(ran.stdout) == (2, "two")


def test_variables_carry_from_block_to_block() -> None:
    blocks = bash_blocks("```bash\nX=seven\n```\n```bash\necho $X\n```\n")
    ran = subprocess.run(["bash", "-c", script(blocks, PORTS)], capture_output=True, text=True)
    assert ran.returncode == 0
    assert finished(ran.stdout) == {1, 2}
    assert "seven" in ran.stdout
