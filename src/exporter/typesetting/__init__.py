"""Typesetting decisions every writer shares: line-breaking rules (clreq, GB/T 15834) and block styles."""
