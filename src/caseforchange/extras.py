"""Which optional extra of the package provides each optional module, and how to say so.

``pip install caseforchange`` gives the engine and the command line; PDF and Word outputs, the
web app, free-text analysis, running on a cluster and the benchmarks need extras (see
pyproject.toml). Commands check for what they need before writing anything, and a missing
module named here becomes a one-line message with the install command instead of a traceback.
"""

from __future__ import annotations

from importlib.util import find_spec

#: Top-level module name -> the extra that installs it.
PROVIDED_BY: dict[str, str] = {
    "weasyprint": "reports",
    "docx": "reports",
    "django": "web",
    "dj_database_url": "web",
    "psycopg": "web",
    "segno": "web",
    "nhsuk_frontend_jinja": "web",
    "whitenoise": "web",
    "granian": "web",
    "sklearn": "text",
    "datasketch": "text",
    "dask": "cluster",
    "distributed": "cluster",
    "ciw": "bench",
    "uvloop": "bench",
}


def installed(module: str) -> bool:
    """Return True when the top-level ``module`` can be imported.

    False also when an import hook refuses it.
    """
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def install_hint(module: str, what: str) -> str | None:
    """Return the message that names the extra to install for ``module``.

    That is "WHAT needs the optional 'EXTRA' dependencies ...: pip install ..." for a module that
    belongs to an extra, or None for any other module.
    """
    extra = PROVIDED_BY.get(module.split(".")[0])
    if extra is None:
        return None
    return (
        f"{what} needs the optional '{extra}' dependencies (module '{module}' is not "
        f"installed): pip install 'caseforchange[{extra}]'"
    )
