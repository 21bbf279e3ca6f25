from tickerwire.cli import main

raise SystemExit(main())
