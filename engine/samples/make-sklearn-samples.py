"""Writes iris.csv, wine.csv, breast_cancer.csv and diabetes.csv beside this file.

Converted from the copies of the datasets that scikit-learn ships (its `datasets/data` folder:
no network), with snake_case column names and the target as a named column of labels.

    /usr/bin/python3 engine/samples/make-sklearn-samples.py

Needs scikit-learn >= 1.2 (for `load_diabetes(scaled=False)`) and pandas. The output is
byte-stable: running it again rewrites the same files.
"""

from pathlib import Path

import pandas as pd
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine

HERE = Path(__file__).resolve().parent


def snake(name: str) -> str:
    """'od280/od315_of_diluted_wines' -> 'od280_od315_of_diluted_wines', 'mean radius' -> 'mean_radius'."""
    out = "".join(ch if ch.isalnum() else "_" for ch in name.lower())
    return "_".join(part for part in out.split("_") if part)


def labelled(bunch, target: str, rename: dict[str, str] | None = None) -> pd.DataFrame:
    """Features with snake_case names, then the target as string labels named `target`."""
    frame = bunch.frame.drop(columns="target")
    frame.columns = [rename.get(c, snake(c)) if rename else snake(c) for c in frame.columns]
    frame[target] = [str(bunch.target_names[i]) for i in bunch.target]
    return frame


def integral(frame: pd.DataFrame) -> pd.DataFrame:
    """Writes whole-number float columns as integers (59 rather than 59.0)."""
    for c in frame.columns:
        if frame[c].dtype.kind == "f" and (frame[c] == frame[c].round()).all():
            frame[c] = frame[c].astype("int64")
    return frame


def write(frame: pd.DataFrame, name: str) -> None:
    path = HERE / f"{name}.csv"
    frame.to_csv(path, index=False, lineterminator="\n")
    print(f"{path.name}: {len(frame)} rows x {len(frame.columns)} columns")


def main() -> None:
    iris = labelled(
        load_iris(as_frame=True),
        "species",
        {
            "sepal length (cm)": "sepal_length",
            "sepal width (cm)": "sepal_width",
            "petal length (cm)": "petal_length",
            "petal width (cm)": "petal_width",
        },
    )
    write(iris, "iris")

    write(integral(labelled(load_wine(as_frame=True), "cultivar")), "wine")

    write(labelled(load_breast_cancer(as_frame=True), "diagnosis"), "breast_cancer")

    # The raw (unscaled) measurements of Efron et al. (2004); s1–s6 are the blood serum tests.
    diabetes = load_diabetes(as_frame=True, scaled=False).frame.rename(
        columns={
            "bp": "blood_pressure",
            "s1": "total_cholesterol",
            "s2": "ldl",
            "s3": "hdl",
            "s4": "cholesterol_hdl_ratio",
            "s5": "log_triglycerides",
            "s6": "blood_sugar",
            "target": "progression",
        }
    )
    write(integral(diabetes), "diabetes")


if __name__ == "__main__":
    main()
