"""A labelled corpus for the receipt ↔ freee deal matcher (tuning and held-out parts)."""
