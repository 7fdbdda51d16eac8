"""``python -m wijkkit.cli``."""

from wijkkit.cli import main

main()
