"""The demo's content, as TOML files beside this module (each file says how it reads)."""

import functools
import tomllib
from pathlib import Path


@functools.cache
def load(name: str) -> dict:
    """The data file `name`.toml, read once per process."""
    with (Path(__file__).parent / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)
