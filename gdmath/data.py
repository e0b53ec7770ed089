"""Training sets: generated from a known neuron, or read from CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from gdmath._validate import finite_array, finite_range, nonnegative_real, positive_int, real
from gdmath.activations import get_activation

__all__ = ["DATASETS", "Dataset", "NamedDataset", "load_csv", "load_dataset", "make_dataset"]


@dataclass(frozen=True)
class Dataset:
    """Training points (xᵢ, yᵢ).

    Attributes
    ----------
    x, y : ndarray, shape (n,)
        Finite, same length.
    """

    x: np.ndarray
    y: np.ndarray

    def __post_init__(self) -> None:
        x = finite_array(self.x, "x")
        y = finite_array(self.y, "y")
        if x.shape != y.shape:
            raise ValueError(
                f"x and y must have the same length, got {x.size} x values and {y.size} y values"
            )
        x.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    @property
    def n(self) -> int:
        """Number of points."""
        return int(self.x.size)


def make_dataset(
    w: float,
    b: float,
    activation: str = "identity",
    n: int = 20,
    noise: float = 0.1,
    seed: int = 0,
    x_range: tuple[float, float] = (-1.0, 1.0),
) -> Dataset:
    """Sample a training set from the neuron y = φ(w·x + b) plus Gaussian noise.

    Parameters
    ----------
    w, b : float
        The true parameters.
    activation : str
        φ, by name.
    n : int
        Number of points, evenly spaced over `x_range`.
    noise : float
        Standard deviation of the noise added to y (≥ 0).
    seed : int
        Seed for ``np.random.default_rng``: the same seed gives the same data.
    x_range : (float, float)
        Interval of the inputs.
    """
    w, b = real(w, "w"), real(b, "b")
    phi = get_activation(activation)
    n = positive_int(n, "n")
    noise = nonnegative_real(noise, "noise")
    lo, hi = finite_range(x_range, "x_range")
    rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
    x = np.linspace(lo, hi, n) if n > 1 else np.array([(lo + hi) / 2])
    y = phi.f(w * x + b) + noise * rng.standard_normal(n)
    return Dataset(x, y)


def _readable_file(path: Path, what: str) -> None:
    if path.is_dir():
        raise ValueError(f"{what} {str(path)!r} is a folder, not a file")
    if not path.is_file():
        raise ValueError(f"{what} {str(path)!r} does not exist")


def load_csv(path: str | Path) -> Dataset:
    """Read x, y from a CSV file with two numeric columns; a header line is optional.

    With a header, the columns named ``x`` and ``y`` are used (other columns are ignored). The
    file must be UTF-8; a byte-order mark (as Excel writes one) is accepted.
    """
    path = Path(path)
    _readable_file(path, "data file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle) if row and any(cell.strip() for cell in row)]
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
            "save it as UTF-8 CSV"
        ) from None
    if not rows:
        raise ValueError(f"data file {str(path)!r} is empty")
    header = [cell.strip().lower() for cell in rows[0]]
    x_column, y_column, first_line = 0, 1, 1
    if not _is_number(rows[0][0]):
        if "x" not in header or "y" not in header:
            raise ValueError(
                f"{path}: the header {rows[0]} must name columns 'x' and 'y' "
                "(or leave the header out and put x, y in the first two columns)"
            )
        x_column, y_column = header.index("x"), header.index("y")
        rows, first_line = rows[1:], 2
    x_values, y_values = [], []
    for lineno, row in enumerate(rows, start=first_line):
        try:
            x_values.append(float(row[x_column]))
            y_values.append(float(row[y_column]))
        except (IndexError, ValueError):
            raise ValueError(f"{path}: row {lineno} is not two numbers: {row}") from None
    if not x_values:
        raise ValueError(f"data file {str(path)!r} has a header but no data rows")
    return Dataset(np.array(x_values), np.array(y_values))


@dataclass(frozen=True)
class NamedDataset:
    """A small real teaching dataset shipped with gdmath (see the README for provenance).

    Attributes
    ----------
    name : str
        What ``[data] dataset = "..."`` names.
    activation : str
        The activation it is meant for (used when the config's [model] names none).
    x_label, y_label : str
        What x and y are, with units.
    source : str
        Where the numbers come from, and their licence.
    """

    name: str
    activation: str
    x_label: str
    y_label: str
    source: str

    def load(self) -> Dataset:
        """The points, read from the CSV shipped inside gdmath."""
        shipped = resources.files("gdmath") / "datasets" / f"{self.name}.csv"
        with resources.as_file(shipped) as csv_path:
            return load_csv(csv_path)


DATASETS: dict[str, NamedDataset] = {dataset.name: dataset for dataset in (
    NamedDataset("iris-setosa", "sigmoid", "petal length (cm)", "1 = setosa, 0 = versicolor",
                 "Fisher (1936) / Anderson iris data, setosa and versicolor; public domain"),
    NamedDataset("penguins-gentoo", "sigmoid", "flipper length (mm)", "1 = Gentoo, 0 = Adelie",
                 "Palmer penguins (Gorman, Williams & Fraser 2014; Horst, Hill & Gorman 2020), "
                 "rows with a flipper length; CC0 1.0"),
    NamedDataset("penguins-bill-flipper", "identity", "bill length (mm)", "flipper length (mm)",
                 "Palmer penguins, all three species, rows with both lengths; CC0 1.0"),
    NamedDataset("anscombe-3", "identity", "x", "y",
                 "Anscombe (1973), 'Graphs in Statistical Analysis', set III (one outlier); "
                 "public domain"),
)}


def load_dataset(name: str) -> tuple[NamedDataset, Dataset]:
    """A shipped dataset by name: its description and its points."""
    if not isinstance(name, str):
        raise TypeError(f"dataset must be a string, got {type(name).__name__}: {name!r}")
    if name not in DATASETS:
        from gdmath._validate import suggest

        raise ValueError(f"unknown dataset {name!r}{suggest(name, DATASETS)}; choose one of "
                         f"{', '.join(map(repr, DATASETS))}")
    named = DATASETS[name]
    return named, named.load()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
