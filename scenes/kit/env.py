"""The environment contract between gdviz and the scenes: every ``GDVIZ_*`` variable, in one place.

A scene is rendered by ``manim`` in a process of its own, so gdviz passes its choices through the
environment. This module names the variables, parses them and validates them with one-line
messages; the scenes (through `scenes.kit.planned`) and gdviz (`gdviz.jobs`) both import it.
It imports gdmath and the standard library only, never manim, so gdviz can check a job before it
starts a render. gdmath itself reads no environment and knows nothing of language or theme: the
``[video]`` table of a config file passes through gdmath (`gdmath.parse_config`'s
``extra_tables``) and is validated here.

=================  ==========================================================================
``GDVIZ_PRESET``   a gdmath preset name (``gdmath.PRESETS``)
``GDVIZ_CONFIG``   a TOML config file (see `gdmath.config`); not together with GDVIZ_PRESET
``GDVIZ_LANG``     the on-screen language, one of `LANGUAGES`; overrides ``[video] language``
``GDVIZ_THEME``    the colour theme, one of `THEME_NAMES` (default ``dark``)
=================  ==========================================================================

``GDVIZ_LANDSCAPE`` chooses what the main video's roll shows of the surface, one of `LANDSCAPES`:
``known`` (the default: only discs where the descent has been, the whole surface revealed after
the roll) or ``full`` (the whole surface throughout); it overrides ``[video] landscape``. Unlike
the four above it is not dropped from a job's environment, so an author's choice reaches every
render gdviz starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import gdmath
from gdmath import ConfigError

__all__ = [
    "ENV_CONFIG",
    "ENV_LANDSCAPE",
    "ENV_LANG",
    "ENV_NAMES",
    "ENV_PRESET",
    "ENV_THEME",
    "LANDSCAPES",
    "LANGUAGES",
    "THEME_NAMES",
    "VIDEO_TABLES",
    "VideoConfig",
    "job_environment",
    "read_config_file",
    "read_environment",
    "read_theme_name",
    "scene_config",
]

ENV_PRESET = "GDVIZ_PRESET"
ENV_CONFIG = "GDVIZ_CONFIG"
ENV_LANG = "GDVIZ_LANG"
ENV_THEME = "GDVIZ_THEME"
ENV_LANDSCAPE = "GDVIZ_LANDSCAPE"
ENV_NAMES = (ENV_PRESET, ENV_CONFIG, ENV_LANG, ENV_THEME)

LANGUAGES = ("en", "ja")
THEME_NAMES = ("dark", "light")
LANDSCAPES = ("known", "full")
#: Tables of a config file that belong to the video, not to the problem.
VIDEO_TABLES = ("video",)
_VIDEO_KEYS = ("language", "landscape")


@dataclass(frozen=True)
class VideoConfig:
    """What one render shows: the problem (from gdmath), the language and the theme.

    Attributes
    ----------
    problem : gdmath.Config
        The validated problem and where it came from.
    language : {"en", "ja"}
        Language of the on-screen prose.
    theme : {"dark", "light"}
        Colour theme.
    landscape : {"known", "full"}
        What the main video's roll shows of the surface (see ``GDVIZ_LANDSCAPE``).
    """

    problem: gdmath.Config
    language: str = "en"
    theme: str = "dark"
    landscape: str = "known"

    @property
    def scenario(self) -> gdmath.Scenario:
        """The problem and its view."""
        return self.problem.scenario

    @property
    def source(self) -> str:
        """Where the problem came from, for messages."""
        return self.problem.source

    def with_scenario(self, scenario: gdmath.Scenario) -> VideoConfig:
        """The same video choices for another problem (e.g. a zoomed inset)."""
        return replace(self, problem=gdmath.Config(scenario=scenario, source=self.source))


def _one_of(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _video_language(problem: gdmath.Config) -> str:
    """``[video] language`` of a config file (default ``en``), validated."""
    video = problem.extra.get("video", {})
    if not isinstance(video, Mapping):
        raise ConfigError(f"{problem.source}: video must be a table [video]")
    for key in video:
        if key not in _VIDEO_KEYS:
            raise ConfigError(f"{problem.source}: unknown key {key!r} in [video]; "
                              f"valid keys there: {', '.join(_VIDEO_KEYS)}")
    language = video.get("language", "en")
    if not isinstance(language, str) or language not in LANGUAGES:
        raise ConfigError(f"{problem.source}: video.language must be one of "
                          f"{', '.join(map(repr, LANGUAGES))}, got {language!r}")
    return language


def _video_landscape(problem: gdmath.Config) -> str:
    """``[video] landscape`` of a config file (default ``known``), validated."""
    landscape = problem.extra.get("video", {}).get("landscape", "known")
    if not isinstance(landscape, str) or landscape not in LANDSCAPES:
        raise ConfigError(f"{problem.source}: video.landscape must be one of "
                          f"{', '.join(map(repr, LANDSCAPES))}, got {landscape!r}")
    return landscape


def read_config_file(path: str | Path) -> tuple[gdmath.Config, str]:
    """A TOML config file: the problem and its ``[video] language``."""
    problem = gdmath.load_config(path, extra_tables=VIDEO_TABLES)
    return problem, _video_language(problem)


def read_theme_name(environ: Mapping[str, str] | None = None) -> str:
    """The theme named by ``GDVIZ_THEME`` (default ``dark``), validated."""
    env = os.environ if environ is None else environ
    return _one_of(ENV_THEME, env.get(ENV_THEME) or "dark", THEME_NAMES)


def read_environment(
    environ: Mapping[str, str] | None = None,
    *,
    default: str | Mapping[str, Any] | None = None,
) -> VideoConfig:
    """The video a scene renders, from ``GDVIZ_*``.

    With neither ``GDVIZ_CONFIG`` nor ``GDVIZ_PRESET`` set, `default` is used: a preset name,
    or a config document (the parsed TOML that `gdmath.parse_config` takes); with no default
    either, gdmath's default preset. ``GDVIZ_LANG`` overrides the config's language.

    Raises
    ------
    gdmath.ConfigError
        For both problem variables at once, an unknown preset, a bad file, language or theme.
    """
    env = os.environ if environ is None else environ
    path, preset = env.get(ENV_CONFIG), env.get(ENV_PRESET)
    language = "en"
    if path and preset:
        raise ConfigError(f"set {ENV_CONFIG} or {ENV_PRESET}, not both")
    if path:
        problem, language = read_config_file(path)
    elif not preset and isinstance(default, Mapping):
        problem = gdmath.parse_config(default, source="the scene's default config")
    else:
        name = preset or default or gdmath.DEFAULT_PRESET
        try:
            problem = gdmath.Config(scenario=gdmath.get_preset(name), source=f"preset {name}")
        except ValueError as exc:
            raise ConfigError(f"{ENV_PRESET}: {exc}") from None
    if env.get(ENV_LANG):
        language = _one_of(ENV_LANG, env[ENV_LANG], LANGUAGES)
    landscape = _video_landscape(problem) if path else "known"
    if env.get(ENV_LANDSCAPE):
        landscape = _one_of(ENV_LANDSCAPE, env[ENV_LANDSCAPE], LANDSCAPES)
    return VideoConfig(problem=problem, language=language, theme=read_theme_name(env),
                       landscape=landscape)


def scene_config(default: str | Mapping[str, Any] | None = None) -> VideoConfig:
    """`read_environment` for a scene: a bad choice stops the program with its message only."""
    try:
        return read_environment(default=default)
    except ConfigError as exc:
        sys.stderr.write(f"gdviz: {exc}\n")
        raise SystemExit(2) from None


def job_environment(base: Mapping[str, str], *, preset: str | None = None,
                    config: str | Path | None = None, language: str | None = None,
                    theme: str = "dark") -> dict[str, str]:
    """The environment of a render: `base` without inherited ``GDVIZ_*``, plus the choices.

    Inherited choices are dropped so that a shell's ``GDVIZ_PRESET`` cannot clash with a job's
    config file (both at once are refused).
    """
    env = {key: value for key, value in base.items() if key not in ENV_NAMES}
    if preset:
        env[ENV_PRESET] = preset
    if config:
        env[ENV_CONFIG] = str(config)
    if language:
        env[ENV_LANG] = language
    env[ENV_THEME] = theme
    return env
