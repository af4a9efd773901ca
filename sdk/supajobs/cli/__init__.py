"""The `supajobs` command line (on the SDK)."""
