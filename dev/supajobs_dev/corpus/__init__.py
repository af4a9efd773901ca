"""A wide generated corpus of Japanese receipts with a tuning part and a held-out part.

Issue 16: accuracy measured on the held-out part has to predict accuracy on receipts made by
someone else, so the held-out part has its own vendor names, branch names, seeds and one font
the tuning part never uses. `python -m supajobs_dev.corpus OUT --part heldout --count 120`.
"""
