"""``python -m generators`` is the ``specfoundry`` command."""

from generators.cli import main

raise SystemExit(main())
