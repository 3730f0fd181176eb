import sys

from segwh.cli import main

sys.exit(main())
