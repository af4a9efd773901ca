import sys

from supajobs_dev.relay.cli import main

sys.exit(main(sys.argv[1:]))
