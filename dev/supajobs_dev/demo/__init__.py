"""`make demo`: run supajobs locally end to end and print what happened."""
