"""Doing only what changed: the build cache, each output's fingerprint, and the atomic output twin."""
