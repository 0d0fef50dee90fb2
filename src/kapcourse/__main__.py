from kapcourse.cli import main

raise SystemExit(main())
