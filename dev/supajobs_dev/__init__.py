"""Development-only parts of supajobs: never in the runtime wheel.

A throwaway PostgreSQL cluster with pg_cron (`cluster`), the Supabase roles for it
(`project`), the pg_net stand-in's relay (`relay`), the demo (`demo`) and their CLI
commands (`supajobs local`, `supajobs relay`, found through entry points). Installed from the
checkout with `pip install -e ./dev` (`make install` does it).
"""

from supajobs_dev.project import use_checkout_cli

# Everything here runs from the checkout: its `db push` uses the CLI pinned in .tools.
use_checkout_cli()
