"""Package layout the pyproject table cannot say: resources/ ships inside the package.

The repository keeps fonts, templates, catalogues and icons in its top-level resources/;
a wheel carries them as desktop_app/_resources, where desktop_app.resources finds them.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["desktop_app*"]), "desktop_app._resources"],
    package_dir={"desktop_app._resources": "resources"},
)
