"""The one thing pyproject.toml cannot say: the curator's top-level knowledge/ folder ships inside the package.

A wheel (or an install from the sdist) carries it as `bot/knowledge`, where bot/config.py finds it with
importlib.resources; a source checkout keeps reading and training the top-level folder itself. Sub-packages
of bot/ are found as they are added, so nobody has to list them here.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*"]), "bot.knowledge", "bot.knowledge.trained"],
    package_dir={"bot.knowledge": "knowledge"},
)
