from __future__ import annotations

from mediameta.cli import main

raise SystemExit(main())
