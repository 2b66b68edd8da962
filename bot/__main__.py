"""`python -m bot` is the same as the `footbot` command."""

from bot.cli import main

raise SystemExit(main())
