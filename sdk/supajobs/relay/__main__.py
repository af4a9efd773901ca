import sys

from supajobs.relay.cli import main

sys.exit(main(sys.argv[1:]))
