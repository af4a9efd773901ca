"""Side-by-side benchmark of supajobs, pgqueuer and procrastinate (entry: ../compare.py)."""
