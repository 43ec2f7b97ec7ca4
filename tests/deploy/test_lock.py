"""The lock files pin every dependency pyproject.toml names, at versions it allows, and the
environment the tests run in was installed from them (make install)."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _pins(name: str) -> dict[str, str]:
    """Package -> pinned version, for the lines whose markers hold on this interpreter."""
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith((" ", "#", "-")):
            continue
        pin, _, marker = line.partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate():
            continue
        package, _, version = pin.strip().partition("==")
        pins[canonicalize_name(package)] = version
    return pins


def _declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    return runtime, dev


def test_every_dependency_is_pinned_at_a_version_pyproject_allows() -> None:
    runtime, dev = _declared()
    for lock, wanted in (("requirements.lock", runtime), ("requirements-dev.lock", runtime + dev)):
        pins = _pins(lock)
        for requirement in wanted:
            version = pins.get(canonicalize_name(requirement.name))
            assert version, f"{lock} does not pin {requirement.name}: run make lock"
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {requirement.name}=={version}, outside {requirement.specifier}"
            )


def test_the_image_and_the_development_install_agree_on_every_shared_pin() -> None:
    image, development = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {p: v for p, v in development.items() if p in image} == image


def test_this_environment_was_installed_from_the_development_lock() -> None:
    differing = {}
    for package, version in _pins("requirements-dev.lock").items():
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            differing[package] = (installed, version)
    assert not differing, f"installed vs locked: {differing}; run make install"
