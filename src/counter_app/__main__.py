from counter_app.cli import main

raise SystemExit(main())
