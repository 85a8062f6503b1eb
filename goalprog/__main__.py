"""``python -m goalprog`` is the ``goalprog`` command."""

from .cli import main

main()
